// The one error type of the core, and the exit codes of SPEC 9.
#pragma once

#include <stdexcept>
#include <string>

namespace abmtier {

/// Process exit codes (SPEC 9). Kept below 100: CLI11 uses 100-127.
enum class ExitCode : int {
  kOk = 0,
  kRuntime = 1,    ///< I/O failure, disk full
  kUsage = 2,      ///< bad flags, bad config, missing required column
  kData = 3,       ///< rejected input rows (--on-error fail or --max-rejects)
  kAlert = 4,      ///< an alert named in --fail-on-alert was raised
  kLocked = 75,    ///< another run holds the state lock
};

/// Every failure inside the core is an Error carrying the exit code it maps
/// to and a message written for the person running the tool: what went
/// wrong, where, and what to do next. Library exceptions are translated into
/// Error where they occur; main() turns Error into an exit code.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace abmtier
