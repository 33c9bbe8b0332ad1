// abmtier: the executable only wires the process to cli_main, and sets how
// the process gets its memory.
#include <malloc.h>
#include <sys/mman.h>

#include <climits>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "abmtier/cli.h"

// Large blocks (the input, the table's columns, the sort keys) are asked to
// be backed by 2 MiB transparent huge pages. Where the kernel gives huge
// pages only on request (THP "madvise" mode, Debian's default), fresh
// memory otherwise costs a page fault per 4 KiB, which at ten million rows
// was a third of the run (bench/RESULTS.md). The advice is a hint: nothing
// changes when the kernel ignores it.
//
// Sanitizers bring their own allocator and check that every block is freed
// the way it was allocated; the hint is left out of those builds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ABMTIER_HUGE_PAGE_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define ABMTIER_HUGE_PAGE_NEW 0
#endif
#endif
#ifndef ABMTIER_HUGE_PAGE_NEW
#define ABMTIER_HUGE_PAGE_NEW 1
#endif

#if ABMTIER_HUGE_PAGE_NEW
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kAdviseFrom = 4 * kHugePage;

void advise_huge(void* block, std::size_t bytes) {
  const auto start = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = (start + bytes) & ~(kHugePage - 1);
  if (last > first) static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE));
}

}  // namespace

void* operator new(std::size_t bytes) {
  void* block = std::malloc(bytes != 0 ? bytes : 1);
  if (block == nullptr) throw std::bad_alloc();
  if (bytes >= kAdviseFrom) advise_huge(block, bytes);
  return block;
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
#endif

int main(int argc, char** argv) {
  // Freed blocks stay with the process for the next stage to reuse instead
  // of going back to the kernel, which would hand out fresh pages (zeroed,
  // one fault each) for every new column.
  ::mallopt(M_MMAP_MAX, 0);
  ::mallopt(M_TRIM_THRESHOLD, INT_MAX);
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv, argv + argc);
  return abmtier::cli_main(args, {std::cin, std::cout, std::cerr});
}
