// Text and numbers for the HTML report: escaping (with UTF-8 repair), number
// formats, and the elements that carry the data-* hooks.
#include <cmath>
#include <cstddef>

#include <fmt/format.h>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool in_range(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is
// not valid; `bad` is then how many bytes form the invalid maximal subpart
// (Unicode's "substitution of maximal subparts": one U+FFFD each).
std::size_t utf8_length(std::string_view text, std::size_t i, std::size_t& bad) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (in_range(lead, 0xC2, 0xDF)) {
    need = 1;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    need = 2;
    if (lead == 0xE0) lo = 0xA0;  // no overlong forms
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (in_range(lead, 0xF0, 0xF4)) {
    need = 3;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  }
  bad = 1;
  if (need == 0) return 0;
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= text.size()) return 0;
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (!(k == 1 ? in_range(c, lo, hi) : in_range(c, 0x80, 0xBF))) return 0;
    bad = k + 1;
  }
  return need + 1;
}

void append_ascii(std::string& out, char c) {
  switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case '\t':
    case '\n':
    case '\r': out += c; break;
    default:
      // Control characters are parse errors in HTML; show them as U+FFFD.
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
        out += kReplacement;
      else
        out += c;
  }
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      append_ascii(out, text[i++]);
      continue;
    }
    std::size_t bad = 1;
    const std::size_t length = utf8_length(text, i, bad);
    // C1 controls (U+0080..U+009F) are as unwelcome as the C0 ones.
    const bool c1 = length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
                    static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (length == 0 || c1) {
      out += kReplacement;
      i += length == 0 ? bad : length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
}

std::string attribute(std::string_view name, std::string_view value) {
  std::string out = " ";
  out += name;
  out += "=\"";
  append_escaped(out, value);
  out += '"';
  return out;
}

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100.0); }

std::string format_money(double amount) {
  if (std::fabs(amount) < 100.0) return fmt::format("{:.2f}", amount);
  const double rounded = std::round(amount);
  // Beyond 2^63 nobody reads the digits; keep the plain format.
  if (std::fabs(rounded) >= 9.0e18) return fmt::format("{:.0f}", rounded);
  const auto whole = static_cast<std::int64_t>(rounded);
  const std::uint64_t magnitude =
      whole < 0 ? static_cast<std::uint64_t>(-whole) : static_cast<std::uint64_t>(whole);
  return (whole < 0 ? "-" : "") + format_count(magnitude);
}

std::string machine_number(double value, double scale) {
  const double rounded = std::round(value * scale) / scale;
  return fmt::format("{}", rounded == 0.0 ? 0.0 : rounded);  // no "-0"
}

std::string_view tier_label(int tier) {
  static constexpr std::array<std::string_view, kTierCount> kLabels{"Tier 1", "Tier 2", "Tier 3",
                                                                    "Watchlist", "Outside"};
  return kLabels[static_cast<std::size_t>(tier)];
}

std::string_view tier_key(int tier) { return tier_name(tier_from_index(tier)); }

std::string_view tier_class(int tier) {
  static constexpr std::array<std::string_view, kTierCount> kClasses{"t1", "t2", "t3", "tw", "to"};
  return kClasses[static_cast<std::size_t>(tier)];
}

void put_value(std::string& out, std::string_view tag, std::string_view css_class, const Hook& hook,
               std::string_view value, std::string_view display) {
  out += '<';
  out += tag;
  if (!css_class.empty()) out += attribute("class", css_class);
  out += attribute("data-metric", hook.metric);
  if (!hook.tier.empty()) out += attribute("data-tier", hook.tier);
  out += hook.extra;
  out += attribute("data-value", value);
  out += '>';
  append_escaped(out, display);
  out += "</";
  out += tag;
  out += '>';
}

void put_count(std::string& out, std::string_view tag, const Hook& hook, std::uint64_t n) {
  put_value(out, tag, "num", hook, std::to_string(n), format_count(n));
}

void put_percent(std::string& out, std::string_view tag, const Hook& hook,
                 const std::optional<double>& fraction) {
  if (fraction)
    put_value(out, tag, "num", hook, machine_number(*fraction, 1e4), format_percent(*fraction));
  else
    put_missing(out, tag, hook);
}

void put_missing(std::string& out, std::string_view tag, const Hook& hook) {
  out += '<';
  out += tag;
  out += attribute("class", "num na");
  out += attribute("data-metric", hook.metric);
  if (!hook.tier.empty()) out += attribute("data-tier", hook.tier);
  out += hook.extra;
  out += " data-na=\"true\">not available</";
  out += tag;
  out += '>';
}

}  // namespace abmtier::report_detail
