// Helpers shared by the unit tests: build account tables in memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/config.h"
#include "abmtier/matrix.h"
#include "abmtier/scoring.h"

namespace abmtier::test {

/// One account for a test table. Scores are already normalised (0-100).
struct Row {
  Row(std::string id_, double fit_, double intent_, std::string owner_ = "",
      Tier previous_ = Tier::kNone, Tier pinned_ = Tier::kNone)
      : id(std::move(id_)), fit(fit_), intent(intent_), owner(std::move(owner_)),
        previous(previous_), pinned(pinned_) {}
  std::string id;
  double fit = 0;
  double intent = 0;
  std::string owner;                 ///< "" = no owner
  Tier previous = Tier::kNone;
  Tier pinned = Tier::kNone;
  std::string name;
};

/// Builds a table with the reader's columns filled from `rows`, then scores
/// it and applies the matrix with `config`. previous_tier and pins are set.
inline AccountTable make_table(const std::vector<Row>& rows, const Config& config = {}) {
  AccountTable t;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    t.id.push_back(t.id_text.add(r.id));
    t.name.push_back(t.text.add(r.name.empty() ? "Name " + r.id : r.name));
    std::uint32_t owner = kNoOwner;
    if (!r.owner.empty()) {
      std::size_t k = 0;
      while (k < t.owner_names.size() && t.owner_names[k] != r.owner) ++k;
      if (k == t.owner_names.size()) t.owner_names.push_back(r.owner);
      owner = static_cast<std::uint32_t>(k);
    }
    t.owner.push_back(owner);
    t.line.push_back(i + 2);
    t.fit.push_back(r.fit);
    t.intent.push_back(r.intent);
    t.engagement.push_back(0);
    t.input_previous_tier.push_back(r.previous);
    t.previous_tier.push_back(r.previous);
    t.pinned.push_back(r.pinned);
    t.pin_reason.push_back(r.pinned == Tier::kNone ? 0 : static_cast<std::uint32_t>(t.pin_reasons.size()));
    if (r.pinned != Tier::kNone) t.pin_reasons.push_back("test pin");
  }
  score_accounts(t, config);
  apply_matrix(t, config);
  return t;
}

/// Row index of an id (tests only: linear).
inline std::size_t row_of(const AccountTable& t, std::string_view id) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.id_of(i) == id) return i;
  return t.size();
}

}  // namespace abmtier::test
