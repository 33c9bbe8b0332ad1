// Reordering the rows of the account table. The pipeline puts the rows in
// ranking order once the composite is known, so the later stages (the gate,
// the writer) read the table front to back instead of jumping around it.
#include <cstdint>
#include <vector>

#include "abmtier/account.h"

namespace abmtier {
namespace {

template <class T>
void gather(std::vector<T>& column, const std::vector<std::uint32_t>& order) {
  if (column.size() != order.size()) return;  // a column this table does not have (yet)
  std::vector<T> moved;
  moved.reserve(column.size());
  for (const std::uint32_t row : order) moved.push_back(std::move(column[row]));
  column.swap(moved);
}

// Copies the text of the rows into a new arena in the new row order, so
// that reading the rows in order reads their text front to back too.
void reorder_text(AccountTable& t) {
  std::size_t bytes = 0;
  for (const TextRef& ref : t.id) bytes += ref.length;
  for (const TextRef& ref : t.name) bytes += ref.length;
  for (const auto& column : t.kept)
    for (const TextRef& ref : column) bytes += ref.length;
  TextArena text;
  text.reserve(bytes);
  constexpr std::size_t kAhead = 8;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      __builtin_prefetch(t.text.get(t.id[i + kAhead]).data());
      if (!t.name.empty()) __builtin_prefetch(t.text.get(t.name[i + kAhead]).data());
    }
    t.id[i] = text.add(t.text.get(t.id[i]));
    if (!t.name.empty()) t.name[i] = text.add(t.text.get(t.name[i]));
    for (auto& column : t.kept) column[i] = text.add(t.text.get(column[i]));
  }
  t.text = std::move(text);
}

}  // namespace

void reorder_rows(AccountTable& t, const std::vector<std::uint32_t>& order) {
  if (order.size() != t.size()) return;
  t.ranked = false;
  gather(t.id, order);
  gather(t.name, order);
  gather(t.owner, order);
  gather(t.line, order);
  gather(t.fit, order);
  gather(t.intent, order);
  gather(t.engagement, order);
  gather(t.input_previous_tier, order);
  gather(t.last_touch, order);
  gather(t.pipeline, order);
  gather(t.engaged_roles, order);
  gather(t.buying_roles, order);
  for (auto& column : t.kept) gather(column, order);
  gather(t.composite, order);
  gather(t.fit_band, order);
  gather(t.intent_band, order);
  gather(t.matrix_tier, order);
  gather(t.watchlist, order);
  gather(t.pinned, order);
  gather(t.pin_reason, order);
  gather(t.previous_tier, order);
  gather(t.eligible_tier, order);
  gather(t.hysteresis, order);
  gather(t.tier, order);
  gather(t.tier_rank, order);
  gather(t.waitlist_tier, order);
  gather(t.waitlist_rank, order);
  reorder_text(t);
}

}  // namespace abmtier
