// The HTML report: a self-contained page built from the summary.
#include "abmtier/report.h"

#include <string_view>

namespace abmtier {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

}  // namespace

std::string render_report(const AccountTable& /*table*/, const Summary& summary,
                          const Config& /*config*/, const CapacityResult& /*capacity*/) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>abmtier report</title></head><body>\n";
  out += "<h1>abmtier report</h1>\n<p>Source: ";
  append_escaped(out, summary.source);
  out += ", as of ";
  append_escaped(out, summary.as_of);
  out += "</p>\n<table><tr><th>Tier</th><th>Accounts</th></tr>\n";
  for (int t = 0; t < kTierCount; ++t) {
    out += "<tr><td>";
    out += tier_name(tier_from_index(t));
    out += "</td><td data-metric=\"tier-count\" data-tier=\"";
    out += tier_name(tier_from_index(t));
    out += "\">";
    out += std::to_string(summary.tiers[static_cast<std::size_t>(t)].count);
    out += "</td></tr>\n";
  }
  out += "</table>\n</body></html>\n";
  return out;
}

}  // namespace abmtier
