#include "abmtier/pipeline.h"

#include <chrono>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <sys/resource.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/capacity.h"
#include "abmtier/dates.h"
#include "abmtier/hysteresis.h"
#include "abmtier/matrix.h"
#include "abmtier/progress.h"
#include "abmtier/scoring.h"

namespace abmtier {
namespace {

using IdIndex = std::unordered_map<std::string_view, std::uint32_t>;

// Logs how long each stage took (at debug level: `-vv`), so a slow run
// shows where its time goes.
class StageClock {
 public:
  void lap(std::string_view stage) {
    const auto now = std::chrono::steady_clock::now();
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    spdlog::debug("{}: {:.3f} s (peak memory so far {} MB)", stage, std::chrono::duration<double>(now - last_).count(),
                  usage.ru_maxrss / 1024);
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

IdIndex index_ids(const AccountTable& table) {
  IdIndex index;
  index.reserve(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    index.emplace(table.id_of(i), static_cast<std::uint32_t>(i));
  return index;
}

// Previous tiers: the --previous file when given (the only source then),
// else the input's previous_tier column (moved when the table is not tiered
// again). Returns the number of dropped ids.
std::uint64_t join_previous(AccountTable& table, const std::optional<PreviousRun>& previous,
                            const IdIndex& index, bool tier_again) {
  if (!previous) {
    if (tier_again) {
      table.previous_tier = table.input_previous_tier;
    } else {
      table.previous_tier = std::move(table.input_previous_tier);
      table.input_previous_tier.clear();
    }
    return 0;
  }
  table.previous_tier.assign(table.size(), Tier::kNone);
  std::uint64_t dropped = 0;
  for (const std::string& id : previous->ids) {
    const auto it = index.find(id);
    if (it == index.end()) {
      ++dropped;
      continue;
    }
    table.previous_tier[it->second] = previous->tier_by_id.at(id);
  }
  return dropped;
}

std::uint64_t join_overrides(AccountTable& table, const PipelineInputs& inputs, const IdIndex& index,
                             PipelineResult& result) {
  const std::vector<Override>& overrides = inputs.overrides;
  std::vector<std::string>& warnings = result.warnings;
  table.pinned.assign(table.size(), Tier::kNone);
  // Reasons are only looked up for pinned rows: none without overrides.
  table.pin_reason.assign(overrides.empty() ? 0 : table.size(), 0);
  table.pin_reasons.clear();
  std::uint64_t unmatched = 0;
  for (const Override& o : overrides) {
    const auto it = index.find(o.id);
    if (it == index.end()) {
      if (++unmatched <= 5)
        warnings.push_back(fmt::format("override for id {} (line {}) matches no account in the export",
                                       o.id, o.line));
      continue;
    }
    if (o.expires && *o.expires < inputs.as_of) {
      warnings.push_back(fmt::format("the pin of id {} to {} expired on {} and no longer applies",
                                     o.id, tier_name(o.tier), format_iso_date(*o.expires)));
      result.expired_pins.push_back(o);
      continue;
    }
    table.pinned[it->second] = o.tier;
    table.pin_reason[it->second] = static_cast<std::uint32_t>(table.pin_reasons.size());
    table.pin_reasons.push_back(o.reason);
  }
  return unmatched;
}

void read_warnings(const ReadResult& read, std::vector<std::string>& warnings) {
  const ReadStats& s = read.stats;
  if (s.rows_read == 0)
    warnings.push_back(fmt::format("{} has a header but no accounts: nothing to tier", s.source));
  if (s.first_invalid_utf8_line != 0)
    warnings.push_back(fmt::format(
        "{} has bytes that are not valid UTF-8 (first on line {}); they are passed through to CSV/TSV "
        "unchanged. Re-save the export as UTF-8 if names look garbled",
        s.source, s.first_invalid_utf8_line));
  if (s.bad_previous_tier != 0)
    warnings.push_back(fmt::format(
        "{} previous-tier value(s) could not be read (first on line {}) and count as no previous tier; "
        "use 1, 2, 3, T1, Tier 1, watchlist or outside",
        s.bad_previous_tier, s.first_bad_previous_tier_line));
  if (s.bad_last_touch + s.bad_pipeline + s.bad_roles != 0)
    warnings.push_back(fmt::format(
        "unreadable metric values are left out of the metrics: last_touch {}, pipeline {}, roles {}",
        s.bad_last_touch, s.bad_pipeline, s.bad_roles));
}

}  // namespace

PipelineResult run_pipeline(const PipelineInputs& inputs, const Config& config) {
  return tier_accounts(read_for(inputs, config), inputs, config);
}

ReadResult read_for(const PipelineInputs& inputs, const Config& config) {
  StageClock clock;
  ReadResult read = read_accounts(inputs.input, inputs.input_name, config);
  clock.lap("read");
  return read;
}

PipelineResult tier_accounts(ReadResult read, const PipelineInputs& inputs, const Config& config) {
  PipelineResult result;
  result.read = std::move(read);
  AccountTable& table = result.read.table;
  read_warnings(result.read, result.warnings);

  StageClock clock;
  progress().begin(Stage::kTiering, 0);
  // From here on the rows are in ranking order: the gate and the writer
  // then read the table front to back. The lines are only kept when asked
  // for; the matrix columns are filled once the rows are in order. The
  // composite is never stored: each stage computes it from the scores.
  if (!inputs.keep_lines) std::vector<std::uint64_t>().swap(table.line);
  score_accounts(table, config);
  {
    const std::vector<std::uint32_t> order = ranking_order(table);
    clock.lap("ranking order");
    reorder_rows(table, order);
  }
  table.ranked = true;
  clock.lap("ranking");
  apply_matrix(table, config);
  clock.lap("matrix");
  // The id index is only needed to join side files.
  IdIndex index;
  if (inputs.previous || !inputs.overrides.empty()) index = index_ids(table);
  SummaryInputs summary_inputs;
  summary_inputs.as_of = inputs.as_of;
  summary_inputs.refresh = inputs.refresh;
  summary_inputs.has_previous = inputs.previous.has_value() || result.read.stats.has(Column::kPreviousTier);
  summary_inputs.dropped = join_previous(table, inputs.previous, index, inputs.tier_again);
  summary_inputs.overrides_unmatched = join_overrides(table, inputs, index, result);
  summary_inputs.overrides =
      inputs.overrides.size() - summary_inputs.overrides_unmatched - result.expired_pins.size();
  if (inputs.previous && inputs.previous->unreadable_tiers != 0)
    result.warnings.push_back(fmt::format("{} tier value(s) in the previous run could not be read; "
                                          "those accounts count as new",
                                          inputs.previous->unreadable_tiers));

  clock.lap("joins");
  apply_hysteresis(table, config, inputs.refresh);
  clock.lap("hysteresis");
  result.capacity = apply_capacity(table, config, inputs.reps_flag,
                                   result.read.stats.has(Column::kOwner), inputs.refresh);
  clock.lap("capacity");
  result.summary = build_summary(table, result.read.stats, result.capacity, config, summary_inputs);
  clock.lap("summary");
  return result;
}

}  // namespace abmtier
