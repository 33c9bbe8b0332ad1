// The progress line: on a terminal, a run that takes more than a second
// shows what it is doing on one self-overwriting stderr line.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "abmtier/progress.h"

namespace abmtier::cli {

/// What the line says for a board's state, e.g. "reading 42% (512 MB of
/// 1.2 GB)" or "writing 37% (3,700,000 of 10,000,000 rows)".
std::string progress_text(Stage stage, std::uint64_t done, std::uint64_t total);

/// Watches progress() from its own thread while it lives: after `delay`,
/// every `every` it rewrites one line on `err` ("\r...\x1b[K"); the line is
/// erased when the watcher stops. Does nothing when not `enabled`.
class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool enabled,
               std::chrono::milliseconds delay = std::chrono::milliseconds(1000),
               std::chrono::milliseconds every = std::chrono::milliseconds(200));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  /// Stops watching and erases the line (also done by the destructor).
  void stop();

 private:
  void watch(std::chrono::milliseconds delay, std::chrono::milliseconds every);

  std::ostream& err_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::thread watcher_;
};

/// True when standard error is a terminal: the only place the line shows.
bool stderr_is_terminal();

}  // namespace abmtier::cli
