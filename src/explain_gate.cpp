// The facts an explanation needs that the table does not hold directly: an
// account's rank in each capacity tier it competed for, and its score
// fields as written in the export.
#include "abmtier/explain.h"

#include "abmtier/capacity.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace abmtier {
namespace {

// The gate's ranking classes for tier k (SPEC 6, 10): pins first, then
// incumbents (previous tier k or better, 1-3 only, not --refresh), then the
// rest. Mirrors the capacity stage, which keeps its own copy private.
GateClass class_of(const AccountTable& t, std::size_t i, Tier k, bool refresh) {
  if (t.pinned[i] != Tier::kNone) return GateClass::kPinned;
  const Tier p = t.previous_tier[i];
  if (!refresh && is_capped(p) && !better(k, p)) return GateClass::kIncumbent;
  return GateClass::kOther;
}

// True when row a ranks before row b for tier k: class, then composite
// descending, then fit descending, then id ascending (byte order).
bool ranks_before(const AccountTable& t, std::size_t a, std::size_t b, Tier k, bool refresh) {
  const GateClass ca = class_of(t, a, k, refresh), cb = class_of(t, b, k, refresh);
  if (ca != cb) return ca < cb;
  return ranks_ahead(t, a, b);
}

// Candidates of tier k: eligible for k or better (capped), and not placed
// in a better tier than k, i.e. eligible there or cascaded down to it.
bool competes_for(const AccountTable& t, std::size_t i, int k) {
  const Tier e = t.eligible_tier[i];
  if (!is_capped(e) || tier_index(e) > k) return false;
  return t.tier[i] == Tier::kOutside || tier_index(t.tier[i]) >= k;
}

const GroupLoad& load_of(const AccountTable& t, std::size_t row, const CapacityResult& capacity) {
  if (!capacity.per_owner || t.owner[row] == kNoOwner) return capacity.groups.back();
  return capacity.groups[t.owner[row]];
}

GateStep step_for(const AccountTable& t, std::size_t row, int k, const CapacityResult& capacity,
                  bool refresh) {
  const Tier tier = tier_from_index(k);
  const GroupLoad& load = load_of(t, row, capacity);
  GateStep step;
  step.tier = tier;
  step.rank_class = class_of(t, row, tier, refresh);
  step.cap = load.cap[static_cast<std::size_t>(k)];
  step.placed = load.count[static_cast<std::size_t>(k)];
  step.got_in = t.tier[row] == tier;
  step.rank = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if ((capacity.per_owner && t.owner[i] != t.owner[row]) || !competes_for(t, i, k)) continue;
    ++step.candidates;
    if (i != row && ranks_before(t, i, row, tier, refresh)) ++step.rank;
    if (t.tier[i] == tier && (step.last_in == kNoLastIn || ranks_before(t, step.last_in, i, tier, refresh)))
      step.last_in = i;
  }
  return step;
}

// End of the record that starts at `from`: the first `eol` outside quotes.
std::size_t record_end(std::string_view data, std::size_t from, char eol) {
  bool quoted = false;
  for (std::size_t i = from; i < data.size(); ++i) {
    if (data[i] == '"') quoted = !quoted;
    else if (data[i] == eol && !quoted) return i;
  }
  return data.size();
}

std::string_view chomp_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

std::string field_of(const std::vector<std::string>& fields, const ReadStats& stats, Column c) {
  const int index = stats.column_index[static_cast<std::size_t>(c)];
  return index < 0 ? std::string() : fields[static_cast<std::size_t>(index)];
}

}  // namespace

std::vector<GateStep> gate_steps(const AccountTable& table, std::size_t row,
                                 const CapacityResult& capacity, bool refresh) {
  std::vector<GateStep> steps;
  const Tier eligible = table.eligible_tier[row];
  if (!is_capped(eligible) || capacity.groups.empty()) return steps;
  const Tier final_tier = table.tier[row];
  const int last = is_capped(final_tier) ? tier_index(final_tier) : kCappedTiers - 1;
  for (int k = tier_index(eligible); k <= last; ++k)
    steps.push_back(step_for(table, row, k, capacity, refresh));
  return steps;
}

std::optional<std::vector<std::string>> reread_fields(std::string_view input, const ReadStats& stats,
                                                      std::uint64_t line) {
  // Old Mac exports end lines with a lone CR; the reader counts lines by it.
  const char eol = input.find('\n') == std::string_view::npos ? '\r' : '\n';
  std::size_t start = 0;
  for (std::uint64_t l = 1; l < line; ++l) {
    const void* hit = std::memchr(input.data() + start, eol, input.size() - start);
    if (hit == nullptr) return std::nullopt;
    start = static_cast<std::size_t>(static_cast<const char*>(hit) - input.data()) + 1;
  }
  const std::string_view header = chomp_cr(input.substr(0, record_end(input, 0, eol)));
  const std::string_view record = chomp_cr(input.substr(start, record_end(input, start, eol) - start));
  try {
    CsvTable csv = read_csv_table(fmt::format("{}\n{}\n", header, record), stats.source);
    if (csv.rows.size() != 1 || csv.header.size() != stats.headers.size()) return std::nullopt;
    return std::move(csv.rows.front());
  } catch (const Error&) {
    // Only an aid to an explanation: the caller says the record could not be re-read.
    return std::nullopt;
  }
}

RawScores raw_scores(std::string_view input, const ReadStats& stats, std::uint64_t line) {
  RawScores raw;
  const auto fields = reread_fields(input, stats, line);
  if (!fields || fields->size() != stats.headers.size()) return raw;
  raw.fit = field_of(*fields, stats, Column::kFit);
  raw.intent = field_of(*fields, stats, Column::kIntent);
  raw.engagement = field_of(*fields, stats, Column::kEngagement);
  raw.found = true;
  return raw;
}

std::string ordinal(std::uint64_t n) {
  const std::uint64_t tens = n % 100, units = n % 10;
  std::string_view suffix = "th";
  if (tens < 11 || tens > 13) {
    if (units == 1) suffix = "st";
    if (units == 2) suffix = "nd";
    if (units == 3) suffix = "rd";
  }
  return fmt::format("{}{}", n, suffix);
}

}  // namespace abmtier
