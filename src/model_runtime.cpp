// Process-wide run settings: the thread count and the progress board.
#include <atomic>

#include "abmtier/parallel.h"

namespace abmtier {
namespace {
std::atomic<unsigned> requested_threads{0};
}  // namespace

unsigned thread_count() {
  const unsigned requested = requested_threads.load(std::memory_order_relaxed);
  if (requested != 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void set_thread_count(unsigned threads) { requested_threads.store(threads, std::memory_order_relaxed); }

}  // namespace abmtier

#include "abmtier/progress.h"

namespace abmtier {

ProgressBoard& progress() {
  static ProgressBoard board;
  return board;
}

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::kLoading: return "loading";
    case Stage::kReading: return "reading";
    case Stage::kTiering: return "tiering";
    case Stage::kWriting: return "writing";
    case Stage::kIdle: break;
  }
  return "";
}

}  // namespace abmtier
