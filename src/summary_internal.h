// Internals shared by the summary's source files. Not part of the public
// interface.
#pragma once

#include <vector>

#include "abmtier/summary.h"

namespace abmtier::detail {

/// The alerts a summary raises (summary_alerts.cpp), sorted by code.
std::vector<Alert> summary_alerts(const Summary& summary, const CapacityResult& capacity,
                                  const Config& config);

}  // namespace abmtier::detail
