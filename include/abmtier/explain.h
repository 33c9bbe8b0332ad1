// Explaining one account's tier in full (`abmtier explain`): every number
// the pipeline used for it, from the score as written in the export to its
// place in the waitlist, in plain words. Reads a finished table only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/reader.h"
#include "abmtier/side_inputs.h"

namespace abmtier {

/// GateStep::last_in when nobody was placed in the tier.
inline constexpr std::size_t kNoLastIn = std::numeric_limits<std::size_t>::max();

/// The ranking classes of the capacity gate (SPEC 6), best first.
enum class GateClass : std::uint8_t { kPinned, kIncumbent, kOther };

/// One capped tier an account competed for in the capacity gate.
struct GateStep {
  Tier tier = Tier::kNone;
  GateClass rank_class = GateClass::kOther;  ///< the account's class for this tier
  std::uint64_t rank = 0;           ///< 1-based position among the candidates, in gate order
  std::uint64_t candidates = 0;     ///< accounts of its capacity group competing for `tier`
  std::optional<std::int64_t> cap;  ///< the group's cap for `tier`; unset = unlimited
  std::uint64_t placed = 0;         ///< candidates that got `tier` (pins included)
  bool got_in = false;              ///< the account got `tier`
  std::size_t last_in = kNoLastIn;     ///< row of the lowest-ranked account placed in `tier`
};

/// The capped tiers row `row` competed for, best first: from its eligible
/// tier down to its final tier (down to tier 3 when it ended outside).
/// Empty when its eligible tier is watchlist or outside (no capacity).
/// Recomputes the gate's candidate lists and ranking for this one row from
/// the finished columns: O(rows) per step.
std::vector<GateStep> gate_steps(const AccountTable& table, std::size_t row,
                                 const CapacityResult& capacity, bool refresh);

/// The score fields of one record as they are written in the export.
struct RawScores {
  bool found = false;  ///< false when the record could not be re-read
  std::string fit, intent, engagement;  ///< "" when empty or the column is absent
};

/// Re-reads the record that starts on physical line `line` of `input` (the
/// export's bytes, as given to read_accounts) and returns its fields,
/// unescaped and trimmed, split the way the header is. Costs one scan of the
/// input up to that record. nullopt when the record cannot be framed or
/// split (a rejected row may also have too few or too many fields).
std::optional<std::vector<std::string>> reread_fields(std::string_view input, const ReadStats& stats,
                                                      std::uint64_t line);

/// The score fields of the record on `line` (see reread_fields). On any
/// doubt (the record does not split into as many fields as the header)
/// returns found = false rather than a wrong value.
RawScores raw_scores(std::string_view input, const ReadStats& stats, std::uint64_t line);

/// What an explanation needs beyond the finished table.
struct ExplainContext {
  bool refresh = false;               ///< --refresh
  std::string previous_source;        ///< "--previous FILE", "the input's tier column", or "" (none)
  std::optional<Override> expired_pin;  ///< a pin of this account that lapsed before the run
  RawScores raw;                      ///< see raw_scores
  bool has_engagement = false;        ///< the input has an engagement column
};

/// The whole decision for row `row` in plain words: raw and normalised
/// scores, the composite with its terms, bands and matrix cell, hysteresis
/// with its thresholds, the override, the capacity group, the rank against
/// each cap with the composite of the last account in, the waitlist
/// position, and the reason sentence. Several lines, each ending in '\n';
/// the first names the account, the others are indented by two spaces.
std::string explain_account(const AccountTable& table, std::size_t row, const Config& config,
                            const CapacityResult& capacity, const ExplainContext& context);

/// "1st", "2nd", "3rd", "4th", "11th", "21st", ...
std::string ordinal(std::uint64_t n);

}  // namespace abmtier
