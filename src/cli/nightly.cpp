#include "nightly.h"

#include <sstream>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "abmtier/writer.h"
#include "commands.h"

namespace abmtier::cli {
namespace {

// Pins that were in force at the last run and have lapsed since: their
// accounts get a `pin-expired` row in the history.
std::unordered_set<std::string> lapsed_since_last_run(const PipelineResult& result,
                                                      const StateBaseline& baseline) {
  std::unordered_set<std::string> ids;
  if (!baseline.last_as_of) return ids;
  for (const Override& pin : result.expired_pins)
    if (pin.expires && *pin.expires >= *baseline.last_as_of) ids.insert(pin.id);
  return ids;
}

}  // namespace

NightlyState::NightlyState(const std::string& dir, std::int32_t as_of)
    : dir_(dir), as_of_(as_of), lock_(dir), baseline_(load_state(dir, as_of)) {
  if (baseline_.rerun)
    spdlog::info("{} was already run for this date; re-running it from the same baseline", dir);
}

void NightlyState::commit(const Config& config, const PipelineResult& result) {
  WriteOptions write = assignment_options(config, result);
  write.format = OutputFormat::kCsv;  // latest.csv is what the next night reads back
  std::ostringstream latest;
  write_assignments(result.read.table, config, result.capacity, write, latest);
  const auto events =
      diff_for_history(baseline_.latest, baseline_.dropped_ids, result.read.table,
                       lapsed_since_last_run(result, baseline_), config, result.capacity);
  append_history(dir_, as_of_, events);
  commit_state(dir_, as_of_, baseline_, latest.str(), summary_json(result.summary));
  spdlog::debug("state {}: {} history row(s) appended", dir_, events.size());
}

}  // namespace abmtier::cli
