// Report sections made of text and tables: the header, the alerts and the
// five tiering metrics (SPEC 8).
#include <cmath>

#include <fmt/format.h>

#include "report_internal.h"

namespace abmtier::report_detail {
namespace {

// One tile of the header grid: a label over a number or a word.
void tile_count(std::string& out, std::string_view label, std::string_view metric,
                std::uint64_t n) {
  out += "<div class=\"tile\"><dt>";
  out += label;
  out += "</dt>";
  put_count(out, "dd", {metric}, n);
  out += "</div>";
}

void tile_text(std::string& out, std::string_view label, std::string_view metric,
               std::string_view value, std::string_view display, std::string_view sub) {
  out += "<div class=\"tile\"><dt>";
  out += label;
  out += "</dt><dd class=\"word\"";
  out += attribute("data-metric", metric);
  out += attribute("data-value", value);
  out += '>';
  append_escaped(out, display);
  if (!sub.empty()) {
    out += "<span class=\"sub\">";
    append_escaped(out, sub);
    out += "</span>";
  }
  out += "</dd></div>";
}

std::string_view reps_source_text(std::string_view source) {
  if (source == "flag") return "from --reps";
  if (source == "config") return "from config";
  if (source == "owners") return "owners counted";
  return "not known";
}

void header_tiles(std::string& out, const Summary& s) {
  out += "<dl class=\"tiles\">";
  tile_count(out, "Rows read", "rows-read", s.rows_read);
  tile_count(out, "Accepted", "accepted", s.accepted);
  tile_count(out, "Rejected", "rejected", s.rejected);
  const bool per_owner = s.capacity_mode == "per_owner";
  tile_text(out, "Capacity mode", "capacity-mode", s.capacity_mode,
            per_owner ? "per owner" : s.capacity_mode,
            per_owner ? "caps per owner" : "caps are totals");
  out += "<div class=\"tile\"><dt>Reps</dt><dd";
  const bool known = s.reps && *s.reps >= 0;
  out += attribute("class", known ? "num" : "na");
  out += attribute("data-metric", "reps");
  out += attribute("data-source", s.reps_source);
  out += attribute("data-value", known ? std::to_string(*s.reps) : "unknown");
  out += '>';
  out += known ? format_count(static_cast<std::uint64_t>(*s.reps)) : "unknown";
  out += "<span class=\"sub\">";
  out += reps_source_text(s.reps_source);
  out += "</span></dd></div>";
  tile_count(out, "Watchlist flag", "watchlist-flagged", s.watchlist_flagged);
  tile_count(out, "Pins applied", "overrides-applied", s.overrides);
  if (s.overrides_unmatched > 0)
    tile_count(out, "Pins unmatched", "overrides-unmatched", s.overrides_unmatched);
  out += "</dl>";
}

void quality_line(std::string& out, const Summary& s) {
  const std::array<std::pair<std::string_view, std::uint64_t>, 5> items{
      {{"empty-intent", s.empty_intent},
       {"bad-previous-tier", s.bad_previous_tier},
       {"bad-last-touch", s.bad_last_touch},
       {"bad-pipeline", s.bad_pipeline},
       {"bad-roles", s.bad_roles}}};
  static constexpr std::array<std::string_view, 5> kLabels{
      "empty intent (scored 0)", "unreadable previous tiers", "unreadable last-touch dates",
      "unreadable pipeline values", "unreadable role counts"};
  out += "<p class=\"quality\">Data quality (none of these reject a row): ";
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += " · ";
    put_count(out, "span", {items[k].first}, items[k].second);
    out += ' ';
    out += kLabels[k];
  }
  out += ".</p>";
}

}  // namespace

void section_header(std::string& out, const Summary& s) {
  out += "<header class=\"page\" id=\"run\"><h1>Account tiers</h1><p class=\"meta\">Source <strong";
  out += attribute("data-metric", "source");
  out += attribute("data-value", s.source);
  out += '>';
  append_escaped(out, s.source);
  out += "</strong> · as of <strong";
  out += attribute("data-metric", "as-of");
  out += attribute("data-value", s.as_of);
  out += '>';
  append_escaped(out, s.as_of);
  out += "</strong>";
  if (s.refresh)
    out +=
        " · <strong data-metric=\"refresh\" data-value=\"true\">refresh run</strong> (previous "
        "tiers gave no hysteresis or incumbency)";
  out += "</p>";
  header_tiles(out, s);
  quality_line(out, s);
  out += "</header>\n";
}

void section_alerts(std::string& out, const Summary& s) {
  out += s.alerts.empty() ? "<section class=\"alerts clear\" id=\"alerts\">"
                          : "<section class=\"alerts\" id=\"alerts\">";
  out += "<h2>Alerts: ";
  put_count(out, "span", {"alert-count"}, s.alerts.size());
  out += "</h2>";
  if (s.alerts.empty()) {
    out +=
        "<p class=\"alert none\">No alerts: caps, coverage, penetration and owners are within "
        "limits.</p>";
  }
  for (const Alert& alert : s.alerts) {
    out += "<p class=\"alert\" data-metric=\"alert\"";
    out += attribute("data-code", alert.code);
    out += "><code>";
    append_escaped(out, alert.code);
    out += "</code>";
    append_escaped(out, alert.message);
    out += "</p>";
  }
  out += "</section>\n";
}

namespace {

void put_money(std::string& out, const Hook& hook, const std::optional<double>& amount) {
  if (amount)
    put_value(out, "td", "num", hook, machine_number(*amount, 1e2), format_money(*amount));
  else
    put_missing(out, "td", hook);
}

// "Share vs plan" as a gap in percentage points, or not available.
void put_mix_gap(std::string& out, const TierStats& t, std::string_view key) {
  const Hook hook{"tier-mix-gap", key};
  if (!t.plan_share) {
    put_missing(out, "td", hook);
    return;
  }
  const double gap = (t.share - *t.plan_share) * 100.0;
  const double shown = std::round(gap * 10.0) / 10.0;
  const std::string text = shown == 0.0 ? "on plan" : fmt::format("{:+.1f} pts", shown);
  put_value(out, "td", "num", hook, machine_number(gap / 100.0, 1e4), text);
}

void metrics_table(std::string& out, const Summary& s) {
  out +=
      "<table class=\"metrics\"><thead><tr><th>Tier</th><th class=\"num\">Mix vs plan</th>"
      "<th class=\"num\">Coverage</th><th class=\"num\">Penetration</th>"
      "<th class=\"num\">Pipeline per account</th></tr></thead><tbody>";
  for (int t = 0; t < kTierCount; ++t) {
    const TierStats& ts = s.tiers[static_cast<std::size_t>(t)];
    const std::string_view key = tier_key(t);
    out += fmt::format("<tr><th scope=\"row\"><span class=\"sw {}\"></span>{}</th>", tier_class(t),
                       tier_label(t));
    put_mix_gap(out, ts, key);
    put_percent(out, "td", {"coverage", key}, ts.coverage);
    put_percent(out, "td", {"penetration", key}, ts.penetration);
    put_money(out, {"pipeline-per-account", key}, ts.pipeline_per_account);
    out += "</tr>";
  }
  out += "</tbody></table>";
}

void change_tile(std::string& out, std::string_view label, std::string_view metric, std::uint64_t n,
                 bool available) {
  out += "<div class=\"tile\"><dt>";
  out += label;
  out += "</dt>";
  if (available)
    put_count(out, "dd", {metric}, n);
  else
    put_missing(out, "dd", {metric});
  out += "</div>";
}

void change_tiles(std::string& out, const Summary& s, bool has_previous) {
  const ChangeCounts& c = s.changes;
  out += "<dl class=\"tiles\">";
  change_tile(out, "New", "change-new", c.new_accounts, true);
  change_tile(out, "Promoted", "change-promoted", c.promoted, has_previous);
  change_tile(out, "Demoted", "change-demoted", c.demoted, has_previous);
  change_tile(out, "Unchanged", "change-unchanged", c.unchanged, has_previous);
  change_tile(out, "Promotion held", "change-promotion-held", c.promotion_held, has_previous);
  change_tile(out, "Demotion held", "change-demotion-held", c.demotion_held, has_previous);
  change_tile(out, "Held in total", "change-held", c.held, has_previous);
  change_tile(out, "Dropped", "change-dropped", c.dropped, has_previous);
  out += "</dl>";
}

}  // namespace

void section_metrics(std::string& out, const Summary& s, const Config& config,
                     const ReportData& data) {
  out +=
      "<section id=\"metrics\"><h2>The five tiering metrics</h2><p class=\"lede\">Tier mix "
      "against the plan, coverage (share of accounts touched in the coverage window), "
      "penetration (share of the buying committee engaged), changes against the previous "
      "tiers, and open pipeline per account. <em>Not available</em> means the input has no "
      "column for it or no account qualifies; it is never shown as 0. Coverage window: ";
  put_count(out, "span", {"coverage-window-days"},
            static_cast<std::uint64_t>(config.coverage_window_days));
  out +=
      " days before the as-of date. Tier 1 is expected at 70% coverage and 50% penetration "
      "or more.</p>";
  metrics_table(out, s);
  // Without any previous tier there is nothing to compare against: the
  // volumes are unknown rather than zero (SPEC 8).
  const bool has_previous = data.has_previous || s.changes.dropped > 0;
  out += "<h3>Changes against the previous tiers</h3>";
  if (!has_previous)
    out +=
        "<p class=\"lede\">No previous tiers were given (no <code>--previous</code> file and no "
        "tier column), so every account is new and promotions and demotions are not available.</p>";
  change_tiles(out, s, has_previous);
  out += "</section>\n";
}

}  // namespace abmtier::report_detail
