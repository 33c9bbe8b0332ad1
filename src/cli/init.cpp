// `abmtier init`: print a complete default config with every key explained.
#include "abmtier/config.h"
#include "abmtier/writer.h"
#include "commands.h"

namespace abmtier::cli {

void setup_init(CLI::App& app, InitOptions& options) {
  CLI::App* init = app.add_subcommand(
      "init", "Print a complete default config (JSON with comments) to start from");
  init->add_option("-o,--output", options.output, "Write the config to FILE instead of stdout");
  init->footer("Example: abmtier init > abmtier.json");
}

int run_init(const InitOptions& options, const Streams& streams) {
  const std::string text = default_config_text();
  if (options.output == "-")
    streams.out << text;
  else
    write_file_atomically(options.output, text);
  return 0;
}

}  // namespace abmtier::cli
