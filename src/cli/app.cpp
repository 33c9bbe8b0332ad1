// cli_main: parses the command line, sets up logging, runs the subcommand,
// and turns every failure into an exit code in exactly one place.
#include <algorithm>
#include <exception>
#include <vector>

#include <fmt/format.h>
#include <iostream>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "abmtier/error.h"
#include "abmtier/parallel.h"
#include "commands.h"

namespace abmtier {
namespace {

// Logs go to standard error (stdout carries data only) and, with
// --log-file, are appended to that file with a timestamp (info and up, even
// under --quiet, so a cron job keeps a record of every night).
void setup_logging(const cli::GlobalOptions& global, std::ostream& err) {
  spdlog::drop("abmtier-file");  // from an earlier in-process run
  spdlog::level::level_enum level = spdlog::level::info;
  if (global.quiet) level = spdlog::level::warn;
  if (global.verbose == 1) level = spdlog::level::debug;
  if (global.verbose >= 2) level = spdlog::level::trace;
  auto console = std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true);
  console->set_pattern("%l: %v");
  console->set_level(level);
  std::vector<spdlog::sink_ptr> sinks{console};
  if (!global.log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(global.log_file, false);
      file->set_pattern("%Y-%m-%dT%H:%M:%S%z %l: %v");
      file->set_level(std::min(level, spdlog::level::info));
      sinks.push_back(file);
      // A logger with only the file, for lines the terminal already shows
      // in another form (the summary table).
      spdlog::register_logger(std::make_shared<spdlog::logger>("abmtier-file", file));
    } catch (const spdlog::spdlog_ex& e) {
      throw Error(ExitCode::kUsage, fmt::format("--log-file {}: {}", global.log_file, e.what()));
    }
  }
  auto logger = std::make_shared<spdlog::logger>("abmtier", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug etc. wins
}

}  // namespace

int cli_main(const std::vector<std::string>& args, const Streams& streams) {
  CLI::App app{"abmtier: tier B2B accounts for account-based marketing.\n"
               "Reads a CRM export with fit and intent scores, builds composite scores, crosses fit and "
               "intent in a tier matrix, caps each tier by rep capacity (overflow goes to a waitlist), "
               "keeps tiers stable between runs, and writes tier assignments and a summary.",
               "abmtier"};
  app.set_version_flag("--version", std::string("abmtier 0.1.0"));
  app.require_subcommand(1);
  app.fallthrough();
  cli::GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbose, "More detail on stderr (-vv for trace)");
  app.add_flag("-q,--quiet", global.quiet, "Only warnings and errors on stderr (for cron)");
  app.add_option("--log-file", global.log_file, "Also append the log, with timestamps, to FILE");
  app.add_option("--threads", global.threads,
                 "Threads to use (default 0: one per core); the output is the same for any number")
      ->check(CLI::Range(0u, 256u));
  cli::RunOptions run;
  cli::InitOptions init;
  cli::setup_run(app, run);
  cli::setup_init(app, init);
  cli::WhatifOptions whatif;
  cli::SweepOptions sweep;
  cli::ExplainOptions explain;
  cli::setup_whatif(app, whatif);
  cli::setup_sweep(app, sweep);
  cli::setup_explain(app, explain);

  std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    streams.out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    streams.out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    streams.out << "abmtier 0.1.0\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    streams.err << "error: " << e.what() << "\nRun 'abmtier --help' or 'abmtier run --help' for usage.\n";
    return static_cast<int>(ExitCode::kUsage);
  }

  set_thread_count(global.threads);
  try {
    setup_logging(global, streams.err);
  } catch (const Error& e) {
    streams.err << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
  try {
    if (app.got_subcommand("init")) return cli::run_init(init, streams);
    if (app.got_subcommand("whatif")) return cli::run_whatif(whatif, streams);
    if (app.got_subcommand("sweep")) return cli::run_sweep(sweep, streams);
    if (app.got_subcommand("explain")) return cli::run_explain(explain, streams);
    return cli::run_run(run, global, streams);
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    spdlog::error("out of memory");
    return static_cast<int>(ExitCode::kRuntime);
  } catch (const std::exception& e) {
    spdlog::error("unexpected failure: {}", e.what());
    return static_cast<int>(ExitCode::kRuntime);
  }
}

}  // namespace abmtier
