// Reading an input in chunks on several threads gives exactly what one
// reader over the whole input gives: rows, owners, rejects, duplicates,
// counts and line numbers. Inputs of 1 MB and more are read in chunks (at
// least 16) when two threads are allowed; an input with a quoted field over
// a chunk's end is read again on one thread.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "abmtier/config.h"
#include "abmtier/parallel.h"
#include "abmtier/reader.h"

using namespace abmtier;

namespace {

// Runs the reader with `threads` threads.
ReadResult read_with(unsigned threads, const std::string& data, const Config& config) {
  set_thread_count(threads);
  ReadResult r = read_accounts(std::string_view(data), "parts.csv", config);
  set_thread_count(0);
  return r;
}

template <class Small>
void same_column(const HundredthsColumn<Small>& a, const HundredthsColumn<Small>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("row " << i);
    REQUIRE(((a[i] == b[i]) || (a[i] != a[i] && b[i] != b[i])));
  }
}

template <class T>
void same_column(const std::vector<T>& a, const std::vector<T>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("row " << i);
    if constexpr (std::is_floating_point_v<T>) {
      REQUIRE(((a[i] == b[i]) || (a[i] != a[i] && b[i] != b[i])));
    } else {
      REQUIRE(a[i] == b[i]);
    }
  }
}

void same_result(const ReadResult& a, const ReadResult& b) {
  const AccountTable& x = a.table;
  const AccountTable& y = b.table;
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    INFO("row " << i);
    REQUIRE(x.id_of(i) == y.id_of(i));
    REQUIRE(x.name_of(i) == y.name_of(i));
    REQUIRE(x.owner_of(i) == y.owner_of(i));
    for (std::size_t k = 0; k < x.kept.size(); ++k) REQUIRE(x.text.get(x.kept[k][i]) == y.text.get(y.kept[k][i]));
  }
  CHECK(x.owner_names == y.owner_names);
  same_column(x.owner, y.owner);
  same_column(x.line, y.line);
  same_column(x.fit, y.fit);
  same_column(x.intent, y.intent);
  same_column(x.engagement, y.engagement);
  same_column(x.input_previous_tier, y.input_previous_tier);
  same_column(x.last_touch, y.last_touch);
  same_column(x.pipeline, y.pipeline);
  REQUIRE(a.rejects.size() == b.rejects.size());
  for (std::size_t r = 0; r < a.rejects.size(); ++r) {
    INFO("reject " << r);
    REQUIRE(a.rejects[r].line == b.rejects[r].line);
    REQUIRE(a.rejects[r].raw == b.rejects[r].raw);
    REQUIRE(a.rejects[r].problems.size() == b.rejects[r].problems.size());
    for (std::size_t p = 0; p < a.rejects[r].problems.size(); ++p) {
      CHECK(a.rejects[r].problems[p].column == b.rejects[r].problems[p].column);
      CHECK(a.rejects[r].problems[p].value == b.rejects[r].problems[p].value);
      CHECK(a.rejects[r].problems[p].expected == b.rejects[r].problems[p].expected);
    }
  }
  const ReadStats& s = a.stats;
  const ReadStats& t = b.stats;
  CHECK(s.rows_read == t.rows_read);
  CHECK(s.accepted == t.accepted);
  CHECK(s.rejected == t.rejected);
  CHECK(s.empty_intent == t.empty_intent);
  CHECK(s.empty_engagement == t.empty_engagement);
  CHECK(s.bad_previous_tier == t.bad_previous_tier);
  CHECK(s.bad_last_touch == t.bad_last_touch);
  CHECK(s.bad_pipeline == t.bad_pipeline);
  CHECK(s.first_invalid_utf8_line == t.first_invalid_utf8_line);
  CHECK(s.first_bad_previous_tier_line == t.first_bad_previous_tier_line);
}

// About 1.6 MB: rows with every kind of problem spread over the file,
// blank lines (they count as lines), quoted names with commas and line
// breaks, empty intents, unreadable dates and previous tiers, and owners
// that first appear in the second half. `middle` is put on the rows around
// the middle of the file.
// With `fine_late_fits`, a few fits in the second half have three decimals
// (the fit column turns into doubles part-way through the join).
std::string export_text(int rows, const std::string& middle_name = "Plain", bool fine_late_fits = false) {
  std::string csv = "id,name,owner,fit,intent,engagement,previous tier,last activity,open pipeline\n";
  for (int i = 0; i < rows; ++i) {
    const bool late = i > rows / 2;
    std::string name = fmt::format("Account {}", i);
    if (i % 97 == 0) name = fmt::format("\"Name, with comma {}\"", i);
    if (i % 101 == 0) name = fmt::format("\"Two\nlines {}\"", i);
    if (i > rows / 2 - 600 && i < rows / 2 + 600) name = middle_name;
    std::string fit = fmt::format("{}.{}", 10 + i % 90, i % 10);
    if (i % 1009 == 0) fit = "n/a";
    if (i % 2003 == 0) fit = "";
    if (fine_late_fits && late && i % 2500 == 0) fit = fmt::format("{}.125", 10 + i % 90);
    const std::string intent = i % 7 == 0 ? "" : fmt::format("{}", i % 100);
    const std::string owner = late && i % 13 == 0 ? fmt::format("Late Owner {}", i % 5) : fmt::format("Owner {}", i % 11);
    const std::string previous = late && i % 577 == 0 ? "Tier 9" : i % 3 == 0 ? "T1" : "";
    const std::string date = late && i % 811 == 0 ? "yesterday" : fmt::format("2026-10-{:02}", 1 + i % 28);
    std::string line = fmt::format("ID-{},{},{},{},{},{},{},{},{}\n", i, name, owner, fit, intent, i % 50, previous,
                                   date, i * 10);
    if (i % 4001 == 0) line = fmt::format("ID-{},too,few\n", i);
    if (late && i % 3001 == 0) line = fmt::format("ID-{},Caf\xe9,Owner 1,50,50,1,,,\n", i);  // Latin-1 byte
    csv += line;
    if (i % 5000 == 0) csv += "\n";
  }
  return csv;
}

}  // namespace

TEST_CASE("parts: chunks read on two threads read what one reader reads", "[reader][parts]") {
  const std::string csv = export_text(24000);
  REQUIRE(csv.size() > (std::size_t{1} << 20));
  const ReadResult one = read_with(1, csv, Config{});
  const ReadResult two = read_with(2, csv, Config{});
  REQUIRE(one.rejects.size() > 10);
  REQUIRE(one.stats.bad_previous_tier > 0);
  REQUIRE(one.stats.first_invalid_utf8_line > 0);
  CHECK(one.stats.parts == 1);
  CHECK(two.stats.parts == 2);
  same_result(one, two);
  CHECK(two.table.fit.compact());
}

TEST_CASE("parts: fits that are not exact hundredths in later chunks are joined as doubles", "[reader][parts]") {
  const std::string csv = export_text(24000, "Plain", true);
  const ReadResult one = read_with(1, csv, Config{});
  const ReadResult two = read_with(2, csv, Config{});
  REQUIRE(two.stats.parts == 2);
  CHECK_FALSE(one.table.fit.compact());
  CHECK_FALSE(two.table.fit.compact());
  CHECK(two.table.intent.compact());
  same_result(one, two);
  // The first of them (ID-12500: 10 + 12500 % 90 = 90, then .125)
  // reads back as written.
  bool found = false;
  for (std::size_t i = 0; i < two.table.size() && !found; ++i)
    if (two.table.id_of(i) == "ID-12500") {
      found = true;
      CHECK(two.table.fit[i] == 90.125);
    }
  CHECK(found);
}

TEST_CASE("parts: a quoted line break over a chunk's end is read as one record", "[reader][parts]") {
  // Every name near the middle holds line breaks, so the line end that ends
  // a chunk there may sit inside quotes; either way the result is one
  // reader's.
  std::set<std::uint32_t> ways;
  for (const std::string middle : {"\"A\nB\nC\nD\nE\nF\"", "\"x\n\n\ny\"", "\"only \"\"quotes\"\"\"", "Plain"}) {
    for (int rows = 24000; rows < 24040; rows += 7) {
      const std::string csv = export_text(rows, middle);
      const ReadResult two = read_with(2, csv, Config{});
      ways.insert(two.stats.parts);
      same_result(read_with(1, csv, Config{}), two);
    }
  }
  CHECK(ways == std::set<std::uint32_t>{1, 2});  // both the split and the fallback were taken
}

// The reject on `line`, which must exist.
const RejectedRow& reject_on(const ReadResult& r, std::uint64_t line) {
  const auto it = std::find_if(r.rejects.begin(), r.rejects.end(), [&](const RejectedRow& row) { return row.line == line; });
  REQUIRE(it != r.rejects.end());
  return *it;
}

TEST_CASE("parts: an id seen again in a later chunk is a duplicate of its first line", "[reader][parts]") {
  std::string csv = export_text(24000);
  const auto lines = static_cast<std::uint64_t>(std::count(csv.begin(), csv.end(), '\n'));
  csv += "ID-5,Again,Owner 1,50,50,1,,,\n";        // first accepted near the start
  csv += "ID-1009,Again,Owner 1,50,50,1,,,\n";     // first rejected (fit n/a): still claims its id
  csv += "ID-13000,Again,Owner 1,bad,50,1,,,\n";   // a duplicate with a problem of its own
  csv += "ID-5,Third,Owner 2,60,60,1,,,\n";        // a third occurrence: still the first line's
  csv += "ID-new,Once,Owner 2,60,60,1,,,\n";
  csv += "ID-new,Twice,Owner 2,60,60,1,,,\n";      // first and second both in the last chunk
  const ReadResult one = read_with(1, csv, Config{});
  const ReadResult two = read_with(2, csv, Config{});
  CHECK(two.stats.parts == 2);
  same_result(one, two);
  const auto first_line_of = [&](std::string_view id) {
    const std::size_t at = csv.find(fmt::format("\n{},", id));
    return static_cast<std::uint64_t>(std::count(csv.begin(), csv.begin() + static_cast<std::ptrdiff_t>(at) + 1, '\n')) + 1;
  };
  const auto duplicate_of = [](std::uint64_t line) { return fmt::format("a unique id (this is a duplicate of the id on line {})", line); };
  for (const ReadResult* r : {&one, &two}) {
    CHECK(reject_on(*r, lines + 1).problems.at(0).expected == duplicate_of(first_line_of("ID-5")));
    CHECK(reject_on(*r, lines + 2).problems.at(0).expected == duplicate_of(first_line_of("ID-1009")));
    const RejectedRow& both = reject_on(*r, lines + 3);
    REQUIRE(both.problems.size() == 2);
    CHECK(both.problems[0].expected == duplicate_of(first_line_of("ID-13000")));
    CHECK(both.problems[1].column == "fit");
    CHECK(reject_on(*r, lines + 4).problems.at(0).expected == duplicate_of(first_line_of("ID-5")));
    CHECK(reject_on(*r, lines + 6).problems.at(0).expected == duplicate_of(lines + 5));
    CHECK(reject_on(*r, lines + 6).raw == "ID-new,Twice,Owner 2,60,60,1,,,");
    CHECK(r->stats.rows_read == r->stats.accepted + r->stats.rejected);
  }
}

TEST_CASE("parts: CR-only line ends and kept columns", "[reader][parts]") {
  std::string csv = export_text(24000);
  // Old Mac line ends: no LF anywhere (the quoted line breaks become CRs too).
  for (char& c : csv)
    if (c == '\n') c = '\r';
  Config config;
  config.keep = {"open pipeline"};
  const ReadResult two = read_with(2, csv, config);
  CHECK(two.stats.parts == 2);
  same_result(read_with(1, csv, config), two);
}
