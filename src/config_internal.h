// Internals of the config module, shared by src/config*.cpp and nothing else.
//
// Parsing has three steps: the JSON text becomes a document, the `--set`
// overrides are written into that document, and the document is read into a
// Config section by section. Every check on a value happens in that last
// step (config_sections.cpp), through the typed readers declared here, so a
// value from a file and a value from --set meet the same rules.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "abmtier/config.h"

namespace abmtier::config_detail {

using Json = nlohmann::json;

/// Largest count accepted for reps, caps and per-rep caps: large enough for
/// any sales team, small enough that reps * per_rep cannot overflow.
inline constexpr std::int64_t kMaxCount = 1'000'000'000;

/// One `--set KEY=VALUE`, split and parsed.
struct SetOverride {
  std::string text;                ///< as given on the command line, for messages
  std::string key;                 ///< the dotted key path, trimmed
  std::vector<std::string> parts;  ///< the key split at its dots
  Json value;                      ///< VALUE as JSON, or as a JSON string
};

/// Splits and parses one --set argument. Throws Error(kUsage) for a missing
/// `=`, an empty key or an empty part of the key.
SetOverride parse_set(std::string_view text);

/// Writes an override into the document, creating intermediate sections.
/// Throws Error(kUsage) when a part of the path already holds a non-section.
void apply_set(Json& document, const SetOverride& set);

/// Knows where each value came from (the config file or a --set) and builds
/// the error messages.
class Origin {
 public:
  Origin(std::string_view source, const std::vector<SetOverride>& sets)
      : source_(source), sets_(sets) {}

  /// Throws Error(kUsage): "<where>: `path` <problem>", where <where> is the
  /// --set that wrote the value at `path`, or else the config source.
  [[noreturn]] void fail(std::string_view path, std::string_view problem) const;
  /// "`path`", plus "(from --set ...)" when a --set wrote it; for naming a
  /// second key inside a message.
  std::string ref(std::string_view path) const;
  /// True when a --set wrote the value at `path` (or a part of it).
  bool from_set(std::string_view path) const;

 private:
  const SetOverride* set_for(std::string_view path) const;

  std::string source_;
  const std::vector<SetOverride>& sets_;
};

/// A value inside the document and its key path ("capacity.tier1.per_rep").
struct Node {
  const Json* value;
  std::string path;
};

/// The member `key` of an object node, if present.
std::optional<Node> member(const Node& object, std::string_view key);

/// The rule for one number: its range, whether it must be whole, and what
/// null means (empty = null is not allowed).
struct NumberRule {
  double lo;
  double hi;  ///< +infinity for no upper bound
  bool whole = false;
  std::string_view null_means = {};
};

/// The value as shown in messages: compact JSON, shortened when long.
std::string shown(const Json& value);

/// Fails unless the node is a JSON object.
void expect_object(const Node& node, const Origin& origin);
/// Fails on the first key (in byte order) that is not in `known`, suggesting
/// the closest known key.
void check_keys(const Node& node, std::initializer_list<std::string_view> known,
                const Origin& origin);
/// The known key closest to `key` (case, `_`, `-` and spaces ignored), or
/// empty when none is close enough to be a likely typo.
std::string_view closest_key(std::string_view key, std::initializer_list<std::string_view> known);

/// A number that must be present (null fails).
double read_number(const Node& node, const NumberRule& rule, const Origin& origin);
/// A number, or std::nullopt for null (the rule must say what null means).
std::optional<double> read_optional_number(const Node& node, const NumberRule& rule,
                                           const Origin& origin);
/// A whole number within the rule, or std::nullopt for null when allowed.
std::optional<std::int64_t> read_optional_count(const Node& node, const NumberRule& rule,
                                                const Origin& origin);
/// A string; `allowed` describes what is expected, for the message.
std::string read_string(const Node& node, std::string_view allowed, const Origin& origin);
/// true or false.
bool read_bool(const Node& node, const Origin& origin);

/// Reads every section of the document into `config` (which holds the
/// defaults), checking every key, type, range and cross-key rule.
void read_sections(const Json& document, const Origin& origin, Config& config);
/// The part of read_sections for hysteresis, capacity, plan, coverage,
/// input and output.
void read_gate_sections(const Node& root, const Origin& origin, Config& config);

/// Lower-cases ASCII letters.
std::string lower(std::string_view text);
/// Drops spaces and tabs at both ends.
std::string_view trim(std::string_view text);

}  // namespace abmtier::config_detail
