#include "abmtier/reason.h"

#include <fmt/format.h>

#include "abmtier/hysteresis.h"

namespace abmtier {
namespace {

std::string tier_words(Tier t) {
  switch (t) {
    case Tier::kWatchlist: return "the watchlist";
    case Tier::kOutside: return "outside the ABM programme";
    default: return fmt::format("tier {}", tier_name(t));
  }
}

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

const GroupLoad& group_of(const AccountTable& table, std::size_t i, const CapacityResult& capacity) {
  if (!capacity.per_owner || table.owner[i] == kNoOwner) return capacity.groups.back();
  return capacity.groups[table.owner[i]];
}

std::string hysteresis_clause(const AccountTable& table, std::size_t i, const Config& config) {
  const auto outcome = static_cast<HysteresisOutcome>(table.hysteresis[i]);
  const Tier m = table.matrix_tier[i];
  const Tier p = table.previous_tier[i];
  const Tier e = table.eligible_tier[i];
  const double c = table.composite[i];
  const auto& h = config.hysteresis;
  switch (outcome) {
    case HysteresisOutcome::kPromotionHeld:
      return fmt::format("kept at previous {}: composite {:.2f} has not reached tier {}'s promote-at {}",
                         tier_words(p), c, tier_name(m), h[static_cast<std::size_t>(m)].promote_at.value_or(0));
    case HysteresisOutcome::kPromotedPartly:
      return fmt::format("promoted from {} to {} only: {} needs composite {}", tier_words(p),
                         tier_words(e), tier_words(m), h[static_cast<std::size_t>(m)].promote_at.value_or(0));
    case HysteresisOutcome::kPromoted:
      return fmt::format("promoted from {} to {}", tier_words(p), tier_words(e));
    case HysteresisOutcome::kDemotionHeld:
      return fmt::format("kept at previous {}: composite {:.2f} is still at or above its demote-below {}",
                         tier_words(p), c, h[static_cast<std::size_t>(p)].demote_below.value_or(0));
    case HysteresisOutcome::kDemotedPartly:
      return fmt::format("demoted from {} to {} only: composite {:.2f} is at or above that tier's demote-below {}",
                         tier_words(p), tier_words(e), c, h[static_cast<std::size_t>(e)].demote_below.value_or(0));
    case HysteresisOutcome::kDemoted:
      return fmt::format("demoted from {} to {}", tier_words(p), tier_words(e));
    case HysteresisOutcome::kNone: break;
  }
  return {};
}

std::string capacity_clause(const AccountTable& table, std::size_t i, const CapacityResult& capacity) {
  const Tier w = table.waitlist_tier[i];
  const auto k = static_cast<std::size_t>(w);
  const GroupLoad& load = group_of(table, i, capacity);
  std::string whose;
  if (capacity.per_owner)
    whose = load.owner == kNoOwner ? " for accounts with no owner"
                                   : fmt::format(" for owner {}", table.owner_names[load.owner]);
  const std::int64_t cap = load.cap[k].value_or(0);
  const std::string worked = table.tier[i] == Tier::kOutside
                                 ? std::string("no capacity left in any tier, so outside the programme")
                                 : fmt::format("worked as {}", tier_words(table.tier[i]));
  return fmt::format("{} full{} ({}/{}): waitlisted #{}, {}", tier_words(w), whose, load.count[k], cap,
                     table.waitlist_rank[i], worked);
}

}  // namespace

std::string reason_for(const AccountTable& table, std::size_t i, const Config& config,
                       const CapacityResult& capacity) {
  const std::string bands = fmt::format("{} fit and {} intent", band_name(table.fit_band[i]),
                                        band_name(table.intent_band[i]));
  std::string out;
  if (table.pinned[i] != Tier::kNone) {
    out = fmt::format("Pinned to {} by override", tier_words(table.pinned[i]));
    if (const std::string& why = table.pin_reasons[table.pin_reason[i]]; !why.empty())
      out += fmt::format(" ({})", why);
    out += "; scores say " + bands;
  } else {
    out = capitalised(bands);
    const std::string clause = hysteresis_clause(table, i, config);
    if (!clause.empty()) out += "; " + clause;
    if (table.waitlist_tier[i] != Tier::kNone)
      out += "; " + capacity_clause(table, i, capacity);
    else if (clause.empty())
      out += ": " + tier_words(table.tier[i]);
  }
  if (table.watchlist[i] != 0)
    out += fmt::format("; watchlist: moves up when intent reaches {}", config.intent_bands.high);
  return out;
}

}  // namespace abmtier
