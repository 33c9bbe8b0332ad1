// The run summary (SPEC 7, 8): counts, metrics, per-owner load and alerts,
// as JSON (--summary) and as a short table on stderr.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/reader.h"

namespace abmtier {

/// An alert: a stable code (e.g. "uncapped_tier1") and a message.
struct Alert {
  std::string code;
  std::string message;
};

/// Per-tier figures. Optional values are "not available" (never 0).
struct TierStats {
  std::uint64_t count = 0;
  std::optional<std::int64_t> cap;           ///< capped tiers only; unset = unlimited
  double share = 0;                          ///< count / accepted (0 when none accepted)
  std::optional<double> plan_share;          ///< from config plan, else from caps
  std::uint64_t waitlisted = 0;              ///< accounts with waitlist_tier == this tier
  std::optional<double> coverage;            ///< share touched within the window
  std::optional<double> penetration;         ///< mean engaged/buying over buying > 0
  std::optional<double> pipeline_per_account;
};

struct ChangeCounts {
  std::uint64_t new_accounts = 0, promoted = 0, demoted = 0, unchanged = 0;
  std::uint64_t held = 0;  ///< promotion_held + demotion_held
  std::uint64_t promotion_held = 0, demotion_held = 0;
  std::uint64_t dropped = 0;  ///< in the previous run, absent from this export
};

struct OwnerLoad {
  std::string owner;  ///< "" for the accounts with no owner
  std::array<std::uint64_t, kCappedTiers> count{};
  std::array<std::optional<std::int64_t>, kCappedTiers> cap{};
};

/// What the pipeline knows beyond the table when it builds the summary.
struct SummaryInputs {
  std::int32_t as_of = 0;          ///< days since 1970-01-01
  bool refresh = false;
  bool has_previous = false;       ///< a previous tier source existed
  std::uint64_t dropped = 0;       ///< previous ids absent from this export
  std::uint64_t overrides = 0;     ///< pins applied
  std::uint64_t overrides_unmatched = 0;  ///< pins whose id is not in the export
};

struct Summary {
  std::string source;
  std::string as_of;               ///< YYYY-MM-DD
  std::uint64_t rows_read = 0, accepted = 0, rejected = 0;
  std::array<TierStats, kTierCount> tiers{};
  std::uint64_t watchlist_flagged = 0;  ///< accounts with the watchlist flag
  ChangeCounts changes;
  std::vector<OwnerLoad> owners;   ///< per_owner mode or when an owner column exists
  std::optional<std::int64_t> reps;
  std::string reps_source;         ///< "flag", "config", "owners", "unknown"
  std::string capacity_mode;       ///< "pooled", "per_owner"
  bool refresh = false;
  std::uint64_t overrides = 0, overrides_unmatched = 0;
  // data-quality counters from the reader
  std::uint64_t empty_intent = 0, bad_previous_tier = 0, bad_last_touch = 0, bad_pipeline = 0,
                bad_roles = 0;
  std::vector<Alert> alerts;
};

/// Every alert code the summary can raise, sorted (for --fail-on-alert).
const std::vector<std::string_view>& alert_codes();

/// Computes every figure of the summary, including the alerts.
Summary build_summary(const AccountTable& table, const ReadStats& stats,
                      const CapacityResult& capacity, const Config& config,
                      const SummaryInputs& inputs);

/// The summary as pretty JSON (2-space indent, keys documented in
/// docs/summary.md), ending with a newline. Deterministic.
std::string summary_json(const Summary& summary);

/// A short human table (tiers, caps, waitlists, changes, alerts).
void write_summary_table(const Summary& summary, std::ostream& out);

/// The summary as plain text for pasting into chat: one sentence-like line
/// per tier, no column alignment (chat fonts are proportional), ending with
/// a newline (--summary-format text).
std::string summary_text(const Summary& summary);

/// The summary as Markdown for a doc or a chat that renders it: a heading
/// line, a table of the tiers, the changes and the alerts as a list
/// (--summary-format markdown). Text from the input (source, alert
/// messages) is escaped so it cannot break the table.
std::string summary_markdown(const Summary& summary);

}  // namespace abmtier
