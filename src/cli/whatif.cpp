// `abmtier whatif`: the baseline and a scenario tiered on the same export
// in one process; the tier mix side by side and every account that moves.
#include <algorithm>
#include <iterator>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/error.h"
#include "abmtier/reason.h"
#include "abmtier/writer.h"
#include "rejects.h"
#include "scenario.h"

namespace abmtier::cli {
namespace {

constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

/// One account whose final tier differs; kNone = not tiered (its row was
/// rejected on that side, when the scenario reads the export differently).
struct Move {
  std::size_t before = kAbsent, after = kAbsent;
  Tier from = Tier::kNone, to = Tier::kNone;
  std::string_view id;
};

std::string tier_label(Tier t) { return t == Tier::kNone ? std::string("rejected") : std::string(tier_name(t)); }

std::vector<Move> find_moves(const AccountTable& a, const AccountTable& b) {
  std::vector<Move> moves;
  std::unordered_map<std::string_view, std::size_t> in_b;
  in_b.reserve(b.size());
  for (std::size_t j = 0; j < b.size(); ++j) in_b.emplace(b.id_of(j), j);
  std::vector<std::uint8_t> matched(b.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto it = in_b.find(a.id_of(i));
    const std::size_t j = it == in_b.end() ? kAbsent : it->second;
    if (j != kAbsent) matched[j] = 1;
    const Tier to = j == kAbsent ? Tier::kNone : b.tier[j];
    if (to != a.tier[i]) moves.push_back({i, j, a.tier[i], to, a.id_of(i)});
  }
  for (std::size_t j = 0; j < b.size(); ++j)
    if (matched[j] == 0) moves.push_back({kAbsent, j, Tier::kNone, b.tier[j], b.id_of(j)});
  // Programme order of the tiers, rejected last; then id, byte order.
  std::sort(moves.begin(), moves.end(), [](const Move& x, const Move& y) {
    if (x.from != y.from) return better(x.from, y.from);
    if (x.to != y.to) return better(x.to, y.to);
    return x.id < y.id;
  });
  return moves;
}

std::string cap_words(const std::optional<std::int64_t>& cap) {
  return cap ? fmt::format("{}", *cap) : std::string("unlimited");
}

// What changed for this account between the two runs, stage by stage: the
// first stage whose output differs is the cause.
std::string cause_of(const Move& m, const PipelineResult& before, const PipelineResult& after) {
  if (m.before == kAbsent) return "rejected in the baseline";
  if (m.after == kAbsent) return "rejected in the scenario";
  const AccountTable& a = before.read.table;
  const AccountTable& b = after.read.table;
  const std::size_t i = m.before, j = m.after;
  if (a.matrix_tier[i] != b.matrix_tier[j]) {
    std::string what;
    if (a.fit_band[i] != b.fit_band[j])
      what = fmt::format("fit {:.2f} now {} (was {})", b.fit[j], band_name(b.fit_band[j]), band_name(a.fit_band[i]));
    if (a.intent_band[i] != b.intent_band[j])
      what += fmt::format("{}intent {:.2f} now {} (was {})", what.empty() ? "" : ", ", b.intent[j],
                          band_name(b.intent_band[j]), band_name(a.intent_band[i]));
    if (what.empty())
      what = fmt::format("cell matrix.{}.{} changed", band_name(b.fit_band[j]), band_name(b.intent_band[j]));
    return fmt::format("matrix tier {} -> {}: {}", tier_name(a.matrix_tier[i]), tier_name(b.matrix_tier[j]), what);
  }
  if (a.eligible_tier[i] != b.eligible_tier[j])
    return fmt::format("hysteresis: eligible tier {} -> {}", tier_name(a.eligible_tier[i]),
                       tier_name(b.eligible_tier[j]));
  // The cap that decides a capacity move is the better tier's: the one the
  // account got into, or was pushed out of.
  const Tier decisive = better(m.from, m.to) ? m.from : m.to;
  if (!is_capped(decisive)) return "capacity: the cascade changed";
  const auto k = static_cast<std::size_t>(decisive);
  std::string what;
  if (before.capacity.caps[k] != after.capacity.caps[k])
    what = fmt::format("tier {} cap {} -> {}", tier_name(decisive), cap_words(before.capacity.caps[k]),
                       cap_words(after.capacity.caps[k]));
  if (a.composite_of(i) != b.composite_of(j))
    what += fmt::format("{}composite {:.2f} -> {:.2f}", what.empty() ? "" : ", ", a.composite_of(i), b.composite_of(j));
  if (what.empty()) what = fmt::format("other accounts took or freed places in tier {}", tier_name(decisive));
  return "capacity: " + what;
}

std::string why_of(const Move& m, const PipelineResult& after, const Config& scenario) {
  if (m.after == kAbsent) return {};
  return reason_for(after.read.table, m.after, scenario, after.capacity);
}

std::string signed_diff(std::int64_t a, std::int64_t b) {
  return b == a ? std::string("0") : fmt::format("{:+}", b - a);
}

void mix_row(fmt::memory_buffer& b, std::string_view label, std::int64_t x, std::int64_t y) {
  fmt::format_to(std::back_inserter(b), "{:<18}{:>11}{:>11}{:>9}\n", label, x, y, signed_diff(x, y));
}

void write_mix(fmt::memory_buffer& b, const Summary& x, const Summary& y) {
  auto it = std::back_inserter(b);
  fmt::format_to(it, "{:<18}{:>11}{:>11}{:>9}\n", "", "baseline", "scenario", "change");
  for (int t = 0; t < kTierCount; ++t) {
    const auto k = static_cast<std::size_t>(t);
    const Tier tier = tier_from_index(t);
    mix_row(b, t < kCappedTiers ? fmt::format("tier {}", tier_name(tier)) : std::string(tier_name(tier)),
            static_cast<std::int64_t>(x.tiers[k].count), static_cast<std::int64_t>(y.tiers[k].count));
  }
  for (std::size_t k = 0; k < kCappedTiers; ++k)
    mix_row(b, fmt::format("waitlist tier {}", k + 1), static_cast<std::int64_t>(x.tiers[k].waitlisted),
            static_cast<std::int64_t>(y.tiers[k].waitlisted));
  for (std::size_t k = 0; k < kCappedTiers; ++k) {
    const auto &cx = x.tiers[k].cap, &cy = y.tiers[k].cap;
    if (cx && cy)
      mix_row(b, fmt::format("cap tier {}", k + 1), *cx, *cy);
    else
      fmt::format_to(it, "{:<18}{:>11}{:>11}{:>9}\n", fmt::format("cap tier {}", k + 1), cap_words(cx),
                     cap_words(cy), cx == cy ? "0" : "");
  }
  if (x.rejected != y.rejected) mix_row(b, "rejected rows", static_cast<std::int64_t>(x.rejected),
                                        static_cast<std::int64_t>(y.rejected));
}

struct MoveText {
  std::string id, name, from_to, why;
};

std::vector<MoveText> describe(const std::vector<Move>& moves, const PipelineResult& before,
                               const PipelineResult& after, const Config& scenario) {
  std::vector<MoveText> rows;
  rows.reserve(moves.size());
  for (const Move& m : moves) {
    const AccountTable& t = m.after != kAbsent ? after.read.table : before.read.table;
    const std::string why = why_of(m, after, scenario);
    rows.push_back({std::string(m.id), std::string(t.name_of(m.after != kAbsent ? m.after : m.before)),
                    tier_label(m.from) + " -> " + tier_label(m.to),
                    cause_of(m, before, after) + (why.empty() ? "" : ". " + why)});
  }
  return rows;
}

void write_moves(fmt::memory_buffer& b, const std::vector<MoveText>& rows) {
  auto it = std::back_inserter(b);
  if (rows.empty()) {
    fmt::format_to(it, "\nNo account changes tier.\n");
    return;
  }
  fmt::format_to(it, "\n{} account{} change{} tier:\n", rows.size(), rows.size() == 1 ? "" : "s",
                 rows.size() == 1 ? "s" : "");
  std::size_t id_w = 2, name_w = 4, move_w = 9;
  for (const MoveText& r : rows) {
    id_w = std::max(id_w, display_width(r.id));
    name_w = std::max(name_w, std::min<std::size_t>(display_width(r.name), 32));
    move_w = std::max(move_w, display_width(r.from_to));
  }
  fmt::format_to(it, "{}  {}  {}  why\n", pad_right("id", id_w), pad_right("name", name_w),
                 pad_right("from -> to", move_w));
  for (const MoveText& r : rows)
    fmt::format_to(it, "{}  {}  {}  {}\n", pad_right(r.id, id_w), pad_right(r.name, name_w),
                   pad_right(r.from_to, move_w), r.why);
}

void write_moves_csv(const std::string& path, const std::vector<Move>& moves, const PipelineResult& before,
                     const PipelineResult& after, const Config& scenario) {
  AtomicFile file(path);
  std::ostream& out = file.stream();
  out << "id,name,owner,from,to,composite_before,composite_after,cause,why\n";
  for (const Move& m : moves) {
    const AccountTable& t = m.after != kAbsent ? after.read.table : before.read.table;
    const std::size_t row = m.after != kAbsent ? m.after : m.before;
    auto composite = [](const PipelineResult& r, std::size_t i) {
      return i == kAbsent ? std::string() : fmt::format("{:.2f}", r.read.table.composite_of(i));
    };
    out << csv_cell(m.id) << ',' << csv_cell(t.name_of(row)) << ',' << csv_cell(t.owner_of(row)) << ','
        << tier_label(m.from) << ',' << tier_label(m.to) << ',' << composite(before, m.before) << ','
        << composite(after, m.after) << ',' << csv_cell(cause_of(m, before, after)) << ','
        << csv_cell(why_of(m, after, scenario)) << '\n';
  }
  file.commit();
}

// Warnings of the scenario's run that the baseline did not already give.
void log_warnings(const PipelineResult& before, const PipelineResult& after) {
  for (const std::string& w : before.warnings) spdlog::warn("{}", w);
  for (const std::string& w : after.warnings)
    if (std::find(before.warnings.begin(), before.warnings.end(), w) == before.warnings.end())
      spdlog::warn("scenario: {}", w);
}

}  // namespace

void setup_whatif(CLI::App& app, WhatifOptions& o) {
  CLI::App* cmd = app.add_subcommand("whatif", "Compare the tiers of a scenario with the baseline's");
  add_study_options(*cmd, o.study,
                    "Scenario change to a config key, e.g. --set capacity.reps=6 (repeatable)");
  cmd->add_option("--scenario", o.scenario_path,
                  "Scenario config: its keys are merged over the base config (then --set applies)");
  cmd->add_option("-o,--output", o.moves_path, "Also write the accounts that change tier to FILE (CSV)");
  cmd->footer("Examples:\n"
              "  abmtier whatif accounts.csv -c abmtier.json --set capacity.reps=6\n"
              "  abmtier whatif accounts.csv -c abmtier.json --scenario q3.json -o moves.csv");
}

int run_whatif(const WhatifOptions& o, const Streams& streams) {
  if (o.scenario_path.empty() && o.study.sets.empty())
    throw Error(ExitCode::kUsage, "whatif needs a change to compare with the baseline: add --set KEY=VALUE "
                                  "(e.g. --set capacity.reps=6) or --scenario FILE");
  const BaseConfig base = load_base(o.study.config_path);
  const Config baseline = config_with(base, {});
  const Config scenario = scenario_config(base, o.scenario_path, o.study.sets);
  const PipelineInputs inputs = study_inputs(o.study, streams);
  std::optional<ReadResult> read = read_checked(o.study, inputs, baseline);
  if (!read) return static_cast<int>(ExitCode::kData);
  const bool same_rows = reads_alike(baseline, scenario);
  // The scenario reuses the baseline's read unless it reads the export
  // differently (columns, scales, maps, delimiter).
  std::optional<ReadResult> scenario_read = same_rows ? read : read_checked(o.study, inputs, scenario);
  if (!scenario_read) return static_cast<int>(ExitCode::kData);
  if (!o.study.rejects_path.empty()) write_rejects_file(o.study.rejects_path, *read);
  const PipelineResult before = tier_accounts(std::move(*read), inputs, baseline);
  const PipelineResult after = tier_accounts(std::move(*scenario_read), inputs, scenario);
  log_warnings(before, after);

  // Each run puts its rows in its own ranking order, so rows are matched
  // by id even when both runs tiered the same read.
  const std::vector<Move> moves = find_moves(before.read.table, after.read.table);
  fmt::memory_buffer b;
  fmt::format_to(std::back_inserter(b), "baseline: {}\nscenario: {} + {}\n\n", base.source, base.source,
                 change_words(o.scenario_path, o.study.sets));
  write_mix(b, before.summary, after.summary);
  write_moves(b, describe(moves, before, after, scenario));
  streams.out.write(b.data(), static_cast<std::streamsize>(b.size()));
  streams.out.flush();
  if (!streams.out) throw Error(ExitCode::kRuntime, "cannot write the comparison to standard output");
  if (!o.moves_path.empty()) write_moves_csv(o.moves_path, moves, before, after, scenario);
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace abmtier::cli
