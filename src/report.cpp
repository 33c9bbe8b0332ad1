// The HTML report (--report): one self-contained page, no scripts, no
// external resources. The sections live in src/report_*.cpp; this file puts
// the page together.
#include "abmtier/report.h"

#include "report_internal.h"

namespace abmtier {

using namespace report_detail;

std::string render_report(const AccountTable& table, const Summary& summary, const Config& config,
                          const CapacityResult& /*capacity*/) {
  const ReportData data = aggregate(table);
  std::string out;
  out.reserve(64 * 1024);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // An empty data: icon keeps the browser from asking for /favicon.ico.
      "<link rel=\"icon\" href=\"data:,\"><title>Account tiers — ";
  append_escaped(out, summary.source);
  out += " — ";
  append_escaped(out, summary.as_of);
  out += "</title><style>";
  out += style_sheet();
  out += "</style></head>\n<body><main>\n";
  section_header(out, summary);
  section_alerts(out, summary);
  section_tier_mix(out, summary);
  section_metrics(out, summary, config, data);
  section_matrix(out, summary, config, data);
  section_owners(out, summary);
  section_distribution(out, summary, data);
  if (data.has_previous) section_flows(out, data);
  out += "<footer>abmtier report for ";
  append_escaped(out, summary.source);
  out += ", as of ";
  append_escaped(out, summary.as_of);
  out +=
      ". Every number on this page carries a data-metric attribute; see docs/report.md.</footer>\n"
      "</main></body></html>\n";
  return out;
}

}  // namespace abmtier
