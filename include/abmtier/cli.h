// The command line: `abmtier run`, `whatif`, `sweep`, `explain` and
// `init`. main() only calls cli_main; tests call it in-process with their
// own streams.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace abmtier {

/// The streams a command reads and writes: standard input, standard output
/// (data only) and standard error (logs, warnings, the summary table).
struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

/// Parses `args` (args[0] is the program name), runs the subcommand and
/// returns the process exit code (SPEC 9). Never throws.
int cli_main(const std::vector<std::string>& args, const Streams& streams);

}  // namespace abmtier
