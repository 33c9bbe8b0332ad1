#include "abmtier/scoring.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace abmtier {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Checks the SPEC 10 grammar: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?,
// where `point` is '.' or, when allowed, ','. Returns the length of the
// digits-and-point prefix (mantissa) or 0 when the text does not match.
bool matches_decimal(std::string_view s, char point) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == point) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// Plain decimals, the usual case ("80", "16.5", "-3.25"): [+-]? d+
// (point d+)? with at most 15 digits. Their digits as an integer and the
// power of ten are both exact doubles, so one division rounds correctly,
// to the value from_chars gives (Clinger's fast path). nullopt for
// anything else, which the full grammar then decides.
std::optional<double> plain_decimal(std::string_view s, char point) {
  static constexpr std::array<double, 16> kTens{1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  constexpr std::size_t kMaxDigits = 15;
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) ++i;
  std::uint64_t digits = 0;
  std::size_t count = 0, after_point = 0;
  bool point_seen = false;
  for (; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      digits = digits * 10 + static_cast<std::uint64_t>(s[i] - '0');
      ++count;
      after_point += point_seen ? 1 : 0;
    } else if (s[i] == point && !point_seen && count > 0) {
      point_seen = true;
    } else {
      return std::nullopt;
    }
  }
  if (count == 0 || count > kMaxDigits || (point_seen && after_point == 0)) return std::nullopt;
  const double value = static_cast<double>(digits) / kTens[after_point];
  return negative ? -value : value;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text, bool decimal_comma) {
  text = trim(text);
  const bool has_comma = text.find(',') != std::string_view::npos;
  const char point = decimal_comma && has_comma ? ',' : '.';
  if (const auto plain = plain_decimal(text, point)) return plain;
  if (text.size() > 400 || !matches_decimal(text, point)) return std::nullopt;
  // from_chars takes no leading '+' and only '.' as the point.
  std::string buffer(text.front() == '+' ? text.substr(1) : text);
  if (point == ',') buffer[buffer.find(',')] = '.';
  double value = 0;
  const auto [end, ec] = std::from_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (ec != std::errc{} || end != buffer.data() + buffer.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<double> parse_score(std::string_view text, const ScoreSpec& spec, bool decimal_comma) {
  text = trim(text);
  if (!spec.map.empty()) {
    std::string key(text);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto it = spec.map.find(key); it != spec.map.end()) return it->second;
  }
  if (!text.empty() && text.back() == '%') text = trim(text.substr(0, text.size() - 1));
  const auto raw = parse_decimal(text, decimal_comma);
  if (!raw || *raw < spec.lo || *raw > spec.hi) return std::nullopt;
  if (spec.lo == 0 && spec.hi == 100) return *raw;
  return (*raw - spec.lo) * 100 / (spec.hi - spec.lo);
}

Weights weights_of(const Config& config) {
  return Weights{config.weight_fit, config.weight_intent, config.weight_engagement};
}

double composite_score(double fit, double intent, double engagement, const Config& config) {
  return weights_of(config).composite(fit, intent, engagement);
}

void score_accounts(AccountTable& table, const Config& config) {
  table.weights = weights_of(config);
  table.ranked = false;  // new composites: the ranking order must be found again
}

}  // namespace abmtier
