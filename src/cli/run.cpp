// `abmtier run`: the whole pipeline from a CRM export to tier assignments.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "abmtier/config.h"
#include "abmtier/dates.h"
#include "abmtier/error.h"
#include "abmtier/pipeline.h"
#include "abmtier/reader.h"
#include "abmtier/report.h"
#include "abmtier/writer.h"
#include "commands.h"
#include "nightly.h"
#include "progress_line.h"
#include "rejects.h"

namespace abmtier::cli {
namespace {

// The config file (or the defaults), then --set, then the flags that shadow
// config keys: a flag always wins. Flags become --set entries so they go
// through the config's own parsing and validation.
Config effective_config(const RunOptions& o) {
  std::vector<std::string> sets = o.sets;
  if (!o.format.empty()) sets.push_back("output.format=" + o.format);
  if (!o.keep.empty()) sets.push_back("output.keep=" + nlohmann::json(o.keep).dump());
  if (o.raw) sets.push_back("output.raw=true");
  if (!o.delimiter.empty()) sets.push_back("input.delimiter=" + nlohmann::json(o.delimiter).dump());
  return o.config_path.empty() ? parse_config("{}", "built-in defaults", sets)
                               : load_config(o.config_path, sets);
}

PipelineInputs gather_inputs(const RunOptions& o, const Streams& streams) {
  const auto start = std::chrono::steady_clock::now();
  PipelineInputs inputs = load_inputs(o.input, o.previous_path, o.overrides_path, o.as_of, streams);
  spdlog::debug("load inputs: {:.3f} s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  inputs.reps_flag = o.reps;
  inputs.refresh = o.refresh;
  return inputs;
}

void write_outputs(const RunOptions& o, const Config& config, const PipelineResult& result,
                   const Streams& streams) {
  const WriteOptions write = assignment_options(config, result);
  if (o.output.empty()) {
    // With --state and no -o, latest.csv in the state folder is the output.
  } else if (o.output == "-") {
    write_assignments(result.read.table, config, result.capacity, write, streams.out);
    streams.out.flush();
    if (!streams.out) throw Error(ExitCode::kRuntime, "cannot write the assignments to standard output");
  } else {
    const auto start = std::chrono::steady_clock::now();
    AtomicFile file(o.output);
    write_assignments(result.read.table, config, result.capacity, write, file.stream());
    const auto written = std::chrono::steady_clock::now();
    file.commit();
    spdlog::debug("write: {:.3f} s, commit (fsync and rename): {:.3f} s",
                  std::chrono::duration<double>(written - start).count(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count());
  }
  if (!o.summary_path.empty()) {
    const Summary& s = result.summary;
    write_file_atomically(o.summary_path, o.summary_format == "text"       ? summary_text(s)
                                          : o.summary_format == "markdown" ? summary_markdown(s)
                                                                           : summary_json(s));
  }
  if (!o.report_path.empty())
    write_file_atomically(o.report_path, render_report(result.read.table, result.summary, config,
                                                       result.capacity));
  if (!o.rejects_path.empty()) write_rejects_file(o.rejects_path, result.read);
}

}  // namespace

std::int32_t as_of_date(const std::string& as_of) {
  if (as_of.empty()) return today_utc();
  if (auto day = parse_date(as_of); day && as_of.size() == 10) return *day;
  throw Error(ExitCode::kUsage, fmt::format("--as-of '{}' is not a date; use YYYY-MM-DD", as_of));
}

PipelineInputs load_inputs(const std::string& input, const std::string& previous_path,
                           const std::string& overrides_path, const std::string& as_of, const Streams& streams) {
  PipelineInputs inputs;
  inputs.as_of = as_of_date(as_of);
  inputs.input_name = input == "-" ? "stdin" : input;
  inputs.input = input == "-" ? InputBytes(std::string(std::istreambuf_iterator<char>(streams.in), {}))
                              : load_input(input);
  if (!previous_path.empty()) inputs.previous = parse_previous(read_input(previous_path), previous_path);
  if (!overrides_path.empty()) inputs.overrides = parse_overrides(read_input(overrides_path), overrides_path);
  return inputs;
}

WriteOptions assignment_options(const Config& config, const PipelineResult& result) {
  WriteOptions write;
  write.format = config.format;
  write.raw = config.raw;
  write.keep_names = config.keep;
  write.has_engagement = result.read.stats.has(Column::kEngagement);
  return write;
}

namespace {

// Alerts named in --fail-on-alert ("any" = every alert) that were raised.
std::vector<std::string> failing_alerts(const RunOptions& o, const Summary& summary) {
  std::vector<std::string> hits;
  for (const Alert& alert : summary.alerts) {
    const bool named = std::find(o.fail_on_alert.begin(), o.fail_on_alert.end(), alert.code) !=
                       o.fail_on_alert.end();
    const bool any = std::find(o.fail_on_alert.begin(), o.fail_on_alert.end(), "any") !=
                     o.fail_on_alert.end();
    if (named || any) hits.push_back(alert.code);
  }
  return hits;
}

void check_alert_names(const RunOptions& o) {
  for (const std::string& code : o.fail_on_alert) {
    const auto& known = alert_codes();
    if (code == "any" || std::find(known.begin(), known.end(), code) != known.end()) continue;
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw Error(ExitCode::kUsage,
                fmt::format("--fail-on-alert: unknown alert code '{}'; the codes are {}, or any", code, list));
  }
}

}  // namespace

void setup_run(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Tier the accounts of a CRM export");
  run->add_option("input", o.input, "CRM export (CSV/TSV; - for standard input)")->required();
  run->add_option("-c,--config", o.config_path, "Config file (JSON; see `abmtier init`)");
  // Each list option takes exactly one value per use (repeat the flag or use
  // commas), so `--set k=v INPUT` never swallows the input path.
  run->add_option("--set", o.sets, "Override a config key, e.g. --set capacity.reps=6 (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  run->add_option("-o,--output", o.output,
                  "Assignments file (default: - for standard output; with --state: none)")
      ->each([&o](const std::string&) { o.output_given = true; });
  run->add_option("--format", o.format, "Assignments format (default csv; config output.format)")
      ->check(CLI::IsMember({"csv", "tsv", "json", "jsonl"}));
  CLI::Option* summary =
      run->add_option("--summary", o.summary_path, "Write the summary to FILE (JSON unless --summary-format)");
  run->add_option("--summary-format", o.summary_format,
                  "Format of the --summary file: json (default), text (for chat) or markdown")
      ->check(CLI::IsMember({"json", "text", "markdown"}))
      ->needs(summary);
  run->add_option("--state", o.state_dir,
                  "Nightly state folder: previous run, tier-change history, per-night summaries");
  run->add_option("--fail-on-alert", o.fail_on_alert,
                  "Exit 4 when one of these alerts is raised (comma-separated codes, or any)")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  run->add_option("--report", o.report_path, "Write a self-contained HTML report to FILE");
  run->add_option("--previous", o.previous_path, "An earlier output of abmtier: previous tiers by id");
  run->add_option("--overrides", o.overrides_path, "CSV with id,tier,reason: pinned tiers");
  run->add_flag("--refresh", o.refresh, "Quarterly re-score: ignore previous tiers for hysteresis and incumbency");
  run->add_option("--reps", o.reps, "Number of reps (wins over capacity.reps and the owner count)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
  run->add_option("--keep", o.keep, "Input columns to copy to the output, e.g. --keep Industry,Region")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  run->add_flag("--raw", o.raw, "Do not neutralise formula-like text (= + - @) in CSV/TSV");
  run->add_option("--delimiter", o.delimiter, "Input delimiter: , ; tab | or auto (default)")
      ->check(CLI::IsMember({",", ";", "tab", "\t", "|", "auto"}));
  run->add_option("--as-of", o.as_of, "Date of the run, YYYY-MM-DD (default: today, UTC)");
  run->add_option("--on-error", o.on_error,
                  "Bad rows: fail (default: exit 3, write nothing) or skip (tier the rest)")
      ->check(CLI::IsMember({"fail", "skip"}));
  run->add_option("--rejects", o.rejects_path, "With --on-error skip: write rejected rows to FILE");
  run->add_option("--max-rejects", o.max_rejects, "With --on-error skip: fail past N rejected rows");
  run->footer(
      "Examples:\n"
      "  abmtier run accounts.csv -c abmtier.json -o tiers.csv --summary summary.json\n"
      "  abmtier run export.csv --reps 6 --previous last-night.csv --on-error skip --rejects bad.csv\n"
      "Exit codes: 0 ok, 1 I/O failure, 2 usage or config error, 3 bad input rows, 4 alert, 75 locked.");
}

int run_run(const RunOptions& options, const GlobalOptions& global, const Streams& streams) {
  RunOptions o = options;
  if (!o.state_dir.empty() && !o.previous_path.empty())
    throw Error(ExitCode::kUsage, "--state reads the previous run from the state folder; drop --previous");
  if (!o.state_dir.empty() && !o.output_given) o.output.clear();
  check_alert_names(o);
  const Config config = effective_config(o);
  std::optional<NightlyState> nightly;
  if (!o.state_dir.empty()) nightly.emplace(o.state_dir, as_of_date(o.as_of));  // locks first
  // The progress line shows on a terminal only, and never next to log lines
  // (--quiet, -v); it is erased before anything else is printed.
  const bool show_progress = &streams.err == &std::cerr && stderr_is_terminal() && !global.quiet &&
                             global.verbose == 0;
  const auto started = std::chrono::steady_clock::now();
  const auto still_to_wait = [&] {
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::max(std::chrono::milliseconds(0), std::chrono::milliseconds(1000) - waited);
  };
  ProgressLine reading(streams.err, show_progress);
  PipelineInputs inputs = gather_inputs(o, streams);
  inputs.keep_lines = false;  // nothing a run writes names an input line of an accepted row
  inputs.tier_again = false;
  if (nightly) inputs.previous = nightly->baseline().previous;
  const PipelineResult result = run_pipeline(inputs, config);
  reading.stop();
  for (const std::string& warning : result.warnings) spdlog::warn("{}", warning);
  if (!check_rejects(o, result.read)) return static_cast<int>(ExitCode::kData);
  {
    ProgressLine writing(streams.err, show_progress, still_to_wait());
    write_outputs(o, config, result, streams);
  }
  if (nightly) nightly->commit(config, result);
  if (auto file_log = spdlog::get("abmtier-file")) {
    const Summary& s = result.summary;
    file_log->info("{}: {} rows read, {} accepted, {} rejected; tiers 1/2/3/watchlist/outside: "
                   "{}/{}/{}/{}/{}; {} alert(s)",
                   s.source, s.rows_read, s.accepted, s.rejected, s.tiers[0].count, s.tiers[1].count,
                   s.tiers[2].count, s.tiers[3].count, s.tiers[4].count, s.alerts.size());
  }
  // The table lists the alerts; under --quiet they still come out as warnings.
  if (!global.quiet)
    write_summary_table(result.summary, streams.err);
  else
    for (const Alert& alert : result.summary.alerts) spdlog::warn("alert {}: {}", alert.code, alert.message);
  if (const auto hits = failing_alerts(o, result.summary); !hits.empty()) {
    spdlog::error("alert(s) named in --fail-on-alert raised: {} (the outputs were written)",
                  fmt::join(hits, ", "));
    return static_cast<int>(ExitCode::kAlert);
  }
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace abmtier::cli
