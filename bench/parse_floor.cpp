// The parse-only floor: what reading the export costs with
// fast-cpp-csv-parser on one thread, before any tiering.
//
//   parse_floor ACCOUNTS.csv
//
// Reads the columns id, owner, fit and intent with io::CSVReader and
// io::double_quote_escape (the library abmtier's reader builds on), converts
// the scores with std::from_chars as abmtier does (the library's own number
// parser is not correctly rounded; see FCCP-NOTES.md), and prints a checksum
// so the work cannot be optimised away.
// Build: g++ -O2 -std=c++20 -o parse_floor parse_floor.cpp -pthread
#include <limits>  // libfccp/csv.h needs it first with g++ 12

#include <libfccp/csv.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>

namespace {

double to_double(const char* text) {
  double value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_floor ACCOUNTS.csv\n");
    return 2;
  }
  try {
    io::CSVReader<4, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>> in(argv[1]);
    in.read_header(io::ignore_extra_column, "id", "owner", "fit", "intent");
    char* id = nullptr;
    char* owner = nullptr;
    char* fit = nullptr;
    char* intent = nullptr;
    std::uint64_t rows = 0, text_bytes = 0;
    double score_sum = 0;
    while (in.read_row(id, owner, fit, intent)) {
      ++rows;
      text_bytes += std::strlen(id) + std::strlen(owner);
      score_sum += to_double(fit) + to_double(intent);
    }
    std::printf("{\"rows\": %llu, \"text_bytes\": %llu, \"score_sum\": %.1f}\n",
                static_cast<unsigned long long>(rows), static_cast<unsigned long long>(text_bytes),
                score_sum);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parse_floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
