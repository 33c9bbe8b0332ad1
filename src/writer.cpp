// The assignments writer (SPEC 7, 10 "Output"): one record per accepted
// account in CSV, TSV, JSON or JSON Lines. Rows are formatted into one large
// reused buffer that is written out in big chunks, so ten million rows cost
// no per-row stream formatting. docs/output.md documents every column.
#include "abmtier/writer.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <iterator>
#include <numeric>

#include <fmt/format.h>

#include "abmtier/error.h"
#include "abmtier/reason.h"

namespace abmtier {
namespace detail {
// Defined in writer_json.cpp: appends `text` as a JSON string literal,
// quotes included, replacing invalid UTF-8 with U+FFFD.
void append_json_string(fmt::memory_buffer& out, std::string_view text);
}  // namespace detail

// clang-format off
const std::vector<std::string_view> kOutputColumns{
    "id", "name", "owner", "fit", "intent", "engagement", "composite",
    "fit_band", "intent_band", "matrix_tier", "tier", "tier_rank",
    "previous_tier", "change", "waitlist_tier", "waitlist_rank", "watchlist", "reason"};
// clang-format on

namespace {

using Buffer = fmt::memory_buffer;

/// The buffer is written out once it holds this many bytes.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

bool is_formula_start(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void append(Buffer& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }

// A text field of CSV or TSV: RFC 4180 quoting when it holds the delimiter,
// a quote, CR or LF; a leading `'` when a spreadsheet would run it.
void put_text(Buffer& b, std::string_view s, char delimiter, bool neutralise_it) {
  const bool lead = neutralise_it && !s.empty() && is_formula_start(s.front());
  const bool quote = std::any_of(s.begin(), s.end(), [delimiter](char c) {
    return c == delimiter || c == '"' || c == '\n' || c == '\r';
  });
  if (!quote) {
    if (lead) b.push_back('\'');
    append(b, s);
    return;
  }
  b.push_back('"');
  if (lead) b.push_back('\'');
  for (char c : s) {
    if (c == '"') b.push_back('"');
    b.push_back(c);
  }
  b.push_back('"');
}

// Two decimals, as the SPEC shows scores. "-0.00" would only be a rounding
// artefact, so negative zero and tiny negatives print as 0.00.
void put_number(Buffer& b, double value) {
  if (value <= 0 && value > -0.005) value = 0;
  fmt::format_to(std::back_inserter(b), "{:.2f}", value);
}

std::string_view change_of(Tier previous, Tier now) {
  if (previous == Tier::kNone) return "new";
  if (better(now, previous)) return "promoted";
  if (better(previous, now)) return "demoted";
  return "unchanged";
}

struct Writer {
  const AccountTable& table;
  const Config& config;
  const CapacityResult& capacity;
  const WriteOptions& options;
  std::ostream& out;
  Buffer buffer;

  void flush(bool force) {
    if (!force && buffer.size() < kFlushBytes) return;
    errno = 0;
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (force) out.flush();
    if (!out) throw Error(ExitCode::kRuntime, write_failure_message(out, errno));
    buffer.clear();
  }
  std::string_view kept(std::size_t k, std::size_t i) const { return table.text.get(table.kept[k][i]); }

  void csv_header(char d);
  void csv_row(std::size_t i, char d);
  void json_row(std::size_t i);
};

void Writer::csv_header(char d) {
  for (std::size_t c = 0; c < kOutputColumns.size(); ++c) {
    if (c > 0) buffer.push_back(d);
    append(buffer, kOutputColumns[c]);
  }
  for (const std::string& name : options.keep_names) {
    buffer.push_back(d);
    put_text(buffer, name, d, !options.raw);
  }
  buffer.push_back('\n');
}

void Writer::csv_row(std::size_t i, char d) {
  const bool safe = !options.raw;
  auto it = std::back_inserter(buffer);
  put_text(buffer, table.id_of(i), d, safe);
  buffer.push_back(d);
  put_text(buffer, table.name_of(i), d, safe);
  buffer.push_back(d);
  put_text(buffer, table.owner_of(i), d, safe);
  for (const double v : {table.fit[i], table.intent[i]}) {
    buffer.push_back(d);
    put_number(buffer, v);
  }
  buffer.push_back(d);
  if (options.has_engagement) put_number(buffer, table.engagement[i]);
  buffer.push_back(d);
  put_number(buffer, table.composite[i]);
  const Tier waitlist = table.waitlist_tier[i];
  fmt::format_to(it, "{0}{1}{0}{2}{0}{3}{0}{4}{0}{5}{0}{6}{0}{7}{0}{8}{0}", d, band_name(table.fit_band[i]),
                 band_name(table.intent_band[i]), tier_name(table.matrix_tier[i]), tier_name(table.tier[i]),
                 table.tier_rank[i], tier_name(table.previous_tier[i]),
                 change_of(table.previous_tier[i], table.tier[i]), tier_name(waitlist));
  if (waitlist != Tier::kNone) fmt::format_to(it, "{}", table.waitlist_rank[i]);
  buffer.push_back(d);
  append(buffer, table.watchlist[i] != 0 ? "true" : "false");
  buffer.push_back(d);
  put_text(buffer, reason_for(table, i, config, capacity), d, safe);
  for (std::size_t k = 0; k < table.kept.size(); ++k) {
    buffer.push_back(d);
    put_text(buffer, kept(k, i), d, safe);
  }
  buffer.push_back('\n');
}

void put_json_number(Buffer& b, double value) {
  // JSON has no NaN or infinity; the pipeline never produces them, but a
  // broken value must not make the whole file unparseable.
  if (!std::isfinite(value)) return append(b, "null");
  put_number(b, value);
}

void put_json_tier(Buffer& b, Tier t) {
  if (t == Tier::kNone) return append(b, "null");
  b.push_back('"');
  append(b, tier_name(t));
  b.push_back('"');
}

void Writer::json_row(std::size_t i) {
  using detail::append_json_string;
  append(buffer, "{\"id\":");
  append_json_string(buffer, table.id_of(i));
  append(buffer, ",\"name\":");
  append_json_string(buffer, table.name_of(i));
  append(buffer, ",\"owner\":");
  append_json_string(buffer, table.owner_of(i));
  append(buffer, ",\"fit\":");
  put_json_number(buffer, table.fit[i]);
  append(buffer, ",\"intent\":");
  put_json_number(buffer, table.intent[i]);
  append(buffer, ",\"engagement\":");
  options.has_engagement ? put_json_number(buffer, table.engagement[i]) : append(buffer, "null");
  append(buffer, ",\"composite\":");
  put_json_number(buffer, table.composite[i]);
  fmt::format_to(std::back_inserter(buffer),
                 ",\"fit_band\":\"{}\",\"intent_band\":\"{}\",\"matrix_tier\":\"{}\",\"tier\":\"{}\","
                 "\"tier_rank\":{},\"previous_tier\":",
                 band_name(table.fit_band[i]), band_name(table.intent_band[i]),
                 tier_name(table.matrix_tier[i]), tier_name(table.tier[i]), table.tier_rank[i]);
  put_json_tier(buffer, table.previous_tier[i]);
  fmt::format_to(std::back_inserter(buffer), ",\"change\":\"{}\",\"waitlist_tier\":",
                 change_of(table.previous_tier[i], table.tier[i]));
  put_json_tier(buffer, table.waitlist_tier[i]);
  append(buffer, ",\"waitlist_rank\":");
  if (table.waitlist_tier[i] == Tier::kNone) append(buffer, "null");
  else fmt::format_to(std::back_inserter(buffer), "{}", table.waitlist_rank[i]);
  append(buffer, table.watchlist[i] != 0 ? ",\"watchlist\":true,\"reason\":" : ",\"watchlist\":false,\"reason\":");
  append_json_string(buffer, reason_for(table, i, config, capacity));
  for (std::size_t k = 0; k < table.kept.size(); ++k) {
    buffer.push_back(',');
    append_json_string(buffer, options.keep_names.size() > k ? options.keep_names[k] : "");
    buffer.push_back(':');
    append_json_string(buffer, kept(k, i));
  }
  buffer.push_back('}');
}

}  // namespace

std::vector<std::uint32_t> output_order(const AccountTable& table) {
  const std::size_t n = table.size();
  // tier_rank is unique and 1-based within a tier, so each row's place is
  // known without sorting: the start of its tier plus its rank.
  std::array<std::size_t, kTierCount + 1> start{};
  bool consistent = true;
  for (std::size_t i = 0; i < n && consistent; ++i) {
    const auto t = static_cast<std::size_t>(tier_index(table.tier[i]));
    consistent = t < kTierCount && table.tier_rank[i] > 0;
    if (consistent) ++start[t + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  constexpr std::uint32_t kFree = 0xFFFFFFFFu;
  std::vector<std::uint32_t> order(n, kFree);
  for (std::size_t i = 0; i < n && consistent; ++i) {
    const auto t = static_cast<std::size_t>(tier_index(table.tier[i]));
    const std::size_t slot = start[t] + table.tier_rank[i] - 1;
    consistent = slot < start[t + 1] && order[slot] == kFree;
    if (consistent) order[slot] = static_cast<std::uint32_t>(i);
  }
  if (consistent) return order;
  // Ranks with gaps or duplicates (a table the gate did not finish): fall
  // back to a stable sort so the output is still deterministic.
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (table.tier[a] != table.tier[b]) return better(table.tier[a], table.tier[b]);
    return table.tier_rank[a] < table.tier_rank[b];
  });
  return order;
}

std::string csv_field(std::string_view text, char delimiter, bool neutralise_it) {
  Buffer b;
  put_text(b, text, delimiter, neutralise_it);
  return std::string(b.data(), b.size());
}

std::string neutralise(std::string_view text) {
  if (!text.empty() && is_formula_start(text.front())) return "'" + std::string(text);
  return std::string(text);
}

void write_assignments(const AccountTable& table, const Config& config,
                       const CapacityResult& capacity, const WriteOptions& options,
                       std::ostream& out) {
  Writer w{table, config, capacity, options, out, Buffer()};
  w.buffer.reserve(kFlushBytes + kFlushBytes / 4);
  const auto order = output_order(table);
  switch (options.format) {
    case OutputFormat::kCsv:
    case OutputFormat::kTsv: {
      const char d = options.format == OutputFormat::kCsv ? ',' : '\t';
      w.csv_header(d);
      for (const std::uint32_t i : order) {
        w.csv_row(i, d);
        w.flush(false);
      }
      break;
    }
    case OutputFormat::kJson:
    case OutputFormat::kJsonl: {
      const bool array = options.format == OutputFormat::kJson;
      if (array) append(w.buffer, "[\n");
      for (std::size_t r = 0; r < order.size(); ++r) {
        w.json_row(order[r]);
        append(w.buffer, array && r + 1 < order.size() ? ",\n" : "\n");
        w.flush(false);
      }
      if (array) append(w.buffer, "]\n");
      break;
    }
  }
  w.flush(true);
}

}  // namespace abmtier
