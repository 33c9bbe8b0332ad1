// Header mapping (SPEC 2): explicit `columns` entries first, then the
// normalised aliases; every failure is a usage error that lists the headers.
#include <fmt/format.h>

#include "abmtier/reader.h"
#include "reader_internal.h"

namespace abmtier {

std::string normalise_header(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  for (const char c : header) {
    if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

namespace reader_detail {
namespace {

std::string join_aliases(Column c) {
  std::string out;
  for (const auto alias : column_aliases(c))
    out += fmt::format("{}{}", out.empty() ? "" : ", ", alias);
  return out;
}

int find_explicit(const std::vector<std::string>& headers, std::string_view source, Column c,
                  std::string_view wanted) {
  int found = -1;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (!iequals(trim(headers[i]), trim(wanted))) continue;
    if (found >= 0)
      throw Error(ExitCode::kUsage,
                  fmt::format("{}: columns.{} is \"{}\", and two headers match it (columns {} and "
                              "{}). Rename one of them in the file so the mapping is unambiguous.",
                              source, column_key(c), wanted, found + 1, i + 1));
    found = static_cast<int>(i);
  }
  if (found < 0)
    throw Error(ExitCode::kUsage,
                fmt::format("{}: the config sets columns.{} to \"{}\", but the header has no such "
                            "column. Headers found: {}. Fix columns.{} in the config (case and "
                            "surrounding spaces are ignored).",
                            source, column_key(c), wanted, list_headers(headers), column_key(c)));
  return found;
}

int find_alias(const std::vector<std::string>& headers, const std::vector<std::string>& normalised,
               const std::vector<std::uint8_t>& claimed, std::string_view source, Column c) {
  int found = -1;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (claimed[i] != 0) continue;
    bool match = false;
    for (const auto alias : column_aliases(c)) match = match || normalised[i] == alias;
    if (!match) continue;
    if (found >= 0)
      throw Error(ExitCode::kUsage,
                  fmt::format("{}: two headers match the {} column: \"{}\" (column {}) and \"{}\" "
                              "(column {}). Choose one in the config, e.g. \"columns\": "
                              "{{\"{}\": \"{}\"}}, or rename the other header.",
                              source, column_key(c), headers[static_cast<std::size_t>(found)],
                              found + 1, headers[i], i + 1, column_key(c),
                              headers[static_cast<std::size_t>(found)]));
    found = static_cast<int>(i);
  }
  return found;
}

// A header read as one column that holds another delimiter: the delimiter
// was forced (--delimiter, input.delimiter) to the wrong one.
std::string delimiter_hint(const std::vector<std::string>& headers) {
  if (headers.size() != 1) return {};
  const char d = detect_delimiter(headers[0]);
  if (headers[0].find(d) == std::string::npos) return {};
  const std::string name = d == '\t' ? "tab" : std::string(1, d);
  return fmt::format(" The header was read as one column but holds '{}': if that is the "
                     "delimiter, use --delimiter {} (or leave it out to detect it).",
                     d == '\t' ? "\\t" : name, name);
}

void check_required(const HeaderMap& map, const std::vector<std::string>& headers,
                    std::string_view source, const Config& config) {
  for (int k = 0; k < kColumnCount; ++k) {
    const auto c = static_cast<Column>(k);
    if (!column_required(c) || map.index[static_cast<std::size_t>(k)] >= 0) continue;
    throw Error(ExitCode::kUsage,
                fmt::format("{}: the required {} column was not found. Headers found: {}. Name "
                            "it in the config with \"columns\": {{\"{}\": \"<your header>\"}}, "
                            "or rename the header to one of: {} (case, spaces, underscores, "
                            "dashes and dots are ignored).{}",
                            source, column_key(c), list_headers(headers), column_key(c),
                            join_aliases(c), delimiter_hint(headers)));
  }
  if (config.weight_engagement > 0 && map.index[static_cast<std::size_t>(Column::kEngagement)] < 0)
    throw Error(ExitCode::kUsage,
                fmt::format("{}: weights.engagement is {}, but the file has no engagement column. "
                            "Headers found: {}. Map one with \"columns\": {{\"engagement\": "
                            "\"<your header>\"}}, or set weights.engagement to 0.",
                            source, config.weight_engagement, list_headers(headers)));
}

std::vector<int> map_keep(const std::vector<std::string>& headers, std::string_view source,
                          const Config& config) {
  std::vector<int> keep;
  for (const auto& wanted : config.keep) {
    int found = -1;
    for (std::size_t i = 0; i < headers.size() && found < 0; ++i)
      if (iequals(trim(headers[i]), trim(wanted))) found = static_cast<int>(i);
    if (found < 0)
      throw Error(ExitCode::kUsage,
                  fmt::format("{}: the column \"{}\" to keep (--keep or output.keep) is not in "
                              "the header. Headers found: {}. Use one of these names (case and "
                              "surrounding spaces are ignored).",
                              source, wanted, list_headers(headers)));
    keep.push_back(found);
  }
  return keep;
}

}  // namespace

HeaderMap map_header(const std::vector<std::string>& headers, std::string_view source,
                     const Config& config) {
  HeaderMap map;
  map.index.fill(-1);
  std::vector<std::uint8_t> claimed(headers.size(), 0);
  // Explicit mappings first, so a header named in the config is never also
  // taken by another column's alias.
  for (const auto& [column, wanted] : config.columns) {
    const int i = find_explicit(headers, source, column, wanted);
    map.index[static_cast<std::size_t>(column)] = i;
    claimed[static_cast<std::size_t>(i)] = 1;
  }
  std::vector<std::string> normalised;
  normalised.reserve(headers.size());
  for (const auto& header : headers) normalised.push_back(normalise_header(header));
  for (int k = 0; k < kColumnCount; ++k) {
    const auto c = static_cast<Column>(k);
    if (config.columns.count(c) == 0)
      map.index[static_cast<std::size_t>(k)] = find_alias(headers, normalised, claimed, source, c);
  }
  check_required(map, headers, source, config);
  map.keep = map_keep(headers, source, config);
  return map;
}

}  // namespace reader_detail
}  // namespace abmtier
