// The alerts of a run summary: stable codes (docs/summary.md lists them, with
// their triggers and what to do), each raised at most once per run, sorted
// by code so the output does not depend on the order they were found in.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <string_view>

#include "abmtier/summary.h"
#include "summary_internal.h"

namespace abmtier {
namespace {

/// Below these shares, tier 1 raises an alert (SPEC 8).
constexpr double kMinTier1Coverage = 0.70;
constexpr double kMinTier1Penetration = 0.50;
/// Alerts that list owners or groups name at most this many.
constexpr std::size_t kMaxListed = 5;

std::string owner_words(std::string_view owner) {
  return owner.empty() ? std::string("accounts with no owner") : fmt::format("owner {}", owner);
}

// "a, b, c and 4 more".
std::string listing(const std::vector<std::string>& items) {
  std::string out;
  const std::size_t shown = std::min(items.size(), kMaxListed);
  for (std::size_t i = 0; i < shown; ++i) out += (i == 0 ? "" : "; ") + items[i];
  if (items.size() > shown) out += fmt::format("; and {} more", items.size() - shown);
  return out;
}

void uncapped_tier1(const Summary& s, const CapacityResult& capacity, const Config& config,
                    std::vector<Alert>& out) {
  // In per_owner mode every group's cap is per_rep; with no groups at all
  // (no accounts) the total is unset although the config caps tier 1.
  const bool uncapped = capacity.per_owner ? !config.capacity[0].per_rep : !s.tiers[0].cap;
  if (!uncapped) return;
  const char* fix = capacity.per_owner
                        ? "set capacity.tier1.per_rep"
                        : "set capacity.tier1.max, or capacity.tier1.per_rep with --reps or capacity.reps";
  out.push_back({"uncapped_tier1",
                 fmt::format("tier 1 has no cap (infinite tier 1): all {} accounts that qualify are "
                             "tier 1; {}",
                             s.tiers[0].count, fix)});
}

void reps_unknown(const CapacityResult& capacity, const Config& config, std::vector<Alert>& out) {
  if (capacity.per_owner || capacity.reps) return;
  std::vector<std::string> tiers;
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    if (!config.capacity[k].max && config.capacity[k].per_rep) tiers.push_back(fmt::format("{}", k + 1));
  if (tiers.empty()) return;
  out.push_back({"reps_unknown",
                 fmt::format("the number of reps is unknown (no --reps, no capacity.reps, and no "
                             "owners in the input), so the per-rep cap of tier {} cannot be computed "
                             "and is unlimited; pass --reps N or set capacity.reps",
                             fmt::join(tiers, ", "))});
}

void pins_over_capacity(const Summary& s, const CapacityResult& capacity, std::vector<Alert>& out) {
  std::vector<std::string> items;
  for (std::size_t g = 0; g < capacity.groups.size(); ++g) {
    const GroupLoad& load = capacity.groups[g];
    for (std::size_t k = 0; k < kCappedTiers; ++k) {
      if (!load.cap[k] || static_cast<std::int64_t>(load.pinned[k]) <= *load.cap[k]) continue;
      const std::string who =
          capacity.per_owner && g < s.owners.size() ? owner_words(s.owners[g].owner) + ", " : "";
      items.push_back(fmt::format("{}tier {}: {} pinned, cap {}", who, k + 1, load.pinned[k], *load.cap[k]));
    }
  }
  if (items.empty()) return;
  out.push_back({"pins_over_capacity",
                 fmt::format("pinned accounts exceed the cap ({}); pins are never cascaded, so these "
                             "tiers are over capacity: remove pins from the overrides file or raise "
                             "the cap",
                             listing(items))});
}

void owner_over_capacity(const Summary& s, const CapacityResult& capacity, std::vector<Alert>& out) {
  if (capacity.per_owner) return;  // per_owner groups cannot exceed their cap, except by pins
  std::vector<std::string> items;
  for (const OwnerLoad& o : s.owners)
    if (o.cap[0] && static_cast<std::int64_t>(o.count[0]) > *o.cap[0])
      items.push_back(fmt::format("{} {}/{}", o.owner, o.count[0], *o.cap[0]));
  if (items.empty()) return;
  out.push_back({"owner_over_capacity",
                 fmt::format("{} owner(s) hold more tier 1 accounts than their per-rep share of the "
                             "pooled cap ({}); rebalance account ownership or set capacity.mode to "
                             "per_owner",
                             items.size(), listing(items))});
}

void tier1_metrics(const Summary& s, const Config& config, std::vector<Alert>& out) {
  const TierStats& t1 = s.tiers[0];
  if (t1.coverage && *t1.coverage < kMinTier1Coverage)
    out.push_back({"tier1_coverage_low",
                   fmt::format("only {:.1f}% of tier 1 accounts were touched in the {} days up to {} "
                               "(alert below {:.0f}%); their owners need to reach out",
                               *t1.coverage * 100, config.coverage_window_days, s.as_of,
                               kMinTier1Coverage * 100)});
  if (t1.penetration && *t1.penetration < kMinTier1Penetration)
    out.push_back({"tier1_penetration_low",
                   fmt::format("tier 1 penetration is {:.1f}% (alert below {:.0f}%): on average less "
                               "than half of each buying committee is engaged; reach more of the "
                               "buying roles",
                               *t1.penetration * 100, kMinTier1Penetration * 100)});
}

void counts(const Summary& s, std::vector<Alert>& out) {
  if (s.changes.dropped > 0)
    out.push_back({"accounts_dropped",
                   fmt::format("{} account(s) of the previous run are not in this export and left "
                               "the programme; check that the export is complete",
                               s.changes.dropped)});
  if (s.overrides_unmatched > 0)
    out.push_back({"overrides_unmatched",
                   fmt::format("{} override(s) name an id that is not among the accepted accounts "
                               "of this export; fix or remove them in the overrides file",
                               s.overrides_unmatched)});
}

// Only tiers with an explicit `plan` share: a plan derived from the caps is
// a ceiling, not a target, so falling short of it is no alarm.
void tier_mix(const Summary& s, const Config& config, std::vector<Alert>& out) {
  std::vector<std::string> items;
  for (std::size_t t = 0; t < s.tiers.size(); ++t) {
    if (!config.plan[t] || s.accepted == 0) continue;
    const double off = (s.tiers[t].share - *config.plan[t]) * 100;
    if (std::abs(off) > config.tier_mix_points)
      items.push_back(fmt::format("{} {:.1f}% vs plan {:.1f}%", (t < kCappedTiers ? fmt::format("tier {}", tier_name(tier_from_index(static_cast<int>(t)))) : std::string(tier_name(tier_from_index(static_cast<int>(t))))), s.tiers[t].share * 100,
                                  *config.plan[t] * 100));
  }
  if (!items.empty())
    out.push_back({"tier_mix_off_plan",
                   fmt::format("the tier mix is more than {} points off plan: {}; review the caps "
                               "or the plan",
                               config.tier_mix_points, listing(items))});
}

void pin_budget(const Summary& s, const CapacityResult& capacity, const Config& config,
                std::vector<Alert>& out) {
  if (!config.max_pin_share_tier1 || s.tiers[0].count == 0) return;
  std::uint64_t pinned = 0;
  for (const GroupLoad& g : capacity.groups) pinned += g.pinned[0];
  const double share = static_cast<double>(pinned) / static_cast<double>(s.tiers[0].count);
  if (share > *config.max_pin_share_tier1)
    out.push_back({"overrides_over_budget",
                   fmt::format("{} of {} tier 1 accounts ({:.1f}%) are pinned by override, over the "
                               "budget of {:.1f}% (overrides.max_share_tier1); let some pins go",
                               pinned, s.tiers[0].count, share * 100,
                               *config.max_pin_share_tier1 * 100)});
}

}  // namespace

const std::vector<std::string_view>& alert_codes() {
  static const std::vector<std::string_view> kCodes{
      "accounts_dropped",    "overrides_over_budget", "overrides_unmatched",
      "owner_over_capacity", "pins_over_capacity",    "reps_unknown",
      "tier1_coverage_low",  "tier1_penetration_low", "tier_mix_off_plan",
      "uncapped_tier1"};
  return kCodes;
}

namespace detail {

std::vector<Alert> summary_alerts(const Summary& summary, const CapacityResult& capacity,
                                  const Config& config) {
  std::vector<Alert> out;
  uncapped_tier1(summary, capacity, config, out);
  reps_unknown(capacity, config, out);
  pins_over_capacity(summary, capacity, out);
  owner_over_capacity(summary, capacity, out);
  tier1_metrics(summary, config, out);
  counts(summary, out);
  tier_mix(summary, config, out);
  pin_budget(summary, capacity, config, out);
  std::stable_sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) { return a.code < b.code; });
  return out;
}

}  // namespace detail
}  // namespace abmtier
