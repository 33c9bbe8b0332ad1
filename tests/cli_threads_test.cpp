// --threads: the output does not depend on how many threads made it, and
// the progress line never shows off a terminal.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "abmtier/progress.h"
#include "../src/cli/progress_line.h"
#include "cli_support.h"

using namespace abmtier;
using test::run_cli;
using test::Scratch;
using test::slurp;

namespace {

// An export big enough for several output blocks and sort parts (40,000
// rows), with names holding quoted line breaks, commas and quotes, scores
// that tie (composite and fit both equal, so the id decides), 37 owners and
// previous tiers, so the gate waitlists and cascades.
std::string tied_export() {
  std::string csv = "id,name,owner,fit,intent,engagement,previous tier\n";
  for (int i = 0; i < 40000; ++i) {
    const int fit = 40 + (i * 7) % 61;     // 61 distinct values
    const int intent = 30 + (i * 13) % 71;  // ties on (fit, intent) are common
    std::string name = fmt::format("Account {}", i);
    if (i % 17 == 0) name = fmt::format("\"Line one\nline two, {} \"\"quoted\"\"\"", i);
    const char* previous = i % 5 == 0 ? "Tier 1" : i % 5 == 1 ? "T2" : i % 5 == 2 ? "3" : "";
    csv += fmt::format("ACC-{:05},{},Owner {},{},{},{},{}\n", (i * 7919) % 40000, name, i % 37, fit, intent,
                       i % 9, previous);
  }
  return csv;
}

}  // namespace

TEST_CASE("threads: one thread and several write the same bytes", "[threads]") {
  Scratch s;
  const std::string input = s.write("export.csv", tied_export());
  const std::string config = s.write("config.json", R"({"capacity": {"mode": "per_owner",
      "tier1": {"per_rep": 40}, "tier2": {"per_rep": 120}, "tier3": {"per_rep": 600}}})");
  for (const std::string format : {"csv", "tsv", "json", "jsonl"}) {
    std::vector<std::string> outputs;
    for (const std::string threads : {"1", "2", "3", "8"}) {
      const std::string out = s.path("out-" + threads + "." + format);
      const auto r = run_cli({"--threads", threads, "run", input, "-c", config, "--format", format, "-o", out,
                              "--summary", out + ".summary.json", "-q", "--as-of", "2026-11-01"});
      REQUIRE(r.code == 0);
      outputs.push_back(slurp(out));
      CHECK(slurp(out + ".summary.json") == slurp(s.path("out-1." + format) + ".summary.json"));
    }
    INFO(format);
    REQUIRE(outputs[0].size() > 40000 * 50);
    for (std::size_t k = 1; k < outputs.size(); ++k) CHECK(outputs[k] == outputs[0]);
  }
}

TEST_CASE("threads: the ranking breaks ties by id whatever the input order", "[threads]") {
  Scratch s;
  // The same accounts, in two different input orders: the assignments must
  // come out the same (rows are written in tier and rank order).
  std::string forward = "id,fit,intent\n", backward = "id,fit,intent\n";
  for (int i = 0; i < 20000; ++i) forward += fmt::format("A{},{},{}\n", i, 50 + i % 3, 60);
  for (int i = 19999; i >= 0; --i) backward += fmt::format("A{},{},{}\n", i, 50 + i % 3, 60);
  const auto a = run_cli({"run", s.write("f.csv", forward), "--set", "capacity.tier1.max=5", "-o", "-", "-q"});
  const auto b = run_cli({"--threads", "1", "run", s.write("b.csv", backward), "--set", "capacity.tier1.max=5",
                          "-o", "-", "-q"});
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  CHECK(a.out == b.out);
  // Composite 55.2 (fit 52) ranks first; among equals, ids in byte order.
  CHECK(a.out.find("\nA11,") < a.out.find("\nA14,"));
  CHECK(a.out.find("\nA14,") < a.out.find("\nA2,"));
}

TEST_CASE("threads: --threads takes 0 (one per core) to 256", "[threads]") {
  CHECK(run_cli({"--threads", "0", "init"}).code == 0);
  const auto r = run_cli({"--threads", "-1", "init"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--threads") != std::string::npos);
}

TEST_CASE("progress: the line's wording", "[progress]") {
  using cli::progress_text;
  CHECK(progress_text(Stage::kIdle, 0, 0).empty());
  CHECK(progress_text(Stage::kTiering, 0, 0) == "abmtier: tiering...");
  CHECK(progress_text(Stage::kReading, 512'000'000, 1'200'000'000) == "abmtier: reading 42% (512 MB of 1.2 GB)");
  CHECK(progress_text(Stage::kWriting, 3'700'000, 10'000'000) ==
        "abmtier: writing 37% (3,700,000 of 10,000,000 rows)");
  CHECK(progress_text(Stage::kWriting, 12, 10) == "abmtier: writing 100% (12 of 10 rows)");
}

TEST_CASE("progress: shown after the delay, erased at the end, silent when disabled", "[progress]") {
  progress().begin(Stage::kWriting, 1000);
  progress().set_done(250);
  std::ostringstream shown;
  {
    cli::ProgressLine line(shown, true, std::chrono::milliseconds(0), std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(shown.str().find("\rabmtier: writing 25% (250 of 1,000 rows)\x1b[K") == 0);
  CHECK(shown.str().size() >= 4);
  CHECK(shown.str().substr(shown.str().size() - 4) == "\r\x1b[K");

  std::ostringstream quick;
  { cli::ProgressLine line(quick, true, std::chrono::milliseconds(60000)); }  // stops long before the delay
  CHECK(quick.str().empty());

  std::ostringstream off;
  {
    cli::ProgressLine line(off, false, std::chrono::milliseconds(0), std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(off.str().empty());
  progress().begin(Stage::kIdle, 0);
}
