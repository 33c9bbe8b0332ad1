#include "abmtier/matrix.h"

namespace abmtier {

Band band_of(double score, const BandSpec& spec) {
  if (score >= spec.high) return Band::kHigh;
  if (score >= spec.mid) return Band::kMid;
  return Band::kLow;
}

void apply_matrix(AccountTable& table, const Config& config) {
  const std::size_t n = table.size();
  table.fit_band.resize(n);
  table.intent_band.resize(n);
  table.matrix_tier.resize(n);
  table.watchlist.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Band fit = band_of(table.fit[i], config.fit_bands);
    const Band intent = band_of(table.intent[i], config.intent_bands);
    table.fit_band[i] = fit;
    table.intent_band[i] = intent;
    table.matrix_tier[i] =
        config.matrix[static_cast<std::size_t>(fit)][static_cast<std::size_t>(intent)];
    // The flag marks ICP-fit accounts with no current intent, whatever the
    // matrix or a pin says (SPEC 10).
    table.watchlist[i] = fit == Band::kHigh && intent == Band::kLow ? 1 : 0;
  }
}

}  // namespace abmtier
