// Output files that are either the complete new version or the old one
// untouched (SPEC 9): bytes go to a temporary file beside the target, which
// is fsynced and renamed into place on commit(). Devices and FIFOs cannot be
// replaced, so they are written directly. The stream is a small buffer over
// a file descriptor that remembers the OS error of a failed write, so the
// message can say "cannot write 'out.csv': No space left on device". When
// SIGTERM, SIGINT or SIGHUP ends the run, the temporary files are removed
// (SIGKILL cannot be caught: it leaves a hidden `.NAME.tmp-XXXXXX` beside
// the target, and the target itself untouched).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "abmtier/error.h"
#include "abmtier/writer.h"

namespace abmtier {
namespace {

/// Bytes buffered before a write(2); larger writes go straight through.
constexpr std::size_t kBufferBytes = std::size_t{1} << 16;

std::string os_reason(int error) {
  return error != 0 ? std::string(std::strerror(error)) : std::string("an unknown I/O error");
}

Error write_error(const std::string& path, int error) {
  return Error(ExitCode::kRuntime, fmt::format("cannot write '{}': {}", path, os_reason(error)));
}

// A write-only stream buffer over a file descriptor. The first failing
// write(2) is remembered and every later write fails at once, so the
// reported reason is the original one.
class FdBuf final : public std::streambuf {
 public:
  FdBuf(int fd, std::string path) : fd_(fd), path_(std::move(path)), buffer_(kBufferBytes) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }
  const std::string& path() const { return path_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const auto size = static_cast<std::size_t>(n);
    if (size <= static_cast<std::size_t>(epptr() - pptr())) {
      std::memcpy(pptr(), s, size);
      pbump(static_cast<int>(n));
      return n;
    }
    if (!drain()) return 0;
    if (size >= buffer_.size()) return write_all(s, size) ? n : 0;
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(n));
    return n;
  }

  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const auto size = static_cast<std::size_t>(pptr() - pbase());
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return write_all(buffer_.data(), size);
  }

  bool write_all(const char* data, std::size_t size) {
    if (error_ != 0) return false;
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        error_ = written < 0 ? errno : EIO;
        return false;
      }
      data += written;
      size -= static_cast<std::size_t>(written);
    }
    return true;
  }

  int fd_;
  std::string path_;
  std::vector<char> buffer_;
  int error_ = 0;
};

// Temporary files a signal handler must remove: a fixed table it can read
// without locks or allocation. More files than slots are simply not
// cleaned up on a signal (a run writes four at most).
struct PendingTemp {
  std::atomic<bool> used{false};
  char path[PATH_MAX] = {};
};
constexpr std::size_t kPendingSlots = 16;
PendingTemp g_pending[kPendingSlots];

extern "C" void remove_pending_temps(int signal_number) {
  for (auto& pending : g_pending)
    if (pending.used.load(std::memory_order_acquire)) ::unlink(pending.path);
  // SA_RESETHAND restored the default action; the signal is blocked while
  // this handler runs, so it ends the process as soon as the handler returns.
  ::raise(signal_number);
}

// Installs the handler for the signals that end a run politely (a cron
// timeout, Ctrl-C, a closed terminal), unless the signal is already ignored
// or handled by someone else.
void install_cleanup_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
      struct sigaction current {};
      if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler != SIG_DFL)
        continue;
      struct sigaction action {};
      action.sa_handler = remove_pending_temps;
      sigemptyset(&action.sa_mask);
      action.sa_flags = static_cast<int>(SA_RESETHAND);
      ::sigaction(signal_number, &action, nullptr);
    }
  });
}

void remember_temp(const std::string& path) {
  install_cleanup_handlers();
  if (path.size() >= PATH_MAX) return;
  for (auto& pending : g_pending) {
    if (pending.used.load(std::memory_order_relaxed)) continue;
    std::memcpy(pending.path, path.c_str(), path.size() + 1);
    pending.used.store(true, std::memory_order_release);
    return;
  }
}

void forget_temp(const std::string& path) {
  for (auto& pending : g_pending)
    if (pending.used.load(std::memory_order_relaxed) && path == pending.path) {
      pending.used.store(false, std::memory_order_release);
      return;
    }
}

class FdStream final : public std::ostream {
 public:
  FdStream(int fd, std::string path) : std::ostream(nullptr), buf_(fd, std::move(path)) { rdbuf(&buf_); }

 private:
  FdBuf buf_;
};

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A symbolic link is followed, so the file it points to is replaced and
// the link stays a link. A dangling link is replaced like a missing file.
std::string resolve_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : path;
}

// New files get the usual 0666 minus the umask; a replaced file keeps its
// permissions (mkstemp creates 0600).
mode_t mode_for(const struct stat* existing) {
  if (existing != nullptr) return existing->st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

void fsync_directory(const std::string& dir, const std::string& path) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename is done; durability is best effort here
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory; that is not a failed write.
  if (rc != 0 && error != EINVAL && error != ENOTSUP)
    throw Error(ExitCode::kRuntime, fmt::format("cannot write '{}': syncing its directory '{}' failed: {}",
                                                path, dir, os_reason(error)));
}

}  // namespace

std::string write_failure_message(const std::ostream& out, int os_error) {
  if (const auto* fd = dynamic_cast<const FdBuf*>(out.rdbuf()); fd != nullptr)
    return fmt::format("cannot write '{}': {}", fd->path(), os_reason(fd->error() != 0 ? fd->error() : os_error));
  if (out.rdbuf() == std::cout.rdbuf())
    return fmt::format("cannot write to standard output: {}", os_reason(os_error));
  return fmt::format("cannot write the output: {}", os_reason(os_error));
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_ == "-") return;
  target_ = resolve_target(path_);
  struct stat st {};
  const bool exists = ::stat(target_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode))
    throw Error(ExitCode::kRuntime, fmt::format("cannot write '{}': it is a directory; give a file name", path_));
  if (exists && !S_ISREG(st.st_mode)) {
    // A device or FIFO: renaming over it would replace it with a file.
    fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) throw write_error(path_, errno);
  } else {
    const std::string dir = directory_of(target_);
    const auto slash = target_.rfind('/');
    const std::string base = slash == std::string::npos ? target_ : target_.substr(slash + 1);
    std::string temp = (slash == std::string::npos ? std::string() : target_.substr(0, slash + 1)) + "." +
                       base + ".tmp-XXXXXX";
    fd_ = ::mkstemp(temp.data());
    if (fd_ < 0)
      throw Error(ExitCode::kRuntime,
                  fmt::format("cannot write '{}': cannot create a temporary file in '{}': {}; check that "
                              "the directory exists and is writable",
                              path_, dir, os_reason(errno)));
    temp_path_ = std::move(temp);
    remember_temp(temp_path_);
    ::fchmod(fd_, mode_for(exists ? &st : nullptr));
  }
  file_ = std::make_unique<FdStream>(fd_, path_);
}

AtomicFile::~AtomicFile() {
  file_.reset();
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    forget_temp(temp_path_);
  }
}

std::ostream& AtomicFile::stream() { return file_ ? *file_ : std::cout; }

void AtomicFile::commit() {
  if (committed_) return;
  if (!file_) {
    errno = 0;
    std::cout.flush();
    if (!std::cout) throw Error(ExitCode::kRuntime, write_failure_message(std::cout, errno));
    committed_ = true;
    return;
  }
  file_->flush();
  if (!*file_) throw Error(ExitCode::kRuntime, write_failure_message(*file_));
  // Devices and FIFOs have nothing to make durable; a file must be on disk
  // before the rename makes it visible.
  if (!temp_path_.empty() && ::fsync(fd_) != 0) throw write_error(path_, errno);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 && errno != EINTR) throw write_error(path_, errno);
  if (!temp_path_.empty()) {
    if (::rename(temp_path_.c_str(), target_.c_str()) != 0)
      throw Error(ExitCode::kRuntime, fmt::format("cannot write '{}': replacing it failed: {}", path_,
                                                  os_reason(errno)));
    // A signal after the rename finds no temporary file to remove: harmless.
    forget_temp(temp_path_);
    temp_path_.clear();
    fsync_directory(directory_of(target_), path_);
  }
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  errno = 0;
  file.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!file.stream()) throw Error(ExitCode::kRuntime, write_failure_message(file.stream(), errno));
  file.commit();
}

}  // namespace abmtier
