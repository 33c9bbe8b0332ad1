// The record layer: quote-aware framing, delimiter detection and field
// splitting through fast-cpp-csv-parser's policies.
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "reader_internal.h"

namespace abmtier::reader_detail {
namespace {

constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;

// The high bit of every non-zero byte of `x` set (the add-and-or cannot
// carry from one byte into the next).
std::uint64_t nonzero_bytes(std::uint64_t x) { return ((x & kLow7) + kLow7) | x; }

// Number of '"' in [p, end): memchr skips quote-free text fast; from the
// first quote on, eight bytes at a time (a byte equal to '"' becomes zero
// after the xor).
std::size_t count_quotes(const char* p, const char* end) {
  p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
  if (p == nullptr) return 0;
  constexpr std::uint64_t kQuotes = kOnes * '"';
  std::size_t count = 0;
  for (; end - p >= 8; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    // One bit per quote at bit 0 of its byte; the multiply sums the bytes
    // into the top one (baseline x86-64 has no popcnt instruction).
    count += static_cast<std::size_t>((((~nonzero_bytes(word ^ kQuotes) & kHigh) >> 7) * kOnes) >> 56);
  }
  for (; p < end; ++p) count += *p == '"' ? 1U : 0U;
  return count;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

const char* RecordFramer::line_end(const char* from) const {
  const void* hit = std::memchr(from, eol_, static_cast<std::size_t>(end_ - from));
  return hit ? static_cast<const char*>(hit) : end_;
}

bool RecordFramer::next(Record& out) {
  while (pos_ < end_) {
    const char* start = pos_;
    const std::uint64_t start_line = line_;
    const char* first_eol = nullptr;
    const char* from = start;
    const char* eol = nullptr;
    bool in_quotes = false;
    bool quoted = false;
    bool stray = false;
    for (;;) {
      eol = line_end(from);
      // The library treats every quote as opening or closing a quoted
      // section, so parity of the quote count is exactly its view.
      const std::size_t quotes = count_quotes(from, eol);
      in_quotes = in_quotes != (quotes % 2 == 1);
      quoted = quoted || quotes > 0;
      if (!in_quotes) break;
      if (first_eol == nullptr) {
        first_eol = eol;
        // Only a quote that starts a field may hold a line break; an inch
        // mark in an unquoted value would otherwise pull the rows below it
        // into this one until the next odd quote.
        stray = !opens_field(start, eol);
        if (stray) break;
      }
      if (eol == end_) break;
      from = eol + 1;
      ++line_;
    }
    const bool unterminated = in_quotes;
    if (unterminated && !stray) open_at_end_ = true;
    if (unterminated) {
      // Resume on the line after the record's start: the stray quote is
      // reported, the rows after it are still read.
      eol = first_eol;
      line_ = start_line;
    }
    pos_ = eol == end_ ? end_ : eol + 1;
    ++line_;
    const char* stop = eol;
    if (eol_ == '\n' && stop > start && stop[-1] == '\r') --stop;
    const char* first = start;
    while (first < stop && (*first == ' ' || *first == '\t')) ++first;
    if (first == stop && !unterminated) continue;
    out = Record{start, stop, start_line, unterminated, stray, quoted};
    return true;
  }
  return false;
}

namespace {

bool is_delimiter(char c, char delimiter) {
  if (delimiter != 0) return c == delimiter;
  return c == ',' || c == ';' || c == '\t' || c == '|';
}

// The quote that opened the quoted section still open at `end`, when every
// quote toggles (the library's view). A quote right after a closing one
// (`""`) continues the same section, as the library reads it, so the
// section's first quote is returned.
const char* open_quote(const char* line, const char* end) {
  const char* opener = nullptr;
  const char* last_close = nullptr;
  bool in_quotes = false;
  for (const char* p = line; p < end; ++p) {
    p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    if (p == nullptr) break;
    in_quotes = !in_quotes;
    if (!in_quotes)
      last_close = p;
    else if (last_close == nullptr || p != last_close + 1)
      opener = p;
  }
  return in_quotes ? opener : nullptr;
}

}  // namespace

bool RecordFramer::opens_field(const char* line, const char* end) const {
  const char* p = open_quote(line, end);
  if (p == nullptr) return true;
  // Spaces and tabs before the quote are trimmed, so they do not count.
  while (p > line && (p[-1] == ' ' || p[-1] == '\t')) --p;
  return p == line || is_delimiter(p[-1], delimiter_);
}

FieldAt field_at(std::string_view line, std::size_t offset, char delimiter) {
  offset = std::min(offset, line.size());
  FieldAt field;
  std::size_t start = 0;
  bool in_quotes = false;
  for (std::size_t i = 0; i < offset; ++i) {
    if (line[i] == '"') in_quotes = !in_quotes;
    if (!in_quotes && line[i] == delimiter) {
      ++field.index;
      start = i + 1;
    }
  }
  const std::size_t end = std::min(line.find(delimiter, offset), line.size());
  field.text = trim(line.substr(start, end - start));
  return field;
}

FieldAt open_quote_field(std::string_view line, char delimiter) {
  const char* opener = open_quote(line.data(), line.data() + line.size());
  return field_at(line, opener != nullptr ? static_cast<std::size_t>(opener - line.data()) : 0,
                  delimiter);
}

char detect_delimiter(std::string_view header) {
  static constexpr std::array<char, 4> kCandidates{',', ';', '\t', '|'};
  std::array<std::size_t, 4> counts{};
  bool in_quotes = false;
  for (const char c : header) {
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    for (std::size_t k = 0; k < kCandidates.size(); ++k)
      if (c == kCandidates[k]) ++counts[k];
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kCandidates.size(); ++k)
    if (counts[k] > counts[best]) best = k;
  return kCandidates[best];
}

FieldOps field_ops(char delimiter) {
  switch (delimiter) {
    case ';': return {split_with<';'>, finish_with<';'>};
    case '\t': return {split_with<'\t'>, finish_with<'\t'>};
    case '|': return {split_with<'|'>, finish_with<'|'>};
    default: return {split_with<','>, finish_with<','>};
  }
}

bool Splitter::split(std::string_view record, bool quoted) {
  if (quoted) {
    buffer_.assign(record);
    buffer_.push_back('\0');
    ops_.split(buffer_.data(), fields_);
  } else {
    // Without quotes the library's find_next_column_end stops at the next
    // delimiter or the terminating NUL: the same ends, found in one pass
    // over the bytes, eight at a time (fields are short: a memchr call per
    // field is slower), which also finds a NUL byte. The record is not
    // copied: its spans point into the input and are never written through.
    fields_.clear();
    char* begin = const_cast<char*>(record.data());  // NOLINT: read only, see above
    char* const last = begin + record.size();
    char* p = begin;
    const std::uint64_t delimiters = kOnes * static_cast<unsigned char>(delimiter_);
    // (The bit of a byte tells its place only in little-endian words.)
    for (; std::endian::native == std::endian::little && last - p >= 8; p += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p, 8);
      // The high bit of each byte that is the delimiter or NUL (exact per
      // byte: no carries between bytes).
      std::uint64_t hits = ~(nonzero_bytes(word ^ delimiters) & nonzero_bytes(word)) & kHigh;
      for (; hits != 0; hits &= hits - 1) {
        char* const at = p + std::countr_zero(hits) / 8;
        if (*at == '\0') return false;
        fields_.push_back({begin, at});
        begin = at + 1;
      }
    }
    for (; p != last; ++p) {
      if (*p == delimiter_) {
        fields_.push_back({begin, p});
        begin = p + 1;
      } else if (*p == '\0') {
        return false;
      }
    }
    fields_.push_back({begin, last});
  }
  quoted_ = quoted;
  // A new generation marks every field unfinished without clearing.
  if (++generation_ == 0) {
    finished_.assign(finished_.size(), 0);
    generation_ = 1;
  }
  if (finished_.size() < fields_.size()) finished_.resize(fields_.size(), 0);
  return true;
}

void advise_huge_pages(const void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  if (data == nullptr || bytes < 2 * kHugePage) return;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (start + bytes) & ~(kHugePage - 1);
  if (last > first)
    static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE));
}

std::size_t estimate_rows(std::string_view rest, char eol, std::size_t fields) {
  constexpr std::size_t kSample = 1 << 16;
  const std::string_view sample = rest.substr(0, kSample);
  if (sample.empty()) return 0;
  const auto lines = static_cast<std::size_t>(std::count(sample.begin(), sample.end(), eol));
  const std::size_t estimate = rest.size() / sample.size() * lines + lines + 1;
  return std::min(estimate, rest.size() / std::max<std::size_t>(fields, 1) + 1);
}

std::vector<std::string> read_header(const Record& header, char delimiter) {
  Splitter splitter(delimiter);
  splitter.split(header.text());
  std::vector<std::string> names;
  for (std::size_t i = 0; i < splitter.fields().size(); ++i)
    names.emplace_back(splitter.finish(i, true));
  return names;
}

std::string list_headers(const std::vector<std::string>& headers) {
  constexpr std::size_t kMaxListed = 40;
  std::string out;
  for (std::size_t i = 0; i < headers.size() && i < kMaxListed; ++i)
    out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", headers[i]);
  if (headers.size() > kMaxListed)
    out += fmt::format(" and {} more", headers.size() - kMaxListed);
  return out.empty() ? "(none)" : out;
}

}  // namespace abmtier::reader_detail
