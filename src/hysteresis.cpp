#include "abmtier/hysteresis.h"

namespace abmtier {
namespace {

const TierHysteresis* thresholds(Tier t, const Config& config) {
  return is_capped(t) ? &config.hysteresis[static_cast<std::size_t>(t)] : nullptr;
}

bool may_promote_into(Tier t, double composite, const Config& config) {
  const TierHysteresis* h = thresholds(t, config);
  return h == nullptr || !h->promote_at || *h->promote_at <= composite;
}

// Promotion: the best tier t with m <= t < p whose promote_at is unset or
// reached; none -> held at p.
Tier promote(Tier m, Tier p, double composite, const Config& config, HysteresisOutcome& outcome) {
  for (int t = tier_index(m); t < tier_index(p); ++t) {
    if (may_promote_into(tier_from_index(t), composite, config)) {
      outcome = t == tier_index(m) ? HysteresisOutcome::kPromoted : HysteresisOutcome::kPromotedPartly;
      return tier_from_index(t);
    }
  }
  outcome = HysteresisOutcome::kPromotionHeld;
  return p;
}

// Demotion: held at p while composite >= p.demote_below; else the best tier
// t with p < t < m whose demote_below is set and reached; else m.
Tier demote(Tier m, Tier p, double composite, const Config& config, HysteresisOutcome& outcome) {
  const TierHysteresis* held = thresholds(p, config);
  if (held != nullptr && held->demote_below && composite >= *held->demote_below) {
    outcome = HysteresisOutcome::kDemotionHeld;
    return p;
  }
  for (int t = tier_index(p) + 1; t < tier_index(m); ++t) {
    const TierHysteresis* h = thresholds(tier_from_index(t), config);
    if (h != nullptr && h->demote_below && *h->demote_below <= composite) {
      outcome = HysteresisOutcome::kDemotedPartly;
      return tier_from_index(t);
    }
  }
  outcome = HysteresisOutcome::kDemoted;
  return m;
}

}  // namespace

Tier eligible_tier(Tier m, Tier p, double composite, const Config& config,
                   HysteresisOutcome& outcome) {
  outcome = HysteresisOutcome::kNone;
  if (p == Tier::kNone || p == m) return m;
  if (better(m, p)) return promote(m, p, composite, config, outcome);
  return demote(m, p, composite, config, outcome);
}

void apply_hysteresis(AccountTable& table, const Config& config, bool refresh) {
  const std::size_t n = table.size();
  table.eligible_tier.resize(n);
  table.hysteresis.assign(n, static_cast<std::uint8_t>(HysteresisOutcome::kNone));
  for (std::size_t i = 0; i < n; ++i) {
    if (table.pinned[i] != Tier::kNone) {
      table.eligible_tier[i] = table.pinned[i];  // pins bypass hysteresis
      continue;
    }
    const Tier previous = refresh ? Tier::kNone : table.previous_tier[i];
    HysteresisOutcome outcome = HysteresisOutcome::kNone;
    table.eligible_tier[i] = eligible_tier(table.matrix_tier[i], previous, table.composite_of(i), config, outcome);
    table.hysteresis[i] = static_cast<std::uint8_t>(outcome);
  }
}

}  // namespace abmtier
