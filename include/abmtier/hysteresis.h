// Hysteresis: keep tiers stable between runs (SPEC 5).
#pragma once

#include <cstdint>

#include "abmtier/account.h"
#include "abmtier/config.h"

namespace abmtier {

/// What hysteresis did to one account.
enum class HysteresisOutcome : std::uint8_t {
  kNone = 0,          ///< no previous tier, pinned, --refresh, or same tier as before
  kPromoted,          ///< reached its (better) matrix tier
  kPromotedPartly,    ///< promoted, but only to an intermediate tier
  kPromotionHeld,     ///< stayed at its previous tier: no promote_at reached
  kDemoted,           ///< fell to its (worse) matrix tier
  kDemotedPartly,     ///< fell, but only to an intermediate tier
  kDemotionHeld,      ///< stayed: composite still >= previous tier's demote_below
};

/// The eligible tier of one account given its matrix tier `m`, previous tier
/// `p` (kNone = none) and composite; `outcome` says which branch applied.
Tier eligible_tier(Tier m, Tier p, double composite, const Config& config,
                   HysteresisOutcome& outcome);

/// Fills eligible_tier and hysteresis for every row. Pinned rows take their
/// pin; with `refresh`, previous tiers are ignored.
void apply_hysteresis(AccountTable& table, const Config& config, bool refresh);

}  // namespace abmtier
