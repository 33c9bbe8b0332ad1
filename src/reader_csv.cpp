// Reading whole inputs into memory, and the generic CSV table for the small
// side files (overrides, previous outputs).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include <fmt/format.h>

#include "abmtier/progress.h"
#include "abmtier/reader.h"
#include "reader_internal.h"

namespace abmtier {
namespace {

using reader_detail::Record;
using reader_detail::Splitter;

// Reads everything from `fd` into `out`; false on a read error. The buffer
// starts at `size_hint` + 1 bytes (so a regular file's end is seen without
// growing) and doubles when full, so large pipes copy little.
bool read_all(int fd, std::string& out, std::size_t size_hint) {
  constexpr std::size_t kMinBuffer = 1 << 16;
  const std::size_t initial = std::max(size_hint + 1, kMinBuffer);
  out.reserve(initial);
  reader_detail::advise_huge_pages(out.data(), initial);
  out.resize(initial);
  std::size_t used = 0;
  ProgressBoard& board = progress();
  board.begin(Stage::kLoading, size_hint);
  for (;;) {
    board.set_done(used);
    if (used == out.size()) out.resize(out.size() * 2);
    const ssize_t got = ::read(fd, out.data() + used, out.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      out.resize(used);
      return got == 0;
    }
    used += static_cast<std::size_t>(got);
  }
}

// The fields of the record last split, unescaped and trimmed.
std::vector<std::string> collect(Splitter& splitter) {
  std::vector<std::string> fields;
  fields.reserve(splitter.fields().size());
  for (std::size_t i = 0; i < splitter.fields().size(); ++i)
    fields.emplace_back(splitter.finish(i, true));
  return fields;
}

// Throws for a record that cannot be split into the header's fields: a side
// file is a deliberate instruction, so a malformed line stops the run.
void check_record(const Record& record, std::string_view source, std::size_t expected,
                  Splitter& splitter) {
  const auto fail = [&](const std::string& what) {
    throw Error(ExitCode::kUsage,
                fmt::format("{}, line {}: {}. Fix that line and run again.", source, record.line,
                            what));
  };
  if (record.stray_quote)
    fail(fmt::format("the value '{}' is not quoted although it holds a \"; write the whole value "
                     "in quotes and double the \" in it",
                     reader_detail::open_quote_field(record.text(), splitter.delimiter()).text));
  if (record.unterminated)
    fail(fmt::format("a quoted field that starts on line {} is never closed (a \" is missing)",
                     record.line));
  if (record.text().find('\0') != std::string_view::npos) fail("the line contains a NUL byte");
  splitter.split(record.text());
  if (splitter.fields().size() != expected)
    fail(fmt::format("expected {} fields like the header, found {}", expected,
                     splitter.fields().size()));
}

}  // namespace

InputBytes::InputBytes(InputBytes&& other) noexcept
    : owned_(std::move(other.owned_)), map_(std::exchange(other.map_, nullptr)), size_(std::exchange(other.size_, 0)) {}

InputBytes& InputBytes::operator=(InputBytes&& other) noexcept {
  if (this != &other) {
    this->~InputBytes();
    new (this) InputBytes(std::move(other));
  }
  return *this;
}

InputBytes::~InputBytes() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), size_);
}

InputBytes InputBytes::map_file(int fd, std::size_t size, const std::string& path) {
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED)
    throw Error(ExitCode::kRuntime, fmt::format("cannot read input file '{}': {}.", path, std::strerror(errno)));
  static_cast<void>(::madvise(map, size, MADV_WILLNEED));  // start reading ahead
  InputBytes bytes;
  bytes.map_ = static_cast<const char*>(map);
  bytes.size_ = size;
  return bytes;
}

void InputBytes::release(const char* from, const char* to) const {
  if (map_ == nullptr || from < map_ || to > map_ + size_) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto first = (reinterpret_cast<std::uintptr_t>(from) + page - 1) & ~(page - 1);
  const auto last = reinterpret_cast<std::uintptr_t>(to) & ~(page - 1);
  if (last > first)
    static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED));
}

void InputBytes::populate(const char* from, const char* to) const {
#ifdef MADV_POPULATE_READ
  if (map_ == nullptr || from < map_ || to > map_ + size_ || to <= from) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto first = reinterpret_cast<std::uintptr_t>(from) & ~(page - 1);
  const auto last = reinterpret_cast<std::uintptr_t>(to);
  static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_READ));
#else
  static_cast<void>(from);
  static_cast<void>(to);
#endif
}

namespace {

// Opens `path` for reading, or throws the message read_input promises.
int open_input(const std::string& path, struct stat& info) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  if (fd >= 0 && ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) error = EISDIR;
  if (error != 0) {
    if (fd >= 0) ::close(fd);
    throw Error(ExitCode::kUsage,
                fmt::format("cannot open input file '{}': {}. Check the path, and that the file "
                            "exists and is readable.",
                            path, std::strerror(error)));
  }
  return fd;
}

}  // namespace

InputBytes load_input(const std::string& path) {
  // Small files are cheaper to copy than to map.
  constexpr std::size_t kMapFrom = std::size_t{1} << 20;
  if (path != "-") {
    struct stat info {};
    const int fd = open_input(path, info);
    if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) >= kMapFrom) {
      try {
        InputBytes bytes = InputBytes::map_file(fd, static_cast<std::size_t>(info.st_size), path);
        ::close(fd);
        return bytes;
      } catch (...) {
        ::close(fd);
        throw;
      }
    }
    ::close(fd);
  }
  return InputBytes(read_input(path));
}

std::string read_input(const std::string& path) {
  std::string data;
  if (path == "-") {
    if (!read_all(STDIN_FILENO, data, 0))
      throw Error(ExitCode::kRuntime,
                  fmt::format("error reading standard input: {}.", std::strerror(errno)));
    return data;
  }
  struct stat info {};
  const int fd = open_input(path, info);
  const bool ok =
      read_all(fd, data, S_ISREG(info.st_mode) ? static_cast<std::size_t>(info.st_size) : 0);
  const int read_error = errno;
  ::close(fd);
  if (!ok)
    throw Error(ExitCode::kRuntime,
                fmt::format("error reading input file '{}': {}.", path, std::strerror(read_error)));
  return data;
}

CsvTable read_csv_table(std::string_view data, std::string_view source) {
  const auto prepared = reader_detail::prepare_input(data, source, ExitCode::kUsage);
  reader_detail::RecordFramer framer(prepared.data, prepared.cr_only);
  CsvTable table;
  Record record;
  if (!framer.next(record)) return table;
  reader_detail::check_header(record, source, ExitCode::kUsage);
  Splitter splitter(reader_detail::detect_delimiter(record.text()));
  framer.set_delimiter(splitter.delimiter());
  splitter.split(record.text());
  table.header = collect(splitter);
  while (framer.next(record)) {
    check_record(record, source, table.header.size(), splitter);
    table.rows.push_back(collect(splitter));
    table.lines.push_back(record.line);
  }
  return table;
}

}  // namespace abmtier
