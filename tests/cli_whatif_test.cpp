// End-to-end tests of `abmtier whatif`, `abmtier sweep` and
// `run --summary-format`, run in-process from argv vectors. Every figure is
// checked against separate `run` invocations of the same configs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "abmtier/cli.h"
#include "cli_support.h"
#include "abmtier/summary.h"

using namespace abmtier;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

using test::CliRun;
using test::run_cli;
using test::example;
using test::Scratch;
using test::slurp;

// RFC 4180 fields of one line (no line breaks inside fields in these files).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  return fields;
}

std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const auto header = csv_fields(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto fields = csv_fields(line);
    REQUIRE(fields.size() == header.size());
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

const std::vector<std::string> kBase = {example("worked_example.csv"), "-c", example("worked_example.json"),
                                        "--as-of", "2026-11-15"};

std::vector<std::string> with(std::string command, std::vector<std::string> extra) {
  std::vector<std::string> args{std::move(command)};
  args.insert(args.end(), kBase.begin(), kBase.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// id -> tier of a plain `run` with these extra arguments.
std::map<std::string, std::string> tiers_of_run(const std::vector<std::string>& extra) {
  auto args = with("run", extra);
  args.insert(args.end(), {"--format", "json", "-q"});
  const CliRun r = run_cli(args);
  REQUIRE(r.code == 0);
  std::map<std::string, std::string> tiers;
  for (const auto& row : Json::parse(r.out)) tiers[row["id"]] = row["tier"];
  return tiers;
}

// "id from to" for every account whose tier differs between two maps.
std::set<std::string> diff(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  std::set<std::string> out;
  for (const auto& [id, tier] : a)
    if (b.at(id) != tier) out.insert(id + " " + tier + " " + b.at(id));
  return out;
}

Json summary_of_run(const std::vector<std::string>& extra) {
  Scratch s;
  auto args = with("run", extra);
  args.insert(args.end(), {"-o", s.path("out.csv"), "-q", "--summary", s.path("summary.json")});
  REQUIRE(run_cli(args).code == 0);
  return Json::parse(slurp(s.path("summary.json")));
}

}  // namespace

TEST_CASE("whatif: the moves are exactly the tier differences of two runs", "[whatif]") {
  const std::vector<std::vector<std::string>> scenarios = {
      {"--set", "capacity.reps=5"},
      {"--set", "capacity.tier1.per_rep=10"},
      {"--set", "bands.fit.high=75"},
      {"--set", "weights.intent=0.5"},
      {"--set", "matrix.high.low=watchlist"},
      {"--set", "matrix.high.mid=1", "--set", "capacity.reps=3"},
      {"--set", "capacity.mode=per_owner"},
      {"--set", "scores.fit.scale=[0,200]"},  // reads the export again
  };
  const auto baseline = tiers_of_run({});
  for (const auto& scenario : scenarios) {
    CAPTURE(scenario);
    Scratch s;
    auto args = with("whatif", scenario);
    args.insert(args.end(), {"-o", s.path("moves.csv")});
    const CliRun r = run_cli(args);
    REQUIRE(r.code == 0);
    std::set<std::string> moves;
    for (const auto& row : csv_rows(slurp(s.path("moves.csv")))) {
      moves.insert(row.at("id") + " " + row.at("from") + " " + row.at("to"));
      CHECK(!row.at("why").empty());
      CHECK(r.out.find(row.at("id")) != std::string::npos);
    }
    const auto expected = diff(baseline, tiers_of_run(scenario));
    CHECK(moves == expected);
    CHECK(r.out.find(std::to_string(expected.size()) + " account") != std::string::npos);
  }
}

TEST_CASE("whatif: the side-by-side mix matches the two runs' summaries", "[whatif]") {
  const CliRun r = run_cli(with("whatif", {"--set", "capacity.reps=5"}));
  REQUIRE(r.code == 0);
  const Json before = summary_of_run({});
  const Json after = summary_of_run({"--set", "capacity.reps=5"});
  for (const char* tier : {"1", "2", "3"}) {
    const std::string count_line = fmt::format("tier {}", tier);
    std::ostringstream expected;
    const std::int64_t x = before["tiers"][tier]["count"], y = after["tiers"][tier]["count"];
    expected << x << " " << y;
    // "tier 1        32        40       +8", spaces collapsed
    std::string line = r.out.substr(r.out.find("\n" + count_line + " ") + 1);
    line = line.substr(0, line.find('\n'));
    std::istringstream fields(line.substr(count_line.size()));
    std::int64_t a = 0, b = 0;
    std::string change;
    fields >> a >> b >> change;
    CHECK(a == x);
    CHECK(b == y);
    CHECK(change == (x == y ? "0" : fmt::format("{:+}", y - x)));
  }
  CHECK(r.out.find("waitlist tier 1") != std::string::npos);
  CHECK(before["tiers"]["1"]["waitlisted"] == 9);
  CHECK(after["tiers"]["1"]["waitlisted"] == 1);
  CHECK(r.out.find("scenario: " + example("worked_example.json") + " + --set capacity.reps=5") !=
        std::string::npos);
}

TEST_CASE("whatif: a capacity move names the cap that changed", "[whatif]") {
  Scratch s;
  REQUIRE(run_cli(with("whatif", {"--set", "capacity.reps=5", "-o", s.path("m.csv")})).code == 0);
  const auto rows = csv_rows(slurp(s.path("m.csv")));
  REQUIRE(rows.size() == 8);
  for (const auto& row : rows) {
    CHECK(row.at("from") == "2");
    CHECK(row.at("to") == "1");
    CHECK(row.at("cause") == "capacity: tier 1 cap 32 -> 40");
    CHECK(row.at("why") == "High fit and high intent: tier 1");
    CHECK(row.at("composite_before") == row.at("composite_after"));
  }
  // sorted by from, to, then id
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i - 1].at("id") < rows[i].at("id"));
}

TEST_CASE("whatif: a scenario file is merged over the base config", "[whatif]") {
  Scratch s;
  // Only tier 1's per_rep changes; reps 4 and tier 2's per_rep stay.
  const auto file = s.write("more.json", "// ten per rep\n{\"capacity\": {\"tier1\": {\"per_rep\": 10}}}\n");
  const CliRun r = run_cli(with("whatif", {"--scenario", file, "-o", s.path("a.csv")}));
  REQUIRE(r.code == 0);
  const CliRun same = run_cli(with("whatif", {"--set", "capacity.tier1.per_rep=10", "-o", s.path("b.csv")}));
  REQUIRE(same.code == 0);
  CHECK(slurp(s.path("a.csv")) == slurp(s.path("b.csv")));
  CHECK(r.out.find("cap tier 2                240        240") != std::string::npos);

  // null unsets: tier 1 without a cap takes all 41 high-fit, high-intent accounts
  const auto uncapped = s.write("uncapped.json", "{\"capacity\": {\"tier1\": {\"per_rep\": null}}}");
  const CliRun u = run_cli(with("whatif", {"--scenario", uncapped}));
  REQUIRE(u.code == 0);
  CHECK(u.out.find("unlimited") != std::string::npos);
  CHECK(u.out.find("9 accounts change tier") != std::string::npos);

  // --set applies after the scenario file
  const CliRun both = run_cli(with("whatif", {"--scenario", file, "--set", "capacity.tier1.per_rep=8"}));
  REQUIRE(both.code == 0);
  CHECK(both.out.find("No account changes tier.") != std::string::npos);
}

TEST_CASE("whatif: usage errors exit 2 with a message that says what to do", "[whatif]") {
  Scratch s;
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "add --set KEY=VALUE"},
      {{"--set", "capacity.rep=6"}, "capacity.rep"},
      {{"--set", "capacity.reps=6.5"}, "capacity.reps"},
      {{"--set", "matrix.high.low=tier9"}, "matrix.high.low"},
      {{"--scenario", s.write("dup.json", "{\"capacity\": {\"reps\": 5, \"reps\": 6}}")}, "appears twice"},
      {{"--scenario", s.write("bad.json", "{\"capacity\": ")}, "is not valid JSON"},
      {{"--scenario", s.write("list.json", "[1, 2]")}, "must hold a JSON object"},
      {{"--scenario", s.write("unknown.json", "{\"capacity\": {\"per_reps\": 5}}")}, "per_reps"},
      {{"--scenario", s.path("missing.json")}, "missing.json"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.extra);
    const CliRun r = run_cli(with("whatif", c.extra));
    CHECK(r.code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("whatif: rejected rows follow --on-error", "[whatif]") {
  const std::string input = "id,fit,intent\na,90,80\nb,abc,50\nc,50,50\n";
  const CliRun fail = run_cli({"whatif", "-", "--set", "capacity.reps=1", "--as-of", "2026-11-15"}, input);
  CHECK(fail.code == 3);
  CHECK(fail.out.empty());
  Scratch s;
  const CliRun skip = run_cli({"whatif", "-", "--set", "capacity.reps=0", "--on-error", "skip", "--as-of",
                           "2026-11-15", "-o", s.path("m.csv")},
                          input);
  REQUIRE(skip.code == 0);
  // No owner column: reps unknown, so tiers 1 and 2 are unlimited in the
  // baseline; with 0 reps both caps are 0 and a cascades down to tier 3.
  CHECK(skip.out.find("1 account changes tier") != std::string::npos);
  const auto rows = csv_rows(slurp(s.path("m.csv")));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("id") == "a");
  CHECK(rows[0].at("from") == "1");
  CHECK(rows[0].at("to") == "3");
}

TEST_CASE("sweep: every point equals a run with that value", "[sweep]") {
  const CliRun r = run_cli(with("sweep", {"--vary", "capacity.reps=2:8", "--format", "csv"}));
  REQUIRE(r.code == 0);
  const auto rows = csv_rows(r.out);
  REQUIRE(rows.size() == 7);
  for (std::size_t p = 0; p < rows.size(); ++p) {
    const auto& row = rows[p];
    CHECK(row.at("capacity.reps") == std::to_string(p + 2));
    const Json s = summary_of_run({"--set", "capacity.reps=" + row.at("capacity.reps")});
    const std::vector<std::pair<std::string, std::string>> counts = {
        {"tier_1", "1"}, {"tier_2", "2"}, {"tier_3", "3"}, {"watchlist", "watchlist"}, {"outside", "outside"}};
    for (const auto& [column, tier] : counts)
      CHECK(row.at(column) == std::to_string(s["tiers"][tier]["count"].get<std::int64_t>()));
    for (const char* tier : {"1", "2"}) {
      CHECK(row.at(std::string("cap_") + tier) == std::to_string(s["tiers"][tier]["cap"].get<std::int64_t>()));
      CHECK(row.at(std::string("waitlist_") + tier) ==
            std::to_string(s["tiers"][tier]["waitlisted"].get<std::int64_t>()));
      CHECK(row.at(std::string("coverage_") + tier) == fmt::format("{:.4f}", s["tiers"][tier]["coverage"].get<double>()));
    }
    CHECK(row.at("cap_3").empty());  // unlimited
  }
  // 6 reps x 8 per rep = 48 >= the 41 eligible: nobody waits
  CHECK(rows[3].at("waitlist_1") == "1");
  CHECK(rows[4].at("waitlist_1") == "0");
}

TEST_CASE("sweep: the lowest composite in tier 1 is the last account in", "[sweep]") {
  const CliRun r = run_cli(with("sweep", {"--vary", "capacity.reps=3:4", "--format", "json"}));
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);
  REQUIRE(j["points"].size() == 2);
  for (const auto& point : j["points"]) {
    const std::int64_t reps = point["values"]["capacity.reps"];
    auto args = with("run", {"--set", "capacity.reps=" + std::to_string(reps), "--format", "json", "-q"});
    double lowest = 101;
    for (const auto& row : Json::parse(run_cli(args).out))
      if (row["tier"] == "1") lowest = std::min(lowest, row["composite"].get<double>());
    CHECK(point["min_composite_tier1"].get<double>() == Approx(lowest).margin(0.005));
    CHECK(point["tiers"]["1"]["cap"] == reps * 8);
  }
}

TEST_CASE("sweep: two keys make a grid, first key slowest", "[sweep]") {
  const CliRun r =
      run_cli(with("sweep", {"--vary", "capacity.reps=3:5", "--vary", "bands.fit.high=65:75:5", "--format", "csv"}));
  REQUIRE(r.code == 0);
  const auto rows = csv_rows(r.out);
  REQUIRE(rows.size() == 9);
  const std::vector<std::string> reps = {"3", "3", "3", "4", "4", "4", "5", "5", "5"};
  const std::vector<std::string> high = {"65", "70", "75", "65", "70", "75", "65", "70", "75"};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].at("capacity.reps") == reps[i]);
    CHECK(rows[i].at("bands.fit.high") == high[i]);
  }
  const Json s = summary_of_run({"--set", "capacity.reps=5", "--set", "bands.fit.high=75"});
  CHECK(rows[8].at("tier_2") == std::to_string(s["tiers"]["2"]["count"].get<std::int64_t>()));
}

TEST_CASE("sweep: fractional and descending ranges land on exact values", "[sweep]") {
  const CliRun r = run_cli(with("sweep", {"--vary", "weights.intent=0.4:0.1:0.1", "--format", "json"}));
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);
  CHECK(j["vary"][0]["values"] == Json::array({0.4, 0.3, 0.2, 0.1}));
  REQUIRE(j["points"].size() == 4);
  CHECK(j["points"][1]["values"]["weights.intent"] == 0.3);
  const Json s = summary_of_run({"--set", "weights.intent=0.3"});
  CHECK(j["points"][1]["tiers"]["2"]["count"] == s["tiers"]["2"]["count"]);
}

TEST_CASE("sweep: text table and the first value without a tier-1 waitlist", "[sweep]") {
  const CliRun r = run_cli(with("sweep", {"--vary", "capacity.reps=2:8"}));
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("capacity.reps  tier1", 0) == 0);
  CHECK(r.out.find("First value with nobody waitlisted for tier 1: capacity.reps=6\n") != std::string::npos);
  const CliRun none = run_cli(with("sweep", {"--vary", "capacity.reps=1:2"}));
  CHECK(none.out.find("Every value leaves accounts waitlisted for tier 1.") != std::string::npos);
}

TEST_CASE("sweep: a key that changes how the export is read is read again per point", "[sweep]") {
  const std::vector<std::string> base = {example("salesforce_export.csv"), "-c", example("salesforce.json"),
                                         "--as-of", "2026-11-15", "--on-error", "skip"};
  std::vector<std::string> args{"sweep"};
  args.insert(args.end(), base.begin(), base.end());
  args.insert(args.end(), {"--vary", "scores.fit.map.B=60:90:30", "--format", "json"});
  const CliRun r = run_cli(args);
  REQUIRE(r.code == 0);
  const Json j = Json::parse(r.out);
  REQUIRE(j["points"].size() == 2);
  for (const auto& point : j["points"]) {
    Scratch s;
    std::vector<std::string> run{"run"};
    run.insert(run.end(), base.begin(), base.end());
    const std::string value = point["values"]["scores.fit.map.B"].dump();
    run.insert(run.end(), {"--set", "scores.fit.map.B=" + value, "-q", "-o", s.path("o.csv"), "--summary",
                           s.path("s.json")});
    REQUIRE(run_cli(run).code == 0);
    const Json summary = Json::parse(slurp(s.path("s.json")));
    for (const char* tier : {"1", "2", "3"}) CHECK(point["tiers"][tier]["count"] == summary["tiers"][tier]["count"]);
  }
  CHECK(j["points"][0]["tiers"]["2"]["count"] != j["points"][1]["tiers"]["2"]["count"]);
}

TEST_CASE("sweep: bad ranges exit 2 before anything is read", "[sweep]") {
  struct Case {
    std::vector<std::string> vary;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"capacity.reps=2:8:0"}, "STEP must be above 0"},
      {{"capacity.reps=2:8:-1"}, "STEP must be above 0"},
      {{"capacity.reps=1:5000"}, "more than 1000 values"},
      {{"capacity.reps=2"}, "FROM:TO"},
      {{"capacity.reps=2:x"}, "TO 'x' is not a number"},
      {{"2:8"}, "no KEY="},
      {{"capacity.rep=2:3"}, "capacity.rep"},
      {{"capacity.reps=2.5:3.5"}, "capacity.reps"},
      {{"capacity.reps=1:100", "weights.fit=0.1:1:0.01"}, "more than 1000"},
      {{"capacity.reps=1:2", "capacity.reps=3:4"}, "twice"},
      {{"capacity.reps=1:2", "weights.fit=1:2", "weights.intent=1:2"}, "one or two --vary"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.vary);
    std::vector<std::string> extra;
    for (const auto& v : c.vary) extra.insert(extra.end(), {"--vary", v});
    // the input does not exist: a range error must come first
    std::vector<std::string> args{"sweep", "/nonexistent/accounts.csv"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}

TEST_CASE("sweep: -o writes the table to a file", "[sweep]") {
  Scratch s;
  const CliRun r = run_cli(with("sweep", {"--vary", "capacity.reps=4:5", "--format", "csv", "-o", s.path("t.csv")}));
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  CHECK(csv_rows(slurp(s.path("t.csv"))).size() == 2);
}

TEST_CASE("summary: --summary-format text and markdown carry the JSON's figures", "[summary]") {
  Scratch s;
  const auto run = [&](const std::string& format, const std::string& name) {
    auto args = with("run", {"-q", "-o", s.path("o.csv"), "--summary", s.path(name)});
    if (!format.empty()) args.insert(args.end(), {"--summary-format", format});
    REQUIRE(run_cli(args).code == 0);
    return slurp(s.path(name));
  };
  const Json json = Json::parse(run("", "s.json"));  // json stays the default
  CHECK(json["tiers"]["1"]["count"] == 32);
  const std::string text = run("text", "s.txt");
  CHECK(text.find("Tier 1: 32 accounts (12.8%, plan 12.8%), cap 32, 9 waitlisted; coverage 50.0%") !=
        std::string::npos);
  CHECK(text.find("Tier 3: 186 accounts") != std::string::npos);
  CHECK(text.find("Alerts (" + std::to_string(json["alerts"].size()) + "):") != std::string::npos);
  const std::string md = run("markdown", "s.md");
  CHECK(md.find("| 1 | 32 | 32 | 9 | 12.8% | 12.8% | 50.0% |") != std::string::npos);
  CHECK(md.find("| 3 | 186 | unlimited | 0 |") != std::string::npos);
  for (const auto& alert : json["alerts"]) CHECK(md.find("- `" + alert["code"].get<std::string>() + "`") != std::string::npos);

  CHECK(run_cli(with("run", {"--summary-format", "text"})).code == 2);  // needs --summary
  CHECK(run_cli(with("run", {"--summary", s.path("x"), "--summary-format", "yaml"})).code == 2);
}

TEST_CASE("summary: markdown escapes text that would break the table", "[summary]") {
  Summary s;
  s.source = "a|b*.csv";
  s.as_of = "2026-11-15";
  s.alerts.push_back({"code_x", "line one\nline *two* | <b>"});
  const std::string md = summary_markdown(s);
  CHECK(md.find("a\\|b\\*.csv") != std::string::npos);
  CHECK(md.find("line one line \\*two\\* \\| \\<b\\>") != std::string::npos);
  CHECK(md.find("**Alerts (1):**") != std::string::npos);
  const std::string text = summary_text(s);
  CHECK(text.find("Alerts (1):\n- code_x: line one\nline *two*") != std::string::npos);
  CHECK(summary_text(Summary{}).find("Alerts: none") != std::string::npos);
}

TEST_CASE("whatif: --set and --vary before INPUT leave it to the positional", "[whatif]") {
  const CliRun w = run_cli({"whatif", "--set", "capacity.reps=5", example("worked_example.csv"), "-c",
                        example("worked_example.json"), "--as-of", "2026-11-15"});
  CHECK(w.code == 0);
  CHECK(w.out.find("8 accounts change tier") != std::string::npos);
  const CliRun s = run_cli({"sweep", "--vary", "capacity.reps=4:5", "--vary", "weights.fit=1:2",
                        example("worked_example.csv"), "-c", example("worked_example.json"), "--format", "csv"});
  CHECK(s.code == 0);
  CHECK(csv_rows(s.out).size() == 4);
}

TEST_CASE("whatif: a change of weights names the composites that changed", "[whatif]") {
  Scratch s;
  REQUIRE(run_cli(with("whatif", {"--set", "weights.fit=0.4", "--set", "weights.intent=0.6", "-o", s.path("m.csv")}))
              .code == 0);
  const auto rows = csv_rows(slurp(s.path("m.csv")));
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    CHECK(row.at("cause") ==
          "capacity: composite " + row.at("composite_before") + " -> " + row.at("composite_after"));
    CHECK(row.at("composite_before") != row.at("composite_after"));
  }
}
