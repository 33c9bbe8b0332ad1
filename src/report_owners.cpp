// The owner-load section: each owner's tier 1 and tier 2 accounts against
// the cap, heaviest tier-1 load first, at most kMaxOwnersShown owners.
#include <algorithm>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

constexpr double kLoadWidth = 200;

bool over_cap(const OwnerLoad& o, std::size_t k) {
  return o.cap[k] && *o.cap[k] >= 0 && o.count[k] > static_cast<std::uint64_t>(*o.cap[k]);
}

bool over_any_cap(const OwnerLoad& o) {
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    if (over_cap(o, k)) return true;
  return false;
}

// "over cap: tier 1", "over cap: tiers 1 and 2", ... for the status column.
std::string over_text(const OwnerLoad& o) {
  std::vector<std::string> tiers;
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    if (over_cap(o, k)) tiers.push_back(std::to_string(k + 1));
  std::string text = tiers.size() == 1 ? "over cap: tier " : "over cap: tiers ";
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (i > 0) text += i + 1 == tiers.size() ? " and " : ", ";
    text += tiers[i];
  }
  return text;
}

// Heaviest tier-1 load first, then tier 2, then owner name (byte order) so
// the order never depends on the input's row order.
std::vector<std::size_t> owner_order(const std::vector<OwnerLoad>& owners) {
  std::vector<std::size_t> order(owners.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const OwnerLoad& x = owners[a];
    const OwnerLoad& y = owners[b];
    if (x.count[0] != y.count[0]) return x.count[0] > y.count[0];
    if (x.count[1] != y.count[1]) return x.count[1] > y.count[1];
    if (x.owner.empty() != y.owner.empty()) return y.owner.empty();  // named owners first
    return x.owner < y.owner;
  });
  return order;
}

std::uint64_t cap_value(const std::optional<std::int64_t>& cap) {
  return cap && *cap > 0 ? static_cast<std::uint64_t>(*cap) : 0;
}

// The bar is drawn in the tier's colour up to the cap and in red beyond it.
void load_bar(std::string& out, const OwnerLoad& o, std::size_t k, std::uint64_t scale) {
  const auto x = [&](std::uint64_t n) {
    return kLoadWidth * static_cast<double>(n) / static_cast<double>(scale);
  };
  out +=
      fmt::format("<svg class=\"chart t{}\" viewBox=\"0 0 200 18\" aria-hidden=\"true\">", k + 1);
  out += "<rect x=\"0\" y=\"3\" width=\"200\" height=\"12\" fill=\"#eceef1\"/>";
  const std::uint64_t within = o.cap[k] ? std::min(o.count[k], cap_value(o.cap[k])) : o.count[k];
  out += fmt::format("<rect class=\"bar\" x=\"0\" y=\"3\" width=\"{:.1f}\" height=\"12\"/>",
                     x(within));
  if (o.count[k] > within)
    out +=
        fmt::format("<rect class=\"excess\" x=\"{:.1f}\" y=\"3\" width=\"{:.1f}\" height=\"12\"/>",
                    x(within), x(o.count[k]) - x(within));
  if (o.cap[k])
    out += fmt::format("<line class=\"cap\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" y2=\"18\"/>",
                       x(cap_value(o.cap[k])));
  out += "</svg>";
}

void load_cell(std::string& out, const OwnerLoad& o, std::size_t k, const std::string& who) {
  const std::string_view key = tier_key(static_cast<int>(k));
  out += "<td class=\"num\">";
  put_value(out, "span", "", {"owner-tier-count", key, who}, std::to_string(o.count[k]),
            format_count(o.count[k]));
  out += " <span class=\"muted\">/</span> ";
  if (o.cap[k])
    put_value(out, "span", "muted", {"owner-tier-cap", key, who}, std::to_string(*o.cap[k]),
              *o.cap[k] < 0 ? std::to_string(*o.cap[k]) : format_count(cap_value(o.cap[k])));
  else
    put_value(out, "span", "muted", {"owner-tier-cap", key, who}, "unlimited", "no cap");
  out += "</td>";
}

void owner_row(std::string& out, const OwnerLoad& o, const std::array<std::uint64_t, 2>& scale) {
  const bool over = over_any_cap(o);
  const std::string who = attribute("data-owner", o.owner);
  out += over ? "<tr class=\"over\"><th scope=\"row\">" : "<tr><th scope=\"row\">";
  if (o.owner.empty())
    out += "<span class=\"muted\">(no owner)</span>";
  else
    append_escaped(out, o.owner);
  out += "</th>";
  for (std::size_t k = 0; k < 2; ++k) {
    load_cell(out, o, k, who);
    out += "<td>";
    load_bar(out, o, k, scale[k]);
    out += "</td>";
  }
  load_cell(out, o, 2, who);
  if (over)
    out += "<td><span class=\"flag\">" + over_text(o) + "</span></td></tr>";
  else
    out += "<td><span class=\"okflag\">within cap</span></td></tr>";
}

// A common scale per tier across the owners shown, so bars compare.
std::array<std::uint64_t, 2> load_scale(const std::vector<OwnerLoad>& owners,
                                        const std::vector<std::size_t>& shown) {
  std::array<std::uint64_t, 2> scale{1, 1};
  for (std::size_t i : shown)
    for (std::size_t k = 0; k < 2; ++k)
      scale[k] = std::max({scale[k], owners[i].count[k], cap_value(owners[i].cap[k])});
  return scale;
}

void hidden_note(std::string& out, const std::vector<OwnerLoad>& owners,
                 const std::vector<std::size_t>& order) {
  std::uint64_t hidden_over = 0;
  for (std::size_t j = kMaxOwnersShown; j < order.size(); ++j)
    if (over_any_cap(owners[order[j]])) ++hidden_over;
  out += "<p class=\"lede\">And ";
  put_count(out, "span", {"owners-hidden"}, order.size() - kMaxOwnersShown);
  out += " more owners with lighter tier 1 loads, not shown; ";
  put_count(out, "span", {"owners-hidden-over-cap"}, hidden_over);
  out += " of them over a cap.</p>";
}

}  // namespace

void section_owners(std::string& out, const Summary& s) {
  out += "<section id=\"owners\"><h2>Owner load against the cap</h2>";
  if (s.owners.empty()) {
    out +=
        "<p class=\"lede\">The input has no owner column, so per-owner load is not "
        "available.</p></section>\n";
    return;
  }
  const std::vector<std::size_t> order = owner_order(s.owners);
  const std::vector<std::size_t> shown(
      order.begin(),
      order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), kMaxOwnersShown)));
  const auto over =
      static_cast<std::uint64_t>(std::count_if(s.owners.begin(), s.owners.end(), over_any_cap));
  out += "<p class=\"lede\">Accounts per owner in tiers 1 and 2 against the owner's cap (";
  out += s.capacity_mode == "per_owner" ? "per_owner mode: each owner's own cap"
                                        : "pooled mode: the owner's share of the pooled cap";
  out += "), heaviest tier 1 load first. ";
  put_count(out, "span", {"owners-total"}, s.owners.size());
  out += " owners, ";
  put_count(out, "span", {"owners-over-cap"}, over);
  out += " over a cap (marked, with the excess in red).</p>";
  out +=
      "<table class=\"owners\"><thead><tr><th>Owner</th><th class=\"num\">Tier 1 / cap</th>"
      "<th style=\"width:22%\"></th><th class=\"num\">Tier 2 / cap</th><th "
      "style=\"width:22%\"></th>"
      "<th class=\"num\">Tier 3 / cap</th><th>Status</th></tr></thead><tbody>";
  const std::array<std::uint64_t, 2> scale = load_scale(s.owners, shown);
  for (std::size_t i : shown) owner_row(out, s.owners[i], scale);
  out += "</tbody></table>";
  if (order.size() > kMaxOwnersShown) hidden_note(out, s.owners, order);
  out += "</section>\n";
}

}  // namespace abmtier::report_detail
