// read_accounts: the CRM export into the account table (SPEC 2, 10). One
// pass over the records; each is split into a reused buffer, its used fields
// unescaped in place, and its values appended to the table's columns.
#include "abmtier/reader.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "abmtier/dates.h"
#include "abmtier/parallel.h"
#include "abmtier/progress.h"
#include "abmtier/scoring.h"
#include "reader_internal.h"

namespace abmtier {
namespace {

using namespace reader_detail;

std::string score_expectation(const ScoreSpec& spec) {
  std::string text = fmt::format("a number from {} to {}", spec.lo, spec.hi);
  if (spec.map.empty()) return text;
  text += " or one of ";
  bool first = true;
  for (const auto& entry : spec.map) {
    text += fmt::format("{}\"{}\"", first ? "" : ", ", entry.first);
    first = false;
  }
  return text;
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A record framed and split one row ahead of its processing, so that its
// id's slot in the id set loads from memory while the row before it is
// processed (the id set is the one random access per row).
struct Staged {
  enum class Shape : std::uint8_t { kOk, kUnterminated, kStrayQuote, kNul, kFieldCount };
  Record record;
  std::size_t splitter = 0;  ///< which of the two splitters holds its fields
  Shape shape = Shape::kOk;
};

struct Score {
  double value = 0;
  bool empty = false;  ///< the field was empty (counted for intent and engagement)
};

class AccountReader {
 public:
  /// `rest` is the input after the header (to size the columns), `eol` the
  /// byte that ends its lines.
  AccountReader(const Config& config, ReadResult& result, const HeaderMap& map,
                std::string_view rest, char eol);
  /// Splits `record` and starts loading its id's slot. Records are staged
  /// and read in input order, at most one staged ahead.
  void stage(const Record& record, Staged& staged);
  /// Accepts or rejects a staged record.
  void read(const Staged& staged);
  void note_utf8(const Record& record);
  const IdSet& ids() const { return ids_; }

 private:
  bool has(Column c) const { return map_.index[static_cast<std::size_t>(c)] >= 0; }
  std::size_t column_field(Column c) const {
    return static_cast<std::size_t>(map_.index[static_cast<std::size_t>(c)]);
  }
  std::string_view field(Column c, bool retrim) {
    return splitter_->finish(column_field(c), retrim);
  }
  const std::string& header(Column c) const { return stats_.headers[column_field(c)]; }
  std::string field_name(std::size_t index) const;
  void reject_shape(const Staged& staged);
  std::uint64_t check_id(std::string_view id);
  Score read_score(Column c, const ScoreSpec& spec, bool required);
  void accept(const Record& record, std::string_view id, const std::array<Score, 3>& scores);
  void append_metrics();
  double number_metric(Column c, std::uint64_t& bad_count);
  std::uint32_t intern_owner(std::string_view owner);
  Tier previous_tier(std::uint64_t line);
  void reject(const Record& record);

  const Config& config_;
  AccountTable& table_;
  ReadStats& stats_;
  std::vector<RejectedRow>& rejects_;
  const HeaderMap& map_;
  std::array<Splitter, 2> splitters_;
  Splitter* splitter_ = &splitters_[0];  ///< the splitter of the row being read
  std::size_t next_splitter_ = 0;
  std::size_t expected_rows_;
  std::size_t input_bytes_;
  IdSet ids_;
  bool decimal_comma_;
  char eol_;
  std::array<std::string, 3> expectations_;  ///< fit, intent, engagement
  std::vector<Problem> problems_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> owner_index_;
  std::uint32_t last_owner_ = kNoOwner;  ///< owner of the last row that had one
};

AccountReader::AccountReader(const Config& config, ReadResult& result, const HeaderMap& map,
                             std::string_view rest, char eol)
    : config_(config),
      table_(result.table),
      stats_(result.stats),
      rejects_(result.rejects),
      map_(map),
      splitters_{Splitter(result.stats.delimiter), Splitter(result.stats.delimiter)},
      expected_rows_(estimate_rows(rest, eol, result.stats.headers.size())),
      input_bytes_(rest.size()),
      ids_(result.table, expected_rows_),
      decimal_comma_(result.stats.delimiter != ','),
      eol_(eol),
      expectations_{score_expectation(config.fit_score), score_expectation(config.intent_score),
                    score_expectation(config.engagement_score)} {
  const std::size_t expected_rows = expected_rows_;
  auto& t = table_;
  for (auto* column : {&t.id, &t.name}) reserve_column(*column, expected_rows);
  for (auto* column : {&t.fit, &t.intent, &t.engagement}) reserve_column(*column, expected_rows);
  reserve_column(t.owner, expected_rows);
  reserve_column(t.line, expected_rows);
  reserve_column(t.input_previous_tier, expected_rows);
  if (has(Column::kLastTouch)) reserve_column(t.last_touch, expected_rows);
  if (has(Column::kPipeline)) reserve_column(t.pipeline, expected_rows);
  if (has(Column::kEngagedRoles)) reserve_column(t.engaged_roles, expected_rows);
  if (has(Column::kBuyingRoles)) reserve_column(t.buying_roles, expected_rows);
  t.kept.resize(map.keep.size());
  for (auto& column : t.kept) reserve_column(column, expected_rows);
}

void AccountReader::note_utf8(const Record& record) {
  if (stats_.first_invalid_utf8_line != 0) return;
  const std::size_t at = find_invalid_utf8(record.text());
  if (at == std::string_view::npos) return;
  // A quoted line break puts the bad byte on a later physical line.
  const auto breaks = std::count(record.begin, record.begin + at, eol_);
  stats_.first_invalid_utf8_line = record.line + static_cast<std::uint64_t>(breaks);
}

void AccountReader::stage(const Record& record, Staged& staged) {
  staged.record = record;
  staged.splitter = next_splitter_;
  next_splitter_ ^= 1;
  if (record.stray_quote) {
    staged.shape = Staged::Shape::kStrayQuote;
  } else if (record.unterminated) {
    staged.shape = Staged::Shape::kUnterminated;
  } else if (std::memchr(record.begin, '\0', record.text().size()) != nullptr) {
    staged.shape = Staged::Shape::kNul;
  } else {
    Splitter& splitter = splitters_[staged.splitter];
    splitter.split(record.text(), record.quoted);
    staged.shape = splitter.fields().size() == stats_.headers.size() ? Staged::Shape::kOk
                                                                     : Staged::Shape::kFieldCount;
    if (staged.shape != Staged::Shape::kOk) return;
    const std::string_view id = splitter.finish(column_field(Column::kId), true);
    if (!id.empty()) ids_.prefetch(id);
  }
}

void AccountReader::read(const Staged& staged) {
  const Record& record = staged.record;
  ++stats_.rows_read;
  note_utf8(record);
  splitter_ = &splitters_[staged.splitter];
  if (staged.shape != Staged::Shape::kOk) {
    reject_shape(staged);
    return;
  }
  problems_.clear();
  const std::string_view id = field(Column::kId, true);
  const std::array<Score, 3> scores{
      read_score(Column::kFit, config_.fit_score, true),
      read_score(Column::kIntent, config_.intent_score, false),
      read_score(Column::kEngagement, config_.engagement_score, false)};
  const std::uint64_t claimed_on = check_id(id);
  if (!problems_.empty()) {
    if (!id.empty() && claimed_on == 0) ids_.claim_rejected(id, record.line);
    reject(record);
    return;
  }
  accept(record, id, scores);
  ids_.claim_accepted();
}

// The header name of field `index`, for a line that could not be split.
std::string AccountReader::field_name(std::size_t index) const {
  if (index < stats_.headers.size()) return stats_.headers[index];
  return fmt::format("{} (past the last header)", index + 1);
}

// Rejects a record that could not be split into the header's fields. The
// field count is a whole-row problem; the others name the field they are in.
void AccountReader::reject_shape(const Staged& staged) {
  const Record& record = staged.record;
  const char d = stats_.delimiter;
  FieldAt at;
  std::string expected;
  switch (staged.shape) {
    case Staged::Shape::kUnterminated:
      at = open_quote_field(record.text(), d);
      expected = "closed: its opening \" has no closing \" (a \" inside a value is written as "
                 "\"\"); only this line is skipped";
      break;
    case Staged::Shape::kStrayQuote: {
      at = open_quote_field(record.text(), d);
      std::string fixed;
      for (const char c : at.text) fixed += c == '"' ? std::string("\"\"") : std::string(1, c);
      expected = fmt::format("quoted although it holds a \" (write it as \"{}\")", fixed);
      break;
    }
    case Staged::Shape::kNul:
      at = field_at(record.text(), record.text().find('\0'), d);
      expected = "text: it holds a NUL byte (the file may be damaged or not a text file; "
                 "re-save it as CSV UTF-8)";
      break;
    default: {
      const std::string shown = d == '\t' ? "\\t" : std::string(1, d);
      problems_.assign(1, Problem{"", fmt::format("{} fields", splitter_->fields().size()),
                                  fmt::format("{} fields like the header (quote any value that "
                                              "contains '{}')",
                                              stats_.headers.size(), shown)});
      reject(record);
      return;
    }
  }
  problems_.assign(1, Problem{field_name(at.index), std::string(at.text), std::move(expected)});
  reject(record);
}

// Returns the line that already claimed the id, or 0; adds the problem.
std::uint64_t AccountReader::check_id(std::string_view id) {
  // The id's problem goes first, before those of the scores.
  if (id.empty()) {
    problems_.insert(problems_.begin(), Problem{header(Column::kId), "", "a non-empty id"});
    return 0;
  }
  const std::uint64_t line = ids_.find(id);
  if (line != 0)
    problems_.insert(problems_.begin(),
                     Problem{header(Column::kId), std::string(id),
                             fmt::format("a unique id (this is a duplicate of the id on line {})",
                                         line)});
  return line;
}

Score AccountReader::read_score(Column c, const ScoreSpec& spec, bool required) {
  if (!has(c)) return Score{};
  const std::string& expected = expectations_[static_cast<std::size_t>(
      c == Column::kFit ? 0 : c == Column::kIntent ? 1 : 2)];
  const std::string_view text = field(c, true);
  if (text.empty()) {
    if (required)
      problems_.push_back(Problem{header(c), "", expected + " (the value is empty)"});
    return Score{0, true};
  }
  const auto value = parse_score(text, spec, decimal_comma_);
  if (!value) {
    problems_.push_back(Problem{header(c), std::string(text), expected});
    return Score{};
  }
  return Score{*value, false};
}

void AccountReader::accept(const Record& record, std::string_view id,
                           const std::array<Score, 3>& scores) {
  auto& t = table_;
  t.id.push_back(t.text.add(id));
  t.name.push_back(has(Column::kName) ? t.text.add(field(Column::kName, false)) : TextRef{});
  t.owner.push_back(has(Column::kOwner) ? intern_owner(field(Column::kOwner, true)) : kNoOwner);
  t.line.push_back(record.line);
  t.fit.push_back(scores[0].value);
  t.intent.push_back(scores[1].value);
  t.engagement.push_back(scores[2].value);
  stats_.empty_intent += scores[1].empty ? 1U : 0U;
  stats_.empty_engagement += scores[2].empty ? 1U : 0U;
  t.input_previous_tier.push_back(previous_tier(record.line));
  append_metrics();
  for (std::size_t k = 0; k < map_.keep.size(); ++k)
    t.kept[k].push_back(
        t.text.add(splitter_->finish(static_cast<std::size_t>(map_.keep[k]), false)));
  // Once the text per row is known, reserve the arena for the whole input.
  constexpr std::size_t kProbeRows = 1024;
  if (t.size() == kProbeRows && expected_rows_ > kProbeRows) {
    const std::size_t bytes =
        std::min(t.text.size() / kProbeRows * expected_rows_ * 11 / 10, input_bytes_);
    t.text.reserve(bytes);
    advise_huge_pages(t.text.get(TextRef{}).data(), bytes);  // the arena's buffer
  }
}

void AccountReader::append_metrics() {
  auto& t = table_;
  if (has(Column::kLastTouch)) {
    const std::string_view text = field(Column::kLastTouch, true);
    std::int32_t day = kNoDate;
    if (!text.empty()) {
      const auto parsed = parse_date(text, config_.date_format);
      day = parsed ? *parsed : kBadDate;
      stats_.bad_last_touch += parsed ? 0U : 1U;
    }
    t.last_touch.push_back(day);
  }
  if (has(Column::kPipeline))
    t.pipeline.push_back(number_metric(Column::kPipeline, stats_.bad_pipeline));
  if (has(Column::kEngagedRoles))
    t.engaged_roles.push_back(number_metric(Column::kEngagedRoles, stats_.bad_roles));
  if (has(Column::kBuyingRoles))
    t.buying_roles.push_back(number_metric(Column::kBuyingRoles, stats_.bad_roles));
}

double AccountReader::number_metric(Column c, std::uint64_t& bad_count) {
  const std::string_view text = field(c, true);
  if (text.empty()) return 0;
  // Counts and amounts are mostly plain digits: read those directly (exact
  // up to 15 digits, as parse_decimal would be) and leave the rest to it.
  constexpr std::size_t kExactDigits = 15;
  if (text.size() <= kExactDigits) {
    std::uint64_t digits = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      digits = digits * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (i == text.size()) return static_cast<double>(digits);
  }
  const auto value = parse_decimal(text, decimal_comma_);
  if (value && *value >= 0) return *value + 0.0;  // + 0.0 turns -0 into 0
  ++bad_count;
  return kMissing;
}

std::uint32_t AccountReader::intern_owner(std::string_view owner) {
  if (owner.empty()) return kNoOwner;
  // Exports are often sorted by owner: try the previous row's owner first.
  if (last_owner_ < table_.owner_names.size() && table_.owner_names[last_owner_] == owner)
    return last_owner_;
  if (const auto it = owner_index_.find(owner); it != owner_index_.end())
    return last_owner_ = it->second;
  const auto index = static_cast<std::uint32_t>(table_.owner_names.size());
  table_.owner_names.emplace_back(owner);
  owner_index_.emplace(std::string(owner), index);
  return last_owner_ = index;
}

Tier AccountReader::previous_tier(std::uint64_t line) {
  if (!has(Column::kPreviousTier)) return Tier::kNone;
  const auto tier = parse_tier_lenient(field(Column::kPreviousTier, true));
  if (tier) return *tier;
  if (stats_.bad_previous_tier++ == 0) stats_.first_bad_previous_tier_line = line;
  return Tier::kNone;
}

void AccountReader::reject(const Record& record) {
  rejects_.push_back(RejectedRow{record.line, std::string(record.text()), std::move(problems_)});
  problems_.clear();
  ++stats_.rejected;
}

}  // namespace

namespace {

// What every reader of one input shares: the header's facts and the bytes
// after the header.
struct Body {
  std::string_view data;    ///< the records, after the header
  std::uint64_t first_line; ///< line number of data's first byte
  bool cr_only;
  const InputBytes* mapped; ///< the input, when its pages can be handed back
  const HeaderMap* map;
  char eol() const { return cr_only ? '\r' : '\n'; }
};

// Reads every record of `part` (whole records, starting at a record
// boundary on `first_line`) with `reader`. False when a quoted field is
// still open at the end of `part`.
bool read_records(AccountReader& reader, const Body& body, std::string_view part, std::uint64_t first_line,
                  char delimiter) {
  RecordFramer framer(part, body.cr_only, first_line);
  framer.set_delimiter(delimiter);
  ProgressBoard& board = progress();
  constexpr std::uint64_t kProgressEvery = 1 << 16;  // records
  const char* reported = part.data();
  std::array<Staged, 2> staged;
  std::size_t current = 0;
  std::uint64_t records = 0;
  Record record;
  bool more = framer.next(record);
  if (more) reader.stage(record, staged[current]);
  while (more) {
    if (++records % kProgressEvery == 0) {
      // Records before the one about to be read are done with (rejects and
      // the table hold copies).
      const char* done = staged[current].record.begin;
      board.add_done(static_cast<std::uint64_t>(done - reported));
      if (body.mapped != nullptr) body.mapped->release(reported, done);
      reported = done;
    }
    more = framer.next(record);
    if (more) reader.stage(record, staged[current ^ 1]);
    reader.read(staged[current]);
    current ^= 1;
  }
  board.add_done(static_cast<std::uint64_t>(part.data() + part.size() - reported));
  return !framer.open_at_end();
}

// One part of the input with its own reader and result.
struct Part {
  ReadResult result;
  std::unique_ptr<AccountReader> reader;
  bool whole = true;  ///< no quoted field ran past the part's end
};

// Reads `body` in two halves on two threads, when it is large enough and
// threads are allowed. Returns false (and nothing is kept) when the halves
// cannot be read apart: a quoted field spans the split, or an id appears in
// both halves (the second would be a duplicate of the first, which only one
// reader over the whole input reports right).
bool read_in_parts(const Config& config, const Body& body, const Record& header, ReadResult& result) {
  constexpr std::size_t kPartsFrom = std::size_t{1} << 20;  // bytes
  if (thread_count() < 2 || body.data.size() < kPartsFrom) return false;
  // The second half starts after the first line end past the middle; if
  // that line end is inside a quoted field, the first half says so.
  const std::size_t middle = body.data.find(body.eol(), body.data.size() / 2);
  if (middle == std::string_view::npos || middle + 1 >= body.data.size()) return false;
  const std::array<std::string_view, 2> halves{body.data.substr(0, middle + 1), body.data.substr(middle + 1)};
  std::uint64_t lines_before = 0;
  for (const char *p = halves[0].data(), *end = p + halves[0].size();; ++p, ++lines_before) {
    p = static_cast<const char*>(std::memchr(p, body.eol(), static_cast<std::size_t>(end - p)));
    if (p == nullptr) break;
  }
  const std::array<std::uint64_t, 2> first_lines{body.first_line, body.first_line + lines_before};
  std::array<Part, 2> parts;
  const auto started = std::chrono::steady_clock::now();
  for_each_part(2, [&](std::size_t k) {
    Part& part = parts[k];
    part.result.stats.source = result.stats.source;
    part.result.stats.delimiter = result.stats.delimiter;
    part.result.stats.headers = result.stats.headers;
    part.result.stats.column_index = result.stats.column_index;
    // The first half's columns are reserved for the whole input: the second
    // half's rows are appended to them.
    part.reader = std::make_unique<AccountReader>(config, part.result, *body.map, k == 0 ? body.data : halves[k],
                                                  body.eol());
    if (k == 0) part.reader->note_utf8(header);
    part.whole = read_records(*part.reader, body, halves[k], first_lines[k], result.stats.delimiter);
  });
  const auto parsed = std::chrono::steady_clock::now();
  if (!parts[0].whole) {
    spdlog::debug("read on one thread: a quoted field spans the middle of the input");
    return false;
  }
  const IdSet& first_ids = parts[0].reader->ids();
  const AccountTable& second = parts[1].result.table;
  std::array<bool, 2> found{};  // an id of the second half in the first, per thread
  for_each_part(2, [&](std::size_t k) {
    // Each thread checks half of the rows; the slot of the id a few
    // rows ahead is loaded while this one is looked up.
    constexpr std::size_t kAhead = 16;
    const std::size_t begin = k * second.size() / 2, end = (k + 1) * second.size() / 2;
    for (std::size_t i = begin; i < end && !found[k]; ++i) {
      if (i + kAhead < end) first_ids.prefetch(second.id_of(i + kAhead));
      found[k] = first_ids.lookup(second.id_of(i)) != 0;
    }
  });
  bool shared = found[0] || found[1];
  const auto checked = std::chrono::steady_clock::now();
  parts[1].reader->ids().for_each_rejected([&](std::string_view id) { shared = shared || first_ids.lookup(id) != 0; });
  if (shared) {
    spdlog::debug("read on one thread: an id appears in both halves of the input");
    return false;
  }
  parts[0].reader.reset();
  parts[1].reader.reset();
  // Join: the first half's result takes the second's rows, rejects and counts.
  ReadStats& stats = result.stats;
  const ReadStats& a = parts[0].result.stats;
  const ReadStats& b = parts[1].result.stats;
  stats.rows_read = a.rows_read + b.rows_read;
  stats.rejected = a.rejected + b.rejected;
  stats.empty_intent = a.empty_intent + b.empty_intent;
  stats.empty_engagement = a.empty_engagement + b.empty_engagement;
  stats.bad_previous_tier = a.bad_previous_tier + b.bad_previous_tier;
  stats.bad_last_touch = a.bad_last_touch + b.bad_last_touch;
  stats.bad_pipeline = a.bad_pipeline + b.bad_pipeline;
  stats.bad_roles = a.bad_roles + b.bad_roles;
  stats.first_invalid_utf8_line = a.first_invalid_utf8_line != 0 ? a.first_invalid_utf8_line : b.first_invalid_utf8_line;
  stats.first_bad_previous_tier_line =
      a.first_bad_previous_tier_line != 0 ? a.first_bad_previous_tier_line : b.first_bad_previous_tier_line;
  stats.parts = 2;
  result.rejects = std::move(parts[0].result.rejects);
  for (RejectedRow& row : parts[1].result.rejects) result.rejects.push_back(std::move(row));
  result.table = std::move(parts[0].result.table);
  join_tables(result.table, {&parts[1].result.table});
  spdlog::debug("read in two halves on two threads: {:.3f} s, ids checked across halves in {:.3f} s, joined in {:.3f} s",
                std::chrono::duration<double>(parsed - started).count(),
                std::chrono::duration<double>(checked - parsed).count(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - checked).count());
  return true;
}

ReadResult read_all_records(std::string_view data, const InputBytes* mapped, std::string_view source,
                            const Config& config) {
  ReadResult result;
  ReadStats& stats = result.stats;
  stats.source = std::string(source);
  const Prepared input = prepare_input(data, source, ExitCode::kData);
  RecordFramer framer(input.data, input.cr_only);
  Record header;
  if (!framer.next(header))
    throw Error(ExitCode::kData,
                fmt::format("{}: no header row: the input is {}. Check that the export finished "
                            "and that you passed the right file.",
                            source, input.data.empty() ? "empty" : "only blank lines"));
  check_header(header, source, ExitCode::kData);
  stats.delimiter = config.delimiter != 0 ? config.delimiter : detect_delimiter(header.text());
  framer.set_delimiter(stats.delimiter);
  stats.headers = read_header(header, stats.delimiter);
  const HeaderMap map = map_header(stats.headers, source, config);
  stats.column_index = map.index;
  const Body body{input.data.substr(input.data.size() - framer.remaining()), framer.line(), input.cr_only,
                  mapped, &map};
  progress().begin(Stage::kReading, body.data.size());
  if (!read_in_parts(config, body, header, result)) {
    progress().begin(Stage::kReading, body.data.size());
    AccountReader reader(config, result, map, body.data, body.eol());
    reader.note_utf8(header);
    // A quote open at the very end is the input's own: the reader has
    // already reported it.
    static_cast<void>(read_records(reader, body, body.data, body.first_line, stats.delimiter));
  }
  stats.accepted = result.table.size();
  return result;
}

}  // namespace

ReadResult read_accounts(std::string_view data, std::string_view source, const Config& config) {
  return read_all_records(data, nullptr, source, config);
}

ReadResult read_accounts(const InputBytes& input, std::string_view source, const Config& config) {
  return read_all_records(input.view(), &input, source, config);
}

}  // namespace abmtier
