// Scoring: normalised scores to a composite (SPEC 3).
#pragma once

#include <optional>
#include <string_view>

#include "abmtier/account.h"
#include "abmtier/config.h"

namespace abmtier {

/// Reads one score value: a categorical map entry (case-insensitive), or a
/// decimal number (optional sign, fraction, exponent; a trailing `%`; a
/// decimal comma when `decimal_comma` is true) on the spec's scale,
/// normalised to 0..100. Returns std::nullopt for anything else, and for a
/// number outside the scale, NaN or infinite. The caller handles empties.
std::optional<double> parse_score(std::string_view text, const ScoreSpec& spec, bool decimal_comma);

/// Parses a plain decimal number with the SPEC 10 grammar (no hex, inf, nan,
/// `_` or thousands separators); a decimal comma only when allowed.
std::optional<double> parse_decimal(std::string_view text, bool decimal_comma);

/// The composite's weights in `config`.
Weights weights_of(const Config& config);
/// composite = (wf*fit + wi*intent + we*engagement) / (wf + wi + we),
/// evaluated in that order in double precision (Weights::composite).
double composite_score(double fit, double intent, double engagement, const Config& config);

/// Scores the table with `config`'s weights: every row's composite_of()
/// then follows them.
void score_accounts(AccountTable& table, const Config& config);

}  // namespace abmtier
