// How many threads the stages may use, and a helper to split work over
// them. Results never depend on the thread count: work is split into parts
// whose results are combined in part order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace abmtier {

/// Threads the stages may use: set by `--threads`; 0 (the default) means
/// one per core.
unsigned thread_count();
void set_thread_count(unsigned threads);

/// Calls fn(part) for every part in [0, parts), spread over at most
/// thread_count() threads (the caller's thread is one of them). Rethrows the
/// first exception a part threw, after all threads have finished.
template <class Fn>
void for_each_part(std::size_t parts, Fn&& fn) {
  const std::size_t threads = std::min<std::size_t>(thread_count(), parts);
  if (threads <= 1) {
    for (std::size_t p = 0; p < parts; ++p) fn(p);
    return;
  }
  std::vector<std::exception_ptr> failures(threads);
  auto work = [&](std::size_t first) {
    try {
      for (std::size_t p = first; p < parts; p += threads) fn(p);
    } catch (...) {
      failures[first] = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t w = 1; w < threads; ++w) helpers.emplace_back(work, w);
  work(0);
  for (auto& helper : helpers) helper.join();
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace abmtier
