// Writers: the assignments in CSV, TSV, JSON or JSON Lines (SPEC 7), and
// atomic replacement of output files.
#pragma once

#include <cstdint>
#include <fstream>  // kept for includers that relied on it
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
  /// false when the input had no engagement column: the engagement field is
  /// then empty (CSV/TSV) or null (JSON) instead of 0.00. Default true.
  bool has_engagement = true;
  /// Threads that format rows (0 = thread_count()). The bytes written do
  /// not depend on it.
  unsigned threads = 0;
};

/// Writes the assignments (docs/output.md), header first, rows in
/// output_order(). Throws Error(kRuntime) when the stream fails.
void write_assignments(const AccountTable& table, const Config& config,
                       const CapacityResult& capacity, const WriteOptions& options,
                       std::ostream& out);

/// A score as the output shows it: two decimals, the exact value rounded
/// half to even (as printf's %.2f), never "-0.00".
std::string score_text(double value);

/// One CSV/TSV field: RFC 4180 quoting when the text holds the delimiter,
/// a quote, CR or LF; with `neutralise_it`, a leading `'` for text a
/// spreadsheet would run as a formula.
std::string csv_field(std::string_view text, char delimiter = ',', bool neutralise_it = false);

/// Prefixes `'` to text that a spreadsheet would run as a formula (starts
/// with = + - @ tab or CR). Returns the text unchanged otherwise.
std::string neutralise(std::string_view text);

/// Says why writing to `out` failed, for an Error(kRuntime) message:
/// "cannot write '<path>': <OS reason>" for an AtomicFile stream, otherwise
/// naming standard output or "the output". `os_error` is the errno seen
/// right after the failed operation (0 = unknown).
std::string write_failure_message(const std::ostream& out, int os_error = 0);

/// An output file that replaces its target atomically: bytes go to a
/// temporary file in the target's directory, and commit() flushes, fsyncs
/// and renames it into place. Destroyed without commit(), it removes the
/// temporary file and leaves the target untouched. Path "-" writes to
/// standard output directly. A target that exists and is not a regular file
/// (a device such as /dev/null, a FIFO) is written directly, never renamed
/// over. A symbolic link is followed: the file it points to is replaced.
/// Errors throw Error(kRuntime) naming the path and the OS reason.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where the bytes go until commit().
  std::ostream& stream();
  /// Flushes, fsyncs and renames the temporary file over the target (then
  /// fsyncs the directory). Throws Error(kRuntime) on any failure, leaving
  /// the target untouched. A second call does nothing.
  void commit();

 private:
  std::string path_;       ///< as given, for messages
  std::string target_;     ///< what is replaced (path_, or where its symlink points)
  std::string temp_path_;  ///< empty when writing directly (stdout, devices, FIFOs)
  int fd_ = -1;
  std::unique_ptr<std::ostream> file_;  ///< null for standard output
  bool committed_ = false;
};

/// Writes `content` to `path` atomically (see AtomicFile).
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace abmtier
