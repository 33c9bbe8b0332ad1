#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abmtier/config.h"

using namespace abmtier;
using Catch::Matchers::Contains;

namespace {

const std::string kData = std::string(ABMTIER_TEST_DATA) + "/config/";

// The message of the usage error that parsing throws; fails the test when
// parsing succeeds or throws anything else.
std::string usage_error(std::string_view text, const std::vector<std::string>& sets = {}) {
  try {
    parse_config(text, "team.json", sets);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kUsage);
    return e.what();
  }
  FAIL("expected a config error for: " << text);
  return {};
}

std::string set_error(const std::string& set) { return usage_error("{}", {set}); }

// Runs one table of tests/data/config/errors.json: each case must fail with
// a usage error containing every "expect" text and no "absent" text.
void run_error_table(const std::string& table) {
  std::ifstream in(kData + "errors.json");
  REQUIRE(in);
  const auto cases = nlohmann::json::parse(in, nullptr, true, true).at(table);
  REQUIRE(cases.size() >= 10);
  for (const auto& c : cases) {
    const std::string text = c.value("config", nlohmann::json::object()).dump();
    const auto sets = c.value("set", std::vector<std::string>{});
    INFO(text << " --set " << (sets.empty() ? "" : sets.front()));
    const std::string message = usage_error(text, sets);
    for (const auto& part : c.at("expect")) CHECK_THAT(message, Contains(part.get<std::string>()));
    for (const auto& part : c.value("absent", nlohmann::json::array()))
      CHECK_THAT(message, !Contains(part.get<std::string>()));
  }
}

Config with_set(const std::string& set) { return parse_config("{}", "defaults", {set}); }

void require_same(const Config& a, const Config& b) {
  CHECK(a.columns == b.columns);
  for (const auto& [x, y] :
       {std::pair{&a.fit_score, &b.fit_score}, std::pair{&a.intent_score, &b.intent_score},
        std::pair{&a.engagement_score, &b.engagement_score}}) {
    CHECK(x->lo == y->lo);
    CHECK(x->hi == y->hi);
    CHECK(x->map == y->map);
  }
  CHECK(a.weight_fit == b.weight_fit);
  CHECK(a.weight_intent == b.weight_intent);
  CHECK(a.weight_engagement == b.weight_engagement);
  CHECK(a.fit_bands.high == b.fit_bands.high);
  CHECK(a.fit_bands.mid == b.fit_bands.mid);
  CHECK(a.intent_bands.high == b.intent_bands.high);
  CHECK(a.intent_bands.mid == b.intent_bands.mid);
  CHECK(a.matrix == b.matrix);
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    CHECK(a.hysteresis[k].promote_at == b.hysteresis[k].promote_at);
    CHECK(a.hysteresis[k].demote_below == b.hysteresis[k].demote_below);
    CHECK(a.capacity[k].max == b.capacity[k].max);
    CHECK(a.capacity[k].per_rep == b.capacity[k].per_rep);
  }
  CHECK(a.capacity_mode == b.capacity_mode);
  CHECK(a.reps == b.reps);
  CHECK(a.plan == b.plan);
  CHECK(a.coverage_window_days == b.coverage_window_days);
  CHECK(a.tier_mix_points == b.tier_mix_points);
  CHECK(a.max_pin_share_tier1 == b.max_pin_share_tier1);
  CHECK(a.date_format == b.date_format);
  CHECK(a.delimiter == b.delimiter);
  CHECK(a.format == b.format);
  CHECK(a.keep == b.keep);
  CHECK(a.raw == b.raw);
}

}  // namespace

TEST_CASE("config: logical columns follow the SPEC 2 table", "[config]") {
  const std::vector<std::string_view> keys{
      "id",         "name",          "fit",           "intent",
      "engagement", "owner",         "previous_tier", "last_touch",
      "pipeline",   "engaged_roles", "buying_roles"};
  for (int i = 0; i < kColumnCount; ++i) {
    const auto c = static_cast<Column>(i);
    CHECK(column_key(c) == keys[static_cast<std::size_t>(i)]);
    CHECK(column_required(c) == (c == Column::kId || c == Column::kFit || c == Column::kIntent));
    CHECK_FALSE(column_aliases(c).empty());
  }
  CHECK(column_aliases(Column::kId) ==
        std::vector<std::string_view>{"id", "accountid", "recordid", "companyid"});
  CHECK(column_aliases(Column::kFit).back() == "icpscore");
  CHECK(column_aliases(Column::kPreviousTier).front() == "tier");
  CHECK(column_aliases(Column::kBuyingRoles) ==
        std::vector<std::string_view>{"buyingroles", "buyingcommittee", "namedbuyers"});
}

TEST_CASE("config: the default config text gives exactly the defaults", "[config]") {
  const std::string text = default_config_text();
  CHECK_THAT(text, Contains("//"));
  require_same(parse_config(text, "init"), Config{});
  require_same(parse_config("{}", "empty"), Config{});
  // Every section and key is spelt out, so `init` shows everything.
  for (const char* key :
       {"\"columns\"",   "\"buying_roles\"", "\"scale\"",       "\"map\"",          "\"weights\"",
        "\"bands\"",     "\"matrix\"",       "\"hysteresis\"",  "\"demote_below\"", "\"capacity\"",
        "\"mode\"",      "\"reps\"",         "\"max\"",         "\"per_rep\"",      "\"plan\"",
        "\"watchlist\"", "\"outside\"",      "\"window_days\"", "\"date_format\"",  "\"delimiter\"",
        "\"format\"",    "\"keep\"",         "\"raw\"",        "\"tier_mix_points\"",
        "\"max_share_tier1\""})
    CHECK_THAT(text, Contains(key));
}

TEST_CASE("config: a file setting every key is read in full", "[config]") {
  const Config c = load_config(kData + "full.json");
  CHECK(c.columns.size() == static_cast<std::size_t>(kColumnCount));
  CHECK(c.columns.at(Column::kId) == "Account Number");
  CHECK(c.columns.at(Column::kBuyingRoles) == "Committee Size");
  CHECK(c.fit_score.map == std::map<std::string, double>{{"a", 95}, {"b", 80}, {"high", 90}});
  CHECK((c.intent_score.lo == 1 && c.intent_score.hi == 5 && c.intent_score.map.empty()));
  CHECK((c.engagement_score.hi == 10 && c.engagement_score.map.empty()));
  CHECK((c.weight_fit == 0.5 && c.weight_intent == 0.3 && c.weight_engagement == 0.2));
  CHECK((c.fit_bands.high == 75 && c.fit_bands.mid == 45));
  CHECK((c.intent_bands.high == 60 && c.intent_bands.mid == 30));
  CHECK(c.matrix[0] == std::array<Tier, 3>{Tier::k1, Tier::k1, Tier::kWatchlist});
  CHECK(c.matrix[1] == std::array<Tier, 3>{Tier::k2, Tier::k2, Tier::kOutside});
  CHECK(c.matrix[2] == std::array<Tier, 3>{Tier::k3, Tier::kOutside, Tier::kOutside});
  CHECK((c.hysteresis[0].promote_at == 90.0 && !c.hysteresis[0].demote_below));
  CHECK((c.hysteresis[1].promote_at == 65.0 && c.hysteresis[1].demote_below == 50.0));
  CHECK((!c.hysteresis[2].promote_at && c.hysteresis[2].demote_below == 20.5));
  CHECK(c.capacity_mode == CapacityMode::kPooled);
  CHECK(c.reps == 6);
  CHECK((c.capacity[0].max == 40 && !c.capacity[0].per_rep));
  CHECK((!c.capacity[1].max && c.capacity[1].per_rep == 50));
  CHECK((c.capacity[2].max == 1000 && c.capacity[2].per_rep == 200));
  CHECK(c.plan == std::array<std::optional<double>, kTierCount>{0.05, 0.15, 0.5, 0.1, 0.2});
  CHECK(c.coverage_window_days == 45);
  CHECK(c.tier_mix_points == 5);
  CHECK(c.max_pin_share_tier1 == 0.25);
  CHECK(c.date_format == "%m/%d/%Y");
  CHECK(c.delimiter == ';');
  CHECK(c.format == OutputFormat::kJsonl);
  CHECK(c.keep == std::vector<std::string>{"Industry", "Region"});
  CHECK(c.raw);
}

TEST_CASE("config: the example in docs/config.md loads", "[config]") {
  const Config c = load_config(kData + "example.json");
  CHECK(c.columns.at(Column::kFit) == "ICP Grade");
  CHECK(c.fit_score.map.at("c") == 55);
  CHECK(c.reps == 6);
  CHECK(c.capacity[0].per_rep == 10);
  CHECK(c.capacity[1].per_rep == 60);
  CHECK(c.keep == std::vector<std::string>{"Industry"});
}

TEST_CASE("config: every key accepts a valid value through --set", "[config]") {
  struct Case {
    std::string set;
    std::function<bool(const Config&)> holds;
  };
  std::vector<Case> cases{
      {"scores.fit.scale=[1,5]",
       [](const Config& c) { return c.fit_score.lo == 1 && c.fit_score.hi == 5; }},
      {"scores.intent.scale=[-10, 10]", [](const Config& c) { return c.intent_score.lo == -10; }},
      {"scores.engagement.scale=[0, 0.5]",
       [](const Config& c) { return c.engagement_score.hi == 0.5; }},
      {"scores.intent.map.Hot=88",
       [](const Config& c) { return c.intent_score.map.at("hot") == 88; }},
      {"scores.engagement.map={\"x\": 0}",
       [](const Config& c) { return c.engagement_score.map.at("x") == 0; }},
      {"weights.fit=1", [](const Config& c) { return c.weight_fit == 1; }},
      {"weights.intent=0.5", [](const Config& c) { return c.weight_intent == 0.5; }},
      {"weights.engagement=0.25", [](const Config& c) { return c.weight_engagement == 0.25; }},
      {"bands.fit.high=75", [](const Config& c) { return c.fit_bands.high == 75; }},
      {"bands.fit.mid=70", [](const Config& c) { return c.fit_bands.mid == 70; }},
      {"bands.intent.high=100", [](const Config& c) { return c.intent_bands.high == 100; }},
      {"bands.intent.mid=0", [](const Config& c) { return c.intent_bands.mid == 0; }},
      {"capacity.mode=per_owner",
       [](const Config& c) { return c.capacity_mode == CapacityMode::kPerOwner; }},
      {"capacity.reps=6", [](const Config& c) { return c.reps == 6; }},
      {"capacity.reps=0", [](const Config& c) { return c.reps == 0; }},
      {"capacity.reps=1000000000", [](const Config& c) { return c.reps == 1000000000; }},
      {"coverage.window_days=1", [](const Config& c) { return c.coverage_window_days == 1; }},
      {"coverage.window_days=3650", [](const Config& c) { return c.coverage_window_days == 3650; }},
      {"coverage.date_format=%d.%m.%Y",
       [](const Config& c) { return c.date_format == "%d.%m.%Y"; }},
      {"coverage.date_format=%b %d %y",
       [](const Config& c) { return c.date_format == "%b %d %y"; }},
      {"input.delimiter=;", [](const Config& c) { return c.delimiter == ';'; }},
      {"input.delimiter=,", [](const Config& c) { return c.delimiter == ','; }},
      {"input.delimiter=|", [](const Config& c) { return c.delimiter == '|'; }},
      {"input.delimiter=tab", [](const Config& c) { return c.delimiter == '\t'; }},
      {"input.delimiter=\"\\t\"", [](const Config& c) { return c.delimiter == '\t'; }},
      {"input.delimiter=\\t", [](const Config& c) { return c.delimiter == '\t'; }},
      {"output.format=tsv", [](const Config& c) { return c.format == OutputFormat::kTsv; }},
      {"output.format=json", [](const Config& c) { return c.format == OutputFormat::kJson; }},
      {"output.format=JSONL", [](const Config& c) { return c.format == OutputFormat::kJsonl; }},
      {"output.keep=[\"Industry\"]",
       [](const Config& c) { return c.keep == std::vector<std::string>{"Industry"}; }},
      {"output.raw=true", [](const Config& c) { return c.raw; }},
  };
  for (int i = 0; i < kColumnCount; ++i) {
    const auto column = static_cast<Column>(i);
    cases.push_back({"columns." + std::string(column_key(column)) + "=Header " + std::to_string(i),
                     [column, i](const Config& c) {
                       return c.columns.at(column) == "Header " + std::to_string(i);
                     }});
  }
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    const std::string tier = "tier" + std::to_string(k + 1);
    cases.push_back({"hysteresis." + tier + ".promote_at=91",
                     [k](const Config& c) { return c.hysteresis[k].promote_at == 91.0; }});
    cases.push_back({"hysteresis." + tier + ".demote_below=12.5",
                     [k](const Config& c) { return c.hysteresis[k].demote_below == 12.5; }});
    cases.push_back(
        {"capacity." + tier + ".max=50", [k](const Config& c) { return c.capacity[k].max == 50; }});
    cases.push_back({"capacity." + tier + ".per_rep=10",
                     [k](const Config& c) { return c.capacity[k].per_rep == 10; }});
  }
  const std::vector<std::string> plan_keys{"tier1", "tier2", "tier3", "watchlist", "outside"};
  for (std::size_t t = 0; t < plan_keys.size(); ++t)
    cases.push_back(
        {"plan." + plan_keys[t] + "=0.25", [t](const Config& c) { return c.plan[t] == 0.25; }});
  for (const Case& c : cases) {
    INFO("--set " << c.set);
    CHECK(c.holds(with_set(c.set)));
  }
  // Values equal to the defaults, over a file that set something else.
  const Config back = parse_config(
      R"({"capacity":{"mode":"per_owner"},"output":{"format":"tsv"},"input":{"delimiter":";"}})",
      "team.json", {"capacity.mode=pooled", "output.format=csv", "input.delimiter=auto"});
  CHECK(back.capacity_mode == CapacityMode::kPooled);
  CHECK(back.format == OutputFormat::kCsv);
  CHECK(back.delimiter == 0);
}

TEST_CASE("config: matrix cells take numbers, digit text and tier names", "[config]") {
  const std::vector<std::pair<std::string, Tier>> good{{"1", Tier::k1},
                                                       {"2", Tier::k2},
                                                       {"3", Tier::k3},
                                                       {"3.0", Tier::k3},
                                                       {"\"1\"", Tier::k1},
                                                       {"\"3\"", Tier::k3},
                                                       {"watchlist", Tier::kWatchlist},
                                                       {"\"Watchlist\"", Tier::kWatchlist},
                                                       {"outside", Tier::kOutside}};
  const std::vector<std::string> bands{"high", "mid", "low"};
  for (const auto& [value, tier] : good)
    for (std::size_t f = 0; f < bands.size(); ++f)
      for (std::size_t i = 0; i < bands.size(); ++i) {
        const std::string set = "matrix." + bands[f] + "." + bands[i] + "=" + value;
        INFO("--set " << set);
        CHECK(with_set(set).matrix[f][i] == tier);
      }
  for (const std::string value :
       {"0", "4", "1.5", "\"tier1\"", "\"T1\"", "true", "null", "[1]", "\"\""}) {
    INFO("matrix.mid.low=" << value);
    const std::string message = set_error("matrix.mid.low=" + value);
    CHECK_THAT(message, Contains("`matrix.mid.low`"));
    CHECK_THAT(message, Contains("\"watchlist\" or \"outside\""));
  }
}

TEST_CASE("config: a wrong type names the key path and the value found", "[config]") {
  run_error_table("wrong_type");
}

TEST_CASE("config: an out-of-range value names the key path and the range", "[config]") {
  run_error_table("out_of_range");
}

TEST_CASE("config: an unknown key at any level is an error with a suggestion", "[config]") {
  run_error_table("unknown_key");
}

TEST_CASE("config: null unsets optional defaults and clears lists", "[config]") {
  const Config c = parse_config(R"({
    "columns": {"fit": null},
    "scores": {"fit": {"map": null}},
    "hysteresis": {"tier1": {"promote_at": null, "demote_below": null}},
    "capacity": {"reps": null, "tier1": {"per_rep": null}, "tier2": {"max": null}},
    "plan": {"tier1": null},
    "coverage": {"date_format": null},
    "output": {"keep": null}
  })",
                                "team.json");
  CHECK(c.columns.empty());
  CHECK(c.fit_score.map.empty());
  CHECK_FALSE(c.hysteresis[0].promote_at);
  CHECK_FALSE(c.hysteresis[0].demote_below);
  CHECK_FALSE(c.reps);
  CHECK_FALSE(c.capacity[0].per_rep);
  CHECK(c.capacity[1].per_rep == 60);  // untouched
  CHECK_FALSE(c.plan[0]);
  CHECK(c.date_format.empty());
  CHECK(c.keep.empty());
  // null set from the command line undoes what the file set.
  const Config d =
      parse_config(R"({"columns": {"owner": "AE"}, "output": {"keep": ["X"]}})", "team.json",
                   {"columns.owner=null", "output.keep=null", "hysteresis.tier1.promote_at=null"});
  CHECK(d.columns.empty());
  CHECK(d.keep.empty());
  CHECK_FALSE(d.hysteresis[0].promote_at);
  CHECK(d.hysteresis[0].demote_below == 70.0);
}

TEST_CASE("config: whole numbers accept 8.0 and reject 8.5", "[config]") {
  CHECK(with_set("capacity.tier1.per_rep=8.0").capacity[0].per_rep == 8);
  CHECK(with_set("capacity.reps=1e2").reps == 100);
  CHECK_THAT(set_error("capacity.tier1.per_rep=8.5"), Contains("found 8.5, which is not whole"));
}

TEST_CASE("config: keys that must agree with each other", "[config]") {
  run_error_table("cross_key");
  // Shares that add up to 1 only up to rounding are fine.
  const Config c =
      parse_config(R"({"plan": {"tier1": 0.1, "tier2": 0.2, "tier3": 0.7}})", "team.json");
  CHECK(c.plan[2] == 0.7);
  CHECK(with_set("bands.fit.mid=70").fit_bands.mid == 70);  // equal to high is fine
}

TEST_CASE("config: --set creates sections, parses values and wins over the file", "[config]") {
  const Config c =
      parse_config("{}", "defaults",
                   {"capacity.tier1.per_rep=10", "scores.fit.map.A=95", "columns.id=Account ID",
                    "capacity.mode=\"per_owner\"", " capacity.reps = 6 "});
  CHECK(c.capacity[0].per_rep == 10);
  CHECK(c.fit_score.map.at("a") == 95);
  CHECK(c.columns.at(Column::kId) == "Account ID");
  CHECK(c.capacity_mode == CapacityMode::kPerOwner);
  CHECK(c.reps == 6);
  const Config d = parse_config(R"({"capacity": {"reps": 4, "tier1": {"per_rep": 8}}})",
                                "team.json", {"capacity.reps=5", "capacity.reps=7"});
  CHECK(d.reps == 7);                 // the last --set wins
  CHECK(d.capacity[0].per_rep == 8);  // siblings in the file stay
  const Config e = parse_config(R"({"scores": {"fit": {"map": {"A": 90}}}})", "team.json",
                                {"scores.fit.map.B=70"});
  CHECK(e.fit_score.map == std::map<std::string, double>{{"a", 90}, {"b", 70}});
}

TEST_CASE("config: --set errors name the key and say they came from --set", "[config]") {
  run_error_table("set_syntax");
}

TEST_CASE("config: comments, a BOM and CRLF line ends are accepted", "[config]") {
  const Config c = parse_config(
      "\xEF\xBB\xBF// team config\r\n{ /* reps */ \"capacity\": {\"reps\": 3}, // three\r\n"
      "  \"weights\": {\"engagement\": 0.1}\r\n}\r\n",
      "team.json");
  CHECK(c.reps == 3);
  CHECK(c.weight_engagement == 0.1);
}

TEST_CASE("config: invalid JSON reports the line and column", "[config]") {
  const std::string message = usage_error("{\n  \"capacity\": {\"reps\": 6,}\n}");
  CHECK_THAT(message, Contains("team.json: invalid JSON at line 2, column 26"));
  CHECK_THAT(message, Contains("comma"));
  CHECK_THAT(usage_error(""), Contains("invalid JSON at line 1, column 1"));
  CHECK_THAT(usage_error("{\"capacity\": {\"reps\": 1e400}}"), Contains("team.json: invalid JSON"));
  CHECK_THAT(usage_error("[1, 2]"), Contains("must be a JSON object"));
  CHECK_THAT(usage_error("{\"weights\": {\"fit\": 1, \"fit\": 2}}"),
             Contains("`weights.fit` appears twice"));
  CHECK_THAT(usage_error("{\"bands\": {}, \"matrix\": {}, \"bands\": {}}"),
             Contains("`bands` appears twice"));
}

TEST_CASE("config: load_config reads files and names the ones it cannot", "[config]") {
  for (const std::string& path : {kData + "no-such-file.json", kData}) {
    INFO(path);
    try {
      load_config(path);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::kUsage);
      CHECK_THAT(e.what(), Contains(path));
      CHECK_THAT(e.what(), Contains("--config"));
    }
  }
  try {
    load_config(kData + "trailing_comma.json");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Contains("trailing_comma.json: invalid JSON at line 4, column 3"));
  }
  CHECK(load_config(kData + "example.json", {"capacity.reps=9"}).reps == 9);
}
