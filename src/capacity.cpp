#include "abmtier/capacity.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <span>
#include <type_traits>
#include <utility>

#include "abmtier/parallel.h"

namespace abmtier {
namespace {

using Index = std::uint32_t;

// Ranking classes (SPEC 6): pinned first, then incumbents, then the rest.
enum RankClass : std::uint8_t { kPinned = 0, kIncumbent = 1, kOther = 2 };

RankClass rank_class(const AccountTable& table, Index i, Tier k, bool refresh) {
  if (table.pinned[i] != Tier::kNone) return kPinned;
  const Tier p = table.previous_tier[i];
  // Incumbent at tier K: previous tier is K or better, 1-3 only (SPEC 10).
  if (!refresh && is_capped(p) && !better(k, p)) return kIncumbent;
  return kOther;
}

// An unsigned key that orders like the double does (ascending): negative
// values have all bits flipped, the others their sign bit set. -0 counts
// as 0, as it compares equal.
std::uint64_t ascending_key(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v + 0.0);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

// The ranking key of one row, compact so that sorting moves little memory
// and rarely looks at the table: composite and fit as ascending keys of
// their negatives (so descending), then bytes of the id as a big-endian
// number (zero-padded, so byte order): those after the bytes every id
// starts with ("ACC-", say), which would tell no id from another. Only
// rows that tie on all three compare their whole ids.
//
// Any fit: 24 bytes, four id bytes.
struct Keyed {
  std::uint64_t composite;
  std::uint64_t fit;
  std::uint32_t id_head;
  Index row;
};
// Fits kept as hundredths (ScoreColumn::compact): the fit takes two bytes
// (10000 less its hundredths), six id bytes follow it in the same word;
// 20 bytes.
#pragma pack(push, 4)
struct PackedKeyed {
  std::uint64_t composite;
  std::uint64_t fit_id;
  Index row;
};
#pragma pack(pop)
static_assert(sizeof(PackedKeyed) == 20);

// How many leading bytes all ids share.
std::size_t shared_id_prefix(const AccountTable& table) {
  if (table.size() == 0) return 0;
  const std::string_view first = table.id_of(0);
  std::size_t shared = first.size();
  for (std::size_t i = 1; i < table.size() && shared != 0; ++i) {
    const std::string_view id = table.id_of(i);
    const std::size_t most = std::min(shared, id.size());
    std::size_t k = 0;
    while (k < most && id[k] == first[k]) ++k;
    shared = k;
  }
  return shared;
}

// `bytes` bytes of the id from byte `skip` on, big-endian, zero-padded.
std::uint64_t id_head(std::string_view id, std::size_t skip, std::size_t bytes) {
  std::uint64_t head = 0;
  for (std::size_t k = skip; k < skip + bytes; ++k)
    head = (head << 8) | (k < id.size() ? static_cast<unsigned char>(id[k]) : 0u);
  return head;
}

template <class Key>
struct KeyedBefore {
  const AccountTable& table;
  bool operator()(const Key& a, const Key& b) const {
    if (a.composite != b.composite) return a.composite < b.composite;
    if constexpr (std::is_same_v<Key, PackedKeyed>) {
      if (a.fit_id != b.fit_id) return a.fit_id < b.fit_id;
    } else {
      if (a.fit != b.fit) return a.fit < b.fit;
      if (a.id_head != b.id_head) return a.id_head < b.id_head;
    }
    if (a.row == b.row) return false;
    const std::string_view x = table.id_of(a.row), y = table.id_of(b.row);
    return x != y ? x < y : a.row < b.row;
  }
};

// All rows by composite descending, then fit descending, then id ascending
// (byte order). Every later ranking is this order, split by class. Empty
// when the table is in that order already (the pipeline sorted its rows).
std::vector<Index> global_order(const AccountTable& table) {
  return table.ranked ? std::vector<Index>() : ranking_order(table);
}
struct Reps {
  std::optional<std::int64_t> value;
  RepsSource source = RepsSource::kUnknown;
};

Reps find_reps(const AccountTable& table, const Config& config,
               std::optional<std::int64_t> reps_flag, bool has_owner_column) {
  if (reps_flag) return {reps_flag, RepsSource::kFlag};
  if (config.reps) return {config.reps, RepsSource::kConfig};
  if (has_owner_column && !table.owner_names.empty())
    return {static_cast<std::int64_t>(table.owner_names.size()), RepsSource::kOwners};
  return {};
}

std::optional<std::int64_t> pooled_cap(const TierCapacity& cap, const Reps& reps) {
  if (cap.max) return cap.max;
  if (cap.per_rep && reps.value) return *cap.per_rep * *reps.value;
  return std::nullopt;
}

// The capacity group of each row: pooled -> 0; per_owner -> the owner's
// index, rows with no owner in a group after the owners'.
struct Groups {
  const AccountTable& table;
  bool per_owner;
  std::size_t count = 1;

  Groups(const AccountTable& t, bool per) : table(t), per_owner(per) {
    if (!per_owner) return;
    const bool any_unowned = std::find(table.owner.begin(), table.owner.end(), kNoOwner) != table.owner.end();
    count = table.owner_names.size() + (any_unowned ? 1 : 0);
  }
  Index of(Index i) const {
    if (!per_owner) return 0;
    return table.owner[i] == kNoOwner ? static_cast<Index>(table.owner_names.size()) : table.owner[i];
  }
};

// Calls fn(i) for every row in global order: `order`, or the rows as they
// are when `order` is empty (the table is in ranking order).
template <class Fn>
void in_global_order(const AccountTable& table, const std::vector<Index>& order, Fn&& fn) {
  if (!order.empty() || table.size() == 0) {
    for (const Index i : order) fn(i);
    return;
  }
  for (Index i = 0; i < table.size(); ++i) fn(i);
}

// Merges two lists that are each in global-order position, then splits the
// result into ranking classes for tier k (stable).
std::vector<Index> rank_candidates(const AccountTable& table, std::vector<Index> fresh,
                                   std::vector<Index> carried, const std::vector<Index>& position,
                                   Tier k, bool refresh) {
  // No positions: the rows are in ranking order already.
  auto by_position = [&](Index a, Index b) { return position.empty() ? a < b : position[a] < position[b]; };
  std::sort(carried.begin(), carried.end(), by_position);
  std::vector<Index> merged(fresh.size() + carried.size());
  std::merge(fresh.begin(), fresh.end(), carried.begin(), carried.end(), merged.begin(), by_position);
  std::stable_partition(merged.begin(), merged.end(),
                        [&](Index i) { return rank_class(table, i, k, refresh) == kPinned; });
  const auto rest = std::find_if(merged.begin(), merged.end(),
                                 [&](Index i) { return table.pinned[i] == Tier::kNone; });
  std::stable_partition(rest, merged.end(),
                        [&](Index i) { return rank_class(table, i, k, refresh) == kIncumbent; });
  return merged;
}

// Runs tiers 1-3 for one group; `members` are its rows in global order.
void gate_group(AccountTable& table, std::span<const Index> members,
                const std::vector<Index>& position, GroupLoad& load, bool refresh) {
  std::vector<Index> carried;
  for (int k = 0; k < kCappedTiers; ++k) {
    const Tier tier = tier_from_index(k);
    std::vector<Index> fresh;
    for (Index i : members)
      if (table.eligible_tier[i] == tier) fresh.push_back(i);
    const auto ranked = rank_candidates(table, std::move(fresh), std::move(carried), position, tier, refresh);
    carried.clear();
    const auto cap = load.cap[static_cast<std::size_t>(k)];
    std::uint64_t placed = 0, waitlisted = 0;
    for (Index i : ranked) {
      const bool pinned = table.pinned[i] != Tier::kNone;
      if (pinned || !cap || placed < static_cast<std::uint64_t>(*cap)) {
        table.tier[i] = tier;
        ++placed;
        load.pinned[static_cast<std::size_t>(k)] += pinned ? 1 : 0;
        continue;
      }
      if (table.waitlist_tier[i] == Tier::kNone) {
        table.waitlist_tier[i] = tier;
        table.waitlist_rank[i] = static_cast<std::uint32_t>(++waitlisted);
      }
      carried.push_back(i);
    }
    load.count[static_cast<std::size_t>(k)] = placed;
    load.waitlisted[static_cast<std::size_t>(k)] = waitlisted;
  }
  for (Index i : carried) table.tier[i] = Tier::kOutside;  // capped out of tier 3
}

// tier_rank: position within the final tier, all groups merged, by the
// ranking key of that tier: its classes in turn, each in `order`. The rows
// of each (tier, class) are counted first, so each row's rank is known as
// `order` is walked again.
void assign_tier_ranks(AccountTable& table, const std::vector<Index>& order, bool refresh) {
  std::array<std::array<std::uint32_t, 3>, kTierCount> next{};
  in_global_order(table, order, [&](Index i) {
    const Tier t = table.tier[i];
    ++next[static_cast<std::size_t>(t)][rank_class(table, i, t, refresh)];
  });
  for (auto& classes : next) {
    std::uint32_t before = 0;
    for (std::uint32_t& count : classes) before += std::exchange(count, before);
  }
  in_global_order(table, order, [&](Index i) {
    const Tier t = table.tier[i];
    table.tier_rank[i] = ++next[static_cast<std::size_t>(t)][rank_class(table, i, t, refresh)];
  });
}

}  // namespace

bool ranks_ahead(const AccountTable& table, std::size_t a, std::size_t b) {
  if (const double x = table.composite_of(a), y = table.composite_of(b); x != y) return x > y;
  if (table.fit[a] != table.fit[b]) return table.fit[a] > table.fit[b];
  return table.id_of(a) < table.id_of(b);
}

namespace {

// ranking_order with keys of type Key, row i's made by key_of(i, skip)
// (`skip`: the bytes every id starts with).
template <class Key, class KeyOf>
std::vector<Index> order_by_keys(const AccountTable& table, KeyOf key_of) {
  const std::size_t n = table.size();
  // Two halves are keyed and sorted on their own threads (the keys are
  // built in row order, so the ids are read front to back); then one
  // thread merges the smaller half of the order from the front while the
  // other merges the larger half from the back. The order is total (the
  // row breaks the last tie), so the two meet exactly.
  constexpr std::size_t kSortInHalvesFrom = std::size_t{1} << 17;
  const std::size_t halves = n >= kSortInHalvesFrom && thread_count() >= 2 ? 2 : 1;
  const std::size_t middle = halves == 2 ? n / 2 : n;
  const KeyedBefore<Key> before{table};
  const std::size_t skip = shared_id_prefix(table);
  std::vector<Key> keyed(n);
  for_each_part(halves, [&](std::size_t p) {
    const std::size_t begin = p == 0 ? 0 : middle, end = p == 0 ? middle : n;
    for (std::size_t i = begin; i < end; ++i) keyed[i] = key_of(i, skip);
    std::sort(keyed.begin() + static_cast<std::ptrdiff_t>(begin), keyed.begin() + static_cast<std::ptrdiff_t>(end),
              before);
  });
  std::vector<Index> order(n);
  if (halves == 1) {
    for (std::size_t k = 0; k < n; ++k) order[k] = keyed[k].row;
    return order;
  }
  const std::size_t front = n / 2;  // rows the front merge places
  for_each_part(2, [&](std::size_t p) {
    if (p == 0) {
      std::size_t a = 0, b = middle;
      for (std::size_t k = 0; k < front; ++k)
        order[k] = b == n || (a < middle && before(keyed[a], keyed[b])) ? keyed[a++].row : keyed[b++].row;
    } else {
      std::size_t a = middle, b = n;  // one past the largest left in each half
      for (std::size_t k = n; k > front; --k)
        order[k - 1] = b == middle || (a > 0 && before(keyed[b - 1], keyed[a - 1])) ? keyed[--a].row : keyed[--b].row;
    }
  });
  return order;
}

}  // namespace

std::vector<std::uint32_t> ranking_order(const AccountTable& table) {
  if (table.fit.compact()) {
    return order_by_keys<PackedKeyed>(table, [&](std::size_t i, std::size_t skip) {
      const auto fit = static_cast<std::uint64_t>(10000 - ScoreColumn::hundredths_of(table.fit[i]));
      return PackedKeyed{~ascending_key(table.composite_of(i)), fit << 48 | id_head(table.id_of(i), skip, 6),
                         static_cast<Index>(i)};
    });
  }
  return order_by_keys<Keyed>(table, [&](std::size_t i, std::size_t skip) {
    return Keyed{~ascending_key(table.composite_of(i)), ~ascending_key(table.fit[i]),
                 static_cast<std::uint32_t>(id_head(table.id_of(i), skip, 4)), static_cast<Index>(i)};
  });
}

CapacityResult apply_capacity(AccountTable& table, const Config& config,
                              std::optional<std::int64_t> reps_flag, bool has_owner_column,
                              bool refresh) {
  const std::size_t n = table.size();
  CapacityResult result;
  const Reps reps = find_reps(table, config, reps_flag, has_owner_column);
  result.reps = reps.value;
  result.reps_source = reps.source;
  result.per_owner = config.capacity_mode == CapacityMode::kPerOwner;

  const Groups groups(table, result.per_owner);
  const std::size_t group_count = groups.count;
  result.groups.resize(group_count);
  for (std::size_t g = 0; g < group_count; ++g) {
    GroupLoad& load = result.groups[g];
    load.owner = result.per_owner && g < table.owner_names.size() ? static_cast<std::uint32_t>(g) : kNoOwner;
    for (std::size_t k = 0; k < kCappedTiers; ++k)
      load.cap[k] = result.per_owner ? config.capacity[k].per_rep : pooled_cap(config.capacity[k], reps);
  }
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    const auto per_group = result.groups.empty() ? std::nullopt : result.groups.front().cap[k];
    if (per_group && result.per_owner)
      result.caps[k] = *per_group * static_cast<std::int64_t>(group_count);
    else if (!result.per_owner)
      result.caps[k] = pooled_cap(config.capacity[k], reps);
  }

  table.tier.assign(n, Tier::kNone);
  table.tier_rank.assign(n, 0);
  table.waitlist_tier.assign(n, Tier::kNone);
  table.waitlist_rank.assign(n, 0);
  const auto order = global_order(table);
  // Each row's place in the ranking (none needed when the rows are in
  // ranking order).
  std::vector<Index> position(order.size());
  for (std::size_t r = 0; r < position.size(); ++r) position[order[r]] = static_cast<Index>(r);

  // The members of each group in global order, in one array: group g's
  // are members[start[g]..start[g + 1]).
  std::vector<std::size_t> start(group_count + 1, 0);
  in_global_order(table, order, [&](Index i) {
    if (is_capped(table.eligible_tier[i]))
      ++start[groups.of(i) + 1];
    else
      table.tier[i] = table.eligible_tier[i];  // watchlist and outside use no capacity
  });
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<Index> members(start.back());
  {
    std::vector<std::size_t> at(start.begin(), start.end() - 1);
    in_global_order(table, order, [&](Index i) {
      if (is_capped(table.eligible_tier[i])) members[at[groups.of(i)]++] = i;
    });
  }
  // Groups share no rows, so they are gated on all threads at once (each
  // writes only its own rows' tier and waitlist columns and its own load).
  for_each_part(group_count, [&](std::size_t g) {
    gate_group(table, std::span<const Index>(members.data() + start[g], start[g + 1] - start[g]), position,
               result.groups[g], refresh);
  });
  assign_tier_ranks(table, order, refresh);
  return result;
}

}  // namespace abmtier
