// Report sections with charts: the tier mix against the plan (bars with plan
// and cap markers) and the fit x intent matrix as a heat grid.
#include <algorithm>

#include <fmt/format.h>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

// Drawing width of a mix bar, in SVG user units (the SVG scales to its cell).
constexpr double kMixWidth = 400;

double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

void mix_axis(std::string& out) {
  out += "<svg class=\"chart\" viewBox=\"0 0 400 16\" aria-hidden=\"true\">";
  for (int k = 0; k <= 4; ++k) {
    const double x = kMixWidth * k / 4.0;
    const char* anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle");
    out += fmt::format("<text x=\"{:.1f}\" y=\"12\" font-size=\"11\" text-anchor=\"{}\">{}%</text>",
                       x, anchor, k * 25);
  }
  out += "</svg>";
}

// One tier's bar: share of the accepted accounts, a black tick at the plan
// and a dashed red line at the cap (when the cap is within the total).
void mix_bar(std::string& out, const TierStats& t, std::uint64_t accepted, int tier) {
  out +=
      fmt::format("<svg class=\"chart {}\" viewBox=\"0 0 400 24\" role=\"img\"", tier_class(tier));
  out += attribute("aria-label",
                   fmt::format("{}: bar of its share of the accounts", tier_label(tier)));
  out += "><rect x=\"0\" y=\"4\" width=\"400\" height=\"16\" fill=\"#eceef1\"/>";
  out += fmt::format("<rect class=\"bar\" x=\"0\" y=\"4\" width=\"{:.1f}\" height=\"16\"/>",
                     kMixWidth * clamp01(t.share));
  for (int k = 1; k < 4; ++k)
    out += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"4\" y2=\"20\" stroke=\"#fff\" stroke-opacity=\".7\"/>",
        k * 100);
  if (t.plan_share)
    out += fmt::format("<line class=\"plan\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" y2=\"24\"/>",
                       kMixWidth * clamp01(*t.plan_share));
  if (t.cap && accepted > 0 && *t.cap >= 0 && static_cast<std::uint64_t>(*t.cap) <= accepted)
    out += fmt::format("<line class=\"cap\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" y2=\"24\"/>",
                       kMixWidth * static_cast<double>(*t.cap) / static_cast<double>(accepted));
  out += "</svg>";
}

void put_cap(std::string& out, const TierStats& t, int tier) {
  const Hook hook{"tier-cap", tier_key(tier)};
  if (!is_capped(tier_from_index(tier)))
    out += "<td class=\"dash\" title=\"takes no capacity\">—</td>";
  else if (t.cap)
    put_value(
        out, "td", "num", hook, std::to_string(*t.cap),
        *t.cap < 0 ? std::to_string(*t.cap) : format_count(static_cast<std::uint64_t>(*t.cap)));
  else
    put_value(out, "td", "num", hook, "unlimited", "unlimited");
}

void mix_row(std::string& out, const Summary& s, int tier) {
  const TierStats& t = s.tiers[static_cast<std::size_t>(tier)];
  const std::string_view key = tier_key(tier);
  out += fmt::format("<tr><th scope=\"row\"><span class=\"sw {}\"></span>{}</th>", tier_class(tier),
                     tier_label(tier));
  put_count(out, "td", {"tier-count", key}, t.count);
  put_percent(out, "td", {"tier-share", key}, t.share);
  put_percent(out, "td", {"tier-plan-share", key}, t.plan_share);
  put_cap(out, t, tier);
  if (is_capped(tier_from_index(tier)))
    put_count(out, "td", {"waitlisted", key}, t.waitlisted);
  else
    out += "<td class=\"dash\">—</td>";
  out += "<td>";
  mix_bar(out, t, s.accepted, tier);
  out += "</td></tr>";
}

}  // namespace

void section_tier_mix(std::string& out, const Summary& s) {
  out +=
      "<section id=\"tier-mix\"><h2>Tier mix against plan</h2><p class=\"lede\">How many "
      "accepted accounts each tier holds, against the planned share and the cap. "
      "<em>Waitlisted</em> counts the accounts capped out of a tier (they are worked in the "
      "next tier down).</p><p class=\"legend\"><span><svg width=\"22\" height=\"12\" "
      "style=\"display:inline\"><rect width=\"22\" height=\"12\" fill=\"#3d7fcc\"/></svg> share of "
      "accounts</span><span><svg width=\"10\" height=\"14\" style=\"display:inline\"><line "
      "class=\"plan\" "
      "x1=\"5\" x2=\"5\" y1=\"0\" y2=\"14\"/></svg> plan</span><span><svg width=\"10\" "
      "height=\"14\" "
      "style=\"display:inline\"><line class=\"cap\" x1=\"5\" x2=\"5\" y1=\"0\" y2=\"14\"/></svg> "
      "cap</span></p>";
  out +=
      "<table class=\"mix\"><thead><tr><th>Tier</th><th class=\"num\">Accounts</th>"
      "<th class=\"num\">Share</th><th class=\"num\">Plan</th><th class=\"num\">Cap</th>"
      "<th class=\"num\">Waitlisted</th><th style=\"width:40%\">";
  mix_axis(out);
  out += "</th></tr></thead><tbody>";
  for (int t = 0; t < kTierCount; ++t) mix_row(out, s, t);
  out += "</tbody></table></section>\n";
}

namespace {

constexpr std::array<std::string_view, kBandCount> kBandLabels{"High", "Mid", "Low"};

void band_threshold(std::string& out, std::string_view score, std::string_view band, double value) {
  std::string extra = attribute("data-score", score) + attribute("data-band", band);
  put_value(out, "span", "num", {"band-threshold", {}, extra}, fmt::format("{}", value),
            fmt::format("{}", value));
}

void matrix_cell(std::string& out, std::size_t fit, std::size_t intent, std::uint64_t n,
                 std::uint64_t largest, std::uint64_t total, Tier maps_to) {
  // Lightness 97% (empty) down to 62% (largest cell): dark enough to read
  // at a glance, light enough for black text and for print.
  const double weight = largest == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(largest);
  out += fmt::format("<td class=\"cell\" style=\"--l:{:.0f}%\">", 97.0 - 35.0 * weight);
  const std::string where = attribute("data-fit", band_name(static_cast<Band>(fit))) +
                            attribute("data-intent", band_name(static_cast<Band>(intent)));
  put_value(out, "span", "big", {"matrix-count", {}, where}, std::to_string(n), format_count(n));
  std::optional<double> share;
  if (total > 0) share = static_cast<double>(n) / static_cast<double>(total);
  put_percent(out, "span", {"matrix-share", {}, where}, share);
  const int t = tier_index(maps_to);
  out += fmt::format("<span class=\"maps\"><span class=\"sw {}\"></span>→ ", tier_class(t));
  put_value(out, "span", "", {"matrix-tier", {}, where}, tier_key(t), tier_label(t));
  out += "</span>";
  if (fit == 0 && intent == kBandCount - 1) out += "<span class=\"note\">watchlist flag</span>";
  out += "</td>";
}

}  // namespace

void section_matrix(std::string& out, const Summary& s, const Config& config,
                    const ReportData& data) {
  out +=
      "<section id=\"matrix\"><h2>Fit × intent matrix</h2><p class=\"lede\">Accounts per cell "
      "of the tier matrix, darker for more accounts, and the tier the cell maps to before "
      "hysteresis and capacity. Fit is high from ";
  band_threshold(out, "fit", "high", config.fit_bands.high);
  out += " and mid from ";
  band_threshold(out, "fit", "mid", config.fit_bands.mid);
  out += "; intent is high from ";
  band_threshold(out, "intent", "high", config.intent_bands.high);
  out += " and mid from ";
  band_threshold(out, "intent", "mid", config.intent_bands.mid);
  out += ".</p><table class=\"heat\"><thead><tr><th class=\"row\">Fit \\ Intent</th>";
  for (std::string_view label : kBandLabels) out += fmt::format("<th>{} intent</th>", label);
  out += "</tr></thead><tbody>";
  std::uint64_t largest = 0;
  for (const auto& row : data.cells)
    largest = std::max(largest, *std::max_element(row.begin(), row.end()));
  for (std::size_t f = 0; f < kBandCount; ++f) {
    out += fmt::format("<tr><th scope=\"row\" class=\"row\">{} fit</th>", kBandLabels[f]);
    for (std::size_t i = 0; i < kBandCount; ++i)
      matrix_cell(out, f, i, data.cells[f][i], largest, s.accepted, config.matrix[f][i]);
    out += "</tr>";
  }
  out += "</tbody></table></section>\n";
}

}  // namespace abmtier::report_detail
