// The tier matrix: score bands crossed into a tier, and the watchlist flag
// (SPEC 4).
#pragma once

#include "abmtier/account.h"
#include "abmtier/config.h"

namespace abmtier {

/// high if score >= spec.high, mid if score >= spec.mid, else low.
Band band_of(double score, const BandSpec& spec);

/// Fills fit_band, intent_band, matrix_tier and watchlist for every row.
void apply_matrix(AccountTable& table, const Config& config);

}  // namespace abmtier
