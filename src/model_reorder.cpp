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
}

}  // namespace abmtier
