// Reporting rejected rows: on stderr (the first 20) and in a rejects file.
#pragma once

#include <string>

#include "abmtier/reader.h"
#include "commands.h"

namespace abmtier::cli {

/// Logs the rejected rows (the first 20, then a count) and applies
/// --on-error / --max-rejects. Returns false when the run must stop with
/// exit 3 before writing anything.
bool check_rejects(const RunOptions& options, const ReadResult& read);

/// Writes the rejects file: the input's header plus `abmtier_line` and
/// `abmtier_reason`, then each rejected record verbatim with its line and
/// reason appended.
void write_rejects_file(const std::string& path, const ReadResult& read);

/// "line 12, column fit: 'abc' is not ... expected ..." for one row.
std::string describe_reject(const RejectedRow& row);

}  // namespace abmtier::cli
