// `abmtier explain`: the whole tier decision of the accounts named, in plain
// words, from one ordinary run of the pipeline.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/error.h"
#include "abmtier/explain.h"
#include "rejects.h"
#include "scenario.h"

namespace abmtier::cli {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string previous_source(const StudyOptions& o, const ReadStats& stats) {
  if (!o.previous_path.empty()) return "--previous " + o.previous_path;
  const int column = stats.column_index[static_cast<std::size_t>(Column::kPreviousTier)];
  if (column < 0) return {};
  return fmt::format("the input's \"{}\" column", stats.headers[static_cast<std::size_t>(column)]);
}

// The rejected row whose id field is `id`, if any: the id is re-read from
// the record, since rejected rows keep only their raw bytes.
const RejectedRow* rejected_row(const PipelineResult& result, const PipelineInputs& inputs,
                                const std::string& id) {
  const ReadStats& stats = result.read.stats;
  const int column = stats.column_index[static_cast<std::size_t>(Column::kId)];
  if (column < 0) return nullptr;
  for (const RejectedRow& row : result.read.rejects) {
    if (row.raw.find(id) == std::string::npos) continue;
    const std::optional<std::vector<std::string>> fields = reread_fields(inputs.input, stats, row.line);
    if (fields && static_cast<std::size_t>(column) < fields->size() &&
        (*fields)[static_cast<std::size_t>(column)] == id)
      return &row;
  }
  return nullptr;
}

ExplainContext context_for(const StudyOptions& o, const PipelineInputs& inputs, const PipelineResult& result,
                           std::size_t row) {
  const AccountTable& table = result.read.table;
  ExplainContext context;
  context.refresh = o.refresh;
  context.previous_source = previous_source(o, result.read.stats);
  context.has_engagement = result.read.stats.has(Column::kEngagement);
  context.raw = raw_scores(inputs.input, result.read.stats, table.line[row]);
  for (const Override& pin : result.expired_pins)
    if (pin.id == table.id_of(row)) context.expired_pin = pin;
  return context;
}

}  // namespace

void setup_explain(CLI::App& app, ExplainOptions& o) {
  CLI::App* cmd = app.add_subcommand("explain", "Explain the tier of one or more accounts in full");
  add_study_options(*cmd, o.study, "Override a config key, e.g. --set capacity.reps=6 (repeatable)");
  cmd->add_option("ids", o.ids, "Account ids to explain (as in the export's id column)")->required();
  cmd->add_option("--reps", o.reps, "Number of reps (wins over capacity.reps and the owner count)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
  cmd->footer("Examples:\n"
              "  abmtier explain accounts.csv -c abmtier.json ACC-1049 ACC-1016\n"
              "Exit codes: 0 all explained, 2 an id is not in the export, 3 an id's row was rejected.");
}

int run_explain(const ExplainOptions& o, const Streams& streams) {
  const BaseConfig base = load_base(o.study.config_path);
  const Config config = config_with(base, o.study.sets);
  const PipelineInputs inputs = study_inputs(o.study, streams, o.reps);
  std::optional<ReadResult> read = read_checked(o.study, inputs, config);
  if (!read) return static_cast<int>(ExitCode::kData);
  if (!o.study.rejects_path.empty()) write_rejects_file(o.study.rejects_path, *read);
  const PipelineResult result = tier_accounts(std::move(*read), inputs, config);
  for (const std::string& w : result.warnings) spdlog::warn("{}", w);

  const AccountTable& table = result.read.table;
  std::unordered_map<std::string, std::size_t> wanted;
  for (const std::string& id : o.ids) wanted.emplace(trimmed(id), table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    if (auto it = wanted.find(std::string(table.id_of(i))); it != wanted.end()) it->second = i;

  ExitCode code = ExitCode::kOk;
  std::string text;
  for (const std::string& given : o.ids) {
    const std::string id = trimmed(given);
    const std::size_t row = wanted.at(id);
    if (!text.empty()) text += '\n';
    if (row < table.size()) {
      text += explain_account(table, row, config, result.capacity, context_for(o.study, inputs, result, row));
    } else if (const RejectedRow* rejected = rejected_row(result, inputs, id)) {
      text += fmt::format("{}: not tiered; its row was rejected: {}\n", id, describe_reject(*rejected));
      if (code == ExitCode::kOk) code = ExitCode::kData;
    } else {
      text += fmt::format("{}: no account with this id in {} (ids are matched exactly, case included)\n", id,
                          inputs.input_name);
      spdlog::error("no account with id {} in {}; check the id against the export's id column", id,
                    inputs.input_name);
      code = ExitCode::kUsage;
    }
  }
  streams.out << text;
  streams.out.flush();
  if (!streams.out) throw Error(ExitCode::kRuntime, "cannot write the explanation to standard output");
  return static_cast<int>(code);
}

}  // namespace abmtier::cli
