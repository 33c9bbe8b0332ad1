// libFuzzer target over the config parser: the input is a JSON config, then
// optionally a NUL byte and --set entries, one per line. Anything thrown
// other than abmtier::Error (an untranslated nlohmann exception, say), any
// sanitizer report and any accepted config that breaks its own documented
// ranges is a finding.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/config.h"
#include "abmtier/error.h"

namespace abmtier {
namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void check(const Config& c) {
  for (const ScoreSpec* s : {&c.fit_score, &c.intent_score, &c.engagement_score}) {
    if (!(s->lo < s->hi) || !std::isfinite(s->lo) || !std::isfinite(s->hi)) broken("scale");
    for (const auto& entry : s->map)
      if (!(entry.second >= 0 && entry.second <= 100)) broken("map value");
  }
  const double weights = c.weight_fit + c.weight_intent + c.weight_engagement;
  if (!(c.weight_fit >= 0 && c.weight_intent >= 0 && c.weight_engagement >= 0 && weights > 0) ||
      !std::isfinite(weights))
    broken("weights");
  for (const BandSpec* b : {&c.fit_bands, &c.intent_bands})
    if (!(b->mid <= b->high && b->mid >= 0 && b->high <= 100)) broken("bands");
  if (c.coverage_window_days < 1 || c.coverage_window_days > 3650) broken("coverage window");
}

}  // namespace
}  // namespace abmtier

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  using namespace abmtier;
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const std::size_t nul = input.find('\0');
  const std::string_view json = input.substr(0, nul);
  std::vector<std::string> sets;
  if (nul != std::string_view::npos) {
    std::string_view rest = input.substr(nul + 1);
    while (!rest.empty()) {
      const std::size_t end = rest.find('\n');
      sets.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
  }
  try {
    check(parse_config(json, "fuzz.json", sets));
  } catch (const Error&) {
  }
  return 0;
}
