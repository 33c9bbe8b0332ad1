// The capacity gate: caps, cascade and waitlist (SPEC 6).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/config.h"

namespace abmtier {

/// Where the number of reps came from.
enum class RepsSource : std::uint8_t { kFlag, kConfig, kOwners, kUnknown };

/// Load of one capacity group (pooled: the one group; per_owner: one owner,
/// or the accounts with no owner).
struct GroupLoad {
  std::uint32_t owner = kNoOwner;  ///< owner index; kNoOwner for the no-owner group (or pooled)
  std::array<std::uint64_t, kCappedTiers> count{};       ///< accounts placed per tier
  std::array<std::optional<std::int64_t>, kCappedTiers> cap{};  ///< unset = unlimited
  std::array<std::uint64_t, kCappedTiers> waitlisted{};  ///< capped out of each tier
  std::array<std::uint64_t, kCappedTiers> pinned{};      ///< pins placed per tier
};

struct CapacityResult {
  std::optional<std::int64_t> reps;
  RepsSource reps_source = RepsSource::kUnknown;
  /// Total cap per tier across groups (pooled: the cap; per_owner: per_rep
  /// times groups); unset = unlimited.
  std::array<std::optional<std::int64_t>, kCappedTiers> caps{};
  std::vector<GroupLoad> groups;  ///< pooled: one; per_owner: owners in first-seen order, then no-owner
  bool per_owner = false;
};

/// True when row a ranks ahead of row b in the gate's ranking key:
/// composite descending, then fit descending, then id ascending (byte
/// order). Pins and incumbents go first on top of this (SPEC 6).
bool ranks_ahead(const AccountTable& table, std::size_t a, std::size_t b);

/// All rows in that ranking key's order (the table must be scored).
std::vector<std::uint32_t> ranking_order(const AccountTable& table);

/// Runs the gate: fills tier, tier_rank, waitlist_tier and waitlist_rank.
/// `reps_flag` is --reps when given; `has_owner_column` says whether the
/// input had an owner column (for counting reps). With `refresh`, previous
/// tiers give no incumbency.
CapacityResult apply_capacity(AccountTable& table, const Config& config,
                              std::optional<std::int64_t> reps_flag, bool has_owner_column,
                              bool refresh);

}  // namespace abmtier
