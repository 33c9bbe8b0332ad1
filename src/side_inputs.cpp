#include "abmtier/side_inputs.h"

#include <fmt/format.h>

#include "abmtier/dates.h"
#include "abmtier/error.h"
#include "abmtier/reader.h"

namespace abmtier {
namespace {

// Index of the header whose normalised name is one of `names`, or -1.
int find_column(const CsvTable& csv, std::initializer_list<std::string_view> names) {
  for (std::size_t c = 0; c < csv.header.size(); ++c) {
    const std::string key = normalise_header(csv.header[c]);
    for (std::string_view name : names)
      if (key == name) return static_cast<int>(c);
  }
  return -1;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string header_list(const CsvTable& csv) {
  std::string out;
  for (const auto& h : csv.header) out += (out.empty() ? "" : ", ") + h;
  return out.empty() ? "(none)" : out;
}

// An empty expiry means the pin never lapses.
std::optional<std::int32_t> read_expiry(const std::string& text, std::string_view source,
                                        const Override& o) {
  const std::string value = trimmed(text);
  if (value.empty()) return std::nullopt;
  const auto day = parse_date(value);
  if (!day || value.size() != 10)
    throw Error(ExitCode::kUsage,
                fmt::format("overrides file {}, line {}: expires '{}' for id {} is not a date; use "
                            "YYYY-MM-DD (the pin lapses after that day) or leave it empty",
                            source, o.line, value, o.id));
  return day;
}

}  // namespace

std::string unneutralise(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\'') {
    const char c = text[1];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r')
      return std::string(text.substr(1));
  }
  return std::string(text);
}

std::vector<Override> parse_overrides(std::string_view data, std::string_view source) {
  const CsvTable csv = read_csv_table(data, source);
  const int id_col = find_column(csv, {"id", "accountid", "recordid", "companyid"});
  const int tier_col = find_column(csv, {"tier"});
  const int reason_col = find_column(csv, {"reason", "note", "notes"});
  const int expires_col = find_column(csv, {"expires", "expiry", "expireson", "until"});
  if (id_col < 0 || tier_col < 0)
    throw Error(ExitCode::kUsage,
                fmt::format("overrides file {}: needs the columns id, tier and (optionally) reason; "
                            "found: {}",
                            source, header_list(csv)));
  std::vector<Override> out;
  std::unordered_map<std::string, std::uint64_t> seen;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    Override o;
    o.line = csv.lines[r];
    o.id = unneutralise(trimmed(row[static_cast<std::size_t>(id_col)]));
    const std::string& tier_text = row[static_cast<std::size_t>(tier_col)];
    const auto tier = parse_tier_lenient(tier_text);
    if (o.id.empty())
      throw Error(ExitCode::kUsage, fmt::format("overrides file {}, line {}: the id is empty", source, o.line));
    if (!tier || *tier == Tier::kNone)
      throw Error(ExitCode::kUsage,
                  fmt::format("overrides file {}, line {}: tier '{}' for id {} is not one of 1, 2, 3, "
                              "watchlist, outside",
                              source, o.line, tier_text, o.id));
    if (auto [it, fresh] = seen.emplace(o.id, o.line); !fresh)
      throw Error(ExitCode::kUsage,
                  fmt::format("overrides file {}, line {}: id {} is already pinned on line {}; keep one",
                              source, o.line, o.id, it->second));
    o.tier = *tier;
    if (reason_col >= 0) o.reason = unneutralise(trimmed(row[static_cast<std::size_t>(reason_col)]));
    if (expires_col >= 0) o.expires = read_expiry(row[static_cast<std::size_t>(expires_col)], source, o);
    out.push_back(std::move(o));
  }
  return out;
}

PreviousRun parse_previous(std::string_view data, std::string_view source) {
  const CsvTable csv = read_csv_table(data, source);
  const int id_col = find_column(csv, {"id"});
  const int tier_col = find_column(csv, {"tier"});
  const int name_col = find_column(csv, {"name"});
  if (id_col < 0 || tier_col < 0)
    throw Error(ExitCode::kUsage,
                fmt::format("previous run {}: expected an earlier abmtier output with `id` and `tier` "
                            "columns; found: {}",
                            source, header_list(csv)));
  PreviousRun out;
  for (const auto& row : csv.rows) {
    std::string id = unneutralise(trimmed(row[static_cast<std::size_t>(id_col)]));
    if (id.empty() || out.tier_by_id.count(id) != 0) continue;  // the first occurrence wins
    auto tier = parse_tier_lenient(row[static_cast<std::size_t>(tier_col)]);
    if (!tier) {
      ++out.unreadable_tiers;
      tier = Tier::kNone;
    }
    out.tier_by_id.emplace(id, *tier);
    out.ids.push_back(std::move(id));
    out.names.push_back(name_col < 0 ? std::string() : unneutralise(row[static_cast<std::size_t>(name_col)]));
  }
  return out;
}

}  // namespace abmtier
