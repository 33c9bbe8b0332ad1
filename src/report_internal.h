// Internals of the report module, shared by src/report*.cpp and nothing else.
//
// render_report makes one pass over the table to aggregate what the charts
// need (ReportData), then each section appends its HTML to one string. Every
// number on the page sits in an element carrying `data-metric` (and, where it
// applies, `data-tier`, `data-owner`, ...) plus `data-value` with the number
// in machine form; docs/report.md lists the hooks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/summary.h"

namespace abmtier::report_detail {

/// Composite histogram: 10-point bins, 0-10 ... 90-100 (100 falls in the last).
inline constexpr int kCompositeBins = 10;
/// Owners listed in the load chart; the rest are counted, not drawn.
inline constexpr std::size_t kMaxOwnersShown = 30;
/// Row index of "no previous tier" in ReportData::flows.
inline constexpr int kNoPreviousRow = kTierCount;

/// What the charts need beyond the summary, from one pass over the table.
struct ReportData {
  /// Accounts per matrix cell, [fit band][intent band] (high, mid, low).
  std::array<std::array<std::uint64_t, kBandCount>, kBandCount> cells{};
  /// Composite histogram per final tier.
  std::array<std::array<std::uint64_t, kCompositeBins>, kTierCount> bins{};
  /// Accounts per (previous tier, final tier); row kNoPreviousRow = none.
  std::array<std::array<std::uint64_t, kTierCount>, kTierCount + 1> flows{};
  /// True when at least one account had a previous tier.
  bool has_previous = false;
  /// True when the stage columns were filled (the gate ran).
  bool complete = false;
};

/// Aggregates the table in one pass. Tolerates a table whose stage columns
/// are missing (then `complete` is false and the figures stay 0).
ReportData aggregate(const AccountTable& table);

// --- text and numbers (report_html.cpp) ---

/// Appends `text` with < > & " ' escaped. Invalid UTF-8 sequences and
/// control characters other than tab, LF and CR become U+FFFD.
void append_escaped(std::string& out, std::string_view text);
/// 1234567 -> "1,234,567".
std::string format_count(std::uint64_t n);
/// 0.1284 -> "12.8%".
std::string format_percent(double fraction);
/// A money amount for display: whole units with separators ("15,000");
/// amounts below 100 keep 2 decimals ("12.50").
std::string format_money(double amount);
/// The machine form of a fraction or amount, rounded like the summary JSON
/// (`scale` 1e4 for shares, 1e2 for money), shortest round-trip digits.
std::string machine_number(double value, double scale);

/// "Tier 1", "Tier 2", "Tier 3", "Watchlist", "Outside" for index 0..4.
std::string_view tier_label(int tier);
/// "1", "2", "3", "watchlist", "outside": the data-tier value.
std::string_view tier_key(int tier);
/// CSS class of a tier's colour: "t1", "t2", "t3", "tw", "to".
std::string_view tier_class(int tier);

/// The data-* attributes that name one number on the page.
struct Hook {
  std::string_view metric;  ///< data-metric
  std::string_view tier{};  ///< data-tier, when not empty
  std::string extra{};      ///< further attributes, escaped, each with a leading space
};

/// `<tag class=.. data-metric=.. data-tier=.. data-value=value>display</tag>`.
void put_value(std::string& out, std::string_view tag, std::string_view css_class, const Hook& hook,
               std::string_view value, std::string_view display);
/// A count: data-value and text are the integer (text with separators).
void put_count(std::string& out, std::string_view tag, const Hook& hook, std::uint64_t n);
/// A fraction shown as a percentage, or "not available" when unset (then the
/// element has no data-value but data-na="true").
void put_percent(std::string& out, std::string_view tag, const Hook& hook,
                 const std::optional<double>& fraction);
/// A metric that is not available: the text "not available", data-na="true"
/// and no data-value.
void put_missing(std::string& out, std::string_view tag, const Hook& hook);
/// ` name="value"` with value escaped.
std::string attribute(std::string_view name, std::string_view value);

/// The page's style sheet (screen and print).
std::string_view style_sheet();

// --- sections (report_sections.cpp, report_charts.cpp, report_flows.cpp) ---

void section_header(std::string& out, const Summary& summary);
void section_alerts(std::string& out, const Summary& summary);
void section_tier_mix(std::string& out, const Summary& summary);
void section_matrix(std::string& out, const Summary& summary, const Config& config,
                    const ReportData& data);
void section_owners(std::string& out, const Summary& summary);
void section_distribution(std::string& out, const Summary& summary, const ReportData& data);
void section_metrics(std::string& out, const Summary& summary, const Config& config,
                     const ReportData& data);
/// Only called when data.has_previous.
void section_flows(std::string& out, const ReportData& data);

}  // namespace abmtier::report_detail
