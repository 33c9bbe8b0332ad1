// `abmtier sweep`: the export read once, tiered once per value of one or
// two config keys, and the tier mix of every point in one table.
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "abmtier/error.h"
#include "abmtier/scoring.h"
#include "abmtier/writer.h"
#include "rejects.h"
#include "scenario.h"

namespace abmtier::cli {
namespace {

using Json = nlohmann::ordered_json;

/// Most points a sweep runs (all keys together).
constexpr std::size_t kMaxPoints = 1000;

/// One --vary KEY=FROM:TO[:STEP], expanded.
struct Vary {
  std::string key;
  std::vector<double> values;
};

/// The figures of one point.
struct Point {
  std::vector<double> values;  ///< one per Vary
  std::array<std::uint64_t, kTierCount> count{};
  std::array<std::optional<std::int64_t>, kCappedTiers> cap{};
  std::array<std::uint64_t, kCappedTiers> waitlisted{};
  std::array<std::optional<double>, kCappedTiers> coverage{};
  std::optional<double> min_composite_1;  ///< lowest composite in tier 1
};

[[noreturn]] void bad_vary(const std::string& text, std::string_view problem) {
  throw Error(ExitCode::kUsage, fmt::format("--vary {}: {}; write --vary KEY=FROM:TO or KEY=FROM:TO:STEP, "
                                            "e.g. --vary capacity.reps=2:10 or --vary bands.fit.high=60:80:5",
                                            text, problem));
}

double vary_number(const std::string& text, std::string_view part, std::string_view what) {
  const auto value = parse_decimal(part, false);
  if (!value) bad_vary(text, fmt::format("{} '{}' is not a number", what, part));
  return *value;
}

// Values from FROM towards TO (either direction) by STEP, computed as
// FROM + i*STEP and rounded to 9 decimals so 0.1 steps do not drift.
Vary parse_vary(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) bad_vary(text, "there is no KEY= before the range");
  std::vector<std::string> parts;
  std::istringstream range(text.substr(eq + 1));
  for (std::string part; std::getline(range, part, ':');) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3) bad_vary(text, "the range needs FROM:TO or FROM:TO:STEP");
  const double from = vary_number(text, parts[0], "FROM"), to = vary_number(text, parts[1], "TO");
  const double step = parts.size() == 3 ? vary_number(text, parts[2], "STEP") : 1.0;
  if (step <= 0) bad_vary(text, "STEP must be above 0 (the direction comes from FROM and TO)");
  const double span = std::fabs(to - from) / step;
  if (span >= static_cast<double>(kMaxPoints))
    bad_vary(text, fmt::format("that is more than {} values; use a larger STEP", kMaxPoints));
  Vary vary{text.substr(0, eq), {}};
  vary.key.erase(vary.key.find_last_not_of(' ') + 1);
  const double direction = to < from ? -1.0 : 1.0;
  const auto n = static_cast<std::size_t>(std::floor(span + 1e-9)) + 1;
  for (std::size_t i = 0; i < n; ++i)
    vary.values.push_back(std::round((from + direction * static_cast<double>(i) * step) * 1e9) / 1e9);
  return vary;
}

std::string value_text(double v) { return fmt::format("{}", v == 0 ? 0.0 : v); }

Point point_of(const PipelineResult& r, std::vector<double> values) {
  Point p;
  p.values = std::move(values);
  for (std::size_t t = 0; t < kTierCount; ++t) p.count[t] = r.summary.tiers[t].count;
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    p.cap[k] = r.summary.tiers[k].cap;
    p.waitlisted[k] = r.summary.tiers[k].waitlisted;
    p.coverage[k] = r.summary.tiers[k].coverage;
  }
  const AccountTable& t = r.read.table;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.tier[i] == Tier::k1 && (!p.min_composite_1 || t.composite_of(i) < *p.min_composite_1))
      p.min_composite_1 = t.composite_of(i);
  return p;
}

std::string opt_int(const std::optional<std::int64_t>& v, std::string_view none) {
  return v ? fmt::format("{}", *v) : std::string(none);
}

std::string opt_fixed(const std::optional<double>& v, std::string_view format, double scale,
                      std::string_view none) {
  return v ? fmt::format(fmt::runtime(format), *v * scale) : std::string(none);
}

// One row of cells per point; `text` picks the short display forms.
std::vector<std::string> cells(const Point& p, bool text) {
  std::vector<std::string> row;
  for (double v : p.values) row.push_back(value_text(v));
  for (std::uint64_t c : p.count) row.push_back(fmt::format("{}", c));
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    if (!text || k < 2) row.push_back(opt_int(p.cap[k], text ? "-" : ""));
  for (std::uint64_t w : p.waitlisted) row.push_back(fmt::format("{}", w));
  row.push_back(opt_fixed(p.min_composite_1, "{:.2f}", 1, text ? "-" : ""));
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    if (!text || k == 0)
      row.push_back(text ? opt_fixed(p.coverage[k], "{:.1f}%", 100, "n/a")
                         : opt_fixed(p.coverage[k], "{:.4f}", 1, ""));
  return row;
}

std::vector<std::string> header(const std::vector<Vary>& vary, bool text) {
  std::vector<std::string> h;
  for (const Vary& v : vary) h.push_back(v.key);
  const std::vector<std::string> full = {"tier_1", "tier_2", "tier_3", "watchlist", "outside", "cap_1",
                                         "cap_2", "cap_3", "waitlist_1", "waitlist_2", "waitlist_3",
                                         "min_composite_1", "coverage_1", "coverage_2", "coverage_3"};
  const std::vector<std::string> brief = {"tier1", "tier2", "tier3", "watch", "outside", "cap1", "cap2",
                                          "wait1", "wait2", "wait3", "min1", "cov1"};
  const auto& names = text ? brief : full;
  h.insert(h.end(), names.begin(), names.end());
  return h;
}

std::string render_text(const std::vector<Vary>& vary, const std::vector<Point>& points) {
  std::vector<std::vector<std::string>> table{header(vary, true)};
  for (const Point& p : points) table.push_back(cells(p, true));
  std::vector<std::size_t> width(table.front().size(), 0);
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  for (const auto& row : table) {
    for (std::size_t c = 0; c < row.size(); ++c)
      fmt::format_to(it, "{}{:>{}}", c == 0 ? "" : "  ", row[c], width[c]);
    fmt::format_to(it, "\n");
  }
  if (vary.size() == 1) {
    const auto full = std::find_if(points.begin(), points.end(), [](const Point& p) { return p.waitlisted[0] == 0; });
    if (full == points.end())
      fmt::format_to(it, "\nEvery value leaves accounts waitlisted for tier 1.\n");
    else
      fmt::format_to(it, "\nFirst value with nobody waitlisted for tier 1: {}={}\n", vary[0].key,
                     value_text(full->values[0]));
  }
  return {b.data(), b.size()};
}

std::string render_csv(const std::vector<Vary>& vary, const std::vector<Point>& points) {
  std::string out;
  for (const auto& name : header(vary, false)) out += (out.empty() ? "" : ",") + csv_cell(name);
  out += '\n';
  for (const Point& p : points) {
    std::string line;
    for (const std::string& cell : cells(p, false)) line += (line.empty() ? "" : ",") + cell;
    out += line + '\n';
  }
  return out;
}

Json optional_json(const std::optional<double>& v, double scale) {
  return v ? Json(std::round(*v * scale) / scale) : Json(nullptr);
}

std::string render_json(const std::vector<Vary>& vary, const std::vector<Point>& points) {
  Json j;
  j["vary"] = Json::array();
  for (const Vary& v : vary) j["vary"].push_back({{"key", v.key}, {"values", v.values}});
  j["points"] = Json::array();
  for (const Point& p : points) {
    Json point, values, tiers;
    for (std::size_t k = 0; k < vary.size(); ++k) values[vary[k].key] = p.values[k];
    point["values"] = std::move(values);
    for (int t = 0; t < kTierCount; ++t) {
      const auto k = static_cast<std::size_t>(t);
      Json tier{{"count", p.count[k]}};
      if (t < kCappedTiers) {
        tier["cap"] = p.cap[k] ? Json(*p.cap[k]) : Json(nullptr);
        tier["waitlisted"] = p.waitlisted[k];
        tier["coverage"] = optional_json(p.coverage[k], 1e4);
      }
      tiers[std::string(tier_name(tier_from_index(t)))] = std::move(tier);
    }
    point["tiers"] = std::move(tiers);
    point["min_composite_tier1"] = optional_json(p.min_composite_1, 1e2);
    j["points"].push_back(std::move(point));
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

/// Every point's values and its --set list, first key slowest.
struct Grid {
  std::vector<std::vector<double>> values;
  std::vector<std::vector<std::string>> sets;
};

Grid make_grid(const std::vector<Vary>& vary, const std::vector<std::string>& fixed) {
  Grid grid;
  const std::size_t inner = vary.size() == 2 ? vary[1].values.size() : 1;
  if (vary[0].values.size() * inner > kMaxPoints)
    throw Error(ExitCode::kUsage, fmt::format("the two --vary ranges make {} points, more than {}; use "
                                              "larger steps",
                                              vary[0].values.size() * inner, kMaxPoints));
  for (double a : vary[0].values)
    for (std::size_t i = 0; i < inner; ++i) {
      std::vector<double> values{a};
      if (vary.size() == 2) values.push_back(vary[1].values[i]);
      std::vector<std::string> sets = fixed;
      for (std::size_t k = 0; k < vary.size(); ++k) sets.push_back(vary[k].key + "=" + value_text(values[k]));
      grid.values.push_back(std::move(values));
      grid.sets.push_back(std::move(sets));
    }
  return grid;
}

void write_table(const SweepOptions& o, const std::vector<Vary>& vary, const std::vector<Point>& points,
                 const Streams& streams) {
  const std::string table = o.format == "csv"    ? render_csv(vary, points)
                            : o.format == "json" ? render_json(vary, points)
                                                 : render_text(vary, points);
  if (o.output != "-") {
    write_file_atomically(o.output, table);
    return;
  }
  streams.out << table;
  streams.out.flush();
  if (!streams.out) throw Error(ExitCode::kRuntime, "cannot write the sweep to standard output");
}

}  // namespace

void setup_sweep(CLI::App& app, SweepOptions& o) {
  CLI::App* cmd = app.add_subcommand("sweep", "Tier the export once per value of one or two config keys");
  add_study_options(*cmd, o.study, "Set a config key for every point, e.g. --set capacity.mode=per_owner");
  cmd->add_option("--vary", o.vary, "KEY=FROM:TO[:STEP] (step 1 by default); give one or two")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  cmd->add_option("--format", o.format, "Table format: text (default), csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}));
  cmd->add_option("-o,--output", o.output, "Write the table to FILE (default: standard output)");
  cmd->footer("Examples:\n"
              "  abmtier sweep accounts.csv -c abmtier.json --vary capacity.reps=2:10\n"
              "  abmtier sweep accounts.csv -c abmtier.json --vary bands.fit.high=60:80:5 --format csv");
}

int run_sweep(const SweepOptions& o, const Streams& streams) {
  if (o.vary.size() > 2) throw Error(ExitCode::kUsage, "sweep takes one or two --vary (a line or a grid)");
  std::vector<Vary> vary;
  for (const std::string& text : o.vary) vary.push_back(parse_vary(text));
  if (vary.size() == 2 && vary[0].key == vary[1].key)
    throw Error(ExitCode::kUsage, fmt::format("--vary names {} twice; vary two different keys", vary[0].key));
  const BaseConfig base = load_base(o.study.config_path);
  const Config read_config = config_with(base, o.study.sets);
  const Grid grid = make_grid(vary, o.study.sets);
  // Every point's config is checked before the export is read.
  std::vector<Config> configs;
  for (const auto& sets : grid.sets) configs.push_back(config_with(base, sets));

  const PipelineInputs inputs = study_inputs(o.study, streams);
  std::optional<ReadResult> shared = read_checked(o.study, inputs, read_config);
  if (!shared) return static_cast<int>(ExitCode::kData);
  if (!o.study.rejects_path.empty()) write_rejects_file(o.study.rejects_path, *shared);
  std::vector<Point> points;
  for (std::size_t p = 0; p < configs.size(); ++p) {
    // The read is moved through the stages and taken back: no copy per point.
    const bool reuse = reads_alike(configs[p], read_config);
    std::optional<ReadResult> fresh = reuse ? std::move(shared) : read_checked(o.study, inputs, configs[p]);
    if (!fresh) return static_cast<int>(ExitCode::kData);
    PipelineResult result = tier_accounts(std::move(*fresh), inputs, configs[p]);
    if (p == 0)
      for (const std::string& w : result.warnings) spdlog::warn("{}", w);
    points.push_back(point_of(result, grid.values[p]));
    if (reuse) shared = std::move(result.read);
  }
  write_table(o, vary, points, streams);
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace abmtier::cli
