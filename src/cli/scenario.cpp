// Shared by whatif, sweep and explain: options, the base config as a
// document, scenario files merged over it, and one read for many tierings.
#include "scenario.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "abmtier/dates.h"
#include "abmtier/error.h"
#include "abmtier/reader.h"
#include "abmtier/side_inputs.h"
#include "abmtier/writer.h"
#include "rejects.h"

namespace abmtier::cli {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string json_message(const std::exception& e) {
  const std::string_view what = e.what();
  const std::size_t cut = what.find("] ");
  return std::string(cut == std::string_view::npos ? what : what.substr(cut + 2));
}

// Parses a config document (comments allowed). A key given twice in one
// object is an error, as in the config file itself: JSON would silently
// keep the last one.
Json parse_document(const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> seen;
  std::string duplicate;
  auto on_event = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) seen.emplace_back();
    if (event == Json::parse_event_t::object_end && !seen.empty()) seen.pop_back();
    if (event == Json::parse_event_t::key && !seen.empty()) {
      const auto key = parsed.get<std::string>();
      if (std::find(seen.back().begin(), seen.back().end(), key) != seen.back().end() && duplicate.empty())
        duplicate = key;
      seen.back().push_back(key);
    }
    return true;
  };
  Json doc;
  try {
    doc = Json::parse(text, on_event, true, true);
  } catch (const Json::exception& e) {
    throw Error(ExitCode::kUsage, fmt::format("{} is not valid JSON: {}; a scenario file is a config "
                                              "file that holds only the keys it changes",
                                              source, json_message(e)));
  }
  if (!duplicate.empty())
    throw Error(ExitCode::kUsage, fmt::format("{}: the key `{}` appears twice in one section; keep one",
                                              source, duplicate));
  if (!doc.is_object())
    throw Error(ExitCode::kUsage,
                fmt::format("{} must hold a JSON object ({{ ... }}) of config keys", source));
  return doc;
}

// Objects are merged key by key; anything else (a number, text, a list,
// null) replaces the base's value, so null unsets an optional key.
void merge_into(Json& base, const Json& patch) {
  for (const auto& [key, value] : patch.items()) {
    if (value.is_object() && base.contains(key) && base[key].is_object())
      merge_into(base[key], value);
    else
      base[key] = value;
  }
}


bool same_scores(const ScoreSpec& a, const ScoreSpec& b) {
  return a.lo == b.lo && a.hi == b.hi && a.map == b.map;
}

}  // namespace

void add_study_options(CLI::App& command, StudyOptions& o, const std::string& set_help) {
  command.add_option("input", o.input, "CRM export (CSV/TSV; - for standard input)")->required();
  command.add_option("-c,--config", o.config_path, "Base config file (JSON; default: built-in defaults)");
  // One value per --set, so `--set k=v INPUT` leaves INPUT to the positional.
  command.add_option("--set", o.sets, set_help)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  command.add_option("--previous", o.previous_path, "An earlier output of abmtier: previous tiers by id");
  command.add_option("--overrides", o.overrides_path, "CSV with id,tier,reason: pinned tiers");
  command.add_flag("--refresh", o.refresh, "Quarterly re-score: ignore previous tiers for hysteresis");
  command.add_option("--as-of", o.as_of, "Date of the run, YYYY-MM-DD (default: today, UTC)");
  command.add_option("--on-error", o.on_error, "Bad rows: fail (default, exit 3) or skip")
      ->check(CLI::IsMember({"fail", "skip"}));
  command.add_option("--max-rejects", o.max_rejects, "With --on-error skip: fail past N rejected rows");
  command.add_option("--rejects", o.rejects_path, "With --on-error skip: write rejected rows to FILE");
}

BaseConfig load_base(const std::string& path) {
  if (path.empty()) return {"built-in defaults", "{}", false};
  load_config(path);  // its messages for a missing, unreadable or invalid file
  return {path, read_input(path), true};
}

Config config_with(const BaseConfig& base, const std::vector<std::string>& sets) {
  return parse_config(base.text, base.source, sets);
}

Config scenario_config(const BaseConfig& base, const std::string& scenario_path,
                       const std::vector<std::string>& sets) {
  if (scenario_path.empty()) return config_with(base, sets);
  std::string scenario_text;
  try {
    scenario_text = read_input(scenario_path);
  } catch (const Error& e) {
    throw Error(ExitCode::kUsage, fmt::format("--scenario: {}", e.what()));
  }
  Json merged = parse_document(base.text, base.source);
  merge_into(merged, parse_document(scenario_text, "scenario file " + scenario_path));
  const std::string source = base.from_file
                                 ? fmt::format("{} merged over {}", scenario_path, base.source)
                                 : fmt::format("{} (over the built-in defaults)", scenario_path);
  return parse_config(merged.dump(), source, sets);
}

bool reads_alike(const Config& a, const Config& b) {
  return a.columns == b.columns && same_scores(a.fit_score, b.fit_score) &&
         same_scores(a.intent_score, b.intent_score) && same_scores(a.engagement_score, b.engagement_score) &&
         a.delimiter == b.delimiter && a.keep == b.keep && a.date_format == b.date_format &&
         (a.weight_engagement > 0) == (b.weight_engagement > 0);
}

PipelineInputs study_inputs(const StudyOptions& o, const Streams& streams, std::optional<std::int64_t> reps) {
  PipelineInputs inputs = load_inputs(o.input, o.previous_path, o.overrides_path, o.as_of, streams);
  inputs.reps_flag = reps;
  inputs.refresh = o.refresh;
  return inputs;
}

std::optional<ReadResult> read_checked(const StudyOptions& o, const PipelineInputs& inputs,
                                       const Config& config) {
  ReadResult read = read_for(inputs, config);
  RunOptions policy;
  policy.on_error = o.on_error;
  policy.max_rejects = o.max_rejects;
  policy.rejects_path = o.rejects_path;
  if (!check_rejects(policy, read)) return std::nullopt;
  return read;
}

std::string change_words(const std::string& scenario_path, const std::vector<std::string>& sets) {
  std::string out = scenario_path;
  for (const std::string& set : sets) out += (out.empty() ? "--set " : " + --set ") + set;
  return out;
}

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  for (std::size_t w = display_width(text); w < width; ++w) out += ' ';
  return out;
}

std::string csv_cell(std::string_view text) {
  const std::string safe = neutralise(text);
  if (safe.find_first_of(",\"\r\n") == std::string::npos) return safe;
  std::string out = "\"";
  for (const char c : safe) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace abmtier::cli
