// Reading the sections that shape tiers after the matrix and the outputs:
// hysteresis, capacity, plan, coverage, input, output (see
// config_sections.cpp for the others and for the top level).
#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "config_internal.h"

namespace abmtier::config_detail {
namespace {

constexpr std::array<std::string_view, kCappedTiers> kTierKeys{"tier1", "tier2", "tier3"};

void read_hysteresis(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"tier1", "tier2", "tier3"}, origin);
  static constexpr NumberRule kThreshold{0, 100, false, "no threshold"};
  for (std::size_t k = 0; k < kTierKeys.size(); ++k) {
    const auto tier = member(node, kTierKeys[k]);
    if (!tier) continue;
    expect_object(*tier, origin);
    check_keys(*tier, {"promote_at", "demote_below"}, origin);
    TierHysteresis& out = config.hysteresis[k];
    if (const auto v = member(*tier, "promote_at"))
      out.promote_at = read_optional_number(*v, kThreshold, origin);
    if (const auto v = member(*tier, "demote_below"))
      out.demote_below = read_optional_number(*v, kThreshold, origin);
  }
}

CapacityMode read_mode(const Node& node, const Origin& origin) {
  const char* kAllowed = "\"pooled\" (caps are totals) or \"per_owner\" (caps are per owner)";
  const std::string mode = lower(trim(read_string(node, kAllowed, origin)));
  if (mode == "pooled") return CapacityMode::kPooled;
  if (mode == "per_owner") return CapacityMode::kPerOwner;
  origin.fail(node.path, fmt::format("must be {}; found {}", kAllowed, shown(*node.value)));
}

// `max` is a total; per_owner mode has no totals, only per-owner caps.
void check_max_per_owner(const Node& node, const Origin& origin, const Config& config) {
  if (config.capacity_mode != CapacityMode::kPerOwner) return;
  const std::string mode_path = node.path + ".mode";
  for (std::size_t k = 0; k < kTierKeys.size(); ++k) {
    if (!config.capacity[k].max) continue;
    const std::string max_path = fmt::format("{}.{}.max", node.path, kTierKeys[k]);
    const std::int64_t max = *config.capacity[k].max;
    const std::string per_rep = fmt::format("`{}.{}.per_rep`", node.path, kTierKeys[k]);
    // Point at the value the user just changed on the command line, if any.
    if (origin.from_set(mode_path) && !origin.from_set(max_path))
      origin.fail(mode_path, fmt::format("is \"per_owner\", which does not allow {} ({}): in that "
                                         "mode every owner gets {} slots and there is no total; "
                                         "set max to null, or keep mode \"pooled\"",
                                         origin.ref(max_path), max, per_rep));
    origin.fail(max_path, fmt::format("is {}, but {} is \"per_owner\", where every owner gets {} "
                                      "slots and there is no total; set max to null, or use mode "
                                      "\"pooled\"",
                                      max, origin.ref(mode_path), per_rep));
  }
}

void read_capacity(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"mode", "reps", "tier1", "tier2", "tier3"}, origin);
  if (const auto mode = member(node, "mode")) config.capacity_mode = read_mode(*mode, origin);
  static constexpr NumberRule kReps{0, kMaxCount, true, "counting the distinct owners"};
  if (const auto reps = member(node, "reps"))
    config.reps = read_optional_count(*reps, kReps, origin);
  static constexpr NumberRule kMax{0, kMaxCount, true, "no fixed total"};
  static constexpr NumberRule kPerRep{0, kMaxCount, true, "no per-rep cap"};
  for (std::size_t k = 0; k < kTierKeys.size(); ++k) {
    const auto tier = member(node, kTierKeys[k]);
    if (!tier) continue;
    expect_object(*tier, origin);
    check_keys(*tier, {"max", "per_rep"}, origin);
    if (const auto max = member(*tier, "max"))
      config.capacity[k].max = read_optional_count(*max, kMax, origin);
    if (const auto per_rep = member(*tier, "per_rep"))
      config.capacity[k].per_rep = read_optional_count(*per_rep, kPerRep, origin);
  }
  check_max_per_owner(node, origin, config);
}

void read_plan(const Node& node, const Origin& origin, Config& config) {
  static constexpr std::array<std::string_view, kTierCount> kKeys{"tier1", "tier2", "tier3",
                                                                  "watchlist", "outside"};
  expect_object(node, origin);
  check_keys(node, {"tier1", "tier2", "tier3", "watchlist", "outside"}, origin);
  static constexpr NumberRule kShare{0, 1, false, "deriving it from the caps"};
  for (std::size_t t = 0; t < kKeys.size(); ++t)
    if (const auto share = member(node, kKeys[t]))
      config.plan[t] = read_optional_number(*share, kShare, origin);
  double sum = 0;
  for (const auto& share : config.plan) sum += share.value_or(0);
  // Shares such as 0.1 + 0.2 + 0.7 do not add up to exactly 1 in binary.
  constexpr double kTolerance = 1e-9;
  if (sum > 1 + kTolerance)
    origin.fail(node.path, fmt::format("shares add up to {:.6g}, more than 1 (100 %); each "
                                       "share is a fraction of all accounts, such as 0.05 for "
                                       "5 %, so together they can be at most 1",
                                       sum));
}

// The date reader understands %Y %y %m %d %b %B %H %M %S and %%; a format
// without a year, a month and a day would never read a date.
void check_date_format(const Node& node, const Origin& origin, std::string_view format) {
  bool year = false, month = false, day = false;
  for (std::size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] != '%') continue;
    const char spec = format[++i];
    if (std::string_view("YymdbBHMS%").find(spec) == std::string_view::npos)
      origin.fail(node.path, fmt::format("uses %{}, which abmtier does not read; use %Y %y %m "
                                         "%d %b %H %M %S, such as \"%m/%d/%Y\"",
                                         spec));
    year = year || spec == 'Y' || spec == 'y';
    month = month || spec == 'm' || spec == 'b' || spec == 'B';
    day = day || spec == 'd';
  }
  if (!year || !month || !day)
    origin.fail(node.path, fmt::format("is \"{}\", which lacks a year (%Y or %y), a month (%m "
                                       "or %b) or a day (%d), so it could never read a date; "
                                       "such as \"%m/%d/%Y\"",
                                       format));
}

void read_coverage(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"window_days", "date_format"}, origin);
  static constexpr NumberRule kWindow{1, 3650, true};
  if (const auto window = member(node, "window_days"))
    config.coverage_window_days = static_cast<int>(*read_optional_count(*window, kWindow, origin));
  const auto format = member(node, "date_format");
  if (!format) return;
  config.date_format.clear();
  if (format->value->is_null()) return;
  config.date_format = read_string(
      *format, "a date format such as \"%m/%d/%Y\", or \"\" or null for ISO dates only", origin);
  if (!config.date_format.empty()) check_date_format(*format, origin, config.date_format);
}

void read_input(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"delimiter"}, origin);
  const auto delimiter = member(node, "delimiter");
  if (!delimiter) return;
  const char* kAllowed = "\",\", \";\", \"tab\" (or \"\\t\"), \"|\" or \"auto\"";
  const std::string text = read_string(*delimiter, kAllowed, origin);
  const std::string word = lower(text);
  if (text == "," || text == ";" || text == "|")
    config.delimiter = text.front();
  else if (text == "\t" || word == "tab" || text == "\\t")
    config.delimiter = '\t';
  else if (word == "auto")
    config.delimiter = 0;
  else
    origin.fail(delimiter->path,
                fmt::format("must be {}; found {}", kAllowed, shown(*delimiter->value)));
}

void read_keep(const Node& node, const Origin& origin, Config& config) {
  config.keep.clear();
  if (node.value->is_null()) return;
  const char* kAllowed = "a list of header names in brackets, such as [\"Industry\", \"Region\"]";
  if (!node.value->is_array())
    origin.fail(node.path, fmt::format("must be {}; found {}", kAllowed, shown(*node.value)));
  for (std::size_t i = 0; i < node.value->size(); ++i) {
    const Node item{&(*node.value)[i], fmt::format("{}[{}]", node.path, i)};
    const std::string name(trim(read_string(item, "a header name (text)", origin)));
    if (name.empty()) origin.fail(item.path, "is empty; give a header name of your export");
    for (const std::string& earlier : config.keep)
      if (lower(earlier) == lower(name))
        origin.fail(item.path, fmt::format("repeats \"{}\"; list each column once", name));
    config.keep.push_back(name);
  }
}

OutputFormat read_format(const Node& node, const Origin& origin) {
  static constexpr std::array<std::pair<std::string_view, OutputFormat>, 4> kFormats{{
      {"csv", OutputFormat::kCsv},
      {"tsv", OutputFormat::kTsv},
      {"json", OutputFormat::kJson},
      {"jsonl", OutputFormat::kJsonl},
  }};
  const char* kAllowed = "\"csv\", \"tsv\", \"json\" or \"jsonl\"";
  const std::string word = lower(trim(read_string(node, kAllowed, origin)));
  for (const auto& [name, format] : kFormats)
    if (word == name) return format;
  origin.fail(node.path, fmt::format("must be {}; found {}", kAllowed, shown(*node.value)));
}

void read_output(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"format", "keep", "raw"}, origin);
  if (const auto format = member(node, "format")) config.format = read_format(*format, origin);
  if (const auto keep = member(node, "keep")) read_keep(*keep, origin, config);
  if (const auto raw = member(node, "raw")) config.raw = read_bool(*raw, origin);
}

}  // namespace

void read_alerts(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"tier_mix_points"}, origin);
  static constexpr NumberRule kPoints{0, 100, false};
  if (const auto points = member(node, "tier_mix_points"))
    config.tier_mix_points = read_number(*points, kPoints, origin);
}

void read_overrides(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"max_share_tier1"}, origin);
  static constexpr NumberRule kShare{0, 1, false, "no budget for pins"};
  if (const auto share = member(node, "max_share_tier1"))
    config.max_pin_share_tier1 = read_optional_number(*share, kShare, origin);
}

void read_gate_sections(const Node& root, const Origin& origin, Config& config) {
  if (const auto node = member(root, "alerts")) read_alerts(*node, origin, config);
  if (const auto node = member(root, "overrides")) read_overrides(*node, origin, config);
  if (const auto node = member(root, "hysteresis")) read_hysteresis(*node, origin, config);
  if (const auto node = member(root, "capacity")) read_capacity(*node, origin, config);
  if (const auto node = member(root, "plan")) read_plan(*node, origin, config);
  if (const auto node = member(root, "coverage")) read_coverage(*node, origin, config);
  if (const auto node = member(root, "input")) read_input(*node, origin, config);
  if (const auto node = member(root, "output")) read_output(*node, origin, config);
}

}  // namespace abmtier::config_detail
