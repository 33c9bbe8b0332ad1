// Tests of the HTML report: the numbers behind the data-* hooks equal the
// summary, text from the input is escaped (and repaired when it is not
// UTF-8), missing metrics say "not available", the flows section appears
// only with previous tiers, the page references nothing outside itself, and
// the same run gives the same bytes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>

#include "abmtier/capacity.h"
#include "abmtier/dates.h"
#include "abmtier/hysteresis.h"
#include "abmtier/report.h"
#include "abmtier/summary.h"
#include "test_support.h"

namespace abmtier {
namespace {

const std::int32_t kAsOf = *days_from_civil(2026, 11, 20);

/// A finished run: table with every stage column, gate result, summary.
struct Run {
  Config config;
  AccountTable table;
  CapacityResult capacity;
  Summary summary;
  std::string html;
};

struct Options {
  std::size_t accounts = 80;
  std::vector<std::string> owners{"Dana", "Luis", "Mei", "Priya"};
  bool previous = false;  ///< give every other account a previous tier
  bool metrics = true;    ///< fill last_touch, pipeline and the role columns
};

std::vector<test::Row> make_rows(const Options& o) {
  std::vector<test::Row> rows;
  for (std::size_t i = 0; i < o.accounts; ++i) {
    // Spread fit and intent over the whole scale so every band is used.
    const auto fit = static_cast<double>((i * 37 + 11) % 101);
    const auto intent = static_cast<double>((i * 53 + 7) % 101);
    const Tier previous =
        o.previous && i % 2 == 0 ? tier_from_index(static_cast<int>(i / 2 % 5)) : Tier::kNone;
    const std::string owner = o.owners.empty() ? "" : o.owners[i % o.owners.size()];
    rows.emplace_back("ACC-" + std::to_string(1000 + i), fit, intent, owner, previous);
  }
  return rows;
}

void fill_metrics(AccountTable& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    t.last_touch.push_back(i % 7 == 0 ? kNoDate : kAsOf - static_cast<std::int32_t>(i % 60));
    t.pipeline.push_back(i % 9 == 0 ? kMissing : static_cast<double>(i) * 1250.5);
    t.engaged_roles.push_back(static_cast<double>(i % 4));
    t.buying_roles.push_back(i % 5 == 0 ? 0.0 : 4.0);
  }
}

ReadStats make_stats(const AccountTable& t, const Options& o) {
  ReadStats s;
  s.source = "accounts.csv";
  s.column_index.fill(-1);
  int next = 0;
  const auto present = [&](Column c) { s.column_index[static_cast<std::size_t>(c)] = next++; };
  for (Column c : {Column::kId, Column::kName, Column::kFit, Column::kIntent}) present(c);
  if (!o.owners.empty()) present(Column::kOwner);
  if (o.metrics)
    for (Column c :
         {Column::kLastTouch, Column::kPipeline, Column::kEngagedRoles, Column::kBuyingRoles})
      present(c);
  s.accepted = t.size();
  s.rejected = 3;
  s.rows_read = t.size() + 3;
  return s;
}

Run make_run(const Options& o = {}, Config config = {}) {
  Run run;
  run.config = std::move(config);
  run.table = test::make_table(make_rows(o), run.config);
  if (o.metrics) fill_metrics(run.table);
  apply_hysteresis(run.table, run.config, false);
  run.capacity = apply_capacity(run.table, run.config, std::nullopt, !o.owners.empty(), false);
  SummaryInputs inputs{kAsOf};
  inputs.has_previous = o.previous;
  run.summary =
      build_summary(run.table, make_stats(run.table, o), run.capacity, run.config, inputs);
  run.html = render_report(run.table, run.summary, run.config, run.capacity);
  return run;
}

// --- a small reader for the data-* hooks (enough for the page we write) ---

struct Element {
  std::map<std::string, std::string> attrs;
  std::string text;  ///< text up to the first child element
  bool has(const std::string& name) const { return attrs.count(name) > 0; }
  std::string at(const std::string& name) const { return has(name) ? attrs.at(name) : "<absent>"; }
};

std::string unescape(std::string_view s) {
  static const std::array<std::pair<std::string_view, std::string_view>, 5> kEntities{
      {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool matched = false;
    for (const auto& [entity, plain] : kEntities)
      if (s.substr(i, entity.size()) == entity) {
        out += plain;
        i += entity.size();
        matched = true;
        break;
      }
    if (!matched) out += s[i++];
  }
  return out;
}

Element parse_tag(const std::string& html, std::size_t open) {
  Element e;
  const std::size_t close = html.find('>', open);
  std::size_t i = html.find(' ', open);
  while (i < close) {
    const std::size_t eq = html.find('=', i);
    if (eq == std::string::npos || eq > close) break;
    const std::size_t name_start = html.find_first_not_of(' ', i);
    const std::size_t value_end = html.find('"', eq + 2);
    e.attrs[html.substr(name_start, eq - name_start)] =
        unescape(html.substr(eq + 2, value_end - eq - 2));
    i = value_end + 1;
  }
  e.text = unescape(html.substr(close + 1, html.find('<', close) - close - 1));
  return e;
}

/// Elements with data-metric=`metric` whose attributes include `filter`.
std::vector<Element> hooks(const std::string& html, const std::string& metric,
                           const std::map<std::string, std::string>& filter = {}) {
  std::vector<Element> found;
  const std::string needle = "data-metric=\"" + metric + "\"";
  for (std::size_t at = html.find(needle); at != std::string::npos;
       at = html.find(needle, at + 1)) {
    Element e = parse_tag(html, html.rfind('<', at));
    const bool match = std::all_of(filter.begin(), filter.end(), [&](const auto& kv) {
      return e.has(kv.first) && e.attrs.at(kv.first) == kv.second;
    });
    if (match) found.push_back(std::move(e));
  }
  return found;
}

/// The data-value of the one element matching; fails the test otherwise.
std::string value_of(const std::string& html, const std::string& metric,
                     const std::map<std::string, std::string>& filter = {}) {
  const std::vector<Element> found = hooks(html, metric, filter);
  INFO("hook " << metric);
  REQUIRE(found.size() == 1);
  return found[0].at("data-value");
}

std::string tier_key(std::size_t k) {
  return std::string(tier_name(tier_from_index(static_cast<int>(k))));
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

std::size_t occurrences(const std::string& html, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

namespace {

/// Tight caps (tier 1: 1 per rep, tier 2: 3 per rep) so waitlists fill.
Config tight_caps() {
  Config c;
  c.capacity[0].per_rep = 1;
  c.capacity[1].per_rep = 3;
  return c;
}

}  // namespace

TEST_CASE("report: the run figures in the hooks equal the summary", "[report]") {
  const Run run = make_run({}, tight_caps());
  const Summary& s = run.summary;
  CHECK(value_of(run.html, "rows-read") == std::to_string(s.rows_read));
  CHECK(value_of(run.html, "accepted") == std::to_string(s.accepted));
  CHECK(value_of(run.html, "rejected") == "3");
  CHECK(value_of(run.html, "source") == "accounts.csv");
  CHECK(value_of(run.html, "as-of") == "2026-11-20");
  CHECK(value_of(run.html, "capacity-mode") == "pooled");
  CHECK(value_of(run.html, "reps") == "4");
  CHECK(hooks(run.html, "reps")[0].at("data-source") == "owners");
  CHECK(value_of(run.html, "watchlist-flagged") == std::to_string(s.watchlist_flagged));
  CHECK(value_of(run.html, "coverage-window-days") == "30");
}

TEST_CASE("report: tier counts, shares, caps and waitlists equal the summary", "[report]") {
  const Run run = make_run({}, tight_caps());
  const Summary& s = run.summary;
  REQUIRE(s.tiers[0].waitlisted > 0);  // the fixture must exercise the waitlist
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < kTierCount; ++k) {
    const std::map<std::string, std::string> tier{{"data-tier", tier_key(k)}};
    CAPTURE(k);
    const TierStats& t = s.tiers[k];
    CHECK(value_of(run.html, "tier-count", tier) == std::to_string(t.count));
    CHECK(hooks(run.html, "tier-count", tier)[0].text == std::to_string(t.count));
    CHECK(std::stod(value_of(run.html, "tier-share", tier)) == Approx(t.share).margin(5e-5));
    total += t.count;
    if (k < kCappedTiers) {
      CHECK(value_of(run.html, "waitlisted", tier) == std::to_string(t.waitlisted));
      CHECK(value_of(run.html, "tier-cap", tier) == (t.cap ? std::to_string(*t.cap) : "unlimited"));
    } else {
      CHECK(hooks(run.html, "waitlisted", tier).empty());
      CHECK(hooks(run.html, "tier-cap", tier).empty());
    }
  }
  CHECK(total == run.table.size());
  CHECK(value_of(run.html, "tier-cap", {{"data-tier", "1"}}) == "4");
  CHECK(value_of(run.html, "tier-cap", {{"data-tier", "3"}}) == "unlimited");
}

TEST_CASE("report: matrix cells and composite bins add up to the accounts", "[report]") {
  const Run run = make_run();
  const AccountTable& t = run.table;
  std::uint64_t cells = 0;
  for (int f = 0; f < kBandCount; ++f)
    for (int i = 0; i < kBandCount; ++i) {
      const std::map<std::string, std::string> where{
          {"data-fit", std::string(band_name(static_cast<Band>(f)))},
          {"data-intent", std::string(band_name(static_cast<Band>(i)))}};
      std::uint64_t expected = 0;
      for (std::size_t r = 0; r < t.size(); ++r)
        if (static_cast<int>(t.fit_band[r]) == f && static_cast<int>(t.intent_band[r]) == i)
          ++expected;
      CAPTURE(f, i);
      CHECK(value_of(run.html, "matrix-count", where) == std::to_string(expected));
      CHECK(value_of(run.html, "matrix-tier", where) ==
            tier_name(run.config.matrix[static_cast<std::size_t>(f)][static_cast<std::size_t>(i)]));
      cells += expected;
    }
  CHECK(cells == t.size());
  for (std::size_t k = 0; k < kTierCount; ++k) {
    std::uint64_t in_bins = 0;
    for (const Element& e : hooks(run.html, "composite-bin", {{"data-tier", tier_key(k)}}))
      in_bins += std::stoull(e.at("data-value"));
    CAPTURE(k);
    CHECK(in_bins == run.summary.tiers[k].count);
  }
  // Spot-check one bin against the table.
  std::uint64_t tier3_40s = 0;
  for (std::size_t r = 0; r < t.size(); ++r)
    if (t.tier[r] == Tier::k3 && t.composite_of(r) >= 40 && t.composite_of(r) < 50) ++tier3_40s;
  CHECK(value_of(run.html, "composite-bin", {{"data-tier", "3"}, {"data-bin", "40"}}) ==
        std::to_string(tier3_40s));
}

TEST_CASE("report: owner load equals the summary and over-cap owners are marked", "[report]") {
  const Run run = make_run({}, tight_caps());
  REQUIRE(run.summary.owners.size() == 4);
  for (const OwnerLoad& o : run.summary.owners)
    for (std::size_t k = 0; k < kCappedTiers; ++k) {
      const std::map<std::string, std::string> who{{"data-owner", o.owner},
                                                   {"data-tier", tier_key(k)}};
      CAPTURE(o.owner, k);
      CHECK(value_of(run.html, "owner-tier-count", who) == std::to_string(o.count[k]));
      CHECK(value_of(run.html, "owner-tier-cap", who) ==
            (o.cap[k] ? std::to_string(*o.cap[k]) : "unlimited"));
    }
  CHECK(value_of(run.html, "owners-total") == "4");
  CHECK(hooks(run.html, "owners-hidden").empty());
  std::uint64_t over = 0;
  for (const OwnerLoad& o : run.summary.owners)
    for (std::size_t k = 0; k < kCappedTiers; ++k)
      if (o.cap[k] && o.count[k] > static_cast<std::uint64_t>(*o.cap[k])) {
        ++over;
        break;
      }
  REQUIRE(over > 0);  // the fixture must exercise the marking
  CHECK(occurrences(run.html, "<tr class=\"over\">") == over);
  CHECK(occurrences(run.html, "over cap: tier") == over);
  CHECK(value_of(run.html, "owners-over-cap") == std::to_string(over));
}

TEST_CASE("report: more than 30 owners: 30 drawn, the rest counted", "[report]") {
  Options o;
  o.accounts = 70;
  o.owners.clear();
  for (int k = 0; k < 35; ++k) o.owners.push_back("Rep " + std::to_string(100 + k));
  const Run run = make_run(o);
  CHECK(occurrences(run.html, "data-metric=\"owner-tier-count\" data-tier=\"1\"") == 30);
  CHECK(value_of(run.html, "owners-hidden") == "5");
  CHECK(value_of(run.html, "owners-total") == "35");
}

TEST_CASE("report: the alerts are listed with their codes", "[report]") {
  const Run run = make_run({}, tight_caps());
  REQUIRE_FALSE(run.summary.alerts.empty());
  CHECK(value_of(run.html, "alert-count") == std::to_string(run.summary.alerts.size()));
  for (const Alert& a : run.summary.alerts) {
    CAPTURE(a.code);
    const std::vector<Element> shown = hooks(run.html, "alert", {{"data-code", a.code}});
    REQUIRE(shown.size() == 1);
  }
  Run quiet = make_run();
  quiet.summary.alerts.clear();
  const std::string html = render_report(quiet.table, quiet.summary, quiet.config, quiet.capacity);
  CHECK(value_of(html, "alert-count") == "0");
  CHECK(hooks(html, "alert").empty());
}

TEST_CASE("report: owner names, sources and alert messages are HTML-escaped", "[report]") {
  Options o;
  o.owners = {"<script>alert(\"x\")</script>", "O'Neil & Sons"};
  Run run = make_run(o, tight_caps());
  run.summary.source = "<img src=x onerror=alert(1)>.csv";
  run.summary.alerts.push_back({"custom_code", "message with <b>markup</b> & \"quotes\""});
  const std::string html = render_report(run.table, run.summary, run.config, run.capacity);
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  CHECK(lower.find("<script") == std::string::npos);
  CHECK(lower.find("<img") == std::string::npos);
  CHECK(lower.find("<b>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("O&#39;Neil &amp; Sons") != std::string::npos);
  CHECK(html.find("message with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;") !=
        std::string::npos);
  // The hooks give the original text back.
  CHECK(value_of(html, "source") == "<img src=x onerror=alert(1)>.csv");
  CHECK(hooks(html, "owner-tier-count",
              {{"data-owner", "<script>alert(\"x\")</script>"}, {"data-tier", "1"}})
            .size() == 1);
}

TEST_CASE("report: invalid UTF-8 and control characters become U+FFFD", "[report]") {
  const std::string r = "\xEF\xBF\xBD";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Jos\xE9.csv", "Jos" + r + ".csv"},  // Latin-1 byte
      {"\xC3\x28", r + "("},                // lead byte without continuation
      {"ab\xE2\x82", "ab" + r},             // truncated at the end: one U+FFFD
      {"\xED\xA0\x80", r + r + r},          // a UTF-16 surrogate
      {"\xC0\xAF", r + r},                  // overlong form
      {"\xF4\x90\x80\x80", r + r + r + r},  // above U+10FFFF
      {"a\x01"
       "b\x7F",
       "a" + r + "b" + r},  // control characters
      {"caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC",
       "caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x82\xAC"},  // valid
      {"tab\tok", "tab\tok"},
  };
  Run run = make_run({});
  for (const auto& [raw, shown] : cases) {
    CAPTURE(raw);
    run.summary.source = raw;
    const std::string html = render_report(run.table, run.summary, run.config, run.capacity);
    CHECK(valid_utf8(html));
    CHECK(value_of(html, "source") == shown);
  }
}

TEST_CASE("report: a metric without its column says not available, never 0", "[report]") {
  Options o;
  o.metrics = false;
  const Run bare = make_run(o);
  for (const std::string metric : {"coverage", "penetration", "pipeline-per-account"})
    for (std::size_t k = 0; k < kTierCount; ++k) {
      CAPTURE(metric, k);
      const std::vector<Element> e = hooks(bare.html, metric, {{"data-tier", tier_key(k)}});
      REQUIRE(e.size() == 1);
      CHECK_FALSE(e[0].has("data-value"));
      CHECK(e[0].at("data-na") == "true");
      CHECK(e[0].text == "not available");
    }

  const Run full = make_run();
  const TierStats& t3 = full.summary.tiers[2];
  REQUIRE(t3.coverage.has_value());
  REQUIRE(t3.penetration.has_value());
  REQUIRE(t3.pipeline_per_account.has_value());
  CHECK(std::stod(value_of(full.html, "coverage", {{"data-tier", "3"}})) ==
        Approx(*t3.coverage).margin(5e-5));
  CHECK(std::stod(value_of(full.html, "penetration", {{"data-tier", "3"}})) ==
        Approx(*t3.penetration).margin(5e-5));
  CHECK(std::stod(value_of(full.html, "pipeline-per-account", {{"data-tier", "3"}})) ==
        Approx(*t3.pipeline_per_account).margin(5e-3));
  // No account in the watchlist tier: not available there even with columns.
  REQUIRE(full.summary.tiers[3].count == 0);
  CHECK(hooks(full.html, "coverage", {{"data-tier", "watchlist"}})[0].text == "not available");
}

TEST_CASE("report: no previous tiers: no flows, changes not available", "[report]") {
  const Run first = make_run();
  CHECK(first.html.find("id=\"flows\"") == std::string::npos);
  CHECK(hooks(first.html, "flow").empty());
  CHECK(value_of(first.html, "change-new") == std::to_string(first.table.size()));
  for (const std::string metric :
       {"change-promoted", "change-demoted", "change-unchanged", "change-held"}) {
    CAPTURE(metric);
    const std::vector<Element> e = hooks(first.html, metric);
    REQUIRE(e.size() == 1);
    CHECK(e[0].text == "not available");
  }
}

TEST_CASE("report: with previous tiers the flows equal the table", "[report]") {
  Options o;
  o.previous = true;
  const Run second = make_run(o);
  CHECK(second.html.find("id=\"flows\"") != std::string::npos);
  const ChangeCounts& c = second.summary.changes;
  CHECK(value_of(second.html, "change-new") == std::to_string(c.new_accounts));
  CHECK(value_of(second.html, "change-promoted") == std::to_string(c.promoted));
  CHECK(value_of(second.html, "change-demoted") == std::to_string(c.demoted));
  CHECK(value_of(second.html, "change-unchanged") == std::to_string(c.unchanged));
  CHECK(value_of(second.html, "change-held") == std::to_string(c.held));
  // Every (previous, current) pair, counted from the table.
  const AccountTable& t = second.table;
  std::uint64_t sum = 0;
  for (int from = 0; from <= kTierCount; ++from)
    for (int to = 0; to < kTierCount; ++to) {
      std::uint64_t expected = 0;
      for (std::size_t r = 0; r < t.size(); ++r) {
        const int p =
            t.previous_tier[r] == Tier::kNone ? kTierCount : tier_index(t.previous_tier[r]);
        if (p == from && tier_index(t.tier[r]) == to) ++expected;
      }
      const std::string from_key =
          from == kTierCount ? "none" : tier_key(static_cast<std::size_t>(from));
      CAPTURE(from, to);
      CHECK(value_of(
                second.html, "flow",
                {{"data-from", from_key}, {"data-to", tier_key(static_cast<std::size_t>(to))}}) ==
            std::to_string(expected));
      sum += expected;
    }
  CHECK(sum == t.size());
  CHECK(value_of(second.html, "flow", {{"data-from", "none"}, {"data-to", "1"}}) !=
        value_of(second.html, "flow-from-total", {{"data-from", "none"}}));
}

TEST_CASE("report: the page is self-contained", "[report]") {
  const Run run = make_run({}, tight_caps());
  std::string lower = run.html;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  for (std::string_view banned :
       {"http://", "https://", "<script", " src=", "@import", "url(", "//fonts", "<iframe"}) {
    CAPTURE(banned);
    CHECK(lower.find(banned) == std::string::npos);
  }
  CHECK(lower.rfind("<!doctype html>", 0) == 0);
  CHECK(lower.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(lower.find("@page{size:a4") != std::string::npos);
  CHECK(lower.size() >= 4);
  CHECK(lower.substr(lower.size() - 8) == "</html>\n");
}

TEST_CASE("report: the same run gives the same bytes", "[report]") {
  Options o;
  o.previous = true;
  const Run a = make_run(o, tight_caps());
  const Run b = make_run(o, tight_caps());
  CHECK(a.html == b.html);
  CHECK(render_report(a.table, a.summary, a.config, a.capacity) == a.html);
}

TEST_CASE("report: an empty run and an unfinished table still render", "[report]") {
  Options o;
  o.accounts = 0;
  const Run empty = make_run(o);
  CHECK(value_of(empty.html, "accepted") == "0");
  CHECK(value_of(empty.html, "tier-count", {{"data-tier", "1"}}) == "0");
  CHECK(hooks(empty.html, "composite-bin").empty());
  CHECK(
      hooks(empty.html, "matrix-share", {{"data-fit", "high"}, {"data-intent", "high"}})[0].text ==
      "not available");

  // A table the gate never saw: counts come from the summary, charts stay empty.
  const Run full = make_run();
  AccountTable raw = test::make_table(make_rows({}));
  const std::string html = render_report(raw, full.summary, full.config, full.capacity);
  CHECK(value_of(html, "tier-count", {{"data-tier", "3"}}) ==
        std::to_string(full.summary.tiers[2].count));
  CHECK(hooks(html, "composite-bin").empty());
}

}  // namespace abmtier
