// The config entry points: the logical column table (SPEC 2), reading the
// JSON text, applying --set, and handing the document to the section reader.
#include "abmtier/config.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "config_internal.h"

namespace abmtier {
namespace {

using config_detail::Json;

struct ColumnInfo {
  std::string_view key;
  bool required;
  std::vector<std::string_view> aliases;
};

const std::array<ColumnInfo, kColumnCount>& column_table() {
  static const std::array<ColumnInfo, kColumnCount> kTable{{
      {"id", true, {"id", "accountid", "recordid", "companyid"}},
      {"name", false, {"name", "accountname", "companyname", "company"}},
      {"fit", true, {"fit", "fitscore", "profilefit", "icpfit", "icpscore"}},
      {"intent", true, {"intent", "intentscore", "buyingintent"}},
      {"engagement", false, {"engagement", "engagementscore"}},
      {"owner", false, {"owner", "accountowner", "companyowner", "rep"}},
      {"previous_tier", false, {"tier", "currenttier", "previoustier", "accounttier"}},
      {"last_touch", false, {"lasttouch", "lastactivity", "lastactivitydate", "lasttouchdate"}},
      {"pipeline", false, {"pipeline", "openpipeline", "pipelineamount"}},
      {"engaged_roles", false, {"engagedroles", "engagedcontacts"}},
      {"buying_roles", false, {"buyingroles", "buyingcommittee", "namedbuyers"}},
  }};
  return kTable;
}

const ColumnInfo& info(Column c) { return column_table()[static_cast<std::size_t>(c)]; }

// Remembers, while nlohmann parses, the key path of the first key that
// appears twice in one object: JSON parsers silently keep the last one, and
// a config must never ignore a line without saying so.
class DuplicateKeyFinder {
 public:
  bool on_event(Json::parse_event_t event, const Json& parsed) {
    using Event = Json::parse_event_t;
    if (event == Event::object_start || event == Event::array_start) {
      frames_.push_back({event == Event::object_start, {}, {}});
    } else if (event == Event::object_end || event == Event::array_end) {
      if (!frames_.empty()) frames_.pop_back();
    } else if (event == Event::key && !frames_.empty()) {
      Frame& frame = frames_.back();
      frame.key = parsed.get<std::string>();
      const bool seen =
          std::find(frame.seen.begin(), frame.seen.end(), frame.key) != frame.seen.end();
      if (seen && duplicate_.empty()) duplicate_ = path();
      frame.seen.push_back(frame.key);
    }
    return true;
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool object;
    std::string key;
    std::vector<std::string> seen;
  };
  std::string path() const {
    std::string out;
    for (const Frame& frame : frames_) {
      if (!frame.object) continue;
      if (!out.empty()) out += '.';
      out += frame.key;
    }
    return out;
  }

  std::vector<Frame> frames_;
  std::string duplicate_;
};

// nlohmann reports "parse error at line L, column C: <detail>"; keep the
// detail and rebuild the position from the byte offset so the wording is ours.
[[noreturn]] void invalid_json(std::string_view text, std::string_view source,
                               const Json::parse_error& e) {
  const std::size_t last = std::min(e.byte == 0 ? 0 : e.byte - 1, text.size());
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(last), '\n');
  const std::size_t line_start = text.rfind('\n', last == 0 ? 0 : last - 1);
  const std::size_t column =
      line_start == std::string_view::npos || last == 0 ? last + 1 : last - line_start;
  std::string detail = e.what();
  if (const auto at = detail.find("column "); at != std::string::npos) {
    if (const auto colon = detail.find(": ", at); colon != std::string::npos)
      detail.erase(0, colon + 2);
  }
  throw Error(ExitCode::kUsage,
              fmt::format("{}: invalid JSON at line {}, column {}: {}. Check that spot for a "
                          "missing or extra comma, a missing quote or an unclosed brace; "
                          "comments (// or /* */) are allowed.",
                          source, line, column, detail));
}

Json parse_document(std::string_view text, std::string_view source) {
  DuplicateKeyFinder finder;
  Json document;
  try {
    document = Json::parse(
        text.begin(), text.end(),
        [&finder](int, Json::parse_event_t event, Json& parsed) {
          return finder.on_event(event, parsed);
        },
        true, true);
  } catch (const Json::parse_error& e) {
    invalid_json(text, source, e);
  } catch (const Json::exception& e) {
    // Out-of-range numbers such as 1e400 arrive here, without a position.
    throw Error(ExitCode::kUsage, fmt::format("{}: invalid JSON: {}", source, e.what()));
  }
  if (!finder.duplicate().empty())
    throw Error(ExitCode::kUsage,
                fmt::format("{}: `{}` appears twice in the same section; keep only one of them "
                            "(JSON would silently use the last)",
                            source, finder.duplicate()));
  if (!document.is_object())
    throw Error(ExitCode::kUsage,
                fmt::format("{}: the config must be a JSON object in braces, such as "
                            "{{ \"capacity\": {{ \"reps\": 6 }} }}; found {}",
                            source, config_detail::shown(document)));
  return document;
}

}  // namespace

std::string_view column_key(Column c) { return info(c).key; }

const std::vector<std::string_view>& column_aliases(Column c) { return info(c).aliases; }

bool column_required(Column c) { return info(c).required; }

Config parse_config(std::string_view json_text, std::string_view source,
                    const std::vector<std::string>& overrides) {
  Json document = parse_document(json_text, source);
  std::vector<config_detail::SetOverride> sets;
  sets.reserve(overrides.size());
  for (const std::string& text : overrides) sets.push_back(config_detail::parse_set(text));
  for (const auto& set : sets) config_detail::apply_set(document, set);
  Config config;
  config_detail::read_sections(document, config_detail::Origin(source, sets), config);
  return config;
}

Config load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw Error(ExitCode::kUsage, fmt::format("config file {} is a folder, not a file; give the "
                                              "path of the JSON config with --config",
                                              path));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ExitCode::kUsage,
                fmt::format("cannot open config file {}: {}; check the path given with --config "
                            "(`abmtier init > {}` writes a complete default config)",
                            path, std::strerror(errno), path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw Error(ExitCode::kUsage,
                fmt::format("cannot read config file {}: {}", path, std::strerror(errno)));
  return parse_config(text.str(), path, overrides);
}

}  // namespace abmtier
