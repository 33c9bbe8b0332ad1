// Reordering the rows of the account table. The pipeline puts the rows in
// ranking order once the composite is known, so the later stages (the gate,
// the writer) read the table front to back instead of jumping around it.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/parallel.h"

namespace abmtier {
namespace {

// Puts `column` in `order` through `scratch` (room for any column), so
// reordering a table takes no fresh memory per column; each thread gathers
// a share of the rows.
template <class T>
void gather(std::vector<T>& column, const std::vector<std::uint32_t>& order, std::vector<unsigned char>& scratch) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t));
  // A column this table does not have (yet), or no rows at all.
  if (column.size() != order.size() || column.empty()) return;
  const std::size_t n = order.size(), parts = n >= (std::size_t{1} << 16) ? thread_count() : 1;
  for_each_part(parts, [&](std::size_t p) {
    unsigned char* out = scratch.data() + p * n / parts * sizeof(T);
    for (std::size_t k = p * n / parts; k < (p + 1) * n / parts; ++k, out += sizeof(T))
      std::memcpy(out, &column[order[k]], sizeof(T));
  });
  std::memcpy(column.data(), scratch.data(), n * sizeof(T));
}

template <class Small>
void gather(HundredthsColumn<Small>& column, const std::vector<std::uint32_t>& order, std::vector<unsigned char>& scratch) {
  column.with_storage([&](auto& values) { gather(values, order, scratch); });
}

// Copies the text of `columns` (rows already in their new order) into a
// new arena in that order, so that reading the rows in order reads their
// text front to back too; the old arena is freed. Row by row, each
// column's value; each thread copies a share of the rows to where the rows
// before it end.
void reorder_arena(TextArena& arena, const std::vector<std::vector<TextRef>*>& columns, std::size_t n) {
  const auto each = [&](auto&& fn) {
    for (std::vector<TextRef>* column : columns)
      if (column->size() == n) fn(*column);
  };
  const std::size_t parts = n >= (std::size_t{1} << 16) ? thread_count() : 1;
  std::vector<std::size_t> start(parts + 1, 0);  // where each share's text starts
  for_each_part(parts, [&](std::size_t p) {
    std::size_t bytes = 0;
    each([&](const std::vector<TextRef>& column) {
      for (std::size_t i = p * n / parts; i < (p + 1) * n / parts; ++i) bytes += column[i].length;
    });
    start[p + 1] = bytes;
  });
  for (std::size_t p = 0; p < parts; ++p) start[p + 1] += start[p];
  TextArena text;
  text.reserve(start[parts]);
  char* const out = text.extend(start[parts]);
  // The first column the table has is prefetched a few rows ahead.
  const auto first = std::find_if(columns.begin(), columns.end(), [n](const auto* c) { return c->size() == n; });
  const std::vector<TextRef>* const ahead = first != columns.end() ? *first : nullptr;
  for_each_part(parts, [&](std::size_t p) {
    constexpr std::size_t kAhead = 8;
    std::uint64_t at = start[p];
    const std::size_t end = (p + 1) * n / parts;
    for (std::size_t i = p * n / parts; i < end; ++i) {
      if (i + kAhead < end && ahead != nullptr) __builtin_prefetch(arena.get((*ahead)[i + kAhead]).data());
      each([&](std::vector<TextRef>& column) {
        const std::string_view value = arena.get(column[i]);
        if (!value.empty()) std::memcpy(out + at, value.data(), value.size());
        column[i] = TextRef::at(at, value.size());
        at += value.size();
      });
    }
  });
  arena = std::move(text);
}

// The names' and kept columns' arena first (usually the larger), then the
// ids' in the memory the first one's old copy leaves.
void reorder_text(AccountTable& t) {
  const std::size_t n = t.size();
  std::vector<std::vector<TextRef>*> named{&t.name};
  for (auto& column : t.kept) named.push_back(&column);
  reorder_arena(t.text, named, n);
  reorder_arena(t.id_text, {&t.id}, n);
}

}  // namespace

void reorder_rows(AccountTable& t, const std::vector<std::uint32_t>& order) {
  if (order.size() != t.size()) return;
  t.ranked = false;
  {
    std::vector<unsigned char> scratch(order.size() * sizeof(std::uint64_t));
    for_each_input_column(t, [&](auto& column) { gather(column, order, scratch); });
    gather(t.fit_band, order, scratch);
    gather(t.intent_band, order, scratch);
    gather(t.matrix_tier, order, scratch);
    gather(t.watchlist, order, scratch);
    gather(t.pinned, order, scratch);
    gather(t.pin_reason, order, scratch);
    gather(t.previous_tier, order, scratch);
    gather(t.eligible_tier, order, scratch);
    gather(t.hysteresis, order, scratch);
    gather(t.tier, order, scratch);
    gather(t.tier_rank, order, scratch);
    gather(t.waitlist_tier, order, scratch);
    gather(t.waitlist_rank, order, scratch);
  }
  // The scratch buffer is gone before the text needs room for its copy.
  reorder_text(t);
}

}  // namespace abmtier
