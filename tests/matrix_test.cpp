#include <catch2/catch.hpp>

#include "abmtier/matrix.h"
#include "test_support.h"

using namespace abmtier;

TEST_CASE("matrix: band boundaries are inclusive at mid and high", "[matrix]") {
  const BandSpec spec;  // high 70, mid 40
  struct Case { double score; Band band; };
  const std::vector<Case> cases{{100, Band::kHigh}, {70, Band::kHigh}, {69.99, Band::kMid},
                                {40, Band::kMid},   {39.99, Band::kLow}, {0, Band::kLow}};
  for (const auto& c : cases) {
    INFO("score " << c.score);
    CHECK(band_of(c.score, spec) == c.band);
  }
}

TEST_CASE("matrix: every cell of the default matrix", "[matrix]") {
  // fit, intent -> tier (SPEC 4 table)
  struct Case { double fit, intent; Tier tier; bool watchlist; };
  const std::vector<Case> cases{
      {80, 80, Tier::k1, false}, {80, 50, Tier::k2, false}, {80, 10, Tier::k2, true},
      {50, 80, Tier::k2, false}, {50, 50, Tier::k3, false}, {50, 10, Tier::k3, false},
      {10, 80, Tier::k3, false}, {10, 50, Tier::k3, false}, {10, 10, Tier::k3, false}};
  for (const auto& c : cases) {
    INFO("fit " << c.fit << " intent " << c.intent);
    const auto t = test::make_table({{"a", c.fit, c.intent}});
    CHECK(t.matrix_tier[0] == c.tier);
    CHECK((t.watchlist[0] != 0) == c.watchlist);
  }
}

TEST_CASE("matrix: cells and bands come from the config", "[matrix]") {
  Config config;
  config.matrix[static_cast<int>(Band::kHigh)][static_cast<int>(Band::kLow)] = Tier::kWatchlist;
  config.matrix[static_cast<int>(Band::kLow)][static_cast<int>(Band::kLow)] = Tier::kOutside;
  config.fit_bands.high = 75;
  const auto t = test::make_table({{"a", 80, 10}, {"b", 10, 10}, {"c", 72, 80}}, config);
  CHECK(t.matrix_tier[0] == Tier::kWatchlist);
  CHECK(t.matrix_tier[1] == Tier::kOutside);
  CHECK(t.fit_band[2] == Band::kMid);  // 72 < 75
  CHECK(t.matrix_tier[2] == Tier::k2);
}

TEST_CASE("matrix: the watchlist flag ignores the matrix cell", "[matrix]") {
  Config config;
  config.matrix[0][2] = Tier::k1;  // high fit, low intent -> tier 1
  const auto t = test::make_table({{"a", 90, 0}}, config);
  CHECK(t.matrix_tier[0] == Tier::k1);
  CHECK(t.watchlist[0] == 1);
}
