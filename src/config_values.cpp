// Typed readers for config values: each checks the JSON type and the range
// and fails with a message that names the key path, the value found and
// what is allowed.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "config_internal.h"

namespace abmtier::config_detail {
namespace {

// Lower-case, without spaces, underscores, dashes and dots: "Per-Rep" and
// "per_rep" are the same word to a person, so they count as a near miss.
std::string squashed(std::string_view text) {
  std::string out;
  for (const char c : lower(text))
    if (c != ' ' && c != '_' && c != '-' && c != '.') out += c;
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string number_text(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<std::int64_t>(value));
  return fmt::format("{}", value);
}

std::string describe(const NumberRule& rule) {
  std::string out = rule.whole ? "a whole number" : "a number";
  if (std::isinf(rule.hi))
    out += fmt::format(" of {} or more", number_text(rule.lo));
  else
    out += fmt::format(" from {} to {}", number_text(rule.lo), number_text(rule.hi));
  if (!rule.null_means.empty()) out += fmt::format(", or null for {}", rule.null_means);
  return out;
}

std::string list_keys(std::initializer_list<std::string_view> known) {
  std::string out;
  for (const std::string_view key : known) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 80;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
  return text;
}

std::optional<Node> member(const Node& object, std::string_view key) {
  const auto it = object.value->find(key);
  if (it == object.value->end()) return std::nullopt;
  return Node{&*it, object.path.empty() ? std::string(key) : object.path + "." + std::string(key)};
}

void expect_object(const Node& node, const Origin& origin) {
  if (!node.value->is_object())
    origin.fail(node.path,
                fmt::format("must be a section in braces {{ ... }}; found {}", shown(*node.value)));
}

std::string_view closest_key(std::string_view key, std::initializer_list<std::string_view> known) {
  const std::string wanted = squashed(key);
  std::string_view best;
  std::size_t best_distance = 0;
  for (const std::string_view candidate : known) {
    const std::string other = squashed(candidate);
    const std::size_t distance = edit_distance(wanted, other);
    // A third of the longer word may differ: catches typos, not other
    // words. A shortened key ("window" for "window_days") also counts.
    const std::size_t allowed = std::max<std::size_t>(1, std::max(wanted.size(), other.size()) / 3);
    const bool shortened = wanted.size() >= 3 && other.starts_with(wanted);
    if ((distance <= allowed || shortened) && (best.empty() || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

void check_keys(const Node& node, std::initializer_list<std::string_view> known,
                const Origin& origin) {
  for (const auto& [key, value] : node.value->items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string path = node.path.empty() ? key : node.path + "." + key;
    const std::string_view suggestion = closest_key(key, known);
    const std::string hint =
        suggestion.empty() ? "" : fmt::format(" Did you mean `{}`?", suggestion);
    const std::string where =
        node.path.empty() ? "at the top level" : fmt::format("in `{}`", node.path);
    origin.fail(path, fmt::format("is not a known key, so it would be ignored.{} Keys allowed "
                                  "{}: {}.",
                                  hint, where, list_keys(known)));
  }
}

double read_number(const Node& node, const NumberRule& rule, const Origin& origin) {
  const Json& value = *node.value;
  if (value.is_null())
    origin.fail(node.path,
                fmt::format("cannot be null: it always needs a value, {}", describe(rule)));
  if (!value.is_number())
    origin.fail(node.path, fmt::format("must be {}; found {}", describe(rule), shown(value)));
  const double number = value.get<double>();
  if (rule.whole && number != std::floor(number))
    origin.fail(node.path, fmt::format("must be {}; found {}, which is not whole", describe(rule),
                                       shown(value)));
  if (!(number >= rule.lo && number <= rule.hi))
    origin.fail(node.path, fmt::format("must be {}; found {}, which is out of range",
                                       describe(rule), shown(value)));
  return number;
}

std::optional<double> read_optional_number(const Node& node, const NumberRule& rule,
                                           const Origin& origin) {
  if (node.value->is_null() && !rule.null_means.empty()) return std::nullopt;
  return read_number(node, rule, origin);
}

std::optional<std::int64_t> read_optional_count(const Node& node, const NumberRule& rule,
                                                const Origin& origin) {
  NumberRule whole = rule;
  whole.whole = true;
  const std::optional<double> number = read_optional_number(node, whole, origin);
  if (!number) return std::nullopt;
  return static_cast<std::int64_t>(*number);
}

std::string read_string(const Node& node, std::string_view allowed, const Origin& origin) {
  if (!node.value->is_string())
    origin.fail(node.path, fmt::format("must be {}; found {}", allowed, shown(*node.value)));
  return node.value->get<std::string>();
}

bool read_bool(const Node& node, const Origin& origin) {
  if (!node.value->is_boolean())
    origin.fail(node.path, fmt::format("must be true or false (without quotes); found {}",
                                       shown(*node.value)));
  return node.value->get<bool>();
}

}  // namespace abmtier::config_detail
