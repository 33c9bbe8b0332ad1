// End-to-end tests of the command line, run in-process from argv vectors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "abmtier/cli.h"
#include "cli_support.h"
#include "abmtier/config.h"

using namespace abmtier;
namespace fs = std::filesystem;

namespace {

using Run = test::CliRun;
using test::example;
using test::run_cli;
using test::Scratch;
using test::slurp;

// Splits simple CSV output (no quoted fields needed for the columns tests read).
std::vector<std::map<std::string, std::string>> read_simple_csv(const std::string& text) {
  std::vector<std::map<std::string, std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::string cur;
    bool quoted = false;
    for (char c : l) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) { f.push_back(cur); cur.clear(); }
      else cur += c;
    }
    f.push_back(cur);
    return f;
  };
  while (std::getline(in, line)) {
    auto f = split(line);
    if (header.empty()) { header = f; continue; }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
    rows.push_back(row);
  }
  return rows;
}

std::size_t count_if_tier(const std::vector<std::map<std::string, std::string>>& rows, const std::string& tier) {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](auto& r) { return r.at("tier") == tier; }));
}

}  // namespace

TEST_CASE("cli: the worked example gives SPEC 6's numbers", "[cli]") {
  Scratch s;
  const auto r = run_cli({"run", example("worked_example.csv"), "-c", example("worked_example.json"),
                          "--as-of", "2026-11-20", "--summary", s.path("summary.json")});
  REQUIRE(r.code == 0);
  const auto rows = read_simple_csv(r.out);
  REQUIRE(rows.size() == 250);
  CHECK(count_if_tier(rows, "1") == 32);
  CHECK(count_if_tier(rows, "2") == 32);
  CHECK(count_if_tier(rows, "3") == 186);
  const auto waitlisted = std::count_if(rows.begin(), rows.end(), [](auto& row) {
    return row.at("waitlist_tier") == "1" && row.at("tier") == "2";
  });
  CHECK(waitlisted == 9);
  const auto summary = nlohmann::json::parse(slurp(s.path("summary.json")));
  CHECK(summary["tiers"]["1"]["count"] == 32);
  CHECK(summary["tiers"]["1"]["waitlisted"] == 9);
  CHECK(summary["tiers"]["3"]["count"] == 186);
  // the first row is tier 1, rank 1; the waitlist ranks run 1..9
  CHECK(rows.front().at("tier_rank") == "1");
  CHECK(rows.front().at("tier") == "1");
  std::set<std::string> ranks;
  for (const auto& row : rows)
    if (row.at("waitlist_tier") == "1") ranks.insert(row.at("waitlist_rank"));
  CHECK(ranks == std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9"});
}

TEST_CASE("cli: same input and config give byte-identical output", "[cli]") {
  const std::vector<std::string> args{"run", example("worked_example.csv"), "-c",
                                      example("worked_example.json"), "--as-of", "2026-11-20"};
  const auto a = run_cli(args);
  const auto b = run_cli(args);
  REQUIRE(a.code == 0);
  CHECK(a.out == b.out);
  for (const char* format : {"json", "jsonl", "tsv"}) {
    auto with_format = args;
    with_format.insert(with_format.end(), {"--format", format});
    CHECK(run_cli(with_format).out == run_cli(with_format).out);
  }
}

TEST_CASE("cli: input from standard input", "[cli]") {
  const auto r = run_cli({"run", "-", "--as-of", "2026-11-20"}, "id,fit,intent\na,90,80\nb,50,50\n");
  REQUIRE(r.code == 0);
  const auto rows = read_simple_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("id") == "a");
  CHECK(rows[0].at("tier") == "1");
  CHECK(rows[0].at("change") == "new");
  CHECK(rows[1].at("tier") == "3");
}

TEST_CASE("cli: a previous run drives hysteresis and the change column", "[cli]") {
  Scratch s;
  // night 1: a and b are tier 1 (no reps known: tier 1 unlimited)
  s.write("n1.csv", "id,fit,intent\na,90,90\nb,90,90\nc,50,50\n");
  REQUIRE(run_cli({"run", s.path("n1.csv"), "-o", s.path("prev.csv")}).code == 0);
  // night 2: a drops to composite 74 (held: >= 70), b to 60 (demoted),
  // c rises to matrix tier 1 at composite 80 (< 85: promotion held at 3? no:
  // tier 2 has no threshold, so it stops at 2)
  s.write("n2.csv", "id,fit,intent\na,80,65\nb,70,45\nc,80,80\nd,10,10\n");
  const auto r = run_cli({"run", s.path("n2.csv"), "--previous", s.path("prev.csv")});
  REQUIRE(r.code == 0);
  std::map<std::string, std::map<std::string, std::string>> by_id;
  for (auto& row : read_simple_csv(r.out)) by_id[row["id"]] = row;
  CHECK(by_id["a"]["tier"] == "1");
  CHECK(by_id["a"]["change"] == "unchanged");
  CHECK(by_id["b"]["tier"] == "2");
  CHECK(by_id["b"]["change"] == "demoted");
  CHECK(by_id["c"]["tier"] == "2");
  CHECK(by_id["c"]["change"] == "promoted");
  CHECK(by_id["d"]["change"] == "new");
  CHECK(by_id["a"]["previous_tier"] == "1");
  // --refresh ignores the previous tier for eligibility, not for `change`
  const auto refreshed = run_cli({"run", s.path("n2.csv"), "--previous", s.path("prev.csv"), "--refresh"});
  for (auto& row : read_simple_csv(refreshed.out)) by_id[row["id"]] = row;
  CHECK(by_id["a"]["tier"] == "2");
  CHECK(by_id["a"]["change"] == "demoted");
  CHECK(by_id["c"]["tier"] == "1");
}

TEST_CASE("cli: overrides pin tiers with their reason", "[cli]") {
  Scratch s;
  s.write("in.csv", "id,fit,intent\na,10,10\nb,90,90\n");
  s.write("pins.csv", "id,tier,reason\na,1,Strategic logo\n");
  const auto r = run_cli({"run", s.path("in.csv"), "--overrides", s.path("pins.csv"), "--reps", "0"});
  REQUIRE(r.code == 0);
  const auto rows = read_simple_csv(r.out);
  CHECK(rows[0].at("id") == "a");
  CHECK(rows[0].at("tier") == "1");
  CHECK(rows[0].at("reason").find("Strategic logo") != std::string::npos);
  CHECK(rows[1].at("tier") == "3");  // tier 1 and 2 caps are 0 with --reps 0
}

TEST_CASE("cli: flags win over the config keys they shadow", "[cli]") {
  Scratch s;
  s.write("cfg.json", R"({"capacity": {"reps": 10}, "output": {"format": "json"}})");
  s.write("in.csv", "id,fit,intent\na,90,90\nb,90,80\nc,90,70\n");
  const auto by_config = run_cli({"run", s.path("in.csv"), "-c", s.path("cfg.json")});
  REQUIRE(by_config.code == 0);
  CHECK(nlohmann::json::parse(by_config.out).size() == 3);
  const auto by_flag = run_cli({"run", s.path("in.csv"), "-c", s.path("cfg.json"), "--format", "csv",
                                "--set", "capacity.tier1.per_rep=1", "--reps", "2"});
  REQUIRE(by_flag.code == 0);
  const auto rows = read_simple_csv(by_flag.out);
  CHECK(count_if_tier(rows, "1") == 2);  // 2 reps x 1 per rep
}

TEST_CASE("cli: init prints a config that runs like no config at all", "[cli]") {
  Scratch s;
  const auto init = run_cli({"init"});
  REQUIRE(init.code == 0);
  CHECK(init.out.find("//") != std::string::npos);  // commented
  s.write("default.json", init.out);
  const std::vector<std::string> base{"run", example("worked_example.csv"), "--as-of", "2026-11-20"};
  auto with_config = base;
  with_config.insert(with_config.end(), {"-c", s.path("default.json")});
  CHECK(run_cli(base).out == run_cli(with_config).out);
}

TEST_CASE("cli: usage errors exit 2 with a message naming the problem", "[cli]") {
  Scratch s;
  s.write("in.csv", "id,fit,intent\na,90,90\n");
  s.write("typo.json", R"({"bands": {"fit": {"hihg": 70}}})");
  auto r = run_cli({"run", s.path("in.csv"), "-c", s.path("typo.json")});
  CHECK(r.code == 2);
  CHECK(r.err.find("bands.fit.hihg") != std::string::npos);
  r = run_cli({"run", s.path("in.csv"), "--format", "xlsx"});
  CHECK(r.code == 2);
  r = run_cli({"run", s.path("in.csv"), "--set", "capacity.reps=-1"});
  CHECK(r.code == 2);
  CHECK(r.err.find("capacity.reps") != std::string::npos);
  r = run_cli({});
  CHECK(r.code == 2);
}

TEST_CASE("cli: rejected rows fail the run by default and are all reported", "[cli]") {
  Scratch s;
  s.write("in.csv", "id,fit,intent\na,90,90\nb,abc,10\n,50,50\nc,101,5\n");
  auto r = run_cli({"run", s.path("in.csv"), "-o", s.path("out.csv")});
  CHECK(r.code == 3);
  CHECK_FALSE(std::filesystem::exists(s.path("out.csv")));
  CHECK(r.err.find("line 3") != std::string::npos);
  CHECK(r.err.find("line 4") != std::string::npos);
  CHECK(r.err.find("line 5") != std::string::npos);
  r = run_cli({"run", s.path("in.csv"), "-o", s.path("out.csv"), "--on-error", "skip", "--rejects",
               s.path("rejects.csv"), "--summary", s.path("summary.json")});
  CHECK(r.code == 0);
  const auto summary = nlohmann::json::parse(slurp(s.path("summary.json")));
  CHECK(summary["input"]["rows_read"] == 4);
  CHECK(summary["input"]["accepted"] == 1);
  CHECK(summary["input"]["rejected"] == 3);
  const std::string rejects = slurp(s.path("rejects.csv"));
  CHECK(rejects.find("b,abc,10,3,") != std::string::npos);
  r = run_cli({"run", s.path("in.csv"), "-o", s.path("out2.csv"), "--on-error", "skip", "--max-rejects", "2"});
  CHECK(r.code == 3);
  CHECK_FALSE(std::filesystem::exists(s.path("out2.csv")));
}

TEST_CASE("cli: list options take one value each and never swallow the input", "[cli]") {
  Scratch s;
  const std::string input = s.write("in.csv", "id,fit,intent,Region\na,90,90,EU\nb,90,80,US\n");
  auto r = run_cli({"run", "--set", "capacity.tier1.max=1", input});
  REQUIRE(r.code == 0);
  CHECK(count_if_tier(read_simple_csv(r.out), "1") == 1);
  r = run_cli({"run", "--keep", "Region", "--fail-on-alert", "uncapped_tier1", input, "--set",
               "capacity.tier1.max=1", "--set", "capacity.tier2.max=0"});
  REQUIRE(r.code == 0);
  const auto rows = read_simple_csv(r.out);
  CHECK(rows.at(0).at("Region") == "EU");
  CHECK(rows.at(1).at("tier") == "3");
}
