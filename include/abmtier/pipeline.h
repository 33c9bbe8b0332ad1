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
  InputBytes input;                         ///< the export's bytes
  std::optional<PreviousRun> previous;      ///< --previous, parsed
  std::vector<Override> overrides;          ///< --overrides, parsed
  std::optional<std::int64_t> reps_flag;    ///< --reps
  bool refresh = false;                     ///< --refresh
  std::int32_t as_of = 0;                   ///< days since 1970-01-01
  /// Keep each account's input line in the table (AccountTable::line) after
  /// reading; `explain` needs it, a plain run frees it early.
  bool keep_lines = true;
  /// The table may be tiered again from the result's `read` (what-if,
  /// sweep): the input's previous_tier column stays. A plain run moves it
  /// into AccountTable::previous_tier instead of copying it.
  bool tier_again = true;
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
/// The same as tier_accounts(read_for(inputs, config), inputs, config).
PipelineResult run_pipeline(const PipelineInputs& inputs, const Config& config);

/// The first stage alone: reads inputs.input with the config's reading keys
/// (columns, scores, input.delimiter, output.keep, coverage.date_format).
/// Throws like read_accounts. What-if and sweep read once and tier many
/// times.
ReadResult read_for(const PipelineInputs& inputs, const Config& config);

/// The stages after reading (scoring, matrix, previous tiers, overrides,
/// hysteresis, capacity, summary) on `read`, which is taken by value: pass
/// a copy to keep the original, or move it in and take it back from the
/// result's `read` to tier the same table again without copying (every
/// stage overwrites its own columns). `config` must read the input the way
/// the config given to read_for did.
PipelineResult tier_accounts(ReadResult read, const PipelineInputs& inputs, const Config& config);

}  // namespace abmtier
