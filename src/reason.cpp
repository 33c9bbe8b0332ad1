// The `reason` column. Appended straight into the writer's buffer: the
// writer calls it once per account, so it allocates nothing per row.
#include "abmtier/reason.h"

#include <iterator>

#include <fmt/format.h>

#include "abmtier/hysteresis.h"
#include "buffer_text.h"

namespace abmtier {
namespace {

using Buffer = fmt::memory_buffer;

void put(Buffer& out, std::string_view s) { append_text(out, s); }

template <class... Args>
void put_format(Buffer& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

// "tier 1", "the watchlist", "outside the ABM programme".
void put_tier_words(Buffer& out, Tier t) {
  switch (t) {
    case Tier::kWatchlist: return put(out, "the watchlist");
    case Tier::kOutside: return put(out, "outside the ABM programme");
    default: put(out, "tier "); put(out, tier_name(t));
  }
}

const GroupLoad& group_of(const AccountTable& table, std::size_t i, const CapacityResult& capacity) {
  if (!capacity.per_owner || table.owner[i] == kNoOwner) return capacity.groups.back();
  return capacity.groups[table.owner[i]];
}

// The hysteresis clause, if any; false when hysteresis did not apply.
bool put_hysteresis_clause(Buffer& out, const AccountTable& table, std::size_t i, const Config& config) {
  const auto outcome = static_cast<HysteresisOutcome>(table.hysteresis[i]);
  const Tier m = table.matrix_tier[i];
  const Tier p = table.previous_tier[i];
  const Tier e = table.eligible_tier[i];
  const double c = table.composite_of(i);
  const auto& h = config.hysteresis;
  const auto promote_at = [&](Tier t) { return h[static_cast<std::size_t>(t)].promote_at.value_or(0); };
  const auto demote_below = [&](Tier t) { return h[static_cast<std::size_t>(t)].demote_below.value_or(0); };
  switch (outcome) {
    case HysteresisOutcome::kNone: return false;
    case HysteresisOutcome::kPromotionHeld:
      put(out, "; kept at previous ");
      put_tier_words(out, p);
      put_format(out, ": composite {:.2f} has not reached tier {}'s promote-at {}", c, tier_name(m),
                 promote_at(m));
      return true;
    case HysteresisOutcome::kPromotedPartly:
      put(out, "; promoted from ");
      put_tier_words(out, p);
      put(out, " to ");
      put_tier_words(out, e);
      put(out, " only: ");
      put_tier_words(out, m);
      put_format(out, " needs composite {}", promote_at(m));
      return true;
    case HysteresisOutcome::kPromoted:
      put(out, "; promoted from ");
      put_tier_words(out, p);
      put(out, " to ");
      put_tier_words(out, e);
      return true;
    case HysteresisOutcome::kDemotionHeld:
      put(out, "; kept at previous ");
      put_tier_words(out, p);
      put_format(out, ": composite {:.2f} is still at or above its demote-below {}", c, demote_below(p));
      return true;
    case HysteresisOutcome::kDemotedPartly:
      put(out, "; demoted from ");
      put_tier_words(out, p);
      put(out, " to ");
      put_tier_words(out, e);
      put_format(out, " only: composite {:.2f} is at or above that tier's demote-below {}", c,
                 demote_below(e));
      return true;
    case HysteresisOutcome::kDemoted:
      put(out, "; demoted from ");
      put_tier_words(out, p);
      put(out, " to ");
      put_tier_words(out, e);
      return true;
  }
  return false;
}

void put_capacity_clause(Buffer& out, const AccountTable& table, std::size_t i,
                         const CapacityResult& capacity) {
  const Tier w = table.waitlist_tier[i];
  const auto k = static_cast<std::size_t>(w);
  const GroupLoad& load = group_of(table, i, capacity);
  put(out, "; ");
  put_tier_words(out, w);
  put(out, " full");
  if (capacity.per_owner) {
    if (load.owner == kNoOwner) {
      put(out, " for accounts with no owner");
    } else {
      put(out, " for owner ");
      put(out, table.owner_names[load.owner]);
    }
  }
  put_format(out, " ({}/{}): waitlisted #{}, ", load.count[k], load.cap[k].value_or(0),
             table.waitlist_rank[i]);
  if (table.tier[i] == Tier::kOutside) {
    put(out, "no capacity left in any tier, so outside the programme");
  } else {
    put(out, "worked as ");
    put_tier_words(out, table.tier[i]);
  }
}

// "high fit and low intent", capitalised when it opens the sentence.
void put_bands(Buffer& out, const AccountTable& table, std::size_t i, bool capitalise) {
  const std::size_t start = out.size();
  put(out, band_name(table.fit_band[i]));
  put(out, " fit and ");
  put(out, band_name(table.intent_band[i]));
  put(out, " intent");
  if (capitalise && out[start] >= 'a' && out[start] <= 'z') out[start] = static_cast<char>(out[start] - 'a' + 'A');
}

}  // namespace

void append_reason(fmt::memory_buffer& out, const AccountTable& table, std::size_t i, const Config& config,
                   const CapacityResult& capacity) {
  if (table.pinned[i] != Tier::kNone) {
    put(out, "Pinned to ");
    put_tier_words(out, table.pinned[i]);
    put(out, " by override");
    if (const std::string& why = table.pin_reasons[table.pin_reason[i]]; !why.empty()) {
      put(out, " (");
      put(out, why);
      put(out, ")");
    }
    put(out, "; scores say ");
    put_bands(out, table, i, false);
  } else {
    put_bands(out, table, i, true);
    const bool clause = put_hysteresis_clause(out, table, i, config);
    if (table.waitlist_tier[i] != Tier::kNone) {
      put_capacity_clause(out, table, i, capacity);
    } else if (!clause) {
      put(out, ": ");
      put_tier_words(out, table.tier[i]);
    }
  }
  if (table.watchlist[i] != 0)
    put_format(out, "; watchlist: moves up when intent reaches {}", config.intent_bands.high);
}

std::string reason_for(const AccountTable& table, std::size_t i, const Config& config,
                       const CapacityResult& capacity) {
  fmt::memory_buffer out;
  append_reason(out, table, i, config, capacity);
  return fmt::to_string(out);
}

}  // namespace abmtier
