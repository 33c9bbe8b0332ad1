// Report sections over the aggregated table: the composite distribution per
// tier (10-point histograms) and the previous -> current tier flows.
#include <algorithm>

#include <fmt/format.h>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

constexpr int kBinWidth = 80;  // SVG units per bin; 10 bins = 800
constexpr int kBarTop = 16;    // room for the count label above the tallest bar
constexpr int kBarBase = 60;

void histogram(std::string& out, const std::array<std::uint64_t, kCompositeBins>& bins, int tier) {
  const std::uint64_t largest = *std::max_element(bins.begin(), bins.end());
  out +=
      fmt::format("<svg class=\"chart {}\" viewBox=\"0 0 800 64\" role=\"img\"", tier_class(tier));
  out += attribute("aria-label",
                   fmt::format("{}: accounts per 10-point composite bin", tier_label(tier)));
  out += '>';
  for (int b = 0; b < kCompositeBins; ++b) {
    const std::uint64_t n = bins[static_cast<std::size_t>(b)];
    const double h =
        largest == 0 ? 0.0
                     : (kBarBase - kBarTop) * static_cast<double>(n) / static_cast<double>(largest);
    const int x = b * kBinWidth;
    if (n > 0)
      out +=
          fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\"/>",
                      x + 4, kBarBase - std::max(h, 1.0), kBinWidth - 8, std::max(h, 1.0));
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\"{}",
                       x + kBinWidth / 2, kBarBase - std::max(h, 1.0) - 3,
                       n == 0 ? " class=\"zero\"" : "");
    const std::string where = attribute("data-bin", std::to_string(b * 10));
    out +=
        attribute("data-metric", "composite-bin") + attribute("data-tier", tier_key(tier)) + where;
    out += attribute("data-value", std::to_string(n)) + '>' + format_count(n) + "</text>";
  }
  out += fmt::format("<line x1=\"0\" x2=\"800\" y1=\"{0}\" y2=\"{0}\" stroke=\"#8a9099\"/></svg>",
                     kBarBase + 0.5);
}

void histogram_axis(std::string& out) {
  out += "<svg class=\"chart\" viewBox=\"0 0 800 16\" aria-hidden=\"true\">";
  for (int b = 0; b <= kCompositeBins; ++b) {
    const char* anchor = b == 0 ? "start" : (b == kCompositeBins ? "end" : "middle");
    out += fmt::format(
        "<text x=\"{}\" y=\"12\" font-size=\"12\" text-anchor=\"{}\" class=\"tick\">{}</text>",
        b * kBinWidth, anchor, b * 10);
  }
  out += "</svg>";
}

}  // namespace

void section_distribution(std::string& out, const Summary& s, const ReportData& data) {
  out +=
      "<section id=\"distribution\"><h2>Composite score per tier</h2><p class=\"lede\">Accounts "
      "per 10-point composite bin (0–10 up to 90–100), one row per tier. Each row has its own "
      "scale: compare shapes between rows and read the counts.</p>";
  out += "<table class=\"dist\"><tbody>";
  for (int t = 0; t < kTierCount; ++t) {
    out += fmt::format(
        "<tr><th scope=\"row\" style=\"width:120px\"><span class=\"sw {}\"></span>{}</th><td>",
        tier_class(t), tier_label(t));
    if (s.tiers[static_cast<std::size_t>(t)].count == 0 || !data.complete)
      out += "<span class=\"muted\">no accounts</span>";
    else
      histogram(out, data.bins[static_cast<std::size_t>(t)], t);
    out += "</td></tr>";
  }
  out += "<tr><th scope=\"row\" class=\"muted\">composite</th><td>";
  histogram_axis(out);
  out += "</td></tr></tbody></table></section>\n";
}

namespace {

// How an account moved from previous row `from` to final tier `to`.
std::string_view flow_kind(int from, int to, std::uint64_t n) {
  if (n == 0) return "zero";
  if (from == kNoPreviousRow) return "new";
  if (from == to) return "same";
  return to < from ? "up" : "down";
}

std::string_view flow_glyph(std::string_view kind) {
  if (kind == "up") return "▲ ";
  if (kind == "down") return "▼ ";
  if (kind == "same") return "= ";
  return "";
}

std::string_view from_key(int from) { return from == kNoPreviousRow ? "none" : tier_key(from); }

void flow_row(std::string& out, const ReportData& data, int from) {
  const auto& row = data.flows[static_cast<std::size_t>(from)];
  out += "<tr><th scope=\"row\">";
  out += from == kNoPreviousRow ? std::string_view("No previous tier (new)") : tier_label(from);
  out += "</th>";
  std::uint64_t total = 0;
  for (int to = 0; to < kTierCount; ++to) {
    const std::uint64_t n = row[static_cast<std::size_t>(to)];
    total += n;
    const std::string_view kind = flow_kind(from, to, n);
    out += fmt::format("<td class=\"flow {}\">{}", kind, flow_glyph(kind));
    const std::string where =
        attribute("data-from", from_key(from)) + attribute("data-to", tier_key(to));
    put_value(out, "span", "", {"flow", {}, where}, std::to_string(n), format_count(n));
    out += "</td>";
  }
  put_value(out, "td", "num", {"flow-from-total", {}, attribute("data-from", from_key(from))},
            std::to_string(total), format_count(total));
  out += "</tr>";
}

}  // namespace

void section_flows(std::string& out, const ReportData& data) {
  out +=
      "<section id=\"flows\"><h2>Tier flows: previous → current</h2><p class=\"lede\">Rows are "
      "the previous tier, columns the tier of this run.</p><p class=\"legend\">"
      "<span>▲ promoted (green)</span><span>▼ demoted (red)</span><span>= unchanged (grey)"
      "</span><span>new: no previous tier (blue)</span></p>";
  out += "<table class=\"flows\"><thead><tr><th>Previous \\ Now</th>";
  for (int to = 0; to < kTierCount; ++to)
    out += fmt::format("<th style=\"text-align:center\"><span class=\"sw {}\"></span>{}</th>",
                       tier_class(to), tier_label(to));
  out += "<th class=\"num\">Total</th></tr></thead><tbody>";
  for (int from = 0; from <= kNoPreviousRow; ++from) flow_row(out, data, from);
  out += "</tbody></table></section>\n";
}

}  // namespace abmtier::report_detail
