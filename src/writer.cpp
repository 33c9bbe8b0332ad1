// The assignments writer (SPEC 7, 10 "Output"): one record per accepted
// account in CSV, TSV, JSON or JSON Lines. Rows are formatted into one large
// reused buffer that is written out in big chunks, so ten million rows cost
// no per-row stream formatting. docs/output.md documents every column.
#include "abmtier/writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "abmtier/error.h"
#include "abmtier/parallel.h"
#include "abmtier/progress.h"
#include "abmtier/reason.h"
#include "buffer_text.h"

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

bool is_formula_start(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void append(Buffer& b, std::string_view s) { append_text(b, s); }

// True when `s` holds the delimiter, a quote, CR or LF: eight bytes at a
// time, each compared with the four at once (a zero byte of x ^ c marks c).
bool needs_quotes(std::string_view s, char delimiter) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const auto has_zero_byte = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  const std::uint64_t d = kOnes * static_cast<unsigned char>(delimiter), q = kOnes * '"', lf = kOnes * '\n',
                      cr = kOnes * '\r';
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, s.data() + i, 8);
    if (has_zero_byte(x ^ d) || has_zero_byte(x ^ q) || has_zero_byte(x ^ lf) || has_zero_byte(x ^ cr)) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] == delimiter || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return true;
  return false;
}

// A text field of CSV or TSV: RFC 4180 quoting when it holds the delimiter,
// a quote, CR or LF; a leading `'` when a spreadsheet would run it.
void put_text(Buffer& b, std::string_view s, char delimiter, bool neutralise_it) {
  const bool lead = neutralise_it && !s.empty() && is_formula_start(s.front());
  const bool quote = needs_quotes(s, delimiter);
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

void put_count(Buffer& b, std::uint64_t value) {
  std::array<char, 24> digits;
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  append(b, std::string_view(digits.data(), static_cast<std::size_t>(result.ptr - digits.data())));
}

// Two decimals, as the SPEC shows scores: the exact binary value rounded
// half to even, as printf, to_chars and fmt's {:.2f} do. "-0.00" would
// only be a rounding artefact, so negative zero and tiny negatives print as
// 0.00. Values from 0 to 2^53 (every score) take an exact integer path:
// value = m * 2^e, so value * 100 = m * 100 * 2^e, split into whole units
// and a remainder that decides the rounding. Anything else goes to
// to_chars.
void put_number(Buffer& b, double value) {
  if (value <= 0 && value > -0.005) value = 0;
  constexpr double kExactBelow = 9007199254740992.0;  // 2^53
  if (value >= 0 && value < kExactBelow) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    const auto biased = static_cast<int>(bits >> 52);  // the sign bit is 0 here
    const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
    // value = mantissa / 2^shift (subnormals have no implicit leading 1).
    const std::uint64_t mantissa = biased == 0 ? fraction : fraction | (std::uint64_t{1} << 52);
    const int shift = 1075 - std::max(biased, 1);
    std::uint64_t hundredths = 0;
    if (shift <= 0) {
      hundredths = (mantissa << -shift) * 100;  // a whole number below 2^53 (shift is 0 then)
    } else if (shift < 64) {
      const std::uint64_t scaled = mantissa * 100;  // < 2^60
      hundredths = scaled >> shift;
      const std::uint64_t rest = scaled & ((std::uint64_t{1} << shift) - 1);
      const std::uint64_t half = std::uint64_t{1} << (shift - 1);
      if (rest > half || (rest == half && (hundredths & 1) != 0)) ++hundredths;
    }  // shift >= 64: value < 2^-11, which rounds to 0.00
    put_count(b, hundredths / 100);
    const auto cents = static_cast<char>(hundredths % 100);
    b.push_back('.');
    b.push_back(static_cast<char>('0' + cents / 10));
    b.push_back(static_cast<char>('0' + cents % 10));
    return;
  }
  std::array<char, 400> digits;  // the longest double in fixed notation fits
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value,
                                    std::chars_format::fixed, 2);
  if (result.ec != std::errc()) return static_cast<void>(fmt::format_to(std::back_inserter(b), "{:.2f}", value));
  append(b, std::string_view(digits.data(), static_cast<std::size_t>(result.ptr - digits.data())));
}


std::string_view change_of(Tier previous, Tier now) {
  if (previous == Tier::kNone) return "new";
  if (better(now, previous)) return "promoted";
  if (better(previous, now)) return "demoted";
  return "unchanged";
}

// Formats rows of the table; one per thread, each with its own buffer.
struct RowFormatter {
  const AccountTable& table;
  const Config& config;
  const CapacityResult& capacity;
  const WriteOptions& options;
  /// Each owner's CSV/TSV field, formatted once (owners repeat on every
  /// row of theirs); empty for JSON.
  std::vector<std::string> owner_fields;

  std::string_view kept(std::size_t k, std::size_t i) const { return table.text.get(table.kept[k][i]); }
  void csv_header(Buffer& buffer, char d) const;
  void csv_row(Buffer& buffer, std::size_t i, char d) const;
  void json_row(Buffer& buffer, std::size_t i) const;
  /// Starts loading what row i's formatting reads first, so a row formatted
  /// a little later does not wait for memory (rows come in output order,
  /// scattered over the table).
  void prefetch(std::size_t i) const {
    const auto touch = [i](const auto& column) {
      if (i < column.size()) __builtin_prefetch(&column[i]);
    };
    touch(table.id);
    touch(table.name);
    touch(table.owner);
    table.fit.prefetch(i);
    table.intent.prefetch(i);
    table.engagement.prefetch(i);
    touch(table.fit_band);
    touch(table.intent_band);
    touch(table.matrix_tier);
    touch(table.tier);
    touch(table.tier_rank);
    touch(table.previous_tier);
    touch(table.waitlist_tier);
    touch(table.waitlist_rank);
    touch(table.watchlist);
    touch(table.pinned);
    touch(table.hysteresis);
    touch(table.eligible_tier);
  }
  /// Starts loading row i's id and name text (their references must have
  /// arrived: call it some rows after prefetch(i)).
  void prefetch_text(std::size_t i) const {
    __builtin_prefetch(table.id_text.get(table.id[i]).data());
    if (!table.name.empty()) __builtin_prefetch(table.text.get(table.name[i]).data());
  }
};

void RowFormatter::csv_header(Buffer& buffer, char d) const {
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

void RowFormatter::csv_row(Buffer& buffer, std::size_t i, char d) const {
  const bool safe = !options.raw;
  put_text(buffer, table.id_of(i), d, safe);
  buffer.push_back(d);
  put_text(buffer, table.name_of(i), d, safe);
  buffer.push_back(d);
  if (table.owner[i] != kNoOwner && table.owner[i] < owner_fields.size())
    append(buffer, owner_fields[table.owner[i]]);
  else
    put_text(buffer, table.owner_of(i), d, safe);
  for (const double v : {table.fit[i], table.intent[i]}) {
    buffer.push_back(d);
    put_number(buffer, v);
  }
  buffer.push_back(d);
  if (options.has_engagement) put_number(buffer, table.engagement[i]);
  buffer.push_back(d);
  put_number(buffer, table.composite_of(i));
  const Tier waitlist = table.waitlist_tier[i];
  for (const std::string_view text : {band_name(table.fit_band[i]), band_name(table.intent_band[i]),
                                      tier_name(table.matrix_tier[i]), tier_name(table.tier[i])}) {
    buffer.push_back(d);
    append(buffer, text);
  }
  buffer.push_back(d);
  put_count(buffer, table.tier_rank[i]);
  for (const std::string_view text : {tier_name(table.previous_tier[i]),
                                      change_of(table.previous_tier[i], table.tier[i]), tier_name(waitlist)}) {
    buffer.push_back(d);
    append(buffer, text);
  }
  buffer.push_back(d);
  if (waitlist != Tier::kNone) put_count(buffer, table.waitlist_rank[i]);
  buffer.push_back(d);
  append(buffer, table.watchlist[i] != 0 ? "true" : "false");
  buffer.push_back(d);
  // The reason is formatted in place; quoted afterwards only when needed.
  const std::size_t reason_at = buffer.size();
  append_reason(buffer, table, i, config, capacity);
  const std::string_view reason(buffer.data() + reason_at, buffer.size() - reason_at);
  const bool lead = safe && !reason.empty() && is_formula_start(reason.front());
  if (lead || needs_quotes(reason, d)) {
    const std::string copy(reason);
    buffer.resize(reason_at);
    put_text(buffer, copy, d, safe);
  }
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

void RowFormatter::json_row(Buffer& buffer, std::size_t i) const {
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
  put_json_number(buffer, table.composite_of(i));
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
  {
    Buffer reason;
    append_reason(reason, table, i, config, capacity);
    append_json_string(buffer, std::string_view(reason.data(), reason.size()));
  }
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

std::string score_text(double value) {
  Buffer b;
  put_number(b, value);
  return fmt::to_string(b);
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

namespace {

/// Rows per block: each block is formatted by one thread into its own buffer
/// and written whole, in block order.
constexpr std::size_t kBlockRows = 8192;
/// How many rows ahead of the one being formatted the prefetch reaches.
constexpr std::size_t kPrefetchRows = 8;

// Formats blocks of rows on `threads` threads and writes them to `out` in
// order. Thread w formats blocks w, w + threads, ...; after formatting a
// block it waits for its turn to write, so the bytes are those a single
// thread would write.
class BlockWriter {
 public:
  BlockWriter(const RowFormatter& rows, const std::vector<std::uint32_t>& order, std::ostream& out)
      : rows_(rows), order_(order), out_(out) {}

  /// `delimiter` is for CSV/TSV rows; JSON rows come with a `separator`.
  void run(unsigned threads, char delimiter, std::string_view header, std::string_view separator,
           std::string_view footer) {
    delimiter_ = delimiter;
    header_ = header;
    separator_ = separator;
    footer_ = footer;
    blocks_ = (order_.size() + kBlockRows - 1) / kBlockRows;
    progress().begin(Stage::kWriting, order_.size());
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(blocks_, 1))));
    std::vector<std::thread> helpers;
    for (unsigned w = 1; w < threads; ++w) helpers.emplace_back([this, w, threads] { work(w, threads); });
    work(0, threads);
    for (auto& helper : helpers) helper.join();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void work(unsigned first, unsigned stride) {
    Buffer buffer;
    try {
      for (std::size_t b = first; b < std::max<std::size_t>(blocks_, 1); b += stride) {
        buffer.clear();
        format_block(b, buffer);
        if (!write_in_turn(b, buffer)) return;
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      stop_ = true;
      turn_changed_.notify_all();
    }
  }

  void format_block(std::size_t b, Buffer& buffer) const {
    if (b == 0) append(buffer, header_);
    const std::size_t begin = b * kBlockRows;
    const std::size_t end = std::min(order_.size(), begin + kBlockRows);
    const bool json = !separator_.empty();
    for (std::size_t r = begin; r < end; ++r) {
      if (r + 2 * kPrefetchRows < end) rows_.prefetch(order_[r + 2 * kPrefetchRows]);
      if (r + kPrefetchRows < end) rows_.prefetch_text(order_[r + kPrefetchRows]);
      if (json) {
        rows_.json_row(buffer, order_[r]);
        append(buffer, r + 1 < order_.size() ? separator_ : std::string_view("\n"));
      } else {
        rows_.csv_row(buffer, order_[r], delimiter_);
      }
    }
    if (b + 1 >= blocks_) append(buffer, footer_);
  }

  // Waits until block b is next, writes it and passes the turn on. False
  // when another thread failed.
  bool write_in_turn(std::size_t b, const Buffer& buffer) {
    std::unique_lock lock(mutex_);
    turn_changed_.wait(lock, [&] { return stop_ || next_ == b; });
    if (stop_) return false;
    lock.unlock();
    errno = 0;
    out_.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out_) throw Error(ExitCode::kRuntime, write_failure_message(out_, errno));
    lock.lock();
    ++next_;
    progress().set_done(std::min(order_.size(), next_ * kBlockRows));
    turn_changed_.notify_all();
    return true;
  }

  const RowFormatter& rows_;
  const std::vector<std::uint32_t>& order_;
  std::ostream& out_;
  char delimiter_ = ',';
  std::string_view header_, separator_, footer_;
  std::size_t blocks_ = 0;
  std::mutex mutex_;
  std::condition_variable turn_changed_;
  std::size_t next_ = 0;
  bool stop_ = false;
  std::exception_ptr failure_;
};

}  // namespace

void write_assignments(const AccountTable& table, const Config& config,
                       const CapacityResult& capacity, const WriteOptions& options,
                       std::ostream& out) {
  RowFormatter rows{table, config, capacity, options, {}};
  const char d = options.format == OutputFormat::kTsv ? '\t' : ',';
  if (options.format == OutputFormat::kCsv || options.format == OutputFormat::kTsv)
    for (const std::string& owner : table.owner_names) rows.owner_fields.push_back(csv_field(owner, d, !options.raw));
  const auto order = output_order(table);
  BlockWriter writer(rows, order, out);
  const unsigned threads = options.threads != 0 ? options.threads : thread_count();
  switch (options.format) {
    case OutputFormat::kCsv:
    case OutputFormat::kTsv: {
      Buffer header;
      rows.csv_header(header, d);
      writer.run(threads, d, std::string_view(header.data(), header.size()), "", "");
      break;
    }
    case OutputFormat::kJson:
      writer.run(threads, ',', "[\n", ",\n", "]\n");
      break;
    case OutputFormat::kJsonl:
      writer.run(threads, ',', "", "\n", "");
      break;
  }
  errno = 0;
  out.flush();
  if (!out) throw Error(ExitCode::kRuntime, write_failure_message(out, errno));
}

}  // namespace abmtier
