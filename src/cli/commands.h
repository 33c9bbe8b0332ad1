// One options struct + setup + run per subcommand (CLI11's subcommand
// pattern). Internal to the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "abmtier/cli.h"
#include "abmtier/pipeline.h"
#include "abmtier/writer.h"

namespace abmtier::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  int verbose = 0;
  bool quiet = false;
  std::string log_file;
  unsigned threads = 0;  ///< 0 = one per core
};

struct RunOptions {
  std::string input;
  std::string config_path;
  std::vector<std::string> sets;
  std::string output = "-";
  std::string format;
  std::string summary_path;
  std::string summary_format = "json";  ///< --summary-format: json, text or markdown
  std::string report_path;
  std::string state_dir;
  std::vector<std::string> fail_on_alert;
  bool output_given = false;
  std::string previous_path;
  std::string overrides_path;
  std::string rejects_path;
  std::string on_error = "fail";
  std::optional<std::uint64_t> max_rejects;
  bool refresh = false;
  std::optional<std::int64_t> reps;
  std::vector<std::string> keep;
  bool raw = false;
  std::string delimiter;
  std::string as_of;
};

/// How the assignments are written for this config and input.
/// --as-of as a day (today, UTC, when empty). A usage error for anything
/// but YYYY-MM-DD.
std::int32_t as_of_date(const std::string& as_of);

/// What every command reads: the export ("-" = standard input; a regular
/// file is mapped), and the previous run and the overrides when given.
PipelineInputs load_inputs(const std::string& input, const std::string& previous_path,
                           const std::string& overrides_path, const std::string& as_of, const Streams& streams);

WriteOptions assignment_options(const Config& config, const PipelineResult& result);

/// Registers `run` on the app; the returned options are filled by parsing.
void setup_run(CLI::App& app, RunOptions& options);
/// Runs the whole pipeline and writes the outputs. Throws Error.
int run_run(const RunOptions& options, const GlobalOptions& global, const Streams& streams);

/// Options shared by whatif, sweep and explain: the export, the base config
/// and the side inputs of a run (setup in scenario.cpp).
struct StudyOptions {
  std::string input;
  std::string config_path;
  std::vector<std::string> sets;  ///< whatif: the scenario's; sweep, explain: every run's
  std::string previous_path;
  std::string overrides_path;
  bool refresh = false;
  std::string as_of;
  std::string on_error = "fail";
  std::optional<std::uint64_t> max_rejects;
  std::string rejects_path;
};

struct WhatifOptions {
  StudyOptions study;
  std::string scenario_path;  ///< --scenario: a config merged over the base
  std::string moves_path;     ///< -o: the moves as CSV
};
void setup_whatif(CLI::App& app, WhatifOptions& options);
/// Tiers the baseline and the scenario and prints the difference. Throws Error.
int run_whatif(const WhatifOptions& options, const Streams& streams);

struct SweepOptions {
  StudyOptions study;
  std::vector<std::string> vary;  ///< KEY=FROM:TO[:STEP], one or two
  std::string format = "text";    ///< text, csv, json
  std::string output = "-";
};
void setup_sweep(CLI::App& app, SweepOptions& options);
/// Tiers the input once per value of the varied keys and prints a table. Throws Error.
int run_sweep(const SweepOptions& options, const Streams& streams);

struct ExplainOptions {
  StudyOptions study;
  std::vector<std::string> ids;
  std::optional<std::int64_t> reps;
};
void setup_explain(CLI::App& app, ExplainOptions& options);
/// Explains the tier of each account named. Throws Error.
int run_explain(const ExplainOptions& options, const Streams& streams);

struct InitOptions {
  std::string output = "-";
};
void setup_init(CLI::App& app, InitOptions& options);
int run_init(const InitOptions& options, const Streams& streams);

}  // namespace abmtier::cli
