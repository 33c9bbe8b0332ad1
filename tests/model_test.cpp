#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "abmtier/account.h"
#include "abmtier/dates.h"
#include "abmtier/parallel.h"
#include "test_support.h"

using namespace abmtier;

TEST_CASE("model: lenient previous-tier values", "[model]") {
  struct Case { const char* text; std::optional<Tier> tier; };
  const std::vector<Case> cases{
      {"1", Tier::k1},        {"T1", Tier::k1},       {"t2", Tier::k2},      {"Tier 1", Tier::k1},
      {"tier-3", Tier::k3},   {"TIER_2", Tier::k2},   {" Tier 2 ", Tier::k2}, {"watchlist", Tier::kWatchlist},
      {"Outside", Tier::kOutside}, {"", Tier::kNone}, {"  ", Tier::kNone},   {"4", std::nullopt},
      {"Tier  1", std::nullopt}, {"tier", std::nullopt}, {"gold", std::nullopt}, {"T 4", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(parse_tier_lenient(c.text) == c.tier);
  }
}

TEST_CASE("model: strict tier names and their spelling", "[model]") {
  CHECK(parse_tier_strict("WATCHLIST") == Tier::kWatchlist);
  CHECK_FALSE(parse_tier_strict("T1"));
  CHECK(tier_name(Tier::k2) == "2");
  CHECK(tier_name(Tier::kOutside) == "outside");
  CHECK(tier_name(Tier::kNone).empty());
  CHECK(band_name(Band::kMid) == "mid");
  CHECK(better(Tier::k3, Tier::kWatchlist));
  CHECK_FALSE(better(Tier::kOutside, Tier::kWatchlist));
}

TEST_CASE("model: ISO 8601 dates and date-times", "[model]") {
  const auto base = days_from_civil(2026, 11, 3);
  REQUIRE(base);
  CHECK(format_iso_date(*base) == "2026-11-03");
  CHECK(parse_date("2026-11-03") == base);
  CHECK(parse_date("2026-11-03T14:05") == base);
  CHECK(parse_date("2026-11-03 14:05:09Z") == base);
  CHECK(parse_date("2026-11-03T14:05:09.123+01:00") == base);
  CHECK(parse_date(" 2026-11-03 ") == base);
  CHECK_FALSE(parse_date("2026-02-30"));
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2026-11-3"));
  CHECK_FALSE(parse_date("11/03/2026"));
  CHECK_FALSE(parse_date(""));
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(format_iso_date(-1) == "1969-12-31");
}

TEST_CASE("model: dates in a configured format", "[model]") {
  const auto base = days_from_civil(2026, 11, 3);
  CHECK(parse_date("11/03/2026", "%m/%d/%Y") == base);
  CHECK(parse_date("11/3/2026", "%m/%d/%Y") == base);
  CHECK(parse_date("2026-11-03", "%m/%d/%Y") == base);  // ISO always works
  CHECK(parse_date("03.11.2026", "%d.%m.%Y") == base);
  CHECK(parse_date("3 Nov 2026", "%d %b %Y") == base);
  CHECK(parse_date("11/03/26", "%m/%d/%y") == base);
  CHECK_FALSE(parse_date("13/03/2026", "%m/%d/%Y"));
  CHECK_FALSE(parse_date("11/03/2026 extra", "%m/%d/%Y"));
}

TEST_CASE("model: reorder_rows gathers every column and the text, on any number of threads", "[model][threads]") {
  // Above the size gathered on several threads.
  constexpr std::uint32_t kRows = 100000;
  std::vector<test::Row> rows;
  rows.reserve(kRows);
  for (std::uint32_t i = 0; i < kRows; ++i) {
    rows.emplace_back(fmt::format("id-{}", i), i % 100, (i * 7) % 100, fmt::format("Owner {}", i % 13));
    rows.back().name = i % 2 == 0 ? fmt::format("Name {}", i) : std::string(i % 50, 'n');
  }
  const AccountTable original = test::make_table(rows);
  std::vector<std::uint32_t> order(kRows);
  for (std::uint32_t k = 0; k < kRows; ++k) order[k] = (k * 7919U) % kRows;  // 7919 is prime: a permutation
  std::vector<AccountTable> reordered;
  for (const unsigned threads : {1U, 2U}) {
    set_thread_count(threads);
    AccountTable t = original;
    reorder_rows(t, order);
    reordered.push_back(std::move(t));
  }
  set_thread_count(0);
  for (const AccountTable& t : reordered) {
    REQUIRE(t.size() == kRows);
    bool same = true;
    for (std::uint32_t k = 0; k < kRows && same; ++k) {
      const std::uint32_t from = order[k];
      same = t.id_of(k) == original.id_of(from) && t.name_of(k) == original.name_of(from) &&
             t.owner_of(k) == original.owner_of(from) && t.fit[k] == original.fit[from] &&
             t.intent[k] == original.intent[from] && t.composite_of(k) == original.composite_of(from) &&
             t.matrix_tier[k] == original.matrix_tier[from] && t.line[k] == original.line[from];
      INFO("row " << k);
      CHECK(same);
    }
    // The text follows the new order: the first row's id opens the arena.
    CHECK(t.id_text.all().substr(0, t.id_of(0).size()) == t.id_of(0));
    CHECK(t.text.all().substr(0, t.name_of(0).size()) == t.name_of(0));
    CHECK(t.id_text.size() == original.id_text.size());
    CHECK(t.text.size() == original.text.size());
  }
  CHECK(reordered[0].id_text.all() == reordered[1].id_text.all());
  CHECK(reordered[0].text.all() == reordered[1].text.all());
}

TEST_CASE("model: reorder_rows on a table with no rows changes nothing", "[model]") {
  // A header-only export: no column holds a row (the sanitizer build checks
  // that no copy is made from or to an empty column).
  AccountTable t = test::make_table({});
  reorder_rows(t, {});
  CHECK(t.size() == 0);
}

TEST_CASE("model: a score column keeps exact hundredths in two bytes and reads them back bit for bit", "[model]") {
  ScoreColumn column;
  for (int h = 0; h <= 10000; ++h) column.push_back(std::stod(fmt::format("{}.{:02}", h / 100, h % 100)));
  CHECK(column.compact());
  REQUIRE(column.size() == 10001);
  bool same = true;
  for (int h = 0; h <= 10000 && same; ++h) {
    const double parsed = std::stod(fmt::format("{}.{:02}", h / 100, h % 100));
    same = std::memcmp(&parsed, &kHundredths[static_cast<std::size_t>(h)], sizeof(double)) == 0 &&
           column[static_cast<std::size_t>(h)] == parsed;
    INFO("hundredths " << h);
    CHECK(same);
  }
  CHECK(ScoreColumn::hundredths_of(72.3) == 7230);
  CHECK(ScoreColumn::hundredths_of(72.125) == -1);
  CHECK(ScoreColumn::hundredths_of(-0.0) == -1);
  CHECK(ScoreColumn::hundredths_of(100.01) == -1);
  CHECK(ScoreColumn::hundredths_of(-1) == -1);
  CHECK(ScoreColumn::hundredths_of(kMissing) == -1);
}

TEST_CASE("model: a score that is not an exact hundredth turns the column into doubles", "[model]") {
  ScoreColumn column{80, 72.5, 0};
  CHECK(column.compact());
  column.push_back(33.333);
  CHECK_FALSE(column.compact());
  column.push_back(-0.0);
  column.push_back(40.1);
  CHECK(column == std::vector<double>{80, 72.5, 0, 33.333, 0, 40.1});
  CHECK(std::signbit(column[4]));  // negative zero comes back as itself
  column.clear();
  CHECK(column.empty());
  CHECK(column.compact());

  // Appending: doubles as soon as either side holds them, values in order.
  for (const bool wide_into : {false, true})
    for (const bool wide_from : {false, true}) {
      ScoreColumn into{10, 20};
      ScoreColumn from{30, 40.5};
      if (wide_into) into.push_back(1.001);
      if (wide_from) from.push_back(2.002);
      into.append(from);
      INFO("doubles in: " << wide_into << ", doubles appended: " << wide_from);
      CHECK(into.compact() == (!wide_into && !wide_from));
      std::vector<double> expected{10, 20};
      if (wide_into) expected.push_back(1.001);
      expected.insert(expected.end(), {30, 40.5});
      if (wide_from) expected.push_back(2.002);
      CHECK(into == expected);
    }
}

TEST_CASE("model: an amount column keeps whole amounts, cents and missing values in four bytes", "[model]") {
  AmountColumn column{0, 15000, 1234.56, 42949672.94, kMissing, 0.01};
  CHECK(column.compact());
  CHECK(column[1] == 15000);
  CHECK(column[2] == 1234.56);
  CHECK(column[3] == 42949672.94);
  CHECK(std::isnan(column[4]));
  CHECK(column[5] == 0.01);
  CHECK(AmountColumn::hundredths_of(kMissing) == 0xFFFFFFFF);
  CHECK(AmountColumn::hundredths_of(42949672.95) == -1);  // the missing value's number
  CHECK(AmountColumn::hundredths_of(-5) == -1);
  CHECK(AmountColumn::hundredths_of(0.005) == -1);
  CHECK(AmountColumn::hundredths_of(-kMissing) == -1);  // another NaN: kept as a double
  // An amount above 42,949,672.94 turns the column into doubles; the
  // missing value stays missing.
  column.push_back(125000000);
  CHECK_FALSE(column.compact());
  CHECK(std::isnan(column[4]));
  CHECK(column[2] == 1234.56);
  CHECK(column[6] == 125000000);
  CHECK(column == std::vector<double>{0, 15000, 1234.56, 42949672.94, kMissing, 0.01, 125000000});
}

TEST_CASE("model: reorder_rows moves scores kept as hundredths and as doubles", "[model]") {
  std::vector<test::Row> rows;
  for (int i = 0; i < 6; ++i) rows.emplace_back(fmt::format("r{}", i), 10.0 * i, 5.0 + i, "Owner");
  AccountTable compact = test::make_table(rows);
  rows[2].fit = 20.125;  // one score that is not a hundredth
  AccountTable wide = test::make_table(rows);
  REQUIRE(compact.fit.compact());
  REQUIRE_FALSE(wide.fit.compact());
  const std::vector<std::uint32_t> order{5, 2, 0, 4, 1, 3};
  reorder_rows(compact, order);
  reorder_rows(wide, order);
  CHECK(compact.fit == std::vector<double>{50, 20, 0, 40, 10, 30});
  CHECK(wide.fit == std::vector<double>{50, 20.125, 0, 40, 10, 30});
  CHECK(wide.intent == std::vector<double>{10, 7, 5, 9, 6, 8});
}

TEST_CASE("model: the text arena appends, extends, copies and moves", "[model]") {
  TextArena text;
  CHECK(text.size() == 0);
  CHECK(text.all().empty());
  const TextRef a = text.add("alpha");
  const TextRef empty = text.add("");
  char* out = text.extend(4);
  std::memcpy(out, "beta", 4);
  const TextRef b = TextRef::at(5, 4);
  for (int k = 0; k < 1000; ++k) text.add("0123456789");  // grows several times
  CHECK(text.get(a) == "alpha");
  CHECK(text.get(empty).empty());
  CHECK(text.get(b) == "beta");
  CHECK(text.size() == 9 + 10000);
  CHECK(text.capacity() >= text.size());
  const TextArena copy = text;
  CHECK(copy.all() == text.all());
  TextArena moved = std::move(text);
  CHECK(moved.all() == copy.all());
  moved.reset();
  CHECK(moved.size() == 0);
  CHECK(moved.capacity() >= copy.size());
  CHECK(moved.get(moved.add("again")) == "again");
  moved.clear();
  CHECK(moved.capacity() == 0);
}
