// What whatif, sweep and explain share: their common options, the base
// config kept as a document so scenarios can be laid over it, and reading
// the export once for many tierings. Internal to the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "abmtier/config.h"
#include "abmtier/pipeline.h"
#include "commands.h"

namespace abmtier::cli {

/// Registers the StudyOptions on a subcommand (INPUT, -c, --set, --previous,
/// --overrides, --refresh, --as-of, --on-error, --max-rejects, --rejects).
/// `set_help` says what --set applies to for that command.
void add_study_options(CLI::App& command, StudyOptions& options, const std::string& set_help);

/// The base config: its source name and JSON text ("{}" for the defaults).
struct BaseConfig {
  std::string source;  ///< the path, or "built-in defaults"
  std::string text;
  bool from_file = false;
};

/// Reads and validates the -c file (or takes the defaults). Throws
/// Error(kUsage) as load_config does.
BaseConfig load_base(const std::string& path);

/// The base config with `sets` applied (--set KEY=VALUE, validated by the
/// config module). Throws Error(kUsage).
Config config_with(const BaseConfig& base, const std::vector<std::string>& sets);

/// The base config with the `scenario_path` document merged over it (objects
/// key by key, any other value replaces the base's, null included so it
/// unsets), then `sets`. An empty path is config_with. Throws Error(kUsage)
/// for an unreadable or invalid scenario file, naming it.
Config scenario_config(const BaseConfig& base, const std::string& scenario_path,
                       const std::vector<std::string>& sets);

/// True when two configs read an export the same way (columns, scores,
/// input.delimiter, output.keep, coverage.date_format, and whether the
/// engagement column is required by a positive weight), so one read serves
/// both.
bool reads_alike(const Config& a, const Config& b);

/// Reads the export and the side files named in the options; `reps` is the
/// --reps flag when the command has one.
PipelineInputs study_inputs(const StudyOptions& options, const Streams& streams,
                            std::optional<std::int64_t> reps = std::nullopt);

/// Reads the export with `config`, reports rejected rows and applies
/// --on-error / --max-rejects (writing --rejects when given). nullopt means
/// the command must stop with exit 3 (the reasons are already logged).
std::optional<ReadResult> read_checked(const StudyOptions& options, const PipelineInputs& inputs,
                                       const Config& config);

/// "scenario.json + --set capacity.reps=6" for headings; "" when neither.
std::string change_words(const std::string& scenario_path, const std::vector<std::string>& sets);

/// Counts UTF-8 characters (not bytes) so names line up in text tables.
std::size_t display_width(std::string_view text);

/// `text` padded with spaces to `width` characters (never cut).
std::string pad_right(std::string_view text, std::size_t width);

/// One CSV field for an analyst's spreadsheet: formula-like text
/// neutralised, quoted when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view text);

}  // namespace abmtier::cli
