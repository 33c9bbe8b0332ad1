// Five nights of `abmtier run --state DIR` on an export whose scores drift:
// hysteresis holds and releases at 85/70, the tier-1 waitlist moves up as
// capacity frees, the history adds up, re-runs are idempotent, the lock
// holds, and the metrics land in the per-night summaries.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "abmtier/cli.h"
#include "cli_support.h"
#include "abmtier/side_inputs.h"
#include "abmtier/state.h"

using namespace abmtier;
namespace fs = std::filesystem;

namespace {

using test::Scratch;
using test::slurp;

int run_cli(std::vector<std::string> args, std::string* err_out = nullptr) {
  args.insert(args.begin(), "abmtier");
  std::istringstream in;
  std::ostringstream out, err;
  const int code = cli_main(args, {in, out, err});
  if (err_out) *err_out = err.str();
  return code;
}

struct Night {
  const char* date;
  const char* csv;  // id,name,fit,intent,last_touch
};

// Tier 1 holds 2 accounts; tiers 2 and 3 are open.
constexpr const char* kConfig = R"({
  "capacity": {"reps": 1, "tier1": {"max": 2}, "tier2": {"per_rep": null}},
  "coverage": {"window_days": 30}
})";

const std::vector<Night> kNights{
    {"2026-11-01",  // A, B tier 1; C, D waitlisted #1, #2; E tier 3
     "id,name,fit,intent,last_touch\nA,Alpha,95,95,2026-10-30\nB,Beta,90,88,2026-10-01\n"
     "C,Gamma,88,86,2026-10-20\nD,Delta,86,85,\nE,Epsilon,50,50,2026-10-31\n"},
    {"2026-11-02",  // A falls to 72: held in tier 1 (>= 70); E rises to 77: tier 2 only (< 85)
     "id,name,fit,intent,last_touch\nA,Alpha,80,60,2026-10-30\nB,Beta,90,88,2026-10-01\n"
     "C,Gamma,88,86,2026-10-20\nD,Delta,86,85,\nE,Epsilon,75,80,2026-10-31\n"},
    {"2026-11-03",  // A falls to 62: released to tier 2; C (87.2 >= 85) moves up; D is #1
     "id,name,fit,intent,last_touch\nA,Alpha,70,50,2026-10-30\nB,Beta,90,88,2026-10-01\n"
     "C,Gamma,88,86,2026-10-20\nD,Delta,86,85,\nE,Epsilon,75,80,2026-10-31\n"},
    {"2026-11-04",  // B leaves the export: D takes the free slot; E (77 < 85) is held in tier 2
     "id,name,fit,intent,last_touch\nA,Alpha,70,50,2026-10-30\n"
     "C,Gamma,88,86,2026-10-20\nD,Delta,86,85,\nE,Epsilon,75,80,2026-10-31\n"},
    {"2026-11-05",  // B is back (re-added), but the incumbents C and D rank first: B waits
     "id,name,fit,intent,last_touch\nA,Alpha,70,50,2026-10-30\nB,Beta,90,88,2026-11-04\n"
     "C,Gamma,88,86,2026-11-04\nD,Delta,85,90,2026-11-04\nE,Epsilon,75,80,2026-10-31\n"},
};


std::map<std::string, Tier> tiers_of(const std::string& csv_text) {
  const PreviousRun run = parse_previous(csv_text, "latest.csv");
  return {run.tier_by_id.begin(), run.tier_by_id.end()};
}

// Waitlist rank by id, from latest.csv (column 16 of the output).
nlohmann::json night_summary(const Scratch& s, const char* date) {
  return nlohmann::json::parse(slurp(s.dir / "state" / "runs" / (std::string(date) + ".json")));
}

int run_night(const Scratch& s, std::size_t n, std::vector<std::string> extra = {}) {
  const std::string input = s.write("export-" + std::to_string(n) + ".csv", kNights[n].csv);
  std::vector<std::string> args{"run",     input, "-c", s.path("config.json"), "--state",
                                s.path("state"), "--as-of", kNights[n].date, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

std::size_t history_rows(const Scratch& s) {
  const std::string text = slurp(s.dir / "state" / "history.csv");
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) - 1;
}

}  // namespace

TEST_CASE("cli: five nights with --state keep tiers stable and the history adds up", "[cli][nightly]") {
  Scratch s;
  s.write("config.json", kConfig);
  const fs::path latest = s.dir / "state" / "latest.csv";
  using T = Tier;

  REQUIRE(run_night(s, 0) == 0);
  auto tiers = tiers_of(slurp(latest));
  CHECK(tiers == std::map<std::string, Tier>{{"A", T::k1}, {"B", T::k1}, {"C", T::k2}, {"D", T::k2}, {"E", T::k3}});
  auto summary = night_summary(s, "2026-11-01");
  CHECK(summary["tiers"]["1"]["waitlisted"] == 2);
  CHECK(summary["changes"]["new"] == 5);
  CHECK(summary["tiers"]["1"]["coverage"] == 0.5);  // A touched within 30 days, B not
  CHECK(history_rows(s) == 5);

  // Re-running the same night adds nothing and changes nothing.
  const std::string before = slurp(latest);
  REQUIRE(run_night(s, 0) == 0);
  CHECK(history_rows(s) == 5);
  CHECK(slurp(latest) == before);

  REQUIRE(run_night(s, 1) == 0);
  tiers = tiers_of(slurp(latest));
  CHECK(tiers["A"] == T::k1);  // composite 72: demotion held
  CHECK(tiers["E"] == T::k2);  // composite 77: promotion to tier 1 held at tier 2
  summary = night_summary(s, "2026-11-02");
  CHECK(summary["changes"]["demotion_held"] == 1);
  CHECK(summary["changes"]["promoted"] == 1);
  CHECK(summary["changes"]["demoted"] == 0);

  REQUIRE(run_night(s, 2) == 0);
  tiers = tiers_of(slurp(latest));
  CHECK(tiers["A"] == T::k2);  // composite 62 < 70: released
  CHECK(tiers["C"] == T::k1);  // the slot goes to the first on the waitlist
  summary = night_summary(s, "2026-11-03");
  CHECK(summary["changes"]["demoted"] == 1);
  CHECK(summary["changes"]["promoted"] == 1);
  CHECK(summary["tiers"]["1"]["waitlisted"] == 1);  // D moved up to #1
  CHECK(slurp(latest).find("D,Delta,,86.00,85.00,,85.60,high,high,1,2,") != std::string::npos);

  REQUIRE(run_night(s, 3) == 0);
  tiers = tiers_of(slurp(latest));
  CHECK(tiers.count("B") == 0);
  CHECK(tiers["D"] == T::k1);  // next in line takes the freed slot
  CHECK(tiers["E"] == T::k2);  // composite 77 < 85: promotion held
  summary = night_summary(s, "2026-11-04");
  CHECK(summary["changes"]["dropped"] == 1);
  CHECK(summary["changes"]["promotion_held"] == 1);
  CHECK(summary["tiers"]["1"]["count"] == 2);
  CHECK(summary["tiers"]["1"]["waitlisted"] == 0);

  REQUIRE(run_night(s, 4) == 0);
  tiers = tiers_of(slurp(latest));
  CHECK(tiers["C"] == T::k1);  // incumbents first
  CHECK(tiers["D"] == T::k1);
  CHECK(tiers["B"] == T::k2);  // composite 89.2, but tier 1 is full: waitlisted #1
  const std::string history = slurp(s.dir / "state" / "history.csv");
  CHECK(history.find("2026-11-05,B,Beta,,2,re-added,") != std::string::npos);
  CHECK(history.find("2026-11-04,B,Beta,1,,dropped,") != std::string::npos);
  summary = night_summary(s, "2026-11-05");
  CHECK(summary["tiers"]["1"]["coverage"] == 1.0);

  // Replaying the history from empty gives exactly latest.csv's tiers.
  const auto replayed = replay_history(history);
  CHECK(std::map<std::string, Tier>(replayed.begin(), replayed.end()) == tiers);

  // And a re-run of the last night changes neither.
  const std::size_t rows = history_rows(s);
  REQUIRE(run_night(s, 4) == 0);
  CHECK(history_rows(s) == rows);
}

TEST_CASE("cli: a second run exits 75 at once while the state is locked", "[cli][nightly]") {
  Scratch s;
  s.write("config.json", kConfig);
  REQUIRE(run_night(s, 0) == 0);
  const std::string history = slurp(s.dir / "state" / "history.csv");
  const StateLock held(s.path("state"));
  CHECK(run_night(s, 1) == 75);
  CHECK(slurp(s.dir / "state" / "history.csv") == history);
  CHECK_FALSE(fs::exists(s.dir / "state" / "runs" / "2026-11-02.json"));
}

TEST_CASE("cli: an expired pin lapses with a note in the history", "[cli][nightly]") {
  Scratch s;
  s.write("config.json", kConfig);
  const std::string pins = s.write("pins.csv", "id,tier,reason,expires\nE,1,Board intro,2026-11-01\n");
  REQUIRE(run_night(s, 0, {"--overrides", pins}) == 0);
  CHECK(tiers_of(slurp(s.dir / "state" / "latest.csv"))["E"] == Tier::k1);
  REQUIRE(run_night(s, 1, {"--overrides", pins}) == 0);
  // E now holds tier 1 on its own scores (high/high, incumbent), unpinned
  const std::string latest = slurp(s.dir / "state" / "latest.csv");
  CHECK(latest.find("Pinned") == std::string::npos);
  const std::string history = slurp(s.dir / "state" / "history.csv");
  CHECK(history.find("2026-11-02,E,Epsilon,1,1,pin-expired,") != std::string::npos);
  REQUIRE(run_night(s, 2, {"--overrides", pins}) == 0);  // noted once, not every night
  CHECK(slurp(s.dir / "state" / "history.csv").find("2026-11-03,E,Epsilon,1,1,pin-expired") ==
        std::string::npos);
}

TEST_CASE("cli: --fail-on-alert exits 4 after writing the outputs", "[cli][nightly]") {
  Scratch s;
  s.write("config.json", kConfig);
  std::string err;
  const std::string input = s.write("in.csv", kNights[0].csv);
  CHECK(run_cli({"run", input, "-c", s.path("config.json"), "--as-of", "2026-11-01", "-o",
                 s.path("out.csv"), "--fail-on-alert", "tier1_coverage_low"},
                &err) == 4);
  CHECK(fs::exists(s.path("out.csv")));
  CHECK(run_cli({"run", input, "--fail-on-alert", "no_such_alert"}, &err) == 2);
  CHECK(err.find("tier1_coverage_low") != std::string::npos);  // lists the codes
  CHECK(run_cli({"run", input, "-c", s.path("config.json"), "--as-of", "2026-11-01", "-o",
                 s.path("out2.csv"), "--fail-on-alert", "uncapped_tier1"}) == 0);
}

TEST_CASE("cli: tier mix off plan and the pin budget raise their alerts", "[cli][nightly]") {
  Scratch s;
  const std::string input = s.write("in.csv", kNights[0].csv);
  s.write("plan.json", R"({"capacity": {"reps": 1, "tier1": {"max": 2}, "tier2": {"per_rep": null}},
                           "plan": {"tier1": 0.4, "tier3": 0.2}, "alerts": {"tier_mix_points": 15},
                           "overrides": {"max_share_tier1": 0.6}})");
  const std::string pins = s.write("pins.csv", "id,tier\nE,1\n");
  s.write("summary.json", "");
  // Tier 1 holds the pinned E and A (2 of 5 = 40 %, on plan); tier 3 is
  // empty (0 % vs 20 %: 20 points off); 1 of 2 tier-1 accounts pinned
  // = 50 %, within the 60 % budget.
  REQUIRE(run_cli({"run", input, "-c", s.path("plan.json"), "--overrides", pins, "--as-of",
                   "2026-11-01", "-o", s.path("out.csv"), "--summary", s.path("summary.json")}) == 0);
  auto summary = nlohmann::json::parse(slurp(s.path("summary.json")));
  std::vector<std::string> codes;
  for (const auto& alert : summary["alerts"]) codes.push_back(alert["code"]);
  CHECK(std::find(codes.begin(), codes.end(), "tier_mix_off_plan") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "overrides_over_budget") == codes.end());
  // a budget of 30 % is exceeded
  REQUIRE(run_cli({"run", input, "-c", s.path("plan.json"), "--set", "overrides.max_share_tier1=0.3",
                   "--set", "alerts.tier_mix_points=25", "--overrides", pins, "--as-of", "2026-11-01",
                   "-o", s.path("out.csv"), "--summary", s.path("summary.json")}) == 0);
  summary = nlohmann::json::parse(slurp(s.path("summary.json")));
  codes.clear();
  for (const auto& alert : summary["alerts"]) codes.push_back(alert["code"]);
  CHECK(std::find(codes.begin(), codes.end(), "overrides_over_budget") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "tier_mix_off_plan") == codes.end());
}
