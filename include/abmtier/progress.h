// Progress of a long run, for the progress line on a terminal. The stages
// publish where they are; the command line shows it. Publishing is a
// relaxed atomic store every few thousand rows, so it costs nothing
// measurable when nobody watches.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace abmtier {

enum class Stage : std::uint8_t { kIdle, kLoading, kReading, kTiering, kWriting };

class ProgressBoard {
 public:
  /// Starts a stage that will count up to `total` units (0 = unknown).
  void begin(Stage stage, std::uint64_t total) {
    done_.store(0, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
    stage_.store(stage, std::memory_order_relaxed);
  }
  void set_done(std::uint64_t done) { done_.store(done, std::memory_order_relaxed); }
  /// For stages whose parts run on several threads.
  void add_done(std::uint64_t more) { done_.fetch_add(more, std::memory_order_relaxed); }
  Stage stage() const { return stage_.load(std::memory_order_relaxed); }
  std::uint64_t done() const { return done_.load(std::memory_order_relaxed); }
  std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }

 private:
  std::atomic<Stage> stage_{Stage::kIdle};
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
};

/// The process's board.
ProgressBoard& progress();

/// "loading", "reading", "tiering", "writing"; "" when idle.
std::string_view stage_name(Stage stage);

}  // namespace abmtier
