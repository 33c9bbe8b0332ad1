// What the in-process command-line tests share: running cli_main from an
// argv vector, a scratch folder per test, reading files back.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "abmtier/cli.h"

namespace abmtier::test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `abmtier ARGS...` in-process with `input` on standard input.
inline CliRun run_cli(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "abmtier");
  std::istringstream in(input);
  std::ostringstream out, err;
  CliRun r;
  r.code = cli_main(args, {in, out, err});
  r.out = out.str();
  r.err = err.str();
  return r;
}

/// A file of examples/.
inline std::string example(const std::string& name) {
  return std::string(ABMTIER_SOURCE_DIR) + "/examples/" + name;
}

/// The whole file, bytes as they are.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// A scratch folder per test, removed afterwards.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          ("abmtier-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string path(const std::string& name) const { return (dir / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return path(name);
  }
};

}  // namespace abmtier::test
