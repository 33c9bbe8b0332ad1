#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "abmtier/scoring.h"
#include "test_support.h"

using namespace abmtier;

TEST_CASE("scoring: the decimal grammar of SPEC 10", "[scoring]") {
  struct Case { const char* text; bool comma; std::optional<double> value; };
  const std::vector<Case> cases{
      {"70", false, 70},     {"70.3", false, 70.3},   {"+5", false, 5},      {"-0.5", false, -0.5},
      {".5", false, 0.5},    {"5.", false, 5},        {"8.5e1", false, 85},  {"1E2", false, 100},
      {" 80 ", false, 80},   {"73,5", true, 73.5},    {"73,5", false, {}},   {"73.5", true, 73.5},
      {"0x10", false, {}},   {"inf", false, {}},      {"nan", false, {}},    {"NaN", false, {}},
      {"1_0", false, {}},    {"1,234.5", false, {}},  {"1.234,5", true, {}}, {"", false, {}},
      {".", false, {}},      {"-", false, {}},        {"e5", false, {}},     {"1e", false, {}},
      {"1e400", false, {}},  {"12abc", false, {}},    {"1 000", false, {}},  {"--1", false, {}},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "' decimal comma " << c.comma);
    CHECK(parse_decimal(c.text, c.comma) == c.value);
  }
}

TEST_CASE("scoring: 70.3 is the correctly rounded double", "[scoring]") {
  CHECK(parse_decimal("70.3", false) == 70.3);
  CHECK(parse_decimal("0.1", false) == 0.1);
}

TEST_CASE("scoring: plain decimals read fast are the correctly rounded double", "[scoring]") {
  // Up to 15 digits with the point anywhere: the integer-over-power-of-ten
  // path must give exactly what strtod (correctly rounded) gives; 16 digits
  // and more go the long way and must too.
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int k = 0; k < 300000; ++k) {
    const std::size_t digits = 1 + next() % 17;
    std::string text = next() % 5 == 0 ? "-" : "";
    for (std::size_t d = 0; d < digits; ++d) text += static_cast<char>('0' + next() % 10);
    const std::size_t point = next() % (digits + 1);
    if (point > 0 && point < digits) text.insert(text.size() - point, 1, '.');
    INFO(text);
    const auto value = parse_decimal(text, false);
    REQUIRE(value);
    REQUIRE(std::bit_cast<std::uint64_t>(*value) == std::bit_cast<std::uint64_t>(std::strtod(text.c_str(), nullptr)));
    if (point > 0 && point < digits) {
      std::string comma = text;
      comma[comma.find('.')] = ',';
      REQUIRE(parse_decimal(comma, true) == value);
    }
  }
  CHECK(std::signbit(*parse_decimal("-0", false)));
  CHECK(std::signbit(*parse_decimal("-0.0", false)));
}

TEST_CASE("scoring: scales, percent signs and categorical maps", "[scoring]") {
  ScoreSpec percent;  // default [0, 100]
  CHECK(parse_score("85%", percent, false) == 85.0);
  CHECK(parse_score("100", percent, false) == 100.0);
  CHECK_FALSE(parse_score("100.01", percent, false));
  CHECK_FALSE(parse_score("-1", percent, false));
  CHECK_FALSE(parse_score("High", percent, false));

  ScoreSpec unit;
  unit.lo = 0;
  unit.hi = 1;
  CHECK(parse_score("0.5", unit, false) == 50.0);
  CHECK(parse_score("1", unit, false) == 100.0);
  CHECK_FALSE(parse_score("50%", unit, false));  // 50 on a 0-1 scale is out of range

  ScoreSpec five;
  five.lo = 1;
  five.hi = 5;
  CHECK(parse_score("3", five, false) == 50.0);

  ScoreSpec grades;
  grades.map = {{"a", 95}, {"high", 90}};
  CHECK(parse_score("A", grades, false) == 95.0);
  CHECK(parse_score(" high ", grades, false) == 90.0);
  CHECK(parse_score("42", grades, false) == 42.0);  // numbers still read on the scale
  CHECK_FALSE(parse_score("B", grades, false));
}

TEST_CASE("scoring: composite is the weighted mean, evaluated in SPEC order", "[scoring]") {
  Config config;
  CHECK(composite_score(80, 60, 0, config) == (0.6 * 80 + 0.4 * 60 + 0.0 * 0) / (0.6 + 0.4 + 0.0));
  config.weight_fit = 1;
  config.weight_intent = 1;
  config.weight_engagement = 2;
  CHECK(composite_score(90, 70, 40, config) == Approx(60));
  const auto t = test::make_table({{"a", 70.3, 45.1}});
  CHECK(t.composite_of(0) == (0.6 * 70.3 + 0.4 * 45.1 + 0.0 * 0) / (0.6 + 0.4 + 0.0));
}
