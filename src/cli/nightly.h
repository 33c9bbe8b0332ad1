// `run --state DIR`: the nightly mode. Takes the state folder's lock, reads
// the previous run from it, and after a successful run appends the tier
// changes to the history and replaces latest.csv.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "abmtier/config.h"
#include "abmtier/pipeline.h"
#include "abmtier/state.h"

namespace abmtier::cli {

class NightlyState {
 public:
  /// Locks `dir` (Error kLocked at once when another run holds it) and
  /// reads its baseline for a run dated `as_of`.
  NightlyState(const std::string& dir, std::int32_t as_of);

  const StateBaseline& baseline() const { return baseline_; }

  /// Records a finished run: history rows, latest.csv, runs/AS_OF.json.
  void commit(const Config& config, const PipelineResult& result);

 private:
  std::string dir_;
  std::int32_t as_of_;
  StateLock lock_;
  StateBaseline baseline_;
};

}  // namespace abmtier::cli
