#include "progress_line.h"

#include <unistd.h>

#include <fmt/format.h>

namespace abmtier::cli {
namespace {

std::string megabytes(std::uint64_t bytes) {
  const double mb = static_cast<double>(bytes) / 1e6;
  return mb >= 1000 ? fmt::format("{:.1f} GB", mb / 1000) : fmt::format("{:.0f} MB", mb);
}

std::string grouped(std::uint64_t n) {
  std::string digits = fmt::format("{}", n);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

}  // namespace

std::string progress_text(Stage stage, std::uint64_t done, std::uint64_t total) {
  const std::string_view name = stage_name(stage);
  if (name.empty()) return {};
  if (total == 0) return fmt::format("abmtier: {}...", name);
  const std::uint64_t percent = std::min<std::uint64_t>(100, done * 100 / total);
  if (stage == Stage::kWriting)
    return fmt::format("abmtier: {} {}% ({} of {} rows)", name, percent, grouped(done), grouped(total));
  return fmt::format("abmtier: {} {}% ({} of {})", name, percent, megabytes(done), megabytes(total));
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(std::ostream& err, bool enabled, std::chrono::milliseconds delay,
                           std::chrono::milliseconds every)
    : err_(err) {
  if (enabled) watcher_ = std::thread([this, delay, every] { watch(delay, every); });
}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void ProgressLine::watch(std::chrono::milliseconds delay, std::chrono::milliseconds every) {
  std::unique_lock lock(mutex_);
  if (stopped_.wait_for(lock, delay, [this] { return stop_; })) return;
  bool shown = false;
  do {
    const ProgressBoard& board = progress();
    const std::string text = progress_text(board.stage(), board.done(), board.total());
    if (!text.empty()) {
      err_ << '\r' << text << "\x1b[K" << std::flush;
      shown = true;
    }
  } while (!stopped_.wait_for(lock, every, [this] { return stop_; }));
  if (shown) err_ << "\r\x1b[K" << std::flush;
}

}  // namespace abmtier::cli
