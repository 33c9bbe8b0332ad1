// Internals shared by the reader's source files: the quote-aware record
// layer, field splitting through fast-cpp-csv-parser's policies, encoding
// checks and header mapping. Not part of the public interface.
#pragma once

#include <array>
#include <cstdint>
#include <limits>  // libfccp/csv.h needs it and does not include it
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libfccp/csv.h>

#include "abmtier/account.h"
#include "abmtier/config.h"
#include "abmtier/error.h"
#include "abmtier/reader.h"

namespace abmtier::reader_detail {

/// Spaces and tabs around a value.
std::string_view trim(std::string_view s);
/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// One record as framed by RecordFramer: bytes verbatim, without the line end.
struct Record {
  const char* begin = nullptr;
  const char* end = nullptr;
  std::uint64_t line = 0;     ///< 1-based physical line where it starts
  bool unterminated = false;  ///< a quote opened on `line` is never closed
  /// With `unterminated`: the quote left open on `line` sits in the middle
  /// of an unquoted value (`12" pizza`), so it never started a quoted field.
  bool stray_quote = false;
  bool quoted = false;        ///< holds at least one '"'
  std::string_view text() const { return {begin, static_cast<std::size_t>(end - begin)}; }
};

/// Frames records, quote-aware: a record ends at the line end outside
/// quotes (LF or CRLF; a lone CR when `cr_only`). Blank and whitespace-only
/// lines are skipped. A record continues past its first line only when the
/// quote left open there starts a field (RFC 4180); a quote in the middle
/// of an unquoted value (`12" pizza`) does not, and that line alone is
/// returned (marked unterminated and stray_quote). When a quote is still
/// open at end of input, only the record's first physical line is returned
/// (marked unterminated) and framing resumes on the next line, so one stray
/// quote cannot swallow the rest of the file.
class RecordFramer {
 public:
  /// `first_line` is the line number of the first byte of `data` (a part
  /// of an input starts further down).
  RecordFramer(std::string_view data, bool cr_only, std::uint64_t first_line = 1)
      : pos_(data.data()), end_(data.data() + data.size()), eol_(cr_only ? '\r' : '\n'), line_(first_line) {}
  /// Fills `out` with the next record; false at end of input.
  bool next(Record& out);
  /// Bytes not framed yet.
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }
  /// The delimiter, once known (after the header); until then any of
  /// , ; tab | counts as one where a field may start.
  void set_delimiter(char delimiter) { delimiter_ = delimiter; }
  /// The line the next record starts on (or a blank line before it).
  std::uint64_t line() const { return line_; }
  /// True once a quoted field was still open at the end of the data: for a
  /// part of an input, the record may go on in the next part.
  bool open_at_end() const { return open_at_end_; }

 private:
  const char* line_end(const char* from) const;
  bool opens_field(const char* line, const char* line_end) const;
  const char* pos_;
  const char* end_;
  char eol_;
  char delimiter_ = 0;
  std::uint64_t line_ = 1;
  bool open_at_end_ = false;
};

/// The field of a line that holds a given byte, for messages about a line
/// that could not be split: its index (counting delimiters outside quotes,
/// as the library splits) and its text up to the next delimiter.
struct FieldAt {
  std::size_t index = 0;
  std::string_view text;
};
/// The field that holds byte `offset` of `line`.
FieldAt field_at(std::string_view line, std::size_t offset, char delimiter);
/// The field where the quote left open at the end of `line` starts (the
/// whole line's first field when no quote is left open).
FieldAt open_quote_field(std::string_view line, char delimiter);

/// Where an input's encoding stands after the checks of `check_encoding`.
struct Prepared {
  std::string_view data;  ///< without a UTF-8 BOM
  bool cr_only = false;   ///< old Mac line ends: lone CR ends a line
};

/// Strips a UTF-8 BOM and decides the line end. Throws Error(`code`) for
/// UTF-16 (by its BOM), with advice on re-saving the file.
Prepared prepare_input(std::string_view data, std::string_view source, ExitCode code);
/// Throws Error(`code`) when the header record is not a CSV header: NUL or
/// other control bytes (UTF-16 without a BOM, a binary file), the start of
/// a known binary, HTML or XML format (an .xlsx or .xls workbook, a zip,
/// gzip, PDF or image, a web page saved instead of the export), or a quote
/// that is never closed.
void check_header(const Record& header, std::string_view source, ExitCode code);

/// The most frequent of , ; tab | outside quotes (ties in that order; ','
/// when none occurs).
char detect_delimiter(std::string_view header);

/// A field of the record buffer: [begin, end), NUL-terminated after finish.
struct Span {
  char* begin;
  char* end;
  std::string_view view() const { return {begin, static_cast<std::size_t>(end - begin)}; }
};

/// Splits and unescapes fields with the library's policies for one delimiter.
/// Records without a quote take a memchr fast path that finds exactly the
/// field ends the library's quote policy would.
struct FieldOps {
  /// Splits the NUL-terminated `line` into fields (quote-aware).
  void (*split)(char* line, std::vector<Span>& fields);
  /// Trims (outside quotes) and unescapes one field in place.
  void (*finish)(Span& field);
};

template <char Sep>
void split_with(char* line, std::vector<Span>& fields) {
  using Quote = io::double_quote_escape<Sep, '"'>;
  fields.clear();
  for (;;) {
    char* begin = line;
    char* end = begin + (Quote::find_next_column_end(begin) - begin);
    fields.push_back({begin, end});
    if (*end == '\0') return;
    *end = '\0';
    line = end + 1;
  }
}

template <char Sep>
void finish_with(Span& field) {
  io::trim_chars<' ', '\t'>::trim(field.begin, field.end);
  io::double_quote_escape<Sep, '"'>::unescape(field.begin, field.end);
}

/// The operations for `delimiter` (one of , ; \t |).
FieldOps field_ops(char delimiter);

/// Splits records into fields. A record with quotes is copied into a reused
/// NUL-terminated buffer, where the library's policies unescape its fields
/// in place; one without quotes is split where it lies (its fields are
/// only trimmed, never written).
class Splitter {
 public:
  explicit Splitter(char delimiter) : ops_(field_ops(delimiter)), delimiter_(delimiter) {}
  /// Splits `record`; fields() holds the spans. `quoted` false promises the
  /// record has no '"'; a quoted record must hold no NUL byte. False (and
  /// the fields are not to be used) when an unquoted record holds a NUL.
  bool split(std::string_view record, bool quoted = true);
  std::vector<Span>& fields() { return fields_; }
  char delimiter() const { return delimiter_; }
  /// Trims and unescapes field `i` (once per record, however often it is
  /// asked for); returns its text, trimmed again when `retrim` so quoted
  /// padding goes too.
  std::string_view finish(std::size_t i, bool retrim) {
    Span& field = fields_[i];
    if (finished_[i] != generation_) {
      finished_[i] = generation_;
      if (!quoted_) {
        // Nothing to unescape and nothing quoted to trim again; the bytes
        // are the input's, so only the span moves.
        const std::string_view trimmed = trim(field.view());
        field.begin += trimmed.data() - field.begin;
        field.end = field.begin + trimmed.size();
        return trimmed;
      }
      ops_.finish(field);
    }
    return retrim && quoted_ ? trim(field.view()) : field.view();
  }

 private:
  FieldOps ops_;
  char delimiter_;
  bool quoted_ = true;
  std::string buffer_;
  std::vector<Span> fields_;
  std::vector<std::uint32_t> finished_;  ///< == generation_ once a field is finished
  std::uint32_t generation_ = 0;
};

/// Asks the kernel to back a large buffer that is about to be filled with
/// huge pages, so filling it costs far fewer page faults. A hint only: it
/// changes no content and is skipped for small buffers and on failure.
void advise_huge_pages(const void* data, std::size_t bytes);

/// reserve() plus advise_huge_pages() for one table column.
template <class T>
void reserve_column(std::vector<T>& column, std::size_t rows) {
  column.reserve(rows);
  advise_huge_pages(column.data(), column.capacity() * sizeof(T));
}
/// Reserves `bytes` for an arena (backed by huge pages where the kernel
/// allows).
inline void reserve_arena(TextArena& arena, std::size_t bytes) {
  arena.reserve(bytes);
  advise_huge_pages(arena.all().data(), arena.capacity());
}
template <class Small>
void reserve_column(HundredthsColumn<Small>& column, std::size_t rows) {
  column.with_storage([rows](auto& values) { reserve_column(values, rows); });
}

/// Index of the first byte of `text` that starts an invalid UTF-8 sequence,
/// or npos when it is all valid.
std::size_t find_invalid_utf8(std::string_view text);

/// Resolved header: logical columns and --keep columns to header indices.
struct HeaderMap {
  std::array<int, kColumnCount> index{};  ///< -1 when absent
  std::vector<int> keep;                  ///< one per config.keep entry
};

/// Maps the header to the logical columns (SPEC 2) and checks it. Throws
/// Error(kUsage) for a missing required column, a used column matching two
/// headers, an explicit mapping or keep column that is not there, and a
/// positive engagement weight without an engagement column.
HeaderMap map_header(const std::vector<std::string>& headers, std::string_view source,
                     const Config& config);

/// What a reader notes of each accepted row besides the table's columns:
/// the hash of its id and where its record starts (for the duplicate check,
/// which runs once the whole input is read), and what the summary counts
/// (the k* flag bits below).
struct RowFacts {
  std::vector<std::uint32_t> id_hash;
  std::vector<std::uint8_t> flags;
  std::vector<std::uint64_t> offset;  ///< where the row's record starts in the body
};

/// RowFacts::flags bits.
inline constexpr unsigned kEmptyIntent = 1;
inline constexpr unsigned kEmptyEngagement = 2;
inline constexpr unsigned kBadPreviousTier = 4;
inline constexpr unsigned kBadLastTouch = 8;
inline constexpr unsigned kBadPipeline = 16;
inline constexpr unsigned kBadEngagedRoles = 32;
inline constexpr unsigned kBadBuyingRoles = 64;

/// The hash of an id that places it in the duplicate check. Only places:
/// ids with equal hashes are always compared on their text.
std::uint32_t id_hash(std::string_view id);

/// A later occurrence of an id (SPEC 10: the first occurrence of an id
/// claims it, even when its row is rejected).
struct Duplicate {
  /// A row of the table, or table.size() + k for rejects[k].
  std::size_t claim;
  /// The line of the id's first occurrence.
  std::uint64_t first_line;
};

/// Every later occurrence of an id among the accepted rows (ids hashed in
/// `facts`, rows in input order) and the rejected rows that have an id, in
/// no particular order. Sorts compact (hash, row) keys in buckets, on all
/// threads, so ten million ids cost no random access per id.
std::vector<Duplicate> find_duplicate_ids(const AccountTable& table, const RowFacts& facts,
                                          const std::vector<RejectedRow>& rejects);

/// Joins the tables read from consecutive parts of one input into one, as
/// if one reader had read the whole input: rows in input order, owners
/// interned in first-seen order, text in one arena.
class TableJoin {
 public:
  explicit TableJoin(AccountTable& into);
  /// Appends the rows of `part` (the next part of the input) and leaves it
  /// empty, with its memory kept for the next part it reads.
  void append(AccountTable& part);

 private:
  AccountTable& into_;
  std::unordered_map<std::string, std::uint32_t> owner_index_;
  std::vector<std::uint32_t> owner_of_;
};

/// Appends the facts of the next part's rows to `into`, and empties `from`
/// (keeping its memory), as TableJoin::append does for the rows.
void append_facts(RowFacts& into, RowFacts& from);

/// Drops the rows `rows` (ascending) from every filled column of `table`;
/// their text stays in the arena, unused.
void drop_rows(AccountTable& table, const std::vector<std::uint32_t>& rows);

/// The fields of a header record, unescaped and trimmed.
std::vector<std::string> read_header(const Record& header, char delimiter);

/// Rows in `rest` (the input after the header) judged from its first 64 KiB,
/// to reserve the columns once; never more than it could hold (a row has at
/// least one byte per field).
std::size_t estimate_rows(std::string_view rest, char eol, std::size_t fields);

/// `"Account ID", "Fit", ...` for messages (at most 40 names).
std::string list_headers(const std::vector<std::string>& headers);

}  // namespace abmtier::reader_detail
