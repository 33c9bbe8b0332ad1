// What fresh memory costs on this machine: maps 1 GiB four times, touches
// one byte per 4 KiB page, then writes all of it, and unmaps it. Rounds 0-1
// use 4 KiB pages; rounds 2-3 ask for transparent huge pages
// (MADV_HUGEPAGE). Round 3 gets the huge pages round 2 just gave back.
//
//   g++ -O2 -std=c++20 -o fresh_memory bench/fresh_memory.cpp && ./fresh_memory
//
// bench/RESULTS.md quotes its figures; it is not part of bench/run.sh.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstring>

int main() {
  constexpr std::size_t kBytes = std::size_t{1} << 30;
  using Clock = std::chrono::steady_clock;
  for (int round = 0; round < 4; ++round) {
    const bool huge = round >= 2;
    const auto started = Clock::now();
    void* map = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
      std::perror("mmap");
      return 1;
    }
    auto* bytes = static_cast<char*>(map);
    if (huge) ::madvise(bytes, kBytes, MADV_HUGEPAGE);
    for (std::size_t i = 0; i < kBytes; i += 4096) bytes[i] = 1;
    const auto touched = Clock::now();
    std::memset(bytes, 2, kBytes);
    const auto written = Clock::now();
    ::munmap(bytes, kBytes);
    std::printf("round %d (%s pages): first touch %.3f s/GiB, then writing it all %.3f s/GiB\n", round,
                huge ? "2 MiB" : "4 KiB", std::chrono::duration<double>(touched - started).count(),
                std::chrono::duration<double>(written - touched).count());
  }
  return 0;
}
