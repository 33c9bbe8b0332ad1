// The side inputs of a run: the overrides file and a previous output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "abmtier/account.h"

namespace abmtier {

/// One pin from the overrides file (`id,tier,reason`).
struct Override {
  std::string id;
  Tier tier = Tier::kNone;
  std::string reason;
  std::uint64_t line = 0;
  /// Optional `expires` column (YYYY-MM-DD): the pin applies up to and
  /// including that date, and lapses after it.
  std::optional<std::int32_t> expires;
};

/// Parses an overrides CSV with columns id, tier, reason and expires (any
/// order, any case; reason and expires optional). Tiers are 1, 2, 3, watchlist or outside (the
/// lenient forms "T1", "Tier 1" are accepted too). Throws Error(kUsage)
/// naming the file, line and value for a bad tier, an empty id or a
/// duplicate id: an override file is a deliberate instruction, so a mistake
/// in it stops the run rather than being skipped.
std::vector<Override> parse_overrides(std::string_view data, std::string_view source);

/// The tiers of an earlier output of the tool, by id.
struct PreviousRun {
  std::unordered_map<std::string, Tier> tier_by_id;
  std::vector<std::string> ids;    ///< in file order, first occurrence only
  std::vector<std::string> names;  ///< parallel to ids; "" when the file has no name column
  std::uint64_t unreadable_tiers = 0;
};

/// Parses an earlier assignments file (CSV/TSV with `id` and `tier`
/// columns). The first occurrence of an id wins; a leading `'` that the tool
/// added to neutralise a formula is undone. Throws Error(kUsage) when the
/// `id` or `tier` column is missing.
PreviousRun parse_previous(std::string_view data, std::string_view source);

/// Undoes the writer's formula neutralisation: "'=x" -> "=x" (only when the
/// character after the quote is one the writer neutralises).
std::string unneutralise(std::string_view text);

}  // namespace abmtier
