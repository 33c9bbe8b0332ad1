// abmtier: the executable only wires the process to cli_main.
#include <iostream>
#include <string>
#include <vector>

#include "abmtier/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv, argv + argc);
  return abmtier::cli_main(args, {std::cin, std::cout, std::cerr});
}
