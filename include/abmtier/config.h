// The configuration: one struct tree with a documented default on every
// field. Parsed from JSON (comments allowed) in config.cpp, validated there,
// and nowhere else. docs/config.md is the reference for users.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/error.h"

namespace abmtier {

/// The logical input columns (SPEC 2), in this order.
enum class Column : std::uint8_t {
  kId, kName, kFit, kIntent, kEngagement, kOwner, kPreviousTier, kLastTouch,
  kPipeline, kEngagedRoles, kBuyingRoles
};
inline constexpr int kColumnCount = 11;
/// "id", "name", "fit", ... as used in config keys (`columns.fit`).
std::string_view column_key(Column c);
/// The normalised header aliases of a logical column (SPEC 2 table).
const std::vector<std::string_view>& column_aliases(Column c);
/// True for id, fit, intent.
bool column_required(Column c);

/// How one score column is read. Default: numeric on [0, 100].
struct ScoreSpec {
  double lo = 0;    ///< `scores.X.scale[0]`, default 0
  double hi = 100;  ///< `scores.X.scale[1]`, default 100; must be > lo
  /// `scores.X.map`: categorical value -> 0..100, keys stored lower-cased.
  /// Empty by default. Matched case-insensitively after trimming.
  std::map<std::string, double> map;
};

/// Score band thresholds for one score (SPEC 4). mid <= high, both in 0..100.
struct BandSpec {
  double high = 70;  ///< `bands.X.high`: score >= high is band high
  double mid = 40;   ///< `bands.X.mid`: score >= mid is band mid, else low
};

/// Hysteresis thresholds for one capped tier (SPEC 5); unset = none.
struct TierHysteresis {
  std::optional<double> promote_at;    ///< 0..100
  std::optional<double> demote_below;  ///< 0..100
};

enum class CapacityMode : std::uint8_t { kPooled, kPerOwner };

/// Caps for one capped tier (SPEC 6).
struct TierCapacity {
  std::optional<std::int64_t> max;      ///< `capacity.tierK.max`, >= 0; pooled mode only
  std::optional<std::int64_t> per_rep;  ///< `capacity.tierK.per_rep`, >= 0
};

enum class OutputFormat : std::uint8_t { kCsv, kTsv, kJson, kJsonl };

struct Config {
  /// `columns.<logical>`: explicit header name for a logical column. When
  /// set, that header must exist (exact match after trimming, any case).
  std::map<Column, std::string> columns;

  /// `scores.fit`, `scores.intent`, `scores.engagement`.
  ScoreSpec fit_score, intent_score, engagement_score;

  /// `weights.fit` (0.6), `weights.intent` (0.4), `weights.engagement` (0);
  /// each >= 0, sum > 0.
  double weight_fit = 0.6;
  double weight_intent = 0.4;
  double weight_engagement = 0;

  /// `bands.fit`, `bands.intent`.
  BandSpec fit_bands, intent_bands;

  /// `matrix.<fit band>.<intent band>`: indexed [fit band][intent band]
  /// (Band order high, mid, low). Default: SPEC 4 table.
  std::array<std::array<Tier, kBandCount>, kBandCount> matrix{{
      {Tier::k1, Tier::k2, Tier::k2},
      {Tier::k2, Tier::k3, Tier::k3},
      {Tier::k3, Tier::k3, Tier::k3},
  }};

  /// `hysteresis.tier1` .. `tier3`. Default: tier 1 promote_at 85,
  /// demote_below 70; tiers 2 and 3 none.
  std::array<TierHysteresis, kCappedTiers> hysteresis{{{85.0, 70.0}, {}, {}}};

  /// `capacity.mode`: "pooled" (default) or "per_owner".
  CapacityMode capacity_mode = CapacityMode::kPooled;
  /// `capacity.reps`: number of reps, >= 0; unset = count distinct owners.
  std::optional<std::int64_t> reps;
  /// `capacity.tier1` .. `tier3`. Default per_rep 8, 60, unset.
  std::array<TierCapacity, kCappedTiers> capacity{{{std::nullopt, 8}, {std::nullopt, 60}, {}}};

  /// `plan.tier1` .. `plan.outside`: planned share of accounts (0..1) per
  /// tier for the tier-mix metric; unset = derived from the caps.
  std::array<std::optional<double>, kTierCount> plan{};

  /// `coverage.window_days`: a touch within this many days of the as-of
  /// date counts as coverage. Default 30, range 1..3650.
  int coverage_window_days = 30;
  /// `coverage.date_format`: strptime-style format for last_touch values
  /// that are not ISO 8601 (e.g. "%m/%d/%Y"); empty = ISO 8601 only.
  std::string date_format;

  /// `alerts.tier_mix_points`: the tier_mix_off_plan alert fires when a
  /// tier's share is more than this many percentage points away from its
  /// planned share in `plan`. Default 10, range 0..100.
  double tier_mix_points = 10;

  /// `overrides.max_share_tier1`: budget for pinned accounts, as a share of
  /// tier 1's accounts (0..1); past it the overrides_over_budget alert
  /// fires. Unset (default) = no budget.
  std::optional<double> max_pin_share_tier1;

  /// `input.delimiter`: "," ";" "\t" "|" or "auto" (default).
  char delimiter = 0;  ///< 0 = auto-detect

  /// `output.format`: "csv" (default), "tsv", "json", "jsonl".
  OutputFormat format = OutputFormat::kCsv;
  /// `output.keep`: input headers copied to the end of each output row.
  std::vector<std::string> keep;
  /// `output.raw`: false (default) neutralises formula-like text in CSV/TSV.
  bool raw = false;
};

/// Parses and validates a JSON config text (comments allowed). Every key not
/// mentioned is left at its default. Throws Error(ExitCode::kUsage) naming
/// the key path (e.g. "capacity.tier1.per_rep") on an unknown key, a wrong
/// type or an out-of-range value. `source` names the file in messages.
Config parse_config(std::string_view json_text, std::string_view source,
                    const std::vector<std::string>& overrides = {});

/// Reads a config file and parses it (see parse_config). Errors: kUsage for a
/// file that cannot be read, as it is a user's mistake on the command line.
Config load_config(const std::string& path, const std::vector<std::string>& overrides = {});

/// The defaults, as a commented JSON document that parse_config accepts and
/// that sets every key (what `abmtier init` prints).
std::string default_config_text();

}  // namespace abmtier
