// The record layer: encoding checks, quote-aware framing, delimiter
// detection and field splitting through fast-cpp-csv-parser's policies.
#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "reader_internal.h"

namespace abmtier::reader_detail {
namespace {

constexpr std::string_view kResaveAdvice =
    "Re-save it as UTF-8 CSV: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; "
    "in Google Sheets, File > Download > \"Comma-separated values\"; or convert it with "
    "`iconv -f UTF-16 -t UTF-8`.";

bool in_range(unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; }

// Length of the UTF-8 sequence that starts at p[0] when it is valid, else 0.
std::size_t valid_sequence(const unsigned char* p, std::size_t available) {
  const unsigned char c = p[0];
  std::size_t length = 0;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (in_range(c, 0xC2, 0xDF)) {
    length = 2;
  } else if (c == 0xE0) {
    length = 3, lo = 0xA0;  // no overlong forms
  } else if (c == 0xED) {
    length = 3, hi = 0x9F;  // no UTF-16 surrogates
  } else if (in_range(c, 0xE1, 0xEF)) {
    length = 3;
  } else if (c == 0xF0) {
    length = 4, lo = 0x90;
  } else if (in_range(c, 0xF1, 0xF3)) {
    length = 4;
  } else if (c == 0xF4) {
    length = 4, hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (length > available || !in_range(p[1], lo, hi)) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return length;
}

// Number of '"' in [p, end): memchr skips quote-free text fast; from the
// first quote on, eight bytes at a time (a byte equal to '"' becomes zero
// after the xor; the add-and-or sets the high bit of every non-zero byte).
std::size_t count_quotes(const char* p, const char* end) {
  p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
  if (p == nullptr) return 0;
  constexpr std::uint64_t kQuotes = 0x2222222222222222ULL;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  std::size_t count = 0;
  for (; end - p >= 8; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    const std::uint64_t x = word ^ kQuotes;
    const std::uint64_t nonzero = ((x & kLow7) + kLow7) | x;
    // One bit per quote at bit 0 of its byte; the multiply sums the bytes
    // into the top one (baseline x86-64 has no popcnt instruction).
    count += static_cast<std::size_t>((((~nonzero & kHigh) >> 7) * kOnes) >> 56);
  }
  for (; p < end; ++p) count += *p == '"' ? 1U : 0U;
  return count;
}

bool looks_like_utf16(std::string_view bytes) {
  // ASCII text in UTF-16 has a NUL in every other byte.
  std::size_t pairs = 0, nul_pairs = 0;
  for (std::size_t i = 0; i + 1 < bytes.size() && pairs < 64; i += 2, ++pairs)
    nul_pairs += (bytes[i] == '\0') != (bytes[i + 1] == '\0') ? 1U : 0U;
  return pairs > 0 && nul_pairs * 4 >= pairs * 3;
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
    for (;;) {
      eol = line_end(from);
      // The library treats every quote as opening or closing a quoted
      // section, so parity of the quote count is exactly its view.
      const std::size_t quotes = count_quotes(from, eol);
      in_quotes = in_quotes != (quotes % 2 == 1);
      quoted = quoted || quotes > 0;
      if (!in_quotes || eol == end_) break;
      if (first_eol == nullptr) first_eol = eol;
      from = eol + 1;
      ++line_;
    }
    const bool unterminated = in_quotes;
    if (unterminated) {
      // Resume on the line after the record's start: the stray quote is
      // reported, the rows after it are still read.
      eol = first_eol != nullptr ? first_eol : end_;
      line_ = start_line;
    }
    pos_ = eol == end_ ? end_ : eol + 1;
    ++line_;
    const char* stop = eol;
    if (eol_ == '\n' && stop > start && stop[-1] == '\r') --stop;
    const char* first = start;
    while (first < stop && (*first == ' ' || *first == '\t')) ++first;
    if (first == stop && !unterminated) continue;
    out = Record{start, stop, start_line, unterminated, quoted};
    return true;
  }
  return false;
}

Prepared prepare_input(std::string_view data, std::string_view source, ExitCode code) {
  if (data.size() >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
                           (data[0] == '\xFE' && data[1] == '\xFF')))
    throw Error(code, fmt::format("{}: the file is UTF-16 text (it starts with a UTF-16 byte "
                                  "order mark), which abmtier cannot read. {}",
                                  source, kResaveAdvice));
  if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
  Prepared prepared{data, false};
  // Old Mac Excel ends lines with a lone CR; any LF means LF or CRLF.
  prepared.cr_only = std::memchr(data.data(), '\n', data.size()) == nullptr &&
                     std::memchr(data.data(), '\r', data.size()) != nullptr;
  return prepared;
}

void check_header_bytes(const Record& header, std::string_view source, ExitCode code) {
  const std::string_view text = header.text();
  if (text.find('\0') == std::string_view::npos) return;
  if (looks_like_utf16(text))
    throw Error(code, fmt::format("{}: the file looks like UTF-16 text without a byte order "
                                  "mark (its header has NUL bytes between the letters), which "
                                  "abmtier cannot read. {}",
                                  source, kResaveAdvice));
  const bool zip = text.substr(0, 4) == std::string_view("PK\x03\x04", 4);
  throw Error(code, fmt::format("{}: this is not a CSV text file ({}). Export the data as CSV: "
                                "in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\".",
                                source,
                                zip ? "it looks like an Excel workbook or another zip archive"
                                    : "its first line contains NUL bytes, so it is binary"));
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

void Splitter::split(std::string_view record, bool quoted) {
  buffer_.assign(record);
  buffer_.push_back('\0');
  if (quoted) {
    ops_.split(buffer_.data(), fields_);
  } else {
    // Without quotes the library's find_next_column_end stops at the next
    // delimiter or the terminating NUL, which memchr finds faster.
    fields_.clear();
    char* begin = buffer_.data();
    char* const last = begin + record.size();
    for (;;) {
      auto* end = static_cast<char*>(
          std::memchr(begin, delimiter_, static_cast<std::size_t>(last - begin)));
      if (end == nullptr) {
        fields_.push_back({begin, last});
        break;
      }
      *end = '\0';
      fields_.push_back({begin, end});
      begin = end + 1;
    }
  }
  quoted_ = quoted;
  // A new generation marks every field unfinished without clearing.
  if (++generation_ == 0) {
    finished_.assign(finished_.size(), 0);
    generation_ = 1;
  }
  if (finished_.size() < fields_.size()) finished_.resize(fields_.size(), 0);
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

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Most text is ASCII: skip it eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = valid_sequence(p + i, n - i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
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
