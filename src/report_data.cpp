// The report's one pass over the account table: matrix cells, composite
// histograms and tier flows. Memory does not grow with the number of rows.
#include <cmath>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

bool filled(const AccountTable& table) {
  const std::size_t n = table.size();
  return table.tier.size() == n && table.fit_band.size() == n && table.intent_band.size() == n &&
         table.fit.size() == n && table.previous_tier.size() == n;
}

std::size_t composite_bin(double composite) {
  // NaN cannot occur after scoring; treat it like 0 rather than crash.
  if (!(composite > 0)) return 0;
  const double bin = std::floor(composite / 10.0);
  return bin >= kCompositeBins - 1 ? kCompositeBins - 1 : static_cast<std::size_t>(bin);
}

bool is_real(Tier t) { return tier_index(t) < kTierCount; }

}  // namespace

ReportData aggregate(const AccountTable& table) {
  ReportData data;
  if (!filled(table)) return data;
  data.complete = true;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Tier tier = table.tier[i];
    if (!is_real(tier)) continue;
    const auto t = static_cast<std::size_t>(tier_index(tier));
    const auto fit = static_cast<std::size_t>(table.fit_band[i]);
    const auto intent = static_cast<std::size_t>(table.intent_band[i]);
    if (fit < kBandCount && intent < kBandCount) ++data.cells[fit][intent];
    ++data.bins[t][composite_bin(table.composite_of(i))];
    const Tier previous = table.previous_tier[i];
    const bool has_previous = is_real(previous);
    data.has_previous = data.has_previous || has_previous;
    const auto row = static_cast<std::size_t>(has_previous ? tier_index(previous) : kNoPreviousRow);
    ++data.flows[row][t];
  }
  return data;
}

}  // namespace abmtier::report_detail
