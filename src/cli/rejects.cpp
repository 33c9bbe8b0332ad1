// Rejected rows: reported on stderr (the first 20, then a count), checked
// against --on-error and --max-rejects, and written to the rejects file.
#include "rejects.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/writer.h"

namespace abmtier::cli {
namespace {

constexpr std::size_t kShownRejects = 20;
/// Values longer than this are cut in messages (the rejects file keeps the
/// whole row).
constexpr std::size_t kShownValueBytes = 80;

// A value as it appears in a one-line message: line breaks, tabs and NUL
// made visible, and a long value cut at a UTF-8 character boundary.
std::string shown(std::string_view value) {
  std::string_view head = value.substr(0, kShownValueBytes);
  if (head.size() < value.size())
    while (!head.empty() && (static_cast<unsigned char>(value[head.size()]) & 0xC0) == 0x80)
      head.remove_suffix(1);
  std::string out;
  for (const char c : head) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default: out += c;
    }
  }
  if (head.size() < value.size()) out += fmt::format("... ({} bytes in all)", value.size());
  return out;
}

std::string reasons(const RejectedRow& row) {
  std::string out;
  for (const Problem& p : row.problems) {
    if (!out.empty()) out += "; ";
    if (p.column.empty())
      out += fmt::format("{}; expected {}", p.value, p.expected);
    else
      out += fmt::format("column {}: '{}' is not {}", p.column, shown(p.value), p.expected);
  }
  return out;
}

// True when the row's quotes do not pair up (an unterminated or stray
// quote): written verbatim, it would pull the rest of the rejects file into
// one value in any CSV reader.
bool unbalanced_quotes(std::string_view raw) {
  return std::count(raw.begin(), raw.end(), '"') % 2 == 1;
}

}  // namespace

std::string describe_reject(const RejectedRow& row) {
  return fmt::format("line {}: {}", row.line, reasons(row));
}

bool check_rejects(const RunOptions& options, const ReadResult& read) {
  const auto& rejects = read.rejects;
  if (rejects.empty()) return true;
  for (std::size_t i = 0; i < rejects.size() && i < kShownRejects; ++i)
    spdlog::error("{}, {}", read.stats.source, describe_reject(rejects[i]));
  if (rejects.size() > kShownRejects)
    spdlog::error("... and {} more rejected row(s){}", rejects.size() - kShownRejects,
                  options.rejects_path.empty()
                      ? " (use --on-error skip --rejects FILE to list them all)"
                      : "");
  const std::uint64_t total = read.stats.rows_read;
  if (options.on_error == "fail") {
    spdlog::error("{} of {} row(s) rejected; nothing was written. Fix those rows in the export, "
                  "or run with --on-error skip to tier the other rows (add --rejects FILE to "
                  "keep the bad ones)",
                  rejects.size(), total);
    return false;
  }
  if (options.max_rejects && rejects.size() > *options.max_rejects) {
    spdlog::error("{} of {} row(s) rejected, more than --max-rejects {}; nothing was written",
                  rejects.size(), total, *options.max_rejects);
    return false;
  }
  spdlog::warn("{} of {} row(s) rejected and skipped", rejects.size(), total);
  return true;
}

void write_rejects_file(const std::string& path, const ReadResult& read) {
  const char d = read.stats.delimiter;
  AtomicFile file(path);
  std::ostream& out = file.stream();
  for (const std::string& header : read.stats.headers) out << csv_field(header, d) << d;
  out << "abmtier_line" << d << "abmtier_reason\n";
  for (const RejectedRow& row : read.rejects) {
    // A row with an unbalanced quote goes in as one quoted value, so the
    // file stays readable; everything else is the input's bytes verbatim.
    if (unbalanced_quotes(row.raw))
      out << csv_field(row.raw, d);
    else
      out << row.raw;
    out << d << row.line << d << csv_field(reasons(row), d) << '\n';
  }
  file.commit();
}

}  // namespace abmtier::cli
