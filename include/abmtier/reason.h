// The `reason` column: one plain sentence a salesperson understands.
#pragma once

#include <cstddef>
#include <string>

#include <fmt/format.h>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"

namespace abmtier {

/// E.g. "High fit and high intent; tier 1 full for owner Dana (8/8):
/// waitlisted #3, worked as tier 2". Reads only finished columns of row i.
std::string reason_for(const AccountTable& table, std::size_t i, const Config& config,
                       const CapacityResult& capacity);

/// The same sentence appended to `out` (no allocation beyond the buffer's
/// own growth): what the writer calls once per row.
void append_reason(fmt::memory_buffer& out, const AccountTable& table, std::size_t i,
                   const Config& config, const CapacityResult& capacity);

}  // namespace abmtier
