// The HTML report (--report FILE.html): one self-contained page with inline
// SVG charts of the tier mix, the fit x intent matrix, owner load, composite
// distributions, tier flows, the five metrics and the alerts.
#pragma once

#include <string>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/summary.h"

namespace abmtier {

/// Renders the report for a finished run. The page needs no network (no
/// external scripts, styles or fonts), reads well on a laptop screen and
/// prints on A4. Deterministic: the same run gives the same bytes.
std::string render_report(const AccountTable& table, const Summary& summary, const Config& config,
                          const CapacityResult& capacity);

}  // namespace abmtier
