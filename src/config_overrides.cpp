// `--set KEY=VALUE` overrides, and where each value of the document came
// from (for error messages).
#include <fmt/format.h>

#include "config_internal.h"

namespace abmtier::config_detail {
namespace {

[[noreturn]] void bad_set(std::string_view text, std::string_view problem) {
  throw Error(ExitCode::kUsage,
              fmt::format("option --set {}: {}; write --set KEY=VALUE with the key's full path, "
                          "for example --set capacity.tier1.per_rep=10",
                          text, problem));
}

std::vector<std::string> split_key(std::string_view text, std::string_view key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    const std::string_view part =
        key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (trim(part).empty())
      bad_set(text, fmt::format("the key `{}` has an empty part between its dots", key));
    parts.emplace_back(trim(part));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// VALUE is JSON when it reads as JSON (6, 0.5, null, true, [..], {..},
// "text"); anything else is taken as text, so `capacity.mode=per_owner`
// needs no quotes.
Json parse_value(std::string_view value) {
  Json parsed = Json::parse(value.begin(), value.end(), nullptr, false);
  if (parsed.is_discarded()) return Json(std::string(trim(value)));
  return parsed;
}

bool starts_with(std::string_view text, std::string_view prefix, char next) {
  return text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix &&
         text[prefix.size()] == next;
}

}  // namespace

SetOverride parse_set(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) bad_set(text, "there is no '=' between the key and the value");
  const std::string_view key = trim(text.substr(0, eq));
  if (key.empty()) bad_set(text, "the key before '=' is empty");
  SetOverride set;
  set.text = std::string(text);
  set.parts = split_key(text, key);
  for (const std::string& part : set.parts) set.key += (set.key.empty() ? "" : ".") + part;
  set.value = parse_value(text.substr(eq + 1));
  return set;
}

void apply_set(Json& document, const SetOverride& set) {
  Json* node = &document;
  std::string path;
  for (std::size_t i = 0; i + 1 < set.parts.size(); ++i) {
    path += (i == 0 ? "" : ".") + set.parts[i];
    Json& next = (*node)[set.parts[i]];
    if (next.is_null()) next = Json::object();
    if (!next.is_object())
      throw Error(ExitCode::kUsage,
                  fmt::format("option --set {}: `{}` holds {}, not a section, so nothing can be "
                              "set inside it; set `{}` as a whole instead",
                              set.text, path, shown(next), path));
    node = &next;
  }
  (*node)[set.parts.back()] = set.value;
}

const SetOverride* Origin::set_for(std::string_view path) const {
  // The last --set wins, as it is the one whose value is in the document.
  for (auto it = sets_.rbegin(); it != sets_.rend(); ++it) {
    const std::string_view key = it->key;
    if (key == path || starts_with(path, key, '.') || starts_with(path, key, '[') ||
        starts_with(key, path, '.'))
      return &*it;
  }
  return nullptr;
}

void Origin::fail(std::string_view path, std::string_view problem) const {
  const SetOverride* set = set_for(path);
  const std::string where = set ? "option --set " + set->text : source_;
  throw Error(ExitCode::kUsage, fmt::format("{}: `{}` {}", where, path, problem));
}

std::string Origin::ref(std::string_view path) const {
  const SetOverride* set = set_for(path);
  return set ? fmt::format("`{}` (from --set {})", path, set->text) : fmt::format("`{}`", path);
}

bool Origin::from_set(std::string_view path) const { return set_for(path) != nullptr; }

}  // namespace abmtier::config_detail
