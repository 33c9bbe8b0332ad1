// The summary as JSON (--summary) and as the short table on stderr. Key
// names and units are documented in docs/summary.md; change them there too.
#include <array>
#include <cmath>
#include <iterator>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "abmtier/summary.h"

namespace abmtier {
namespace {

using Json = nlohmann::ordered_json;

/// Shares are fractions rounded to 4 decimals; money to 2.
constexpr double kShareScale = 1e4;
constexpr double kMoneyScale = 1e2;

double rounded(double value, double scale) { return std::round(value * scale) / scale; }

Json optional_number(const std::optional<double>& value, double scale) {
  return value ? Json(rounded(*value, scale)) : Json(nullptr);
}

Json optional_int(const std::optional<std::int64_t>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json tier_json(const TierStats& s, bool capped) {
  Json j;
  j["count"] = s.count;
  // "cap" only exists for the capped tiers; there null means unlimited.
  if (capped) j["cap"] = optional_int(s.cap);
  j["share"] = rounded(s.share, kShareScale);
  j["plan_share"] = optional_number(s.plan_share, kShareScale);
  if (capped) j["waitlisted"] = s.waitlisted;
  j["coverage"] = optional_number(s.coverage, kShareScale);
  j["penetration"] = optional_number(s.penetration, kShareScale);
  j["pipeline_per_account"] = optional_number(s.pipeline_per_account, kMoneyScale);
  return j;
}

Json changes_json(const ChangeCounts& c) {
  Json j;
  j["new"] = c.new_accounts;
  j["promoted"] = c.promoted;
  j["demoted"] = c.demoted;
  j["unchanged"] = c.unchanged;
  j["held"] = c.held;
  j["promotion_held"] = c.promotion_held;
  j["demotion_held"] = c.demotion_held;
  j["dropped"] = c.dropped;
  return j;
}

Json owners_json(const std::vector<OwnerLoad>& owners) {
  Json list = Json::array();
  for (const OwnerLoad& o : owners) {
    Json j;
    j["owner"] = o.owner.empty() ? Json(nullptr) : Json(o.owner);
    Json tiers;
    for (std::size_t k = 0; k < kCappedTiers; ++k) {
      Json t;
      t["count"] = o.count[k];
      t["cap"] = optional_int(o.cap[k]);
      tiers[std::string(tier_name(tier_from_index(static_cast<int>(k))))] = std::move(t);
    }
    j["tiers"] = std::move(tiers);
    list.push_back(std::move(j));
  }
  return list;
}

Json header_json(const Summary& s) {
  Json j;
  Json input;
  input["source"] = s.source;
  input["rows_read"] = s.rows_read;
  input["accepted"] = s.accepted;
  input["rejected"] = s.rejected;
  j["input"] = std::move(input);
  j["as_of"] = s.as_of;
  j["refresh"] = s.refresh;
  Json capacity;
  capacity["mode"] = s.capacity_mode;
  capacity["reps"] = optional_int(s.reps);
  capacity["reps_source"] = s.reps_source;
  j["capacity"] = std::move(capacity);
  return j;
}

std::string percent(const std::optional<double>& share) {
  return share ? fmt::format("{:.1f}%", *share * 100) : std::string("n/a");
}

std::string cap_text(const TierStats& s, bool capped) {
  if (!capped) return "-";
  return s.cap ? fmt::format("{}", *s.cap) : std::string("unlimited");
}

std::string money(const std::optional<double>& value) {
  return value ? fmt::format("{:.2f}", *value) : std::string("n/a");
}

// One tier's row of the summary table: tier, count, cap, waitlisted, share,
// plan, coverage, penetration, pipeline per account.
std::array<std::string, 9> tier_cells(const Summary& s, int t) {
  const TierStats& ts = s.tiers[static_cast<std::size_t>(t)];
  const bool capped = t < kCappedTiers;
  return {std::string(tier_name(tier_from_index(t))), fmt::format("{}", ts.count), cap_text(ts, capped),
          capped ? fmt::format("{}", ts.waitlisted) : "-", percent(ts.share), percent(ts.plan_share),
          percent(ts.coverage), percent(ts.penetration), money(ts.pipeline_per_account)};
}

std::string reps_text(const Summary& s) {
  return s.reps ? fmt::format("{} reps ({})", *s.reps, s.reps_source)
                : fmt::format("reps unknown ({})", s.reps_source);
}

std::string changes_text(const ChangeCounts& c) {
  return fmt::format("{} new, {} promoted, {} demoted, {} unchanged, {} held, {} dropped", c.new_accounts,
                     c.promoted, c.demoted, c.unchanged, c.held, c.dropped);
}

std::string tier_label(int t) {
  const Tier tier = tier_from_index(t);
  if (tier == Tier::kWatchlist) return "Watchlist";
  if (tier == Tier::kOutside) return "Outside";
  return fmt::format("Tier {}", tier_name(tier));
}

// "32 accounts (12.8%, plan 12.8%), cap 32, 9 waitlisted; coverage ...".
// Capped tiers always name their metrics (n/a when not available); the
// others only when one is available.
std::string tier_line(const TierStats& ts, bool capped) {
  std::string line = fmt::format("{} accounts ({}", ts.count, percent(ts.share));
  if (ts.plan_share) line += ", plan " + percent(ts.plan_share);
  line += ")";
  if (capped)
    line += fmt::format(", {}, {} waitlisted", ts.cap ? fmt::format("cap {}", *ts.cap) : "no cap",
                        ts.waitlisted);
  if (capped || ts.coverage || ts.penetration || ts.pipeline_per_account)
    line += fmt::format("; coverage {}, penetration {}, pipeline per account {}", percent(ts.coverage),
                        percent(ts.penetration), money(ts.pipeline_per_account));
  return line;
}

// Backslash-escapes what Markdown would read as formatting, a link or a
// table cell boundary; line breaks become spaces. `_` inside words (file
// names, per_owner) is not emphasis in CommonMark, so it stays readable.
std::string md_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*[]<>|").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string summary_text(const Summary& s) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  fmt::format_to(it, "abmtier summary for {} as of {}\n", s.source, s.as_of);
  fmt::format_to(it, "{} rows read, {} accepted, {} rejected; capacity {}, {}\n", s.rows_read, s.accepted,
                 s.rejected, s.capacity_mode, reps_text(s));
  for (int t = 0; t < kTierCount; ++t)
    fmt::format_to(it, "{}: {}\n", tier_label(t),
                   tier_line(s.tiers[static_cast<std::size_t>(t)], t < kCappedTiers));
  fmt::format_to(it, "Changes: {}\n", changes_text(s.changes));
  if (s.alerts.empty()) fmt::format_to(it, "Alerts: none\n");
  else fmt::format_to(it, "Alerts ({}):\n", s.alerts.size());
  for (const Alert& a : s.alerts) fmt::format_to(it, "- {}: {}\n", a.code, a.message);
  return {b.data(), b.size()};
}

std::string summary_markdown(const Summary& s) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  fmt::format_to(it, "**abmtier summary** for {} as of {}\n\n", md_escape(s.source), s.as_of);
  fmt::format_to(it, "{} rows read, {} accepted, {} rejected; capacity {}, {}\n\n", s.rows_read,
                 s.accepted, s.rejected, s.capacity_mode, md_escape(reps_text(s)));
  fmt::format_to(it, "| tier | count | cap | waitlisted | share | plan | coverage | penetration | "
                     "pipeline/acct |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
  for (int t = 0; t < kTierCount; ++t) {
    const auto c = tier_cells(s, t);
    fmt::format_to(it, "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", c[0], c[1], c[2], c[3], c[4], c[5],
                   c[6], c[7], c[8]);
  }
  fmt::format_to(it, "\n**Changes:** {}\n\n", changes_text(s.changes));
  if (s.alerts.empty()) fmt::format_to(it, "**Alerts:** none\n");
  else fmt::format_to(it, "**Alerts ({}):**\n\n", s.alerts.size());
  for (const Alert& a : s.alerts) fmt::format_to(it, "- `{}`: {}\n", a.code, md_escape(a.message));
  return {b.data(), b.size()};
}

std::string summary_json(const Summary& summary) {
  Json j = header_json(summary);
  Json tiers;
  for (int t = 0; t < kTierCount; ++t)
    tiers[std::string(tier_name(tier_from_index(t)))] =
        tier_json(summary.tiers[static_cast<std::size_t>(t)], t < kCappedTiers);
  j["tiers"] = std::move(tiers);
  j["watchlist_flagged"] = summary.watchlist_flagged;
  j["changes"] = changes_json(summary.changes);
  Json overrides;
  overrides["applied"] = summary.overrides;
  overrides["unmatched"] = summary.overrides_unmatched;
  j["overrides"] = std::move(overrides);
  j["owners"] = owners_json(summary.owners);
  Json quality;
  quality["empty_intent"] = summary.empty_intent;
  quality["bad_previous_tier"] = summary.bad_previous_tier;
  quality["bad_last_touch"] = summary.bad_last_touch;
  quality["bad_pipeline"] = summary.bad_pipeline;
  quality["bad_roles"] = summary.bad_roles;
  j["data_quality"] = std::move(quality);
  Json alerts = Json::array();
  for (const Alert& a : summary.alerts) alerts.push_back(Json{{"code", a.code}, {"message", a.message}});
  j["alerts"] = std::move(alerts);
  // Source names and owners come from the input and may hold invalid UTF-8;
  // replacing it keeps the summary parseable.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void write_summary_table(const Summary& s, std::ostream& out) {
  fmt::memory_buffer b;
  auto it = std::back_inserter(b);
  fmt::format_to(it, "{} as of {}: {} rows read, {} accepted, {} rejected\n", s.source, s.as_of,
                 s.rows_read, s.accepted, s.rejected);
  fmt::format_to(it, "capacity: {}, reps {} ({})\n", s.capacity_mode,
                 s.reps ? fmt::format("{}", *s.reps) : std::string("n/a"), s.reps_source);
  fmt::format_to(it, "{:<10}{:>9}{:>11}{:>12}{:>8}{:>8}{:>10}{:>13}{:>15}\n", "tier", "count", "cap",
                 "waitlisted", "share", "plan", "coverage", "penetration", "pipeline/acct");
  for (int t = 0; t < kTierCount; ++t) {
    const auto c = tier_cells(s, t);
    fmt::format_to(it, "{:<10}{:>9}{:>11}{:>12}{:>8}{:>8}{:>10}{:>13}{:>15}\n", c[0], c[1], c[2], c[3], c[4], c[5],
                   c[6], c[7], c[8]);
  }
  const ChangeCounts& c = s.changes;
  fmt::format_to(it,
                 "changes: {} new, {} promoted, {} demoted, {} unchanged, {} held ({} promotion, {} "
                 "demotion), {} dropped\n",
                 c.new_accounts, c.promoted, c.demoted, c.unchanged, c.held, c.promotion_held,
                 c.demotion_held, c.dropped);
  for (const Alert& a : s.alerts) fmt::format_to(it, "ALERT {}: {}\n", a.code, a.message);
  out.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace abmtier
