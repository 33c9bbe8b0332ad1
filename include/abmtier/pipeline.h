// The whole tiering pipeline, from input bytes to finished table and summary:
// reader -> scoring -> matrix -> hysteresis -> capacity -> summary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"
#include "abmtier/reader.h"
#include "abmtier/side_inputs.h"
#include "abmtier/summary.h"

namespace abmtier {

/// Everything a run needs besides the config. Paths are read by the caller.
struct PipelineInputs {
  std::string input_name;                   ///< for messages: file name or "stdin"
  std::string input;                        ///< the export's bytes
  std::optional<PreviousRun> previous;      ///< --previous, parsed
  std::vector<Override> overrides;          ///< --overrides, parsed
  std::optional<std::int64_t> reps_flag;    ///< --reps
  bool refresh = false;                     ///< --refresh
  std::int32_t as_of = 0;                   ///< days since 1970-01-01
};

struct PipelineResult {
  ReadResult read;          ///< table (all stage columns filled), rejects, stats
  CapacityResult capacity;
  Summary summary;
  std::vector<std::string> warnings;  ///< one line each, for stderr
  /// Pins not applied because their `expires` date is before as_of, with
  /// the account's id present in the export.
  std::vector<Override> expired_pins;
};

/// Runs every stage. Throws Error for usage and input-format failures;
/// rejected rows are returned, not thrown (the caller applies --on-error).
PipelineResult run_pipeline(const PipelineInputs& inputs, const Config& config);

}  // namespace abmtier
