#include "rejects.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/writer.h"

namespace abmtier::cli {
namespace {

constexpr std::size_t kShownRejects = 20;

std::string csv_field(std::string_view field, char delimiter) {
  if (field.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string_view::npos)
    return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string reasons(const RejectedRow& row) {
  std::string out;
  for (const Problem& p : row.problems) {
    if (!out.empty()) out += "; ";
    if (p.column.empty())
      out += p.expected;
    else
      out += fmt::format("column {}: '{}' is not {}", p.column, p.value, p.expected);
  }
  return out;
}

}  // namespace

std::string describe_reject(const RejectedRow& row) {
  return fmt::format("line {}: {}", row.line, reasons(row));
}

bool check_rejects(const RunOptions& options, const ReadResult& read) {
  const auto& rejects = read.rejects;
  if (rejects.empty()) return true;
  for (std::size_t i = 0; i < rejects.size() && i < kShownRejects; ++i)
    spdlog::error("{} {}", read.stats.source, describe_reject(rejects[i]));
  if (rejects.size() > kShownRejects)
    spdlog::error("... and {} more rejected row(s){}", rejects.size() - kShownRejects,
                  options.rejects_path.empty() ? " (use --on-error skip --rejects FILE to list them all)" : "");
  const std::uint64_t total = read.stats.rows_read;
  if (options.on_error == "fail") {
    spdlog::error("{} of {} row(s) rejected; nothing was written. Fix those rows in the export, or run "
                  "with --on-error skip to tier the other rows (add --rejects FILE to keep the bad ones)",
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
  for (const RejectedRow& row : read.rejects)
    out << row.raw << d << row.line << d << csv_field(reasons(row), d) << '\n';
  file.commit();
}

}  // namespace abmtier::cli
