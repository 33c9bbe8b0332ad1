// Building the run summary (SPEC 7, 8): counts per tier, the tiering metrics,
// changes against the previous tiers and per-owner load. The alerts are
// derived in summary_alerts.cpp; the JSON and the stderr table are in
// summary_format.cpp. docs/summary.md documents every figure.
#include "abmtier/summary.h"

#include <algorithm>
#include <cmath>

#include "abmtier/dates.h"
#include "abmtier/hysteresis.h"
#include "summary_internal.h"

namespace abmtier {
namespace {

// Running sums of one tier's metrics; a metric with nothing counted stays
// unavailable rather than becoming 0.
struct MetricSums {
  std::uint64_t coverage_seen = 0, covered = 0;
  std::uint64_t penetration_seen = 0;
  double penetration_sum = 0;
  std::uint64_t pipeline_seen = 0;
  double pipeline_sum = 0;
};

std::optional<double> ratio(double numerator, std::uint64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / static_cast<double>(denominator);
}

std::string_view reps_source_name(RepsSource source) {
  switch (source) {
    case RepsSource::kFlag: return "flag";
    case RepsSource::kConfig: return "config";
    case RepsSource::kOwners: return "owners";
    case RepsSource::kUnknown: break;
  }
  return "unknown";
}

// One account's contribution to its tier's metrics. Columns that the input
// did not have are empty vectors and contribute nothing.
void add_metrics(const AccountTable& table, std::size_t i, std::int64_t covered_from,
                 MetricSums& sums) {
  if (!table.last_touch.empty()) {
    const std::int32_t touch = table.last_touch[i];
    // An unreadable date says nothing about coverage; an empty one means the
    // account was never touched. A future date counts as touched.
    if (touch != kBadDate) {
      ++sums.coverage_seen;
      if (touch != kNoDate && touch >= covered_from) ++sums.covered;
    }
  }
  if (!table.engaged_roles.empty() && !table.buying_roles.empty()) {
    const double engaged = table.engaged_roles[i];
    const double buying = table.buying_roles[i];
    // NaN compares false, so unreadable values drop out here.
    if (buying > 0 && engaged >= 0) {
      ++sums.penetration_seen;
      sums.penetration_sum += std::min(1.0, engaged / buying);
    }
  }
  if (!table.pipeline.empty() && !std::isnan(table.pipeline[i])) {
    ++sums.pipeline_seen;
    sums.pipeline_sum += table.pipeline[i];
  }
}

void count_change(Tier previous, Tier now, ChangeCounts& changes) {
  if (previous == Tier::kNone)
    ++changes.new_accounts;
  else if (better(now, previous))
    ++changes.promoted;
  else if (better(previous, now))
    ++changes.demoted;
  else
    ++changes.unchanged;
}

void count_held(std::uint8_t outcome, ChangeCounts& changes) {
  if (outcome == static_cast<std::uint8_t>(HysteresisOutcome::kPromotionHeld)) ++changes.promotion_held;
  if (outcome == static_cast<std::uint8_t>(HysteresisOutcome::kDemotionHeld)) ++changes.demotion_held;
}

// Counts, waitlists, metrics and changes: one pass over the table.
void scan_table(const AccountTable& table, const Config& config, std::int32_t as_of,
                Summary& summary) {
  std::array<MetricSums, kTierCount> sums{};
  const std::int64_t covered_from = std::int64_t{as_of} - config.coverage_window_days;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto t = static_cast<std::size_t>(tier_index(table.tier[i]));
    if (t >= kTierCount) continue;  // no final tier: the gate did not run
    ++summary.tiers[t].count;
    if (const Tier w = table.waitlist_tier[i]; is_capped(w))
      ++summary.tiers[static_cast<std::size_t>(tier_index(w))].waitlisted;
    if (table.watchlist[i] != 0) ++summary.watchlist_flagged;
    add_metrics(table, i, covered_from, sums[t]);
    count_change(table.previous_tier[i], table.tier[i], summary.changes);
    count_held(table.hysteresis[i], summary.changes);
  }
  for (std::size_t t = 0; t < kTierCount; ++t) {
    TierStats& s = summary.tiers[t];
    s.coverage = ratio(static_cast<double>(sums[t].covered), sums[t].coverage_seen);
    s.penetration = ratio(sums[t].penetration_sum, sums[t].penetration_seen);
    s.pipeline_per_account = ratio(sums[t].pipeline_sum, sums[t].pipeline_seen);
  }
}

// The planned mix: config.plan when any plan key is set (unset keys are not
// available). Otherwise derived from the caps, filling tiers 1, 2, 3 in turn
// with min(cap, accounts left); an uncapped tier 3 takes all that is left,
// and outside takes what tier 3 could not. An uncapped tier 1 or 2 leaves
// the split unknown, so it and every later tier have no plan. The watchlist
// tier is driven by the matrix, not by capacity, so it has no derived plan.
void fill_plan(const Config& config, const CapacityResult& capacity, std::uint64_t accepted,
               Summary& summary) {
  const bool configured = std::any_of(config.plan.begin(), config.plan.end(),
                                      [](const auto& p) { return p.has_value(); });
  if (configured) {
    for (std::size_t t = 0; t < kTierCount; ++t) summary.tiers[t].plan_share = config.plan[t];
    return;
  }
  if (accepted == 0) return;
  const auto total = static_cast<double>(accepted);
  std::uint64_t left = accepted;
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    const auto& cap = capacity.caps[k];
    if (!cap && k + 1 < kCappedTiers) return;
    const std::uint64_t planned =
        cap ? std::min<std::uint64_t>(static_cast<std::uint64_t>(std::max<std::int64_t>(*cap, 0)), left)
            : left;
    left -= planned;
    summary.tiers[k].plan_share = static_cast<double>(planned) / total;
  }
  summary.tiers[static_cast<std::size_t>(tier_index(Tier::kOutside))].plan_share =
      static_cast<double>(left) / total;
}

// Pooled mode: an owner's share of a pooled cap. With capacity.tierK.max the
// cap is split evenly over the reps (rounded up, so an owner is only flagged
// when clearly above an even share); otherwise it is per_rep.
std::optional<std::int64_t> pooled_owner_cap(const TierCapacity& cap,
                                             const std::optional<std::int64_t>& reps) {
  if (cap.max) {
    if (!reps || *reps <= 0) return std::nullopt;
    return (*cap.max + *reps - 1) / *reps;
  }
  return cap.per_rep;
}

std::vector<OwnerLoad> owner_loads(const AccountTable& table, const CapacityResult& capacity,
                                   const Config& config, bool has_owner_column) {
  std::vector<OwnerLoad> owners;
  if (capacity.per_owner) {
    for (const GroupLoad& g : capacity.groups) {
      OwnerLoad& o = owners.emplace_back();
      o.owner = g.owner == kNoOwner ? std::string() : table.owner_names[g.owner];
      o.count = g.count;
      o.cap = g.cap;
    }
    return owners;
  }
  if (!has_owner_column) return owners;
  owners.resize(table.owner_names.size());
  for (std::size_t k = 0; k < table.owner_names.size(); ++k) owners[k].owner = table.owner_names[k];
  OwnerLoad unowned;  // accounts with no owner: listed, but no rep's cap applies
  bool any_unowned = false;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const bool owned = table.owner[i] != kNoOwner;
    any_unowned = any_unowned || !owned;
    if (!is_capped(table.tier[i])) continue;
    OwnerLoad& o = owned ? owners[table.owner[i]] : unowned;
    ++o.count[static_cast<std::size_t>(tier_index(table.tier[i]))];
  }
  for (OwnerLoad& o : owners)
    for (std::size_t k = 0; k < kCappedTiers; ++k)
      o.cap[k] = pooled_owner_cap(config.capacity[k], capacity.reps);
  if (any_unowned) owners.push_back(unowned);
  return owners;
}

}  // namespace

Summary build_summary(const AccountTable& table, const ReadStats& stats,
                      const CapacityResult& capacity, const Config& config,
                      const SummaryInputs& inputs) {
  Summary summary;
  summary.source = stats.source;
  summary.as_of = format_iso_date(inputs.as_of);
  summary.rows_read = stats.rows_read;
  summary.accepted = stats.accepted;
  summary.rejected = stats.rejected;
  summary.reps = capacity.reps;
  summary.reps_source = std::string(reps_source_name(capacity.reps_source));
  summary.capacity_mode = capacity.per_owner ? "per_owner" : "pooled";
  summary.refresh = inputs.refresh;
  summary.overrides = inputs.overrides;
  summary.overrides_unmatched = inputs.overrides_unmatched;
  summary.empty_intent = stats.empty_intent;
  summary.bad_previous_tier = stats.bad_previous_tier;
  summary.bad_last_touch = stats.bad_last_touch;
  summary.bad_pipeline = stats.bad_pipeline;
  summary.bad_roles = stats.bad_roles;

  scan_table(table, config, inputs.as_of, summary);
  for (std::size_t k = 0; k < kCappedTiers; ++k) summary.tiers[k].cap = capacity.caps[k];
  for (TierStats& s : summary.tiers)
    s.share = summary.accepted == 0 ? 0 : static_cast<double>(s.count) / static_cast<double>(summary.accepted);
  fill_plan(config, capacity, summary.accepted, summary);
  summary.changes.held = summary.changes.promotion_held + summary.changes.demotion_held;
  summary.changes.dropped = inputs.dropped;
  summary.owners = owner_loads(table, capacity, config, stats.has(Column::kOwner));
  summary.alerts = detail::summary_alerts(summary, capacity, config);
  return summary;
}

}  // namespace abmtier
