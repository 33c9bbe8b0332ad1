// Tests of `abmtier explain`: the explanation module on tables built in
// memory, and the command end to end on the examples, with every figure
// checked against what `run` writes for the same account.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "abmtier/capacity.h"
#include "abmtier/cli.h"
#include "cli_support.h"
#include "abmtier/explain.h"
#include "abmtier/hysteresis.h"
#include "abmtier/reader.h"
#include "test_support.h"

using namespace abmtier;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

using test::CliRun;
using test::run_cli;
using test::example;
using test::Scratch;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The finished table of a tiny gate: 4 accounts of owner o eligible for
// tier 1 with composites 90, 80, 70, 60, one of owner p; caps 2 / 1 / none.
struct Gate {
  Config config;
  AccountTable table;
  CapacityResult capacity;
  explicit Gate(CapacityMode mode, Tier previous_of_d = Tier::kNone) {
    config.capacity_mode = mode;
    config.weight_fit = 1;
    config.weight_intent = 0;
    config.intent_bands = {0, 0};  // every intent is high
    config.reps = 1;
    config.capacity[0] = {std::nullopt, 2};
    config.capacity[1] = {std::nullopt, 1};
    config.hysteresis[0] = {};
    table = test::make_table({{"a", 90, 90, "o"}, {"b", 80, 80, "o"}, {"c", 75, 75, "p"},
                              {"d", 72, 72, "o", previous_of_d}, {"e", 71, 71, "o"}},
                             config);
    apply_hysteresis(table, config, false);
    capacity = apply_capacity(table, config, std::nullopt, true, false);
  }
};

}  // namespace

TEST_CASE("explain: ordinals", "[explain]") {
  const std::vector<std::pair<std::uint64_t, std::string>> cases = {
      {1, "1st"},   {2, "2nd"},   {3, "3rd"},   {4, "4th"},   {11, "11th"},   {12, "12th"},  {13, "13th"},
      {21, "21st"}, {22, "22nd"}, {23, "23rd"}, {101, "101st"}, {111, "111th"}, {112, "112th"}, {0, "0th"}};
  for (const auto& [n, text] : cases) CHECK(ordinal(n) == text);
}

TEST_CASE("explain: gate steps rank each tier's candidates like the gate", "[explain]") {
  Gate g(CapacityMode::kPooled);
  const std::size_t e = test::row_of(g.table, "e");
  // pooled: a, b in tier 1; c waitlisted and worked in tier 2; d, e to tier 3
  REQUIRE(g.table.tier[e] == Tier::k3);
  const auto steps = gate_steps(g.table, e, g.capacity, false);
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].tier == Tier::k1);
  CHECK(steps[0].rank == 5);
  CHECK(steps[0].candidates == 5);
  CHECK(steps[0].cap == 2);
  CHECK(steps[0].placed == 2);
  CHECK_FALSE(steps[0].got_in);
  CHECK(g.table.id_of(steps[0].last_in) == "b");
  CHECK(steps[1].rank == 3);
  CHECK(steps[1].candidates == 3);  // c, d, e cascaded from tier 1
  CHECK(g.table.id_of(steps[1].last_in) == "c");
  CHECK(steps[2].tier == Tier::k3);
  CHECK(steps[2].got_in);
  CHECK(steps[2].cap == std::nullopt);
  CHECK(steps[2].rank == 2);

  const auto a = gate_steps(g.table, test::row_of(g.table, "a"), g.capacity, false);
  REQUIRE(a.size() == 1);
  CHECK(a[0].rank == 1);
  CHECK(a[0].got_in);
}

TEST_CASE("explain: gate steps count only the account's owner in per_owner mode", "[explain]") {
  Gate g(CapacityMode::kPerOwner);
  const std::size_t c = test::row_of(g.table, "c");
  const auto steps = gate_steps(g.table, c, g.capacity, false);
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].candidates == 1);  // c is owner p's only account
  CHECK(steps[0].got_in);
  const auto d = gate_steps(g.table, test::row_of(g.table, "d"), g.capacity, false);
  REQUIRE(d.size() == 2);
  CHECK(d[0].candidates == 4);
  CHECK(d[0].rank == 3);
  CHECK(d[1].candidates == 2);  // d and e
  CHECK(d[1].got_in);
}

TEST_CASE("explain: an incumbent is ranked in its class, ahead of higher composites", "[explain]") {
  Gate g(CapacityMode::kPooled, Tier::k1);
  const std::size_t d = test::row_of(g.table, "d");
  const auto steps = gate_steps(g.table, d, g.capacity, false);
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].rank_class == GateClass::kIncumbent);
  CHECK(steps[0].rank == 1);
  CHECK(steps[0].got_in);
  // under --refresh the same account is ranked by composite
  g.capacity = apply_capacity(g.table, g.config, std::nullopt, true, true);
  const auto refreshed = gate_steps(g.table, d, g.capacity, true);
  CHECK(refreshed[0].rank_class == GateClass::kOther);
  CHECK(refreshed[0].rank == 4);
}

TEST_CASE("explain: raw scores are re-read from the record's line", "[explain]") {
  struct Case {
    std::string name, input;
    std::string id, fit, intent;
  };
  const std::vector<Case> cases = {
      {"plain", "id,fit,intent\na,1,2\nb,73.5%,\n", "b", "73.5%", ""},
      {"crlf and bom", "\xEF\xBB\xBFid,fit,intent\r\na,1,2\r\nb, 7 ,8\r\n", "b", "7", "8"},
      {"quoted line break before", "id,name,fit,intent\na,\"x\ny\",1,2\nb,\"q, \"\"r\"\"\",3,4\n", "b", "3", "4"},
      {"semicolon and blank line", "id;fit;intent\n\na;1;2\n\nb;5,5;6\n", "b", "5,5", "6"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const ReadResult read = read_accounts(c.input, "t.csv", Config{});
    REQUIRE(read.rejects.empty());
    const std::size_t row = test::row_of(read.table, c.id);
    REQUIRE(row < read.table.size());
    const RawScores raw = raw_scores(c.input, read.stats, read.table.line[row]);
    REQUIRE(raw.found);
    CHECK(raw.fit == c.fit);
    CHECK(raw.intent == c.intent);
    CHECK(raw.engagement.empty());
  }
  const ReadResult read = read_accounts("id,fit,intent\na,1,2\n", "t.csv", Config{});
  CHECK_FALSE(raw_scores("id,fit,intent\na,1,2\n", read.stats, 7).found);  // no such line
}

TEST_CASE("explain: the worked example's waitlisted account, checked against run", "[explain]") {
  const std::vector<std::string> base = {example("worked_example.csv"), "-c", example("worked_example.json"),
                                         "--as-of", "2026-11-15"};
  std::vector<std::string> run{"run"};
  run.insert(run.end(), base.begin(), base.end());
  run.insert(run.end(), {"--format", "json", "-q"});
  const Json rows = Json::parse(run_cli(run).out);
  Json last_in, account;
  std::size_t eligible = 0;
  for (const auto& row : rows) {
    if (row["tier"] == "1" && row["tier_rank"] == 32) last_in = row;
    if (row["matrix_tier"] == "1") ++eligible;
    if (row["waitlist_tier"] == "1" && row["waitlist_rank"] == 2) account = row;
  }
  REQUIRE(eligible == 41);
  REQUIRE(account.is_object());
  const std::string id = account["id"];

  std::vector<std::string> args{"explain"};
  args.insert(args.end(), base.begin(), base.end());
  args.push_back(id);
  const CliRun r = run_cli(args);
  REQUIRE(r.code == 0);
  CAPTURE(r.out);
  CHECK(r.out.rfind(id + " " + account["name"].get<std::string>() + " (owner " +
                        account["owner"].get<std::string>() + ")", 0) == 0);
  CHECK(has(r.out, fmt::format("fit \"{:.1f}\" -> {:.2f}", account["fit"].get<double>(), account["fit"].get<double>())));
  CHECK(has(r.out, fmt::format("= {:.2f}\n", account["composite"].get<double>())));
  CHECK(has(r.out, "Matrix:     matrix.high.high -> tier 1"));
  CHECK(has(r.out, "tier 1: ranked 34th of 41 candidates (cap 32, 32 placed): not in; the last account in, " +
                       last_in["id"].get<std::string>() +
                       fmt::format(", had composite {:.2f}", last_in["composite"].get<double>())));
  CHECK(has(r.out, "waitlisted #2 for tier 1\n"));
  CHECK(has(r.out, fmt::format("Result:     tier 2, rank {} in it", account["tier_rank"].get<int>())));
  CHECK(has(r.out, "Reason:     " + account["reason"].get<std::string>() + "\n"));
  CHECK(has(r.out, "pooled (4 reps from capacity.reps)"));
}

TEST_CASE("explain: mapped and scaled scores, previous tiers and hysteresis", "[explain]") {
  const CliRun r = run_cli({"explain", example("salesforce_export.csv"), "-c", example("salesforce.json"), "--as-of",
                        "2026-11-15", "--on-error", "skip", "001Hs00000002AbCQAU", "001Hs00000003AbCQAU"});
  REQUIRE(r.code == 0);
  CAPTURE(r.out);
  // the second record spans two lines, so the third starts on line 5
  CHECK(has(r.out, "001Hs00000002AbCQAU Lumen Health Ltd (owner Mei Chen), input line 3\n"));
  CHECK(has(r.out, "001Hs00000003AbCQAU Vertex Energy S.A. (owner Priya Raman), input line 5\n"));
  CHECK(has(r.out, "fit \"B\" -> 80.00 (scores.fit.map); intent \"0.84\" on the 0-1 scale -> 84.00"));
  CHECK(has(r.out, "tier 2 (from the input's \"Account Tier\" column); hysteresis (tier 1 promote_at 85; "
                   "composite 81.60): promotion held: stays at tier 2"));
  CHECK(has(r.out, "demoted to tier 3"));
  CHECK(has(r.out, "per owner: competes with the other accounts of Mei Chen"));
  CHECK(has(r.out, "among the incumbents (previous tier 2)"));
}

TEST_CASE("explain: overrides, expired pins and --refresh", "[explain]") {
  Scratch s;
  const std::string input = "id,fit,intent,tier\nx,80,80,2\ny,30,30,3\nz,60,60,1\n";
  const auto overrides = s.write("o.csv", "id,tier,reason,expires\ny,1,CEO intro,\nz,2,old,2026-01-01\n");
  const CliRun r = run_cli({"explain", "-", "--as-of", "2026-11-15", "--overrides", overrides, "x", "y", "z"}, input);
  REQUIRE(r.code == 0);
  CAPTURE(r.out);
  CHECK(has(r.out, "Override:   pinned to tier 1 (CEO intro); pins rank first"));
  CHECK(has(r.out, "hysteresis skipped: the account is pinned"));
  CHECK(has(r.out, "among the pinned accounts"));
  CHECK(has(r.out, "Override:   none; its pin to tier 2 expired on 2026-01-01"));
  CHECK(has(r.out, "hysteresis (tier 1 demote_below 70, tier 2 demote_below none; composite 60.00): demoted to tier 3"));
  CHECK(has(r.out, "hysteresis (tier 1 promote_at 85; composite 80.00): promotion held: stays at tier 2"));
  CHECK(has(r.out, "reps unknown"));

  const CliRun refreshed = run_cli({"explain", "-", "--as-of", "2026-11-15", "--refresh", "x"}, input);
  REQUIRE(refreshed.code == 0);
  CHECK(has(refreshed.out, "ignored under --refresh; eligible for the matrix tier, tier 1"));
  CHECK(has(refreshed.out, "Result:     tier 1"));
}

TEST_CASE("explain: unknown ids exit 2, rejected ones 3, after explaining the rest", "[explain]") {
  const std::string input = "id,fit,intent\na,90,80\nb,abc,50\nc,50,50\n";
  const CliRun fail = run_cli({"explain", "-", "a"}, input);
  CHECK(fail.code == 3);  // --on-error fail, as in run
  CHECK(fail.out.empty());

  const CliRun missing = run_cli({"explain", "-", "--on-error", "skip", "a", "nope", "c"}, input);
  CHECK(missing.code == 2);
  CHECK(has(missing.out, "nope: no account with this id in stdin"));
  CHECK(has(missing.err, "no account with id nope"));
  CHECK(missing.out.rfind("a, input line 2\n", 0) == 0);  // explained first, in the order given
  CHECK(has(missing.out, "\nc, input line 4\n"));

  const CliRun rejected = run_cli({"explain", "-", "--on-error", "skip", "b", "a"}, input);
  CHECK(rejected.code == 3);
  CHECK(has(rejected.out, "b: not tiered; its row was rejected: line 3"));
  CHECK(has(rejected.out, "\na, input line 2\n"));

  CHECK(run_cli({"explain", "-"}, input).code == 2);  // no id given
}

TEST_CASE("explain: --set and --reps change the config the account is explained under", "[explain]") {
  const std::vector<std::string> base = {example("worked_example.csv"), "-c", example("worked_example.json"),
                                         "--as-of", "2026-11-15"};
  std::vector<std::string> args{"explain"};
  args.insert(args.end(), base.begin(), base.end());
  args.insert(args.end(), {"--set", "bands.fit.high=80", "--reps", "6", "ACC-1049", "ACC-1007"});
  const CliRun r = run_cli(args);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "fit 72.30 is mid (>= 40, < 80)"));
  CHECK(has(r.out, "pooled (6 reps from --reps)"));
  // 32 accounts keep a fit of 80 or more with high intent: all fit under 6 x 8
  CHECK(has(r.out, "tier 1: ranked 1st of 32 candidates (cap 48, 32 placed): in"));
}
