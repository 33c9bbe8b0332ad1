#include "abmtier/state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "abmtier/dates.h"
#include "abmtier/error.h"
#include "abmtier/reader.h"
#include "abmtier/reason.h"
#include "abmtier/writer.h"

namespace abmtier {
namespace fs = std::filesystem;
namespace {

std::string file_in(const std::string& dir, std::string_view name) {
  return (fs::path(dir) / name).string();
}

std::optional<std::string> read_if_exists(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  return read_input(path);
}

std::optional<std::int32_t> read_state_as_of(const std::string& dir) {
  const auto text = read_if_exists(file_in(dir, "state.json"));
  if (!text) return std::nullopt;
  try {
    const auto json = nlohmann::json::parse(*text);
    if (auto day = parse_date(json.at("as_of").get<std::string>())) return day;
  } catch (const nlohmann::json::exception&) {
  }
  throw Error(ExitCode::kUsage, fmt::format("{} is damaged; restore it from a backup, or delete it to "
                                            "start the history from latest.csv",
                                            file_in(dir, "state.json")));
}

// Ids whose last event in the history is `dropped`.
std::unordered_set<std::string> dropped_in_history(const std::string& dir) {
  std::unordered_set<std::string> dropped;
  const auto text = read_if_exists(file_in(dir, "history.csv"));
  if (!text) return dropped;
  const CsvTable csv = read_csv_table(*text, file_in(dir, "history.csv"));
  for (const auto& row : csv.rows) {
    if (row.size() < 6) continue;
    if (row[5] == "dropped")
      dropped.insert(unneutralise(row[1]));
    else
      dropped.erase(unneutralise(row[1]));
  }
  return dropped;
}

std::string tier_text(Tier t) { return std::string(tier_name(t)); }

HistoryEvent event_for(const AccountTable& table, std::size_t i, Tier from, std::string change,
                       const Config& config, const CapacityResult& capacity) {
  HistoryEvent e;
  e.id = std::string(table.id_of(i));
  e.name = std::string(table.name_of(i));
  e.from = from;
  e.to = table.tier[i];
  e.change = std::move(change);
  e.composite = table.composite_of(i);
  e.reason = reason_for(table, i, config, capacity);
  return e;
}

}  // namespace

StateLock::StateLock(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string path = file_in(dir, ".lock");
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(ExitCode::kUsage, fmt::format("cannot open the state folder's lock {}: {}", path,
                                              std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ExitCode::kLocked,
                fmt::format("another abmtier run is using the state folder {} (lock {}); nothing was "
                            "changed. Let it finish, or check for a stuck run",
                            dir, path));
  }
}

StateLock::~StateLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

StateBaseline load_state(const std::string& dir, std::int32_t as_of) {
  StateBaseline b;
  b.last_as_of = read_state_as_of(dir);
  if (b.last_as_of && *b.last_as_of > as_of)
    throw Error(ExitCode::kUsage,
                fmt::format("the state in {} is already at {}; a run as of {} would rewrite history. "
                            "Use --as-of {} or later",
                            dir, format_iso_date(*b.last_as_of), format_iso_date(as_of),
                            format_iso_date(*b.last_as_of)));
  b.rerun = b.last_as_of && *b.last_as_of == as_of;
  const std::string latest_path = file_in(dir, "latest.csv");
  if (auto text = read_if_exists(latest_path)) b.latest = parse_previous(*text, latest_path);
  if (b.rerun) {
    const std::string baseline_path = file_in(dir, "baseline.csv");
    if (auto text = read_if_exists(baseline_path)) b.previous = parse_previous(*text, baseline_path);
  } else {
    b.previous = b.latest;
  }
  b.dropped_ids = dropped_in_history(dir);
  return b;
}

std::vector<HistoryEvent> diff_for_history(const std::optional<PreviousRun>& latest,
                                           const std::unordered_set<std::string>& dropped_ids,
                                           const AccountTable& table,
                                           const std::unordered_set<std::string>& expired_pins,
                                           const Config& config, const CapacityResult& capacity) {
  std::vector<HistoryEvent> events;
  std::unordered_set<std::string_view> present;
  present.reserve(table.size());
  for (std::uint32_t i : output_order(table)) {
    const std::string_view id = table.id_of(i);
    present.insert(id);
    Tier before = Tier::kNone;
    if (latest) {
      const auto it = latest->tier_by_id.find(std::string(id));
      if (it != latest->tier_by_id.end()) before = it->second;
    }
    const Tier after = table.tier[i];
    if (expired_pins.count(std::string(id)) != 0) {
      events.push_back(event_for(table, i, before, "pin-expired", config, capacity));
    } else if (before == Tier::kNone) {
      const bool back = dropped_ids.count(std::string(id)) != 0;
      events.push_back(event_for(table, i, before, back ? "re-added" : "new", config, capacity));
    } else if (before != after) {
      events.push_back(event_for(table, i, before, better(after, before) ? "promoted" : "demoted",
                                 config, capacity));
    }
  }
  if (!latest) return events;
  for (std::size_t k = 0; k < latest->ids.size(); ++k) {
    const std::string& id = latest->ids[k];
    const Tier before = latest->tier_by_id.at(id);
    if (present.count(id) != 0 || before == Tier::kNone) continue;
    events.push_back({id, latest->names[k], before, Tier::kNone, "dropped", std::nullopt,
                      "No longer in the CRM export"});
  }
  return events;
}

void append_history(const std::string& dir, std::int32_t as_of,
                    const std::vector<HistoryEvent>& events) {
  const std::string path = file_in(dir, "history.csv");
  std::error_code ec;
  const bool fresh = !fs::exists(path, ec) || fs::file_size(path, ec) == 0;
  std::string text;
  if (fresh) text += "as_of,id,name,from,to,change,composite,reason\n";
  const std::string day = format_iso_date(as_of);
  for (const HistoryEvent& e : events)
    text += fmt::format("{},{},{},{},{},{},{},{}\n", day, csv_field(e.id, ',', true),
                        csv_field(e.name, ',', true), tier_text(e.from), tier_text(e.to), e.change,
                        e.composite ? fmt::format("{:.2f}", *e.composite) : std::string(),
                        csv_field(e.reason, ',', true));
  if (events.empty() && !fresh) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error(ExitCode::kRuntime, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw Error(ExitCode::kRuntime, fmt::format("cannot append to {}: {}", path, std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw Error(ExitCode::kRuntime, fmt::format("cannot flush {} to disk", path));
}

std::unordered_map<std::string, Tier> replay_history(std::string_view history_csv) {
  std::unordered_map<std::string, Tier> tiers;
  const CsvTable csv = read_csv_table(history_csv, "history.csv");
  for (const auto& row : csv.rows) {
    if (row.size() < 5) continue;
    const auto to = parse_tier_strict(row[4]);
    if (to)
      tiers[unneutralise(row[1])] = *to;
    else
      tiers.erase(unneutralise(row[1]));
  }
  return tiers;
}

void commit_state(const std::string& dir, std::int32_t as_of, const StateBaseline& baseline,
                  std::string_view latest_csv, std::string_view summary_json) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "runs", ec);
  const std::string latest_path = file_in(dir, "latest.csv");
  // The first run of a night keeps what it started from, so a re-run of the
  // same night starts from the same tiers.
  if (!baseline.rerun) {
    if (auto text = read_if_exists(latest_path))
      write_file_atomically(file_in(dir, "baseline.csv"), *text);
    else
      fs::remove(file_in(dir, "baseline.csv"), ec);
  }
  const std::string day = format_iso_date(as_of);
  write_file_atomically((fs::path(dir) / "runs" / (day + ".json")).string(), summary_json);
  write_file_atomically(latest_path, latest_csv);
  write_file_atomically(file_in(dir, "state.json"), fmt::format("{{\"as_of\": \"{}\"}}\n", day));
}

}  // namespace abmtier
