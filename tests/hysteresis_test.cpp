#include <catch2/catch.hpp>

#include "abmtier/hysteresis.h"
#include "test_support.h"

using namespace abmtier;
using HO = HysteresisOutcome;

TEST_CASE("hysteresis: each branch with the default thresholds", "[hysteresis]") {
  const Config config;  // tier 1: promote at 85, demote below 70
  struct Case { const char* what; Tier m, p; double composite; Tier expected; HO outcome; };
  const std::vector<Case> cases{
      {"no previous tier", Tier::k1, Tier::kNone, 50, Tier::k1, HO::kNone},
      {"same tier", Tier::k2, Tier::k2, 50, Tier::k2, HO::kNone},
      {"promotion allowed at exactly 85", Tier::k1, Tier::k2, 85, Tier::k1, HO::kPromoted},
      {"promotion held below 85", Tier::k1, Tier::k2, 84.99, Tier::k2, HO::kPromotionHeld},
      {"promotion to tier 2 has no threshold", Tier::k2, Tier::k3, 10, Tier::k2, HO::kPromoted},
      {"skipping a tier: 3 -> 1 stops at 2 below 85", Tier::k1, Tier::k3, 80, Tier::k2, HO::kPromotedPartly},
      {"skipping a tier: 3 -> 1 at 90", Tier::k1, Tier::k3, 90, Tier::k1, HO::kPromoted},
      {"demotion held at exactly 70", Tier::k2, Tier::k1, 70, Tier::k1, HO::kDemotionHeld},
      {"demotion taken below 70", Tier::k2, Tier::k1, 69.99, Tier::k2, HO::kDemoted},
      {"demotion from 1 lands on the matrix tier", Tier::k3, Tier::k1, 50, Tier::k3, HO::kDemoted},
      {"tier 2 has no demote threshold", Tier::k3, Tier::k2, 69, Tier::k3, HO::kDemoted},
      {"watchlist previous promotes freely to 2", Tier::k2, Tier::kWatchlist, 10, Tier::k2, HO::kPromoted},
      {"outside previous to 1 below 85 stops at 2", Tier::k1, Tier::kOutside, 80, Tier::k2, HO::kPromotedPartly},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    HO outcome = HO::kNone;
    CHECK(eligible_tier(c.m, c.p, c.composite, config, outcome) == c.expected);
    CHECK(outcome == c.outcome);
  }
}

TEST_CASE("hysteresis: demotion steps through intermediate thresholds", "[hysteresis]") {
  Config config;
  config.hysteresis[1].demote_below = 50;  // tier 2 keeps accounts >= 50
  HO outcome = HO::kNone;
  // previous 1, matrix 3, composite 60: not held at 1 (< 70); tier 2 keeps it
  CHECK(eligible_tier(Tier::k3, Tier::k1, 60, config, outcome) == Tier::k2);
  CHECK(outcome == HO::kDemotedPartly);
  CHECK(eligible_tier(Tier::k3, Tier::k1, 40, config, outcome) == Tier::k3);
  CHECK(outcome == HO::kDemoted);
}

TEST_CASE("hysteresis: unset thresholds mean no hysteresis", "[hysteresis]") {
  Config config;
  config.hysteresis[0] = {};
  HO outcome = HO::kNone;
  CHECK(eligible_tier(Tier::k1, Tier::k3, 1, config, outcome) == Tier::k1);
  CHECK(eligible_tier(Tier::k3, Tier::k1, 99, config, outcome) == Tier::k3);
}

TEST_CASE("hysteresis: pins bypass it and --refresh ignores previous tiers", "[hysteresis]") {
  const Config config;
  // a: matrix 1 (composite 80), previous 2 -> held at 2 unless refresh
  // b: pinned to 3 whatever its scores
  auto t = test::make_table({{"a", 80, 80, "", Tier::k2}, {"b", 90, 90, "", Tier::k1, Tier::k3}});
  apply_hysteresis(t, config, false);
  CHECK(t.eligible_tier[0] == Tier::k2);
  CHECK(static_cast<HO>(t.hysteresis[0]) == HO::kPromotionHeld);
  CHECK(t.eligible_tier[1] == Tier::k3);
  CHECK(static_cast<HO>(t.hysteresis[1]) == HO::kNone);
  apply_hysteresis(t, config, true);
  CHECK(t.eligible_tier[0] == Tier::k1);
  CHECK(static_cast<HO>(t.hysteresis[0]) == HO::kNone);
}
