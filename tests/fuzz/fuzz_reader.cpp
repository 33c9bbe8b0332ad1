// libFuzzer target over the reader: read_accounts under several configs,
// the generic CSV table, and the two side files built on it. Any exception
// other than abmtier::Error, any sanitizer report and any broken invariant
// (nothing lost, scores in range, unique ids) is a finding.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <unordered_set>

#include "abmtier/config.h"
#include "abmtier/error.h"
#include "abmtier/reader.h"
#include "abmtier/side_inputs.h"

namespace abmtier {
namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

// The first input byte picks one of these, so one corpus covers them all.
Config config_for(std::uint8_t selector) {
  Config config;
  switch (selector % 8) {
    case 1: config.delimiter = ';'; break;
    case 2:
      config.fit_score.map = {{"a", 95}, {"high", 90}, {"low", 30}};
      config.intent_score.lo = 0;
      config.intent_score.hi = 10;
      break;
    case 3: config.keep = {"name"}; break;
    case 4: config.columns = {{Column::kId, "key"}, {Column::kFit, "score"}}; break;
    case 5: config.weight_engagement = 0.2; break;
    case 6: config.date_format = "%m/%d/%Y"; break;
    case 7: config.delimiter = '\t'; break;
    default: break;
  }
  return config;
}

bool in_scale(double v) { return std::isfinite(v) && v >= 0 && v <= 100; }

void check(const ReadResult& r, std::string_view data) {
  const AccountTable& t = r.table;
  if (r.stats.rows_read != r.stats.accepted + r.stats.rejected) broken("rows read");
  if (r.stats.accepted != t.size() || r.stats.rejected != r.rejects.size()) broken("counts");
  if (t.fit.size() != t.size() || t.intent.size() != t.size() || t.line.size() != t.size() ||
      t.name.size() != t.size() || t.owner.size() != t.size())
    broken("column sizes");
  std::uint64_t lines = 1;
  for (const char c : data) lines += c == '\n' || c == '\r' ? 1U : 0U;
  std::unordered_set<std::string_view> ids;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t.id_of(i).empty() || !ids.insert(t.id_of(i)).second) broken("ids");
    if (!in_scale(t.fit[i]) || !in_scale(t.intent[i]) || !in_scale(t.engagement[i]))
      broken("score range");
    if (t.line[i] < 2 || t.line[i] > lines || (i > 0 && t.line[i] <= t.line[i - 1]))
      broken("lines");
    if (t.owner[i] != kNoOwner && t.owner[i] >= t.owner_names.size()) broken("owner index");
  }
  for (const RejectedRow& row : r.rejects) {
    if (row.problems.empty() || row.line < 2 || row.line > lines) broken("reject");
    if (row.raw.size() > data.size()) broken("reject raw");
  }
}

}  // namespace
}  // namespace abmtier

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace abmtier;
  if (size == 0) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  try {
    check(read_accounts(data, "fuzz.csv", config_for(bytes[0])), data);
  } catch (const Error&) {
  }
  try {
    const CsvTable table = read_csv_table(data, "fuzz.csv");
    for (const auto& row : table.rows)
      if (row.size() != table.header.size()) broken("table row width");
  } catch (const Error&) {
  }
  try {
    static_cast<void>(parse_overrides(data, "overrides.csv"));
  } catch (const Error&) {
  }
  try {
    static_cast<void>(parse_previous(data, "previous.csv"));
  } catch (const Error&) {
  }
  return 0;
}
