// JSON string literals for the JSON and JSON Lines writers. Escapes what
// JSON requires and replaces each invalid UTF-8 sequence with U+FFFD the
// way nlohmann::json's dump(error_handler_t::replace) does (the maximal
// subpart of an ill-formed sequence becomes one U+FFFD), so the output
// always parses. Hand-written because one json object per field per row is
// too slow for ten million rows.
#include <array>
#include <string_view>

#include <fmt/format.h>

namespace abmtier {
namespace detail {
void append_json_string(fmt::memory_buffer& out, std::string_view text);
}  // namespace detail

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool is_continuation(unsigned char c, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
  return c >= lo && c <= hi;
}

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7), or
// 0 with `bad` set to the length of its maximal ill-formed prefix (>= 1).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& bad) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) length = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4) length = 4;
  if (b0 == 0xE0) lo = 0xA0;  // no overlongs
  if (b0 == 0xED) hi = 0x9F;  // no surrogates
  if (b0 == 0xF0) lo = 0x90;  // no overlongs
  if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  bad = 1;
  if (length == 0) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if (i + k >= s.size()) return 0;
    const auto c = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? !is_continuation(c, lo, hi) : !is_continuation(c)) return 0;
    bad = k + 1;
  }
  return length;
}

void append_escape(fmt::memory_buffer& out, unsigned char c) {
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  switch (c) {
    case '"': out.append(std::string_view("\\\"")); return;
    case '\\': out.append(std::string_view("\\\\")); return;
    case '\b': out.append(std::string_view("\\b")); return;
    case '\f': out.append(std::string_view("\\f")); return;
    case '\n': out.append(std::string_view("\\n")); return;
    case '\r': out.append(std::string_view("\\r")); return;
    case '\t': out.append(std::string_view("\\t")); return;
    default: break;
  }
  const char code[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
  out.append(code, code + sizeof(code));
}

}  // namespace

namespace detail {

void append_json_string(fmt::memory_buffer& out, std::string_view text) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs no attention in one go.
    std::size_t run = i;
    while (run < text.size()) {
      const auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(text.data() + i, text.data() + run);
    i = run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      append_escape(out, c);
      ++i;
      continue;
    }
    std::size_t bad = 0;
    if (const std::size_t length = utf8_sequence(text, i, bad); length > 0) {
      out.append(text.data() + i, text.data() + i + length);
      i += length;
    } else {
      out.append(kReplacement);
      i += bad;
    }
  }
  out.push_back('"');
}

}  // namespace detail
}  // namespace abmtier
