// Nightly state (--state DIR): the previous run, the tier-change history and
// the per-run summaries, guarded by a lock.
//
//   DIR/latest.csv        the newest assignments (replaced atomically)
//   DIR/baseline.csv      the assignments the newest run started from
//   DIR/state.json        {"as_of": "YYYY-MM-DD"} of the newest run
//   DIR/history.csv       every tier change, appended and fsync'd
//   DIR/runs/AS_OF.json   the summary of each night
//   DIR/.lock             flock'd while a run works
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/side_inputs.h"

namespace abmtier {

/// An exclusive, non-blocking lock on a state folder (flock on DIR/.lock).
/// Throws Error(kLocked) at once when another run holds it; Error(kUsage)
/// when the folder cannot be created or opened.
class StateLock {
 public:
  explicit StateLock(const std::string& dir);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

/// What a run starts from.
struct StateBaseline {
  /// Previous tiers for hysteresis and `change`: baseline.csv on a re-run of
  /// the same night, else latest.csv; empty on the first night.
  std::optional<PreviousRun> previous;
  /// The current latest.csv (what history.csv replays to).
  std::optional<PreviousRun> latest;
  std::optional<std::int32_t> last_as_of;  ///< as_of of the newest run
  bool rerun = false;                      ///< the newest run has the same as_of
  /// Ids whose last history event is `dropped` (they come back as re-added).
  std::unordered_set<std::string> dropped_ids;
};

/// Reads the state for a run dated `as_of`. Throws Error(kUsage) when the
/// newest run is later than `as_of` (the history only moves forward).
StateBaseline load_state(const std::string& dir, std::int32_t as_of);

/// One row of history.csv.
struct HistoryEvent {
  std::string id;
  std::string name;
  Tier from = Tier::kNone;  ///< kNone: not in the programme before
  Tier to = Tier::kNone;    ///< kNone: dropped from the export
  std::string change;       ///< new, promoted, demoted, dropped, re-added, pin-expired
  std::optional<double> composite;
  std::string reason;
};

/// The events that turn `latest` (the tiers history replays to) into the
/// tiers of `table`: new, re-added, promoted, demoted and dropped accounts,
/// and `pin-expired` for accounts whose pin lapsed since the last run.
/// Ordered: the table's output order, then dropped ids in latest's order.
std::vector<HistoryEvent> diff_for_history(const std::optional<PreviousRun>& latest,
                                           const std::unordered_set<std::string>& dropped_ids,
                                           const AccountTable& table,
                                           const std::unordered_set<std::string>& expired_pins,
                                           const Config& config, const CapacityResult& capacity);

/// Appends events to DIR/history.csv (header written once) and fsyncs.
void append_history(const std::string& dir, std::int32_t as_of,
                    const std::vector<HistoryEvent>& events);

/// Replays history.csv from empty: the tier of every id still in the
/// programme after the last event.
std::unordered_map<std::string, Tier> replay_history(std::string_view history_csv);

/// Finishes a run: baseline.csv (on the first run of a night), latest.csv,
/// runs/AS_OF.json and state.json, each replaced atomically.
void commit_state(const std::string& dir, std::int32_t as_of, const StateBaseline& baseline,
                  std::string_view latest_csv, std::string_view summary_json);

}  // namespace abmtier
