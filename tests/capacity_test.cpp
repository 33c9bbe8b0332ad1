#include <catch2/catch.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "abmtier/capacity.h"
#include "abmtier/hysteresis.h"
#include "abmtier/parallel.h"
#include "test_support.h"

using namespace abmtier;
using test::Row;

namespace {

// Runs hysteresis and the gate on rows with a tier-1 cap of `tier1` (pooled,
// via capacity.tier1.max) and an optional tier-2 cap.
struct Gate {
  AccountTable table;
  CapacityResult result;
  Tier tier(std::string_view id) const { return table.tier[test::row_of(table, id)]; }
  std::size_t at(std::string_view id) const { return test::row_of(table, id); }
};

Gate run_gate(const std::vector<Row>& rows, Config config, bool refresh = false,
              std::optional<std::int64_t> reps = std::nullopt) {
  Gate g{test::make_table(rows, config), {}};
  apply_hysteresis(g.table, config, refresh);
  g.result = apply_capacity(g.table, config, reps, true, refresh);
  return g;
}

Config caps(std::optional<std::int64_t> t1, std::optional<std::int64_t> t2 = std::nullopt,
            std::optional<std::int64_t> t3 = std::nullopt) {
  Config c;
  c.capacity[0] = {t1, std::nullopt};
  c.capacity[1] = {t2, std::nullopt};
  c.capacity[2] = {t3, std::nullopt};
  return c;
}

}  // namespace

TEST_CASE("capacity: ties break by composite, then fit, then id", "[capacity]") {
  // All tier 1. b and c tie on composite (0.6*90+0.4*75 = 84 = 0.6*80+0.4*90);
  // b has the higher fit. d and e tie on everything; id decides.
  const auto g = run_gate({{"c", 80, 90}, {"b", 90, 75}, {"e", 85, 85}, {"d", 85, 85}, {"a", 99, 99}},
                          caps(3));
  CHECK(g.tier("a") == Tier::k1);
  CHECK(g.tier("d") == Tier::k1);  // 85 composite
  CHECK(g.tier("e") == Tier::k1);
  CHECK(g.tier("b") == Tier::k2);  // 84, fit 90: first waitlisted
  CHECK(g.tier("c") == Tier::k2);
  CHECK(g.table.tier_rank[g.at("a")] == 1);
  CHECK(g.table.tier_rank[g.at("d")] == 2);
  CHECK(g.table.tier_rank[g.at("e")] == 3);
  CHECK(g.table.waitlist_rank[g.at("b")] == 1);
  CHECK(g.table.waitlist_rank[g.at("c")] == 2);
  CHECK(g.table.waitlist_tier[g.at("b")] == Tier::k1);
}

TEST_CASE("capacity: ids tie-break in byte order", "[capacity]") {
  const auto g = run_gate({{"b", 80, 80}, {"B", 80, 80}, {"a", 80, 80}}, caps(1));
  CHECK(g.tier("B") == Tier::k1);  // 'B' (0x42) < 'a' < 'b'
  CHECK(g.table.waitlist_rank[g.at("a")] == 1);
  CHECK(g.table.waitlist_rank[g.at("b")] == 2);
}

TEST_CASE("capacity: zero capacity sends everyone down", "[capacity]") {
  const auto g = run_gate({{"a", 90, 90}, {"b", 80, 80}}, caps(0, 0, 1));
  CHECK(g.tier("a") == Tier::k3);
  CHECK(g.tier("b") == Tier::kOutside);
  CHECK(g.table.waitlist_tier[g.at("b")] == Tier::k1);  // the best tier it was capped out of
  CHECK(g.result.groups[0].count[0] == 0);
  CHECK(g.result.groups[0].waitlisted[0] == 2);
  CHECK(g.result.groups[0].waitlisted[1] == 0);  // already waitlisted for tier 1
}

TEST_CASE("capacity: exactly reaching the cap waitlists nobody", "[capacity]") {
  const auto g = run_gate({{"a", 90, 90}, {"b", 80, 80}}, caps(2));
  CHECK(g.tier("a") == Tier::k1);
  CHECK(g.tier("b") == Tier::k1);
  CHECK(g.table.waitlist_tier[g.at("b")] == Tier::kNone);
  CHECK(g.table.waitlist_rank[g.at("b")] == 0);
}

TEST_CASE("capacity: cascade from tier 1 through tier 3 to outside", "[capacity]") {
  // five tier-1 accounts, one slot per tier: 1, 2, 3, then two outside
  const auto g = run_gate({{"a", 99, 99}, {"b", 95, 95}, {"c", 90, 90}, {"d", 85, 85}, {"e", 80, 80}},
                          caps(1, 1, 1));
  CHECK(g.tier("a") == Tier::k1);
  CHECK(g.tier("b") == Tier::k2);
  CHECK(g.tier("c") == Tier::k3);
  CHECK(g.tier("d") == Tier::kOutside);
  CHECK(g.tier("e") == Tier::kOutside);
  for (const char* id : {"b", "c", "d", "e"}) CHECK(g.table.waitlist_tier[g.at(id)] == Tier::k1);
  CHECK(g.table.waitlist_rank[g.at("e")] == 4);
  CHECK(g.table.tier_rank[g.at("d")] == 1);
  CHECK(g.table.tier_rank[g.at("e")] == 2);
}

TEST_CASE("capacity: cascaded accounts compete with the tier's own candidates", "[capacity]") {
  // tier 2 has one slot: the cascaded tier-1 account (composite 90) beats a
  // native tier-2 account (fit 80, intent 50: composite 68); the native one
  // waitlists for tier 2 with rank 1.
  const auto g = run_gate({{"a", 99, 99}, {"b", 90, 90}, {"n", 80, 50}}, caps(1, 1));
  CHECK(g.tier("b") == Tier::k2);
  CHECK(g.tier("n") == Tier::k3);
  CHECK(g.table.waitlist_tier[g.at("n")] == Tier::k2);
  CHECK(g.table.waitlist_rank[g.at("n")] == 1);
  CHECK(g.table.waitlist_rank[g.at("b")] == 1);  // its own list: tier 1
}

TEST_CASE("capacity: per_owner groups, including accounts with no owner", "[capacity]") {
  Config config;
  config.capacity_mode = CapacityMode::kPerOwner;
  config.capacity[0] = {std::nullopt, 1};
  config.capacity[1] = {std::nullopt, 1};
  const auto g = run_gate({{"a1", 99, 99, "Ann"}, {"a2", 95, 95, "Ann"}, {"a3", 94, 94, "Ann"},
                           {"b1", 80, 80, "Bob"}, {"x1", 90, 90, ""}, {"x2", 85, 85, ""}},
                          config);
  CHECK(g.tier("a1") == Tier::k1);
  CHECK(g.tier("a2") == Tier::k2);
  CHECK(g.tier("a3") == Tier::k3);
  CHECK(g.tier("b1") == Tier::k1);  // Bob's slot, though a2 scores higher
  CHECK(g.tier("x1") == Tier::k1);  // the no-owner group gets per_rep too
  CHECK(g.tier("x2") == Tier::k2);
  CHECK(g.table.waitlist_rank[g.at("a3")] == 2);
  CHECK(g.table.waitlist_rank[g.at("x2")] == 1);
  REQUIRE(g.result.groups.size() == 3);
  CHECK(g.result.groups[2].owner == kNoOwner);
  CHECK(g.result.caps[0] == 3);  // per_rep x groups
  // tier_rank merges the groups: a1 (99), x1 (90), b1 (80)
  CHECK(g.table.tier_rank[g.at("a1")] == 1);
  CHECK(g.table.tier_rank[g.at("x1")] == 2);
  CHECK(g.table.tier_rank[g.at("b1")] == 3);
}

TEST_CASE("capacity: pins rank first, are never cascaded, and may exceed the cap", "[capacity]") {
  const auto g = run_gate({{"a", 99, 99}, {"p1", 10, 10, "", Tier::kNone, Tier::k1},
                           {"p2", 20, 20, "", Tier::kNone, Tier::k1}},
                          caps(1));
  CHECK(g.tier("p1") == Tier::k1);
  CHECK(g.tier("p2") == Tier::k1);
  CHECK(g.tier("a") == Tier::k2);  // the pins took (more than) the slot
  CHECK(g.table.tier_rank[g.at("p2")] == 1);  // pins by composite among themselves
  CHECK(g.table.tier_rank[g.at("p1")] == 2);
  CHECK(g.result.groups[0].pinned[0] == 2);
  CHECK(g.result.groups[0].count[0] == 2);
}

TEST_CASE("capacity: incumbents rank before newcomers, not under --refresh", "[capacity]") {
  // i: previous tier 1, held there (composite 76 >= 70); n: new at 90.
  const std::vector<Row> rows{{"n", 90, 90}, {"i", 80, 70, "", Tier::k1}};
  const auto held = run_gate(rows, caps(1));
  CHECK(held.tier("i") == Tier::k1);
  CHECK(held.tier("n") == Tier::k2);
  const auto refreshed = run_gate(rows, caps(1), true);
  CHECK(refreshed.tier("n") == Tier::k1);
  CHECK(refreshed.tier("i") == Tier::k2);
}

TEST_CASE("capacity: reps from the flag, the config, then the owners", "[capacity]") {
  Config config;  // per_rep 8 / 60, pooled
  const std::vector<Row> rows{{"a", 90, 90, "Ann"}, {"b", 90, 90, "Bob"}};
  auto g = run_gate(rows, config);
  CHECK(g.result.reps_source == RepsSource::kOwners);
  CHECK(g.result.caps[0] == 16);
  CHECK_FALSE(g.result.caps[2].has_value());
  config.reps = 3;
  g = run_gate(rows, config);
  CHECK(g.result.reps_source == RepsSource::kConfig);
  CHECK(g.result.caps[1] == 180);
  g = run_gate(rows, config, false, 1);
  CHECK(g.result.reps_source == RepsSource::kFlag);
  CHECK(g.result.caps[0] == 8);
}

TEST_CASE("capacity: unknown reps leave per-rep caps unlimited", "[capacity]") {
  AccountTable t = test::make_table({{"a", 90, 90}, {"b", 90, 90}});
  apply_hysteresis(t, Config{}, false);
  const auto r = apply_capacity(t, Config{}, std::nullopt, false, false);
  CHECK(r.reps_source == RepsSource::kUnknown);
  CHECK_FALSE(r.caps[0].has_value());
  CHECK(t.tier[0] == Tier::k1);
  CHECK(t.tier[1] == Tier::k1);
}

TEST_CASE("capacity: watchlist and outside use no capacity and keep their order", "[capacity]") {
  Config config = caps(0, 0, 0);
  config.matrix[0][2] = Tier::kWatchlist;
  config.matrix[2][2] = Tier::kOutside;
  const auto g = run_gate({{"w1", 80, 10}, {"w2", 90, 10}, {"o", 10, 10}}, config);
  CHECK(g.tier("w1") == Tier::kWatchlist);
  CHECK(g.tier("o") == Tier::kOutside);
  CHECK(g.table.tier_rank[g.at("w2")] == 1);
  CHECK(g.table.tier_rank[g.at("w1")] == 2);
  CHECK(g.table.waitlist_tier[g.at("w1")] == Tier::kNone);
}

TEST_CASE("capacity: the ranking order sorted in halves on two threads is one thread's", "[capacity][threads]") {
  // Above the size sorted in halves, with many exact ties on composite and
  // fit, and ids that share their first eight bytes (so the text decides).
  // Fits as hundredths (20-byte keys) and as doubles (24-byte keys).
  const bool hundredths = GENERATE(true, false);
  std::vector<Row> rows;
  constexpr int kRows = 200000;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    const int pick = (i * 7919) % kRows;
    // A third with composites of their own.
    const double fit = pick % 3 == 1 ? (pick % 9973) / (hundredths ? 100.0 : 99.73) : 10.0 * (pick % 5);
    rows.emplace_back(fmt::format("ACCOUNT-{}", pick % 3 == 0 ? pick : kRows - pick), fit, 10.0 * (pick % 3));
  }
  const AccountTable table = test::make_table(rows);
  REQUIRE(table.fit.compact() == hundredths);
  set_thread_count(1);
  const std::vector<std::uint32_t> one = ranking_order(table);
  set_thread_count(2);
  const std::vector<std::uint32_t> two = ranking_order(table);
  set_thread_count(0);
  REQUIRE(one.size() == static_cast<std::size_t>(kRows));
  CHECK(one == two);
  bool sorted = true;
  for (std::size_t k = 1; k < one.size() && sorted; ++k) sorted = ranks_ahead(table, one[k - 1], one[k]);
  CHECK(sorted);
  std::vector<std::uint32_t> rows_seen(two);
  std::sort(rows_seen.begin(), rows_seen.end());
  CHECK(std::adjacent_find(rows_seen.begin(), rows_seen.end()) == rows_seen.end());
}

TEST_CASE("capacity: owners gated on two threads get one thread's tiers and waitlists", "[capacity][threads]") {
  // Many owners of uneven size (and rows with none), tight caps, incumbents
  // and pins: the groups are gated on several threads at once.
  Config config;
  config.capacity_mode = CapacityMode::kPerOwner;
  config.capacity[0] = {std::nullopt, 2};
  config.capacity[1] = {std::nullopt, 5};
  config.capacity[2] = {std::nullopt, 9};
  std::vector<Row> rows;
  constexpr int kRows = 20000;
  for (int i = 0; i < kRows; ++i) {
    const int pick = (i * 7919) % kRows;
    const std::string owner = pick % 11 == 0 ? "" : fmt::format("Owner {}", (pick * pick) % 97);
    const Tier previous = pick % 5 == 0 ? tier_from_index(pick % 3) : Tier::kNone;
    const Tier pinned = pick % 997 == 0 ? Tier::k1 : Tier::kNone;
    rows.emplace_back(fmt::format("A{}", pick), 40 + pick % 60, 30 + (pick / 7) % 70, owner, previous, pinned);
  }
  std::vector<Gate> gates;
  for (const unsigned threads : {1U, 2U}) {
    set_thread_count(threads);
    gates.push_back(run_gate(rows, config));
  }
  set_thread_count(0);
  const AccountTable &one = gates[0].table, &two = gates[1].table;
  CHECK(one.tier == two.tier);
  CHECK(one.tier_rank == two.tier_rank);
  CHECK(one.waitlist_tier == two.waitlist_tier);
  CHECK(one.waitlist_rank == two.waitlist_rank);
  REQUIRE(gates[0].result.groups.size() == gates[1].result.groups.size());
  for (std::size_t g = 0; g < gates[0].result.groups.size(); ++g) {
    CHECK(gates[0].result.groups[g].count == gates[1].result.groups[g].count);
    CHECK(gates[0].result.groups[g].waitlisted == gates[1].result.groups[g].waitlisted);
  }
  // The caps bit: some accounts were waitlisted, and some owner is full.
  CHECK(std::count_if(one.waitlist_tier.begin(), one.waitlist_tier.end(),
                      [](Tier t) { return t != Tier::kNone; }) > 100);
}

TEST_CASE("capacity: ties on composite and fit are ranked by the whole id, whatever the ids share", "[capacity]") {
  // All ids start with "X" (the bytes every id shares are skipped in the
  // compact key), one id is nothing but that prefix, some differ only after
  // their fourth or sixth byte, and one holds bytes above 0x7F (byte order:
  // after z). Fits as hundredths (the key holds six id bytes) and, with one
  // fit that is not, as doubles (four).
  const bool hundredths = GENERATE(true, false);
  const std::vector<std::string> ids{"X2",     "Xz",     "X10",       "X",         "X\xC3\xA9", "X1",
                                     "X1000b", "X1000a", "X1000000b", "X1000000a", "X10000"};
  std::vector<Row> rows;
  for (const std::string& id : ids) rows.emplace_back(id, 50, 50);
  rows.emplace_back("X0", 60, 50);  // a better composite goes first
  rows.emplace_back("X00", hundredths ? 10 : 10.125, 0);  // the worst goes last
  const AccountTable table = test::make_table(rows);
  REQUIRE(table.fit.compact() == hundredths);
  const std::vector<std::uint32_t> order = ranking_order(table);
  std::vector<std::string> ranked;
  for (const std::uint32_t row : order) ranked.emplace_back(table.id_of(row));
  CHECK(ranked == std::vector<std::string>{"X0", "X", "X1", "X10", "X10000", "X1000000a", "X1000000b", "X1000a",
                                           "X1000b", "X2", "Xz", "X\xC3\xA9", "X00"});
}
