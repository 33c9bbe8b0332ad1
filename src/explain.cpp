// `abmtier explain`: one account's whole tier decision in plain words.
#include "abmtier/explain.h"

#include <cctype>
#include <iterator>

#include <fmt/format.h>

#include "abmtier/dates.h"
#include "abmtier/hysteresis.h"
#include "abmtier/reason.h"

namespace abmtier {
namespace {

using Out = std::back_insert_iterator<fmt::memory_buffer>;

std::string tier_words(Tier t) {
  switch (t) {
    case Tier::kWatchlist: return "the watchlist";
    case Tier::kOutside: return "outside";
    case Tier::kNone: return "none";
    default: return fmt::format("tier {}", tier_name(t));
  }
}

// "4" on a [1, 5] scale -> "\"4\" on the 1-5 scale -> 75.00"; a map hit ->
// "\"A\" -> 95.00 (scores.fit.map)"; the default scale -> "\"72.3\" -> 72.30".
std::string score_words(std::string_view key, const std::string& raw, bool found, double value,
                        const ScoreSpec& spec) {
  if (!found) return fmt::format("{:.2f}", value);
  if (raw.empty()) return fmt::format("empty -> {:.2f}", value);
  std::string lower(raw);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (spec.map.count(lower) != 0)
    return fmt::format("\"{}\" -> {:.2f} (scores.{}.map)", raw, value, key);
  if (spec.lo == 0 && spec.hi == 100) return fmt::format("\"{}\" -> {:.2f}", raw, value);
  return fmt::format("\"{}\" on the {:g}-{:g} scale -> {:.2f}", raw, spec.lo, spec.hi, value);
}

void scores(Out out, const AccountTable& t, std::size_t i, const Config& config, const ExplainContext& c) {
  const RawScores& raw = c.raw;
  fmt::format_to(out, "  Scores:     fit {}; intent {}; engagement {}{}\n",
                 score_words("fit", raw.fit, raw.found, t.fit[i], config.fit_score),
                 score_words("intent", raw.intent, raw.found, t.intent[i], config.intent_score),
                 c.has_engagement ? score_words("engagement", raw.engagement, raw.found, t.engagement[i],
                                                config.engagement_score)
                                  : std::string("0 (no engagement column)"),
                 raw.found ? "" : " (normalised; the raw values could not be re-read)");
  fmt::format_to(out, "  Composite:  ({:g} x {:.2f} + {:g} x {:.2f} + {:g} x {:.2f}) / {:g} = {:.2f}\n",
                 config.weight_fit, t.fit[i], config.weight_intent, t.intent[i], config.weight_engagement,
                 t.engagement[i], config.weight_fit + config.weight_intent + config.weight_engagement,
                 t.composite_of(i));
}

std::string band_words(double score, Band band, const BandSpec& spec) {
  switch (band) {
    case Band::kHigh: return fmt::format("{:.2f} is high (>= {:g})", score, spec.high);
    case Band::kMid: return fmt::format("{:.2f} is mid (>= {:g}, < {:g})", score, spec.mid, spec.high);
    case Band::kLow: break;
  }
  return fmt::format("{:.2f} is low (< {:g})", score, spec.mid);
}

void matrix(Out out, const AccountTable& t, std::size_t i, const Config& config) {
  fmt::format_to(out, "  Bands:      fit {}; intent {}\n",
                 band_words(t.fit[i], t.fit_band[i], config.fit_bands),
                 band_words(t.intent[i], t.intent_band[i], config.intent_bands));
  fmt::format_to(out, "  Matrix:     matrix.{}.{} -> {}\n", band_name(t.fit_band[i]),
                 band_name(t.intent_band[i]), tier_words(t.matrix_tier[i]));
  if (t.watchlist[i] != 0)
    fmt::format_to(out, "  Watchlist:  flagged (high fit, low intent): moves up when intent reaches {:g}\n",
                   config.intent_bands.high);
}

std::string threshold(const std::optional<double>& value) {
  return value ? fmt::format("{:g}", *value) : std::string("none");
}

// The thresholds hysteresis looked at, tier by tier, between the matrix
// tier and the previous tier.
std::string thresholds_words(Tier m, Tier p, const Config& config) {
  std::string out;
  const bool promotion = better(m, p);
  const int from = promotion ? tier_index(m) : tier_index(p);
  const int to = promotion ? tier_index(p) - 1 : tier_index(m) - 1;
  for (int k = from; k <= to && k < kCappedTiers; ++k) {
    const TierHysteresis& h = config.hysteresis[static_cast<std::size_t>(k)];
    out += fmt::format("{}tier {} {} {}", out.empty() ? "" : ", ", k + 1,
                       promotion ? "promote_at" : "demote_below",
                       threshold(promotion ? h.promote_at : h.demote_below));
  }
  return out.empty() ? std::string("no thresholds apply") : out;
}

std::string outcome_words(const AccountTable& t, std::size_t i) {
  const Tier e = t.eligible_tier[i];
  switch (static_cast<HysteresisOutcome>(t.hysteresis[i])) {
    case HysteresisOutcome::kPromoted: return fmt::format("promoted to {}", tier_words(e));
    case HysteresisOutcome::kPromotedPartly: return fmt::format("promoted only as far as {}", tier_words(e));
    case HysteresisOutcome::kPromotionHeld: return fmt::format("promotion held: stays at {}", tier_words(e));
    case HysteresisOutcome::kDemoted: return fmt::format("demoted to {}", tier_words(e));
    case HysteresisOutcome::kDemotedPartly: return fmt::format("demoted only as far as {}", tier_words(e));
    case HysteresisOutcome::kDemotionHeld: return fmt::format("demotion held: stays at {}", tier_words(e));
    case HysteresisOutcome::kNone: break;
  }
  return fmt::format("eligible for {}", tier_words(e));
}

void hysteresis(Out out, const AccountTable& t, std::size_t i, const Config& config, const ExplainContext& c) {
  const Tier p = t.previous_tier[i], m = t.matrix_tier[i];
  fmt::format_to(out, "  Previous:   ");
  if (p == Tier::kNone) {
    fmt::format_to(out, "none ({}); eligible for the matrix tier, {}\n",
                   c.previous_source.empty() ? "no --previous file and no tier column in the input"
                                             : "not found in " + c.previous_source,
                   tier_words(t.eligible_tier[i]));
    return;
  }
  fmt::format_to(out, "{} (from {}); ", tier_words(p), c.previous_source);
  if (t.pinned[i] != Tier::kNone)
    fmt::format_to(out, "hysteresis skipped: the account is pinned\n");
  else if (c.refresh)
    fmt::format_to(out, "ignored under --refresh; eligible for the matrix tier, {}\n", tier_words(m));
  else if (p == m)
    fmt::format_to(out, "same as the matrix tier; eligible for {}\n", tier_words(m));
  else
    fmt::format_to(out, "hysteresis ({}; composite {:.2f}): {}\n", thresholds_words(m, p, config),
                   t.composite_of(i), outcome_words(t, i));
}

void override_line(Out out, const AccountTable& t, std::size_t i, const ExplainContext& c) {
  if (t.pinned[i] != Tier::kNone) {
    const std::string& why = t.pin_reasons[t.pin_reason[i]];
    fmt::format_to(out, "  Override:   pinned to {}{}; pins rank first and are never cascaded\n",
                   tier_words(t.pinned[i]), why.empty() ? "" : fmt::format(" ({})", why));
  } else if (c.expired_pin) {
    fmt::format_to(out, "  Override:   none; its pin to {} expired on {}\n", tier_words(c.expired_pin->tier),
                   format_iso_date(*c.expired_pin->expires));
  } else {
    fmt::format_to(out, "  Override:   none\n");
  }
}

std::string reps_words(const CapacityResult& capacity) {
  switch (capacity.reps_source) {
    case RepsSource::kFlag: return fmt::format("{} reps from --reps", capacity.reps.value_or(0));
    case RepsSource::kConfig: return fmt::format("{} reps from capacity.reps", capacity.reps.value_or(0));
    case RepsSource::kOwners: return fmt::format("{} reps counted from the owners", capacity.reps.value_or(0));
    case RepsSource::kUnknown: break;
  }
  return "reps unknown";
}

std::string group_words(const AccountTable& t, std::size_t i, const CapacityResult& capacity) {
  if (!capacity.per_owner)
    return fmt::format("pooled ({}): every account competes in one group", reps_words(capacity));
  if (t.owner[i] == kNoOwner) return "per owner: competes with the other accounts that have no owner";
  return fmt::format("per owner: competes with the other accounts of {}", t.owner_of(i));
}

std::string class_words(const GateStep& s, const AccountTable& t, std::size_t i) {
  switch (s.rank_class) {
    case GateClass::kPinned: return ", among the pinned accounts, who rank first";
    case GateClass::kIncumbent:
      return fmt::format(", among the incumbents (previous {}), who rank before newcomers",
                         tier_words(t.previous_tier[i]));
    case GateClass::kOther: break;
  }
  return {};
}

void step_line(Out out, const GateStep& s, const AccountTable& t, std::size_t i) {
  const std::string cap = s.cap ? fmt::format("cap {}", *s.cap) : std::string("no cap");
  fmt::format_to(out, "    {}: ranked {} of {} candidates{} ({}, {} placed)", tier_words(s.tier),
                 ordinal(s.rank), s.candidates, class_words(s, t, i), cap, s.placed);
  if (s.got_in) {
    fmt::format_to(out, ": in\n");
    return;
  }
  fmt::format_to(out, ": not in");
  if (s.last_in != kNoLastIn)
    fmt::format_to(out, "; the last account in, {}, had composite {:.2f} (this one {:.2f})",
                   t.id_of(s.last_in), t.composite_of(s.last_in), t.composite_of(i));
  if (t.waitlist_tier[i] == s.tier)
    fmt::format_to(out, "; waitlisted #{} for {}", t.waitlist_rank[i], tier_words(s.tier));
  fmt::format_to(out, "\n");
}

void capacity_lines(Out out, const AccountTable& t, std::size_t i, const CapacityResult& capacity,
                    bool refresh) {
  if (!is_capped(t.eligible_tier[i])) {
    fmt::format_to(out, "  Capacity:   {} uses no capacity\n", tier_words(t.eligible_tier[i]));
    return;
  }
  fmt::format_to(out, "  Capacity:   {}\n", group_words(t, i, capacity));
  for (const GateStep& s : gate_steps(t, i, capacity, refresh)) step_line(out, s, t, i);
  if (t.tier[i] == Tier::kOutside)
    fmt::format_to(out, "    no capacity left down to tier 3: outside the programme\n");
}

void result_line(Out out, const AccountTable& t, std::size_t i) {
  fmt::format_to(out, "  Result:     {}, rank {} in it; ", tier_words(t.tier[i]), t.tier_rank[i]);
  if (t.waitlist_tier[i] == Tier::kNone)
    fmt::format_to(out, "not waitlisted\n");
  else
    fmt::format_to(out, "waitlisted #{} for {} (#1 is next in line)\n", t.waitlist_rank[i],
                   tier_words(t.waitlist_tier[i]));
}

}  // namespace

std::string explain_account(const AccountTable& table, std::size_t row, const Config& config,
                            const CapacityResult& capacity, const ExplainContext& context) {
  fmt::memory_buffer b;
  Out out = std::back_inserter(b);
  fmt::format_to(out, "{}", table.id_of(row));
  if (table.name[row].length != 0) fmt::format_to(out, " {}", table.name_of(row));
  if (table.owner[row] != kNoOwner) fmt::format_to(out, " (owner {})", table.owner_of(row));
  fmt::format_to(out, ", input line {}\n", table.line[row]);
  scores(out, table, row, config, context);
  matrix(out, table, row, config);
  hysteresis(out, table, row, config, context);
  override_line(out, table, row, context);
  capacity_lines(out, table, row, capacity, context.refresh);
  result_line(out, table, row);
  fmt::format_to(out, "  Reason:     {}\n", reason_for(table, row, config, capacity));
  return {b.data(), b.size()};
}

}  // namespace abmtier
