#include "abmtier/dates.h"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace abmtier {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
std::int32_t civil_to_days(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads exactly `width` digits (or 1..width when `exact` is false).
bool read_int(std::string_view& s, int width, bool exact, int& out) {
  int n = 0;
  int value = 0;
  while (n < width && n < static_cast<int>(s.size()) &&
         std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(n)]))) {
    value = value * 10 + (s[static_cast<std::size_t>(n)] - '0');
    ++n;
  }
  if (n == 0 || (exact && n != width)) return false;
  s.remove_prefix(static_cast<std::size_t>(n));
  out = value;
  return true;
}

bool read_month_name(std::string_view& s, int& month) {
  static constexpr std::array<std::string_view, 12> kNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return false;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < 3; ++k)
      match = match && std::tolower(static_cast<unsigned char>(s[k])) == kNames[i][k];
    if (match) {
      month = static_cast<int>(i) + 1;
      s.remove_prefix(3);
      while (!s.empty() && std::isalpha(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
      return true;
    }
  }
  return false;
}

// ISO 8601: the date, then optionally [T ]HH:MM[:SS[.fff]][Z|+hh:mm|-hh:mm].
std::optional<std::int32_t> parse_iso(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (!read_int(s, 4, true, y) || s.empty() || s.front() != '-') return std::nullopt;
  s.remove_prefix(1);
  if (!read_int(s, 2, true, m) || s.empty() || s.front() != '-') return std::nullopt;
  s.remove_prefix(1);
  if (!read_int(s, 2, true, d)) return std::nullopt;
  if (!s.empty()) {
    if (s.front() != 'T' && s.front() != 't' && s.front() != ' ') return std::nullopt;
    s.remove_prefix(1);
    int hh = 0, mm = 0, ss = 0;
    if (!read_int(s, 2, true, hh) || s.empty() || s.front() != ':') return std::nullopt;
    s.remove_prefix(1);
    if (!read_int(s, 2, true, mm) || hh > 23 || mm > 59) return std::nullopt;
    if (!s.empty() && s.front() == ':') {
      s.remove_prefix(1);
      if (!read_int(s, 2, true, ss) || ss > 60) return std::nullopt;
      if (!s.empty() && (s.front() == '.' || s.front() == ',')) {
        s.remove_prefix(1);
        int frac = 0;
        if (!read_int(s, 9, false, frac)) return std::nullopt;
      }
    }
    if (!s.empty() && (s == "Z" || s == "z")) s.remove_prefix(1);
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
      s.remove_prefix(1);
      int oh = 0, om = 0;
      if (!read_int(s, 2, true, oh)) return std::nullopt;
      if (!s.empty() && s.front() == ':') s.remove_prefix(1);
      if (!s.empty() && !read_int(s, 2, true, om)) return std::nullopt;
    }
    if (!s.empty()) return std::nullopt;
  }
  return days_from_civil(y, m, d);
}

std::optional<std::int32_t> parse_with_format(std::string_view s, std::string_view format) {
  int y = -1, m = -1, d = -1, ignored = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char f = format[i];
    if (f != '%' || i + 1 == format.size()) {
      if (s.empty() || s.front() != f) return std::nullopt;
      s.remove_prefix(1);
      continue;
    }
    const char spec = format[++i];
    bool ok = true;
    switch (spec) {
      case 'Y': ok = read_int(s, 4, false, y); break;
      case 'y': ok = read_int(s, 2, true, y); y += y < 70 ? 2000 : 1900; break;
      case 'm': ok = read_int(s, 2, false, m); break;
      case 'd': ok = read_int(s, 2, false, d); break;
      case 'b': case 'B': ok = read_month_name(s, m); break;
      case 'H': case 'M': case 'S': ok = read_int(s, 2, false, ignored); break;
      case '%': ok = !s.empty() && s.front() == '%'; if (ok) s.remove_prefix(1); break;
      default: ok = false;
    }
    if (!ok) return std::nullopt;
  }
  if (!s.empty() || y < 0 || m < 0 || d < 0) return std::nullopt;
  return days_from_civil(y, m, d);
}

}  // namespace

std::optional<std::int32_t> days_from_civil(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month))
    return std::nullopt;
  return civil_to_days(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::optional<std::int32_t> parse_date(std::string_view text, std::string_view format) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (auto iso = parse_iso(text)) return iso;
  if (!format.empty()) return parse_with_format(text, format);
  return std::nullopt;
}

std::string format_iso_date(std::int32_t days) {
  // civil_from_days
  const std::int32_t z = days + 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04d}-{:02d}-{:02d}", y + (m <= 2), m, d);
}

std::int32_t today_utc() {
  return static_cast<std::int32_t>(std::time(nullptr) / 86400);
}

}  // namespace abmtier
