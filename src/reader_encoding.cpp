// Encoding and file-type checks: what the reader refuses before it reads a
// row (UTF-16, binary files, web pages saved instead of an export), and
// where text stops being valid UTF-8.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>

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
bool looks_like_utf16(std::string_view bytes) {
  // ASCII text in UTF-16 has a NUL in every other byte.
  std::size_t pairs = 0, nul_pairs = 0;
  for (std::size_t i = 0; i + 1 < bytes.size() && pairs < 64; i += 2, ++pairs)
    nul_pairs += (bytes[i] == '\0') != (bytes[i + 1] == '\0') ? 1U : 0U;
  return pairs > 0 && nul_pairs * 4 >= pairs * 3;
}

// A file type that a CSV header never starts with, named for the message.
struct Signature {
  std::string_view magic;
  std::string_view what;
};

constexpr std::string_view kBinaryAdvice =
    "Export the data as CSV: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; in "
    "your CRM, choose the CSV export.";

std::string_view known_format(std::string_view head) {
  using namespace std::string_view_literals;
  static constexpr std::array<Signature, 8> kSignatures{{
      {"PK\x03\x04"sv, "it looks like an Excel workbook (.xlsx) or another zip archive"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, "it looks like an old Excel workbook (.xls)"},
      {"\x1F\x8B"sv, "it is gzip-compressed; unpack it first (gunzip)"},
      {"%PDF-"sv, "it is a PDF document"},
      {"\x89PNG"sv, "it is a PNG image"},
      {"\xFF\xD8\xFF"sv, "it is a JPEG image"},
      {"7z\xBC\xAF\x27\x1C"sv, "it is a 7-Zip archive"},
      {"\xFD" "7zXZ"sv, "it is an xz archive"},
  }};
  for (const auto& signature : kSignatures)
    if (head.substr(0, signature.magic.size()) == signature.magic) return signature.what;
  // A login or error page downloaded instead of the export, or Excel's
  // "XML Spreadsheet" format.
  std::string lower;
  for (const char c : head.substr(0, 16))
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  if (lower.starts_with("<!doctype html") || lower.starts_with("<html"))
    return "it is a web page (HTML), perhaps a login or error page saved instead of the export";
  if (lower.starts_with("<?xml")) return "it is an XML file (perhaps Excel's XML Spreadsheet)";
  return {};
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t' && c != '\r' && c != '\n') || byte == 0x7F;
}

}  // namespace

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

void check_header(const Record& header, std::string_view source, ExitCode code) {
  const std::string_view text = header.text();
  if (text.find('\0') != std::string_view::npos && looks_like_utf16(text))
    throw Error(code, fmt::format("{}: the file looks like UTF-16 text without a byte order "
                                  "mark (its header has NUL bytes between the letters), which "
                                  "abmtier cannot read. {}",
                                  source, kResaveAdvice));
  std::string_view what = known_format(text);
  if (what.empty() && std::any_of(text.begin(), text.end(), is_control))
    what = "its first line contains control bytes, so it is binary";
  if (!what.empty())
    throw Error(code, fmt::format("{}: this is not a CSV text file ({}). {}", source, what,
                                  kBinaryAdvice));
  if (header.unterminated)
    throw Error(code, fmt::format("{}, line {}: the header row has a \" that is never closed (a "
                                  "quoted name without its closing \", or a \" inside a name). "
                                  "Fix the header and run again.",
                                  source, header.line));
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

}  // namespace abmtier::reader_detail
