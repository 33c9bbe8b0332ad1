// Reading the document into a Config: the top level and the sections that
// shape scores (columns, scores, weights, bands, matrix). Each section
// checks its keys, reads each value with its rule, then checks the rules
// that tie its keys together. This file and config_sections_gate.cpp are
// the one place where a config is validated.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "config_internal.h"

namespace abmtier::config_detail {
namespace {

void read_columns(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node,
             {"id", "name", "fit", "intent", "engagement", "owner", "previous_tier", "last_touch",
              "pipeline", "engaged_roles", "buying_roles"},
             origin);
  for (int i = 0; i < kColumnCount; ++i) {
    const auto column = static_cast<Column>(i);
    const auto entry = member(node, column_key(column));
    if (!entry) continue;
    if (entry->value->is_null()) {
      config.columns.erase(column);
      continue;
    }
    const std::string name(trim(
        read_string(*entry,
                    "the header of that column in your export, as text, or null to find it by its "
                    "usual names",
                    origin)));
    if (name.empty())
      origin.fail(entry->path,
                  "is empty; give the header of that column in your export, or "
                  "null to find it by its usual names");
    for (const auto& [other, other_name] : config.columns)
      if (other != column && lower(other_name) == lower(name))
        origin.fail(entry->path,
                    fmt::format("names the header \"{}\", which {} already names; one header "
                                "can feed only one column",
                                name, origin.ref("columns." + std::string(column_key(other)))));
    config.columns[column] = name;
  }
}

void read_scale(const Node& node, const Origin& origin, ScoreSpec& spec) {
  const Json& value = *node.value;
  const char* kAllowed = "a list of two numbers [lowest, highest], such as [0, 100] or [1, 5]";
  const bool pair =
      value.is_array() && value.size() == 2 && value[0].is_number() && value[1].is_number();
  if (!pair) origin.fail(node.path, fmt::format("must be {}; found {}", kAllowed, shown(value)));
  const double lo = value[0].get<double>();
  const double hi = value[1].get<double>();
  if (!(lo < hi))
    origin.fail(node.path, fmt::format("must be {}, with the lowest first and below the "
                                       "highest; found {}",
                                       kAllowed, shown(value)));
  spec.lo = lo;
  spec.hi = hi;
}

void read_map(const Node& node, const Origin& origin, ScoreSpec& spec) {
  spec.map.clear();
  if (node.value->is_null()) return;
  expect_object(node, origin);
  static constexpr NumberRule kMapped{0, 100};
  std::map<std::string, std::string> original;  // stored key -> key as written
  for (const auto& [key, value] : node.value->items()) {
    const Node entry{&value, node.path + "." + key};
    const std::string stored = lower(trim(key));
    if (stored.empty())
      origin.fail(entry.path,
                  "has an empty category name; give the value as it appears in "
                  "your export, such as \"High\" or \"A\"");
    if (const auto it = original.find(stored); it != original.end())
      origin.fail(entry.path, fmt::format("is the same category as {} once case and spaces "
                                          "are ignored; keep only one of them",
                                          origin.ref(node.path + "." + it->second)));
    spec.map[stored] = read_number(entry, kMapped, origin);
    original[stored] = key;
  }
}

void read_score(const Node& node, const Origin& origin, ScoreSpec& spec) {
  expect_object(node, origin);
  check_keys(node, {"scale", "map"}, origin);
  if (const auto scale = member(node, "scale")) read_scale(*scale, origin, spec);
  if (const auto map = member(node, "map")) read_map(*map, origin, spec);
}

void read_scores(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"fit", "intent", "engagement"}, origin);
  if (const auto fit = member(node, "fit")) read_score(*fit, origin, config.fit_score);
  if (const auto intent = member(node, "intent")) read_score(*intent, origin, config.intent_score);
  if (const auto engagement = member(node, "engagement"))
    read_score(*engagement, origin, config.engagement_score);
}

void read_weights(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"fit", "intent", "engagement"}, origin);
  static constexpr NumberRule kWeight{0, HUGE_VAL};
  if (const auto fit = member(node, "fit")) config.weight_fit = read_number(*fit, kWeight, origin);
  if (const auto intent = member(node, "intent"))
    config.weight_intent = read_number(*intent, kWeight, origin);
  if (const auto engagement = member(node, "engagement"))
    config.weight_engagement = read_number(*engagement, kWeight, origin);
  const double sum = config.weight_fit + config.weight_intent + config.weight_engagement;
  if (!(sum > 0) || !std::isfinite(sum))
    origin.fail(node.path, fmt::format("add up to {}: at least one weight must be above 0, and "
                                       "their sum must be a usable number (defaults: fit 0.6, "
                                       "intent 0.4, engagement 0)",
                                       sum));
}

void read_band(const Node& node, const Origin& origin, BandSpec& spec) {
  expect_object(node, origin);
  check_keys(node, {"high", "mid"}, origin);
  static constexpr NumberRule kThreshold{0, 100};
  if (const auto high = member(node, "high")) spec.high = read_number(*high, kThreshold, origin);
  if (const auto mid = member(node, "mid")) spec.mid = read_number(*mid, kThreshold, origin);
  if (spec.mid <= spec.high) return;
  // Point at the value the user just changed on the command line, if any.
  const std::string high_path = node.path + ".high";
  const std::string mid_path = node.path + ".mid";
  // Point at the value the user just changed on the command line, if any.
  if (origin.from_set(high_path) && !origin.from_set(mid_path))
    origin.fail(high_path, fmt::format("is {}, below {} ({}); the high band must start at or "
                                       "above the mid band",
                                       spec.high, origin.ref(mid_path), spec.mid));
  origin.fail(mid_path, fmt::format("is {}, above {} ({}); the mid band must start at or below "
                                    "the high band",
                                    spec.mid, origin.ref(high_path), spec.high));
}

void read_bands(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  check_keys(node, {"fit", "intent"}, origin);
  if (const auto fit = member(node, "fit")) read_band(*fit, origin, config.fit_bands);
  if (const auto intent = member(node, "intent")) read_band(*intent, origin, config.intent_bands);
}

Tier read_cell(const Node& node, const Origin& origin) {
  const Json& value = *node.value;
  std::optional<Tier> tier;
  if (value.is_number()) {
    const double number = value.get<double>();
    if (number == 1 || number == 2 || number == 3)
      tier = tier_from_index(static_cast<int>(number) - 1);
  } else if (value.is_string()) {
    tier = parse_tier_strict(value.get<std::string>());
  }
  if (!tier)
    origin.fail(node.path, fmt::format("must be a tier: 1, 2 or 3 (as a number or as text), "
                                       "\"watchlist\" or \"outside\"; found {}",
                                       shown(value)));
  return *tier;
}

void read_matrix(const Node& node, const Origin& origin, Config& config) {
  expect_object(node, origin);
  static constexpr std::array<std::string_view, kBandCount> kBands{"high", "mid", "low"};
  check_keys(node, {"high", "mid", "low"}, origin);
  for (std::size_t fit = 0; fit < kBands.size(); ++fit) {
    const auto row = member(node, kBands[fit]);
    if (!row) continue;
    expect_object(*row, origin);
    check_keys(*row, {"high", "mid", "low"}, origin);
    for (std::size_t intent = 0; intent < kBands.size(); ++intent)
      if (const auto cell = member(*row, kBands[intent]))
        config.matrix[fit][intent] = read_cell(*cell, origin);
  }
}

}  // namespace

void read_sections(const Json& document, const Origin& origin, Config& config) {
  const Node root{&document, ""};
  check_keys(root,
             {"columns", "scores", "weights", "bands", "matrix", "hysteresis", "capacity", "plan",
              "coverage", "alerts", "overrides", "input", "output"},
             origin);
  if (const auto node = member(root, "columns")) read_columns(*node, origin, config);
  if (const auto node = member(root, "scores")) read_scores(*node, origin, config);
  if (const auto node = member(root, "weights")) read_weights(*node, origin, config);
  if (const auto node = member(root, "bands")) read_bands(*node, origin, config);
  if (const auto node = member(root, "matrix")) read_matrix(*node, origin, config);
  read_gate_sections(root, origin, config);
}

}  // namespace abmtier::config_detail
