#include <array>
#include <cctype>

#include "abmtier/account.h"

namespace abmtier {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

std::optional<Tier> digit_tier(std::string_view s) {
  if (s == "1") return Tier::k1;
  if (s == "2") return Tier::k2;
  if (s == "3") return Tier::k3;
  return std::nullopt;
}

}  // namespace

std::string_view tier_name(Tier t) {
  static constexpr std::array<std::string_view, kTierCount> kNames{"1", "2", "3", "watchlist",
                                                                   "outside"};
  return t == Tier::kNone ? std::string_view{} : kNames[static_cast<std::size_t>(t)];
}

std::string_view band_name(Band b) {
  static constexpr std::array<std::string_view, kBandCount> kNames{"high", "mid", "low"};
  return kNames[static_cast<std::size_t>(b)];
}

std::optional<Tier> parse_tier_strict(std::string_view text) {
  text = trim(text);
  if (auto t = digit_tier(text)) return t;
  if (iequals(text, "watchlist")) return Tier::kWatchlist;
  if (iequals(text, "outside")) return Tier::kOutside;
  return std::nullopt;
}

std::optional<Tier> parse_tier_lenient(std::string_view text) {
  text = trim(text);
  if (text.empty()) return Tier::kNone;
  if (auto t = parse_tier_strict(text)) return t;
  // Optional "tier" or "t" prefix, optional separator, then 1-3.
  std::string_view rest = text;
  if (rest.size() >= 4 && iequals(rest.substr(0, 4), "tier")) {
    rest.remove_prefix(4);
  } else if (!rest.empty() && (rest.front() == 't' || rest.front() == 'T')) {
    rest.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && (rest.front() == ' ' || rest.front() == '_' || rest.front() == '-'))
    rest.remove_prefix(1);
  return digit_tier(rest);
}

}  // namespace abmtier
