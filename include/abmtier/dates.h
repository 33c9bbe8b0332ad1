// Calendar dates as days since 1970-01-01 (UTC), for last_touch and --as-of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace abmtier {

/// Days since 1970-01-01 of a proleptic Gregorian date; nullopt when the
/// date does not exist (2026-02-30) or the year is outside 1..9999.
std::optional<std::int32_t> days_from_civil(int year, int month, int day);

/// Parses an ISO 8601 date ("2026-11-03") or date-time ("2026-11-03T14:05",
/// "2026-11-03 14:05:09Z", "2026-11-03T14:05:09.123+01:00"; the date part is
/// taken as written). With a non-empty `format`, values that are not ISO are
/// tried against it: strptime-style %Y %m %d %y %b %H %M %S and literals, so
/// "%m/%d/%Y" reads "11/03/2026". Surrounding spaces are ignored.
std::optional<std::int32_t> parse_date(std::string_view text, std::string_view format = {});

/// "YYYY-MM-DD".
std::string format_iso_date(std::int32_t days);

/// Today's date in UTC.
std::int32_t today_utc();

}  // namespace abmtier
