// Appending text to an fmt::memory_buffer inline: fmt's own append is a
// call into the library per piece, and the writer and the reasons append
// about thirty pieces a row.
#pragma once

#include <cstring>
#include <string_view>

#include <fmt/format.h>

namespace abmtier {

inline void append_text(fmt::memory_buffer& out, std::string_view text) {
  const std::size_t at = out.size();
  out.resize(at + text.size());
  if (!text.empty()) std::memcpy(out.data() + at, text.data(), text.size());
}

}  // namespace abmtier
