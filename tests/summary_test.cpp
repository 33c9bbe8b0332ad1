// Tests of the run summary: counts, the tiering metrics (available vs not),
// changes, owner load, every alert, the JSON and the stderr table.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "abmtier/dates.h"
#include "abmtier/hysteresis.h"
#include "abmtier/summary.h"

namespace abmtier {
namespace {

/// One account with its finished columns.
struct Acc {
  std::string id;
  Tier tier = Tier::k3;
  Tier previous = Tier::kNone;
  Tier waitlist = Tier::kNone;
  std::uint32_t owner = kNoOwner;
  HysteresisOutcome outcome = HysteresisOutcome::kNone;
  bool watchlist = false;
};

// Fills every column of account.h by hand; metric columns stay empty
// (absent) unless a test sets them.
AccountTable make_table(const std::vector<Acc>& rows, std::vector<std::string> owners = {}) {
  AccountTable t;
  t.owner_names = std::move(owners);
  std::uint32_t rank = 0;
  for (const Acc& a : rows) {
    t.id.push_back(t.id_text.add(a.id));
    t.name.push_back(t.text.add("Name " + a.id));
    t.owner.push_back(a.owner);
    t.line.push_back(t.line.size() + 2);
    t.fit.push_back(80);
    t.intent.push_back(a.watchlist ? 10 : 80);
    t.engagement.push_back(0);
    t.input_previous_tier.push_back(a.previous);
    t.fit_band.push_back(Band::kHigh);
    t.intent_band.push_back(a.watchlist ? Band::kLow : Band::kHigh);
    t.matrix_tier.push_back(a.tier);
    t.watchlist.push_back(a.watchlist ? 1 : 0);
    t.pinned.push_back(Tier::kNone);
    t.pin_reason.push_back(0);
    t.previous_tier.push_back(a.previous);
    t.eligible_tier.push_back(a.tier);
    t.hysteresis.push_back(static_cast<std::uint8_t>(a.outcome));
    t.tier.push_back(a.tier);
    t.tier_rank.push_back(++rank);
    t.waitlist_tier.push_back(a.waitlist);
    t.waitlist_rank.push_back(a.waitlist == Tier::kNone ? 0 : 1);
  }
  return t;
}

ReadStats make_stats(const AccountTable& t, bool owner_column = false) {
  ReadStats s;
  s.source = "accounts.csv";
  s.column_index.fill(-1);
  s.column_index[static_cast<int>(Column::kId)] = 0;
  s.column_index[static_cast<int>(Column::kFit)] = 1;
  s.column_index[static_cast<int>(Column::kIntent)] = 2;
  if (owner_column) s.column_index[static_cast<int>(Column::kOwner)] = 3;
  s.accepted = t.size();
  s.rows_read = t.size();
  return s;
}

// A pooled gate with the given totals; tier 1 capped unless told otherwise.
CapacityResult pooled(std::optional<std::int64_t> c1 = 100, std::optional<std::int64_t> c2 = {},
                      std::optional<std::int64_t> c3 = {}) {
  CapacityResult c;
  c.reps = 4;
  c.reps_source = RepsSource::kConfig;
  c.caps = {c1, c2, c3};
  GroupLoad g;
  g.cap = c.caps;
  c.groups.push_back(g);
  return c;
}

const std::int32_t kAsOf = *days_from_civil(2026, 11, 3);

Summary summarise(const AccountTable& t, const CapacityResult& c = pooled(), const Config& config = {},
                  const SummaryInputs& in = {kAsOf}, bool owner_column = false) {
  return build_summary(t, make_stats(t, owner_column), c, config, in);
}

const TierStats& tier(const Summary& s, Tier t) { return s.tiers[static_cast<std::size_t>(t)]; }

bool has_alert(const Summary& s, std::string_view code) {
  for (const Alert& a : s.alerts)
    if (a.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("summary: counts, caps, shares and waitlists per tier", "[summary]") {
  const auto t = make_table({{"a", Tier::k1},
                             {"b", Tier::k1},
                             {"c", Tier::k2, Tier::kNone, Tier::k1},
                             {"d", Tier::k2, Tier::kNone, Tier::k1},
                             {"e", Tier::k2},
                             {"f", Tier::k3},
                             {"g", Tier::k3},
                             {"h", Tier::kWatchlist, Tier::kNone, Tier::kNone, kNoOwner,
                              HysteresisOutcome::kNone, true},
                             {"i", Tier::kOutside, Tier::kNone, Tier::k3},
                             {"j", Tier::k3}});
  ReadStats stats = make_stats(t);
  stats.rows_read = 12;
  stats.rejected = 2;
  const Summary s = build_summary(t, stats, pooled(2, 3), Config{}, {kAsOf});
  CHECK(s.source == "accounts.csv");
  CHECK(s.as_of == "2026-11-03");
  CHECK(s.rows_read == 12);
  CHECK(s.accepted == 10);
  CHECK(s.rejected == 2);
  const std::array<std::uint64_t, kTierCount> counts{2, 3, 3, 1, 1};
  const std::array<std::uint64_t, kTierCount> waitlisted{2, 0, 1, 0, 0};
  for (std::size_t k = 0; k < kTierCount; ++k) {
    CAPTURE(k);
    CHECK(s.tiers[k].count == counts[k]);
    CHECK(s.tiers[k].share == Approx(static_cast<double>(counts[k]) / 10));
    CHECK(s.tiers[k].waitlisted == waitlisted[k]);
  }
  CHECK(tier(s, Tier::k1).cap == 2);
  CHECK(tier(s, Tier::k2).cap == 3);
  CHECK_FALSE(tier(s, Tier::k3).cap.has_value());
  CHECK_FALSE(tier(s, Tier::kWatchlist).cap.has_value());
  CHECK(s.watchlist_flagged == 1);
  CHECK(s.capacity_mode == "pooled");
  CHECK(s.reps == 4);
  CHECK(s.reps_source == "config");
}

TEST_CASE("summary: reps source names", "[summary]") {
  const std::vector<std::pair<RepsSource, std::string>> cases{
      {RepsSource::kFlag, "flag"}, {RepsSource::kConfig, "config"},
      {RepsSource::kOwners, "owners"}, {RepsSource::kUnknown, "unknown"}};
  for (const auto& [source, name] : cases) {
    CapacityResult c = pooled();
    c.reps_source = source;
    CHECK(summarise(make_table({{"a"}}), c).reps_source == name);
  }
}

TEST_CASE("summary: nothing accepted gives shares of 0 and no metrics", "[summary]") {
  const AccountTable t = make_table({});
  const Summary s = summarise(t, pooled(32, 240));
  for (const TierStats& ts : s.tiers) {
    CHECK(ts.count == 0);
    CHECK(ts.share == 0);
    CHECK_FALSE(ts.plan_share.has_value());
    CHECK_FALSE(ts.coverage.has_value());
  }
}

TEST_CASE("summary: plan shares come from config.plan when any key is set", "[summary]") {
  Config config;
  config.plan[0] = 0.1;
  config.plan[1] = 0.3;
  const Summary s = summarise(make_table({{"a"}}), pooled(32, 240), config);
  CHECK(tier(s, Tier::k1).plan_share == 0.1);
  CHECK(tier(s, Tier::k2).plan_share == 0.3);
  CHECK_FALSE(tier(s, Tier::k3).plan_share.has_value());
  CHECK_FALSE(tier(s, Tier::kOutside).plan_share.has_value());
}

TEST_CASE("summary: plan shares derived from the caps", "[summary]") {
  using Cap = std::optional<std::int64_t>;
  using Plan = std::optional<double>;
  struct Case {
    std::size_t accounts;
    std::array<Cap, 3> caps;
    std::array<Plan, kTierCount> plan;  // 1, 2, 3, watchlist, outside
  };
  const Cap none;
  const Plan na;
  const std::vector<Case> cases{
      // seed 003: 32 of 250 in tier 1, tier 2 takes the rest up to 240, tier 3 the remainder
      {250, {Cap{32}, Cap{240}, none}, {Plan{0.128}, Plan{0.872}, Plan{0.0}, na, Plan{0.0}}},
      {10, {Cap{5}, Cap{3}, Cap{1}}, {Plan{0.5}, Plan{0.3}, Plan{0.1}, na, Plan{0.1}}},
      {10, {Cap{20}, Cap{3}, none}, {Plan{1.0}, Plan{0.0}, Plan{0.0}, na, Plan{0.0}}},
      {10, {Cap{2}, none, none}, {Plan{0.2}, na, na, na, na}},
      {10, {none, Cap{3}, none}, {na, na, na, na, na}},
  };
  for (const Case& c : cases) {
    std::vector<Acc> rows(c.accounts);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = std::to_string(i);
    const Summary s = summarise(make_table(rows), pooled(c.caps[0], c.caps[1], c.caps[2]));
    for (std::size_t k = 0; k < kTierCount; ++k) {
      CAPTURE(c.accounts, k);
      REQUIRE(s.tiers[k].plan_share.has_value() == c.plan[k].has_value());
      if (c.plan[k]) CHECK(*s.tiers[k].plan_share == Approx(*c.plan[k]));
    }
  }
}

TEST_CASE("summary: coverage counts touches within the window, future included", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k1}, {"c", Tier::k1}, {"d", Tier::k1},
                       {"e", Tier::k1}, {"f", Tier::k1}, {"g", Tier::k2}});
  // as_of, the window's first day, a day too early, the future, never
  // touched, unreadable (left out); tier 2 only unreadable.
  t.last_touch = {kAsOf, kAsOf - 30, kAsOf - 31, kAsOf + 5, kNoDate, kBadDate, kBadDate};
  const Summary s = summarise(t);
  REQUIRE(tier(s, Tier::k1).coverage.has_value());
  CHECK(*tier(s, Tier::k1).coverage == Approx(3.0 / 5));
  CHECK_FALSE(tier(s, Tier::k2).coverage.has_value());
  CHECK_FALSE(tier(s, Tier::k3).coverage.has_value());  // no accounts

  Config narrow;
  narrow.coverage_window_days = 5;
  const Summary n = summarise(t, pooled(), narrow);
  CHECK(*tier(n, Tier::k1).coverage == Approx(2.0 / 5));
}

TEST_CASE("summary: coverage is not available without a last_touch column", "[summary]") {
  const Summary s = summarise(make_table({{"a", Tier::k1}}));
  CHECK_FALSE(tier(s, Tier::k1).coverage.has_value());
  CHECK_FALSE(has_alert(s, "tier1_coverage_low"));
}

TEST_CASE("summary: tier 1 coverage below 70% is an alert", "[summary]") {
  const std::vector<std::pair<int, bool>> cases{{7, false}, {6, true}, {10, false}, {0, true}};
  for (const auto& [touched, alert] : cases) {
    std::vector<Acc> rows(10, Acc{"", Tier::k1});
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = std::to_string(i);
    auto t = make_table(rows);
    t.last_touch.assign(10, kNoDate);
    for (int i = 0; i < touched; ++i) t.last_touch[static_cast<std::size_t>(i)] = kAsOf;
    CAPTURE(touched);
    CHECK(has_alert(summarise(t), "tier1_coverage_low") == alert);
  }
}

TEST_CASE("summary: penetration is the mean of engaged/buying, capped at 1", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k1}, {"c", Tier::k1}, {"d", Tier::k1},
                       {"e", Tier::k1}, {"f", Tier::k1}, {"g", Tier::k2}});
  t.engaged_roles = {2, 5, 0, 1, kMissing, 2, 1};
  t.buying_roles = {4, 4, 3, 0, 4, kMissing, 0};
  const Summary s = summarise(t);
  REQUIRE(tier(s, Tier::k1).penetration.has_value());
  CHECK(*tier(s, Tier::k1).penetration == Approx((0.5 + 1.0 + 0.0) / 3));
  CHECK_FALSE(tier(s, Tier::k2).penetration.has_value());  // buying 0 only
  CHECK_FALSE(has_alert(s, "tier1_penetration_low"));       // exactly 50 %
}

TEST_CASE("summary: penetration needs both role columns", "[summary]") {
  auto t = make_table({{"a", Tier::k1}});
  t.buying_roles = {4};
  CHECK_FALSE(tier(summarise(t), Tier::k1).penetration.has_value());
  t.buying_roles.clear();
  t.engaged_roles = {4};
  CHECK_FALSE(tier(summarise(t), Tier::k1).penetration.has_value());
}

TEST_CASE("summary: tier 1 penetration below 50% is an alert", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k1}});
  t.engaged_roles = {1, 2};
  t.buying_roles = {4, 4};
  const Summary s = summarise(t);
  CHECK(*tier(s, Tier::k1).penetration == Approx(0.375));
  CHECK(has_alert(s, "tier1_penetration_low"));
}

TEST_CASE("summary: pipeline per account skips unreadable values, keeps zeros", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k1}, {"c", Tier::k1}, {"d", Tier::k1},
                       {"e", Tier::k2}, {"f", Tier::k3}});
  t.pipeline = {100, 0, kMissing, 50, 0, kMissing};
  const Summary s = summarise(t);
  CHECK(*tier(s, Tier::k1).pipeline_per_account == Approx(50));
  REQUIRE(tier(s, Tier::k2).pipeline_per_account.has_value());
  CHECK(*tier(s, Tier::k2).pipeline_per_account == 0);  // available and 0
  CHECK_FALSE(tier(s, Tier::k3).pipeline_per_account.has_value());
  CHECK_FALSE(tier(summarise(make_table({{"a", Tier::k1}})), Tier::k1).pipeline_per_account.has_value());
}

TEST_CASE("summary: changes against the previous tier, held and dropped", "[summary]") {
  const auto t = make_table({
      {"new", Tier::k1},
      {"up", Tier::k1, Tier::k2},
      {"up2", Tier::k2, Tier::kOutside},
      {"down", Tier::k3, Tier::k1},
      {"same", Tier::k2, Tier::k2},
      {"held-up", Tier::k2, Tier::k2, Tier::kNone, kNoOwner, HysteresisOutcome::kPromotionHeld},
      {"held-down", Tier::k1, Tier::k1, Tier::kNone, kNoOwner, HysteresisOutcome::kDemotionHeld},
      {"held-down2", Tier::k1, Tier::k1, Tier::kNone, kNoOwner, HysteresisOutcome::kDemotionHeld},
  });
  SummaryInputs in{kAsOf};
  in.dropped = 3;
  const Summary s = summarise(t, pooled(), Config{}, in);
  CHECK(s.changes.new_accounts == 1);
  CHECK(s.changes.promoted == 2);
  CHECK(s.changes.demoted == 1);
  CHECK(s.changes.unchanged == 4);
  CHECK(s.changes.promotion_held == 1);
  CHECK(s.changes.demotion_held == 2);
  CHECK(s.changes.held == 3);
  CHECK(s.changes.dropped == 3);
  CHECK(has_alert(s, "accounts_dropped"));
}

TEST_CASE("summary: per_owner mode lists one load per capacity group", "[summary]") {
  const auto t = make_table({{"a", Tier::k1, Tier::kNone, Tier::kNone, 0},
                             {"b", Tier::k2, Tier::kNone, Tier::kNone, 1},
                             {"c", Tier::k1}},
                            {"Dana", "Lee"});
  CapacityResult c;
  c.per_owner = true;
  c.reps = 2;
  c.reps_source = RepsSource::kOwners;
  for (std::uint32_t owner : {0u, 1u, kNoOwner}) {
    GroupLoad g;
    g.owner = owner;
    g.cap = {8, 60, std::nullopt};
    g.count = {owner == 1 ? 0u : 1u, owner == 1 ? 1u : 0u, 0u};
    c.groups.push_back(g);
  }
  c.caps = {24, 180, std::nullopt};
  const Summary s = summarise(t, c);
  REQUIRE(s.owners.size() == 3);
  CHECK(s.owners[0].owner == "Dana");
  CHECK(s.owners[1].owner == "Lee");
  CHECK(s.owners[2].owner.empty());
  CHECK(s.owners[1].count[1] == 1);
  CHECK(s.owners[0].cap[0] == 8);
  CHECK_FALSE(s.owners[2].cap[2].has_value());
  CHECK(s.capacity_mode == "per_owner");
  CHECK(s.alerts.empty());
}

TEST_CASE("summary: pooled mode with owners counts tiers 1-3 per owner", "[summary]") {
  const auto t = make_table({{"a", Tier::k1, Tier::kNone, Tier::kNone, 0},
                             {"b", Tier::k1, Tier::kNone, Tier::kNone, 0},
                             {"c", Tier::k3, Tier::kNone, Tier::kNone, 1},
                             {"d", Tier::kOutside, Tier::kNone, Tier::kNone, 1},
                             {"e", Tier::k2}},
                            {"Dana", "Lee"});
  const Summary s = summarise(t, pooled(16, 120), Config{}, {kAsOf}, true);
  REQUIRE(s.owners.size() == 3);
  CHECK(s.owners[0].owner == "Dana");
  CHECK(s.owners[0].count == std::array<std::uint64_t, 3>{2, 0, 0});
  CHECK(s.owners[1].count == std::array<std::uint64_t, 3>{0, 0, 1});
  CHECK(s.owners[2].owner.empty());
  CHECK(s.owners[2].count == std::array<std::uint64_t, 3>{0, 1, 0});
  CHECK(s.owners[0].cap[0] == 8);   // default per_rep
  CHECK(s.owners[0].cap[1] == 60);
  CHECK_FALSE(s.owners[0].cap[2].has_value());
  CHECK_FALSE(s.owners[2].cap[0].has_value());  // no rep owns these
  CHECK_FALSE(has_alert(s, "owner_over_capacity"));

  // No owner column: no owner list.
  CHECK(summarise(t, pooled(16, 120)).owners.empty());
}

TEST_CASE("summary: a pooled max is split over the reps, rounded up", "[summary]") {
  const auto t = make_table({{"a", Tier::k1, Tier::kNone, Tier::kNone, 0}}, {"Dana"});
  Config config;
  config.capacity[0].max = 10;  // 4 reps: 2.5 each -> 3
  const Summary s = summarise(t, pooled(10), config, {kAsOf}, true);
  CHECK(s.owners[0].cap[0] == 3);
  CapacityResult unknown = pooled(10);
  unknown.reps.reset();
  CHECK_FALSE(summarise(t, unknown, config, {kAsOf}, true).owners[0].cap[0].has_value());
}

TEST_CASE("summary: owner_over_capacity when an owner exceeds the tier 1 share", "[summary]") {
  std::vector<Acc> rows;
  for (int i = 0; i < 9; ++i) rows.push_back({"d" + std::to_string(i), Tier::k1, Tier::kNone, Tier::kNone, 0});
  for (int i = 0; i < 8; ++i) rows.push_back({"l" + std::to_string(i), Tier::k1, Tier::kNone, Tier::kNone, 1});
  const Summary s = summarise(make_table(rows, {"Dana", "Lee"}), pooled(32), Config{}, {kAsOf}, true);
  REQUIRE(has_alert(s, "owner_over_capacity"));
  const std::string& message = s.alerts.front().message;
  CHECK(message.find("Dana 9/8") != std::string::npos);
  CHECK(message.find("Lee") == std::string::npos);  // 8/8 is not over
}

TEST_CASE("summary: uncapped_tier1 and reps_unknown", "[summary]") {
  const auto t = make_table({{"a", Tier::k1}});
  CapacityResult c = pooled(std::nullopt, std::nullopt);
  c.reps.reset();
  c.reps_source = RepsSource::kUnknown;
  const Summary s = summarise(t, c);
  CHECK(has_alert(s, "uncapped_tier1"));
  CHECK(has_alert(s, "reps_unknown"));
  REQUIRE(s.alerts.size() == 2);
  CHECK(s.alerts[0].code == "reps_unknown");  // sorted by code
  CHECK(s.alerts[1].code == "uncapped_tier1");

  // Caps from max need no reps.
  Config with_max;
  with_max.capacity[0].max = 5;
  with_max.capacity[1].max = 50;
  CHECK_FALSE(has_alert(summarise(t, pooled(5, 50), with_max), "reps_unknown"));
  CapacityResult known = pooled(std::nullopt);
  CHECK(has_alert(summarise(t, known), "uncapped_tier1"));
  CHECK_FALSE(has_alert(summarise(t, known), "reps_unknown"));

  // per_owner: the cap is per_rep, reps are not needed.
  Config no_tier1;
  no_tier1.capacity_mode = CapacityMode::kPerOwner;
  no_tier1.capacity[0].per_rep.reset();
  CapacityResult per_owner;
  per_owner.per_owner = true;
  CHECK(has_alert(summarise(t, per_owner, no_tier1), "uncapped_tier1"));
  CHECK_FALSE(has_alert(summarise(t, per_owner, no_tier1), "reps_unknown"));
  Config capped;
  capped.capacity_mode = CapacityMode::kPerOwner;
  CHECK_FALSE(has_alert(summarise(t, per_owner, capped), "uncapped_tier1"));
}

TEST_CASE("summary: pins_over_capacity names the group and tier", "[summary]") {
  const auto t = make_table({{"a", Tier::k1, Tier::kNone, Tier::kNone, 0}}, {"Dana"});
  CapacityResult c;
  c.per_owner = true;
  GroupLoad g;
  g.owner = 0;
  g.cap = {2, 60, std::nullopt};
  g.pinned = {3, 60, 7};
  c.groups.push_back(g);
  const Summary s = summarise(t, c);
  REQUIRE(has_alert(s, "pins_over_capacity"));
  const std::string& message = s.alerts.front().message;
  CHECK(message.find("owner Dana, tier 1: 3 pinned, cap 2") != std::string::npos);
  CHECK(message.find("tier 2") == std::string::npos);  // at the cap is fine
  CHECK(message.find("tier 3") == std::string::npos);  // unlimited
}

TEST_CASE("summary: overrides_unmatched and a clean run", "[summary]") {
  const auto t = make_table({{"a", Tier::k1}});
  SummaryInputs in{kAsOf};
  in.overrides = 4;
  in.overrides_unmatched = 1;
  const Summary s = summarise(t, pooled(), Config{}, in);
  CHECK(s.overrides == 4);
  CHECK(s.overrides_unmatched == 1);
  REQUIRE(s.alerts.size() == 1);
  CHECK(s.alerts[0].code == "overrides_unmatched");
  CHECK(summarise(t).alerts.empty());
}

TEST_CASE("summary: JSON keys, nulls, rounding and trailing newline", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k2}, {"c", Tier::k3}});
  t.pipeline = {10.006, kMissing, 3};
  ReadStats stats = make_stats(t);
  stats.source = "bad\xff.csv";
  stats.empty_intent = 2;
  const Summary s = build_summary(t, stats, pooled(1, std::nullopt), Config{}, {kAsOf});
  const std::string text = summary_json(s);
  REQUIRE(text.back() == '\n');
  CHECK(text.find("\n  \"input\": {") != std::string::npos);  // 2-space indent
  const auto j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"input", "as_of", "refresh", "capacity", "tiers",
                                         "watchlist_flagged", "changes", "overrides", "owners",
                                         "data_quality", "alerts"});
  CHECK(j["input"]["source"] == "bad\xEF\xBF\xBD.csv");
  CHECK(j["input"]["accepted"] == 3);
  CHECK(j["as_of"] == "2026-11-03");
  CHECK(j["capacity"]["reps"] == 4);
  CHECK(j["tiers"]["1"]["share"] == 0.3333);
  CHECK(j["tiers"]["1"]["cap"] == 1);
  CHECK(j["tiers"]["2"]["cap"].is_null());
  CHECK(j["tiers"]["1"]["coverage"].is_null());
  CHECK(j["tiers"]["1"]["pipeline_per_account"] == 10.01);
  CHECK(j["tiers"]["2"]["pipeline_per_account"].is_null());
  CHECK_FALSE(j["tiers"]["watchlist"].contains("cap"));
  CHECK(j["tiers"]["watchlist"]["plan_share"].is_null());
  CHECK(j["tiers"]["1"]["plan_share"] == 0.3333);
  CHECK(j["tiers"]["3"]["plan_share"].is_null());  // tier 2 uncapped: split unknown
  CHECK(j["changes"]["new"] == 3);
  CHECK(j["data_quality"]["empty_intent"] == 2);
  CHECK(j["alerts"].is_array());
  CHECK(summary_json(s) == text);  // deterministic
}

TEST_CASE("summary: JSON owners use null for the no-owner group", "[summary]") {
  const auto t = make_table({{"a", Tier::k1, Tier::kNone, Tier::kNone, 0}, {"b", Tier::k1}}, {"Dana"});
  const auto j = nlohmann::json::parse(summary_json(summarise(t, pooled(), Config{}, {kAsOf}, true)));
  REQUIRE(j["owners"].size() == 2);
  CHECK(j["owners"][0]["owner"] == "Dana");
  CHECK(j["owners"][0]["tiers"]["1"]["count"] == 1);
  CHECK(j["owners"][0]["tiers"]["1"]["cap"] == 8);
  CHECK(j["owners"][1]["owner"].is_null());
  CHECK(j["owners"][1]["tiers"]["1"]["cap"].is_null());
}

TEST_CASE("summary: the stderr table shows n/a and alerts", "[summary]") {
  auto t = make_table({{"a", Tier::k1}, {"b", Tier::k2}});
  t.last_touch = {kAsOf, kNoDate};
  CapacityResult c = pooled(std::nullopt, 60);
  std::ostringstream out;
  write_summary_table(summarise(t, c), out);
  const std::string text = out.str();
  CHECK(text.find("accounts.csv as of 2026-11-03: 2 rows read, 2 accepted, 0 rejected\n") == 0);
  CHECK(text.find("\n1                 1  unlimited           0   50.0%     n/a    100.0%          n/a            n/a\n") !=
        std::string::npos);
  CHECK(text.find("\n2                 1         60           0   50.0%     n/a      0.0%") != std::string::npos);
  CHECK(text.find("\nwatchlist         0          -           -    0.0%") != std::string::npos);
  CHECK(text.find("\nchanges: 2 new, 0 promoted, 0 demoted, 0 unchanged, 0 held (0 promotion, 0 "
                  "demotion), 0 dropped\n") != std::string::npos);
  CHECK(text.find("\nALERT uncapped_tier1: tier 1 has no cap") != std::string::npos);
}

}  // namespace abmtier
