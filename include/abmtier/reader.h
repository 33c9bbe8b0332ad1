// Reading a CRM export into the account table (SPEC 2, 10 "Reading").
//
// The input is framed into records by a quote-aware record layer (so quoted
// line breaks stay inside one record), and each record is split into fields
// by fast-cpp-csv-parser's quote and trim policies. Scores are read as text
// and converted here, so "missing" and "0" differ.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "abmtier/account.h"
#include "abmtier/config.h"

namespace abmtier {

/// One thing wrong with a rejected row.
struct Problem {
  std::string column;    ///< header name as found in the file ("" for the whole row)
  std::string value;     ///< the offending value, as read
  std::string expected;  ///< what was expected, in plain words
};

/// A row that was not accepted, with everything needed to report and
/// reproduce it.
struct RejectedRow {
  std::uint64_t line = 0;      ///< 1-based line where the record starts
  std::string raw;             ///< the record's bytes, verbatim, without its line end
  std::vector<Problem> problems;
  /// The row's id when the row could be split into fields and has one: a
  /// rejected row still claims its id (SPEC 10).
  std::string id;
};

/// Counts and facts about one read, for the summary and warnings.
struct ReadStats {
  std::string source;                  ///< file name, or "stdin"
  char delimiter = ',';                ///< the delimiter used
  std::vector<std::string> headers;    ///< header names as found
  /// Per logical column: index of its header, or -1 when absent.
  std::array<int, kColumnCount> column_index{};
  std::uint64_t rows_read = 0;         ///< records after the header, blank lines excluded
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t empty_intent = 0;      ///< accepted rows whose intent was empty
  std::uint64_t empty_engagement = 0;
  std::uint64_t bad_previous_tier = 0; ///< unreadable previous_tier values (kept as none)
  std::uint64_t bad_last_touch = 0;
  std::uint64_t bad_pipeline = 0;
  std::uint64_t bad_roles = 0;
  std::uint64_t first_invalid_utf8_line = 0;  ///< 0 when all text was valid UTF-8
  std::uint64_t first_bad_previous_tier_line = 0;
  /// Threads that read the records (chunks of the input read at once and
  /// joined in order); 1 when one reader read them all.
  std::uint32_t parts = 1;

  bool has(Column c) const { return column_index[static_cast<std::size_t>(c)] >= 0; }
};

struct ReadResult {
  AccountTable table;
  std::vector<RejectedRow> rejects;
  ReadStats stats;
};

/// The bytes of an export: a read-only map of a regular file (not copied,
/// and the pages already read are handed back to the kernel as reading goes
/// on), or bytes held in memory (a pipe, standard input, a test).
class InputBytes {
 public:
  InputBytes() = default;
  explicit InputBytes(std::string bytes) : owned_(std::move(bytes)) {}
  InputBytes(InputBytes&& other) noexcept;
  InputBytes& operator=(InputBytes&& other) noexcept;
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;
  ~InputBytes();

  /// Maps the regular file `path` (descriptor `fd`, `size` bytes).
  static InputBytes map_file(int fd, std::size_t size, const std::string& path);
  std::string_view view() const { return map_ != nullptr ? std::string_view(map_, size_) : owned_; }
  operator std::string_view() const { return view(); }  // NOLINT: implicit on purpose
  /// Hands back the mapped pages that lie wholly inside [from, to) (pointers
  /// into view()); touched again, they are read back from the file. Does
  /// nothing for bytes held in memory.
  void release(const char* from, const char* to) const;
  /// Maps the pages of [from, to) in one call, ahead of reading them, instead
  /// of a page fault every few pages. A hint: does nothing for bytes held in
  /// memory, or where the system cannot.
  void populate(const char* from, const char* to) const;

 private:
  std::string owned_;
  const char* map_ = nullptr;
  std::size_t size_ = 0;
};

/// Reads a whole export held in memory. `source` names it in messages.
/// Throws Error(kUsage) for header problems (missing required column, a
/// used column twice, unknown --keep column, positive weight on an absent
/// column) and Error(kData) for an input with no header row or an unreadable
/// encoding (UTF-16, CR-only line ends). Bad rows never throw: they are
/// returned in `rejects`.
ReadResult read_accounts(std::string_view data, std::string_view source, const Config& config);
/// The same for an export loaded by load_input(): the pages of a mapped
/// file are handed back once read, so the file never sits whole in memory.
ReadResult read_accounts(const InputBytes& input, std::string_view source, const Config& config);

/// Opens an export: a regular file is mapped, anything else ("-" for
/// standard input, a pipe) read into memory. Errors as read_input().
InputBytes load_input(const std::string& path);

/// Reads the whole of a file ("-" = standard input) into memory.
/// Throws Error(kUsage) when it cannot be opened, Error(kRuntime) on a read
/// error.
std::string read_input(const std::string& path);

/// A generic CSV table (for overrides and previous outputs): header and
/// rows of unescaped, trimmed fields, plus each row's starting line.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
};

/// Parses a small CSV file (delimiter auto-detected) into a CsvTable, with
/// the same record layer as read_accounts. Throws Error(kUsage) naming the
/// file and line for malformed records.
CsvTable read_csv_table(std::string_view data, std::string_view source);

/// Lower-cases and drops spaces, underscores, dashes and dots: "Account ID"
/// -> "accountid". Used to match headers against aliases.
std::string normalise_header(std::string_view header);

}  // namespace abmtier
