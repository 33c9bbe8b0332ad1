// Writers: the assignments in CSV, TSV, JSON or JSON Lines (SPEC 7), and
// atomic replacement of output files.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/capacity.h"
#include "abmtier/config.h"

namespace abmtier {

/// The output columns, in order (SPEC 7); kept columns follow.
extern const std::vector<std::string_view> kOutputColumns;

/// Row indices in output order: tier (1, 2, 3, watchlist, outside), then
/// tier_rank.
std::vector<std::uint32_t> output_order(const AccountTable& table);

struct WriteOptions {
  OutputFormat format = OutputFormat::kCsv;
  bool raw = false;                     ///< true: no formula neutralisation
  std::vector<std::string> keep_names;  ///< headers of table.kept, in order
};

/// Writes the assignments. Throws Error(kRuntime) when the stream fails.
void write_assignments(const AccountTable& table, const Config& config,
                       const CapacityResult& capacity, const WriteOptions& options,
                       std::ostream& out);

/// Prefixes `'` to text that a spreadsheet would run as a formula (starts
/// with = + - @ tab or CR). Returns the text unchanged otherwise.
std::string neutralise(std::string_view text);

/// An output file that replaces its target atomically: bytes go to a
/// temporary file in the target's directory, and commit() flushes, fsyncs
/// and renames it into place. Destroyed without commit(), it removes the
/// temporary file and leaves the target untouched. Path "-" writes to
/// standard output directly. Errors throw Error(kRuntime) naming the path.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream();
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  std::unique_ptr<std::ofstream> file_;
  bool committed_ = false;
};

/// Writes `content` to `path` atomically (see AtomicFile).
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace abmtier
