// read_accounts: the CRM export into the account table (SPEC 2, 10). One
// pass over the records; each is split into a reused buffer, its used fields
// unescaped in place, and its values appended to the table's columns.
#include "abmtier/reader.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstring>
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

// A record framed and split one row ahead of its processing (two splitters
// take turns).
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

// Reserves the columns a reader fills (of `t` and `facts`) for `rows` rows
// (address space only: the columns the input lacks are never written).
void reserve_rows(AccountTable& t, RowFacts& facts, const HeaderMap& map, std::size_t rows) {
  t.kept.resize(map.keep.size());
  for_each_input_column(t, [rows](auto& column) { reserve_column(column, rows); });
  reserve_column(facts.id_hash, rows);
  reserve_column(facts.flags, rows);
  reserve_column(facts.offset, rows);
}

class AccountReader {
 public:
  /// `rest` is the input after the header (to size the columns), `eol` the
  /// byte that ends its lines.
  AccountReader(const Config& config, ReadResult& result, RowFacts& facts, const HeaderMap& map,
                std::string_view rest, char eol);
  /// Splits `record`. Records are staged and read in input order, at most
  /// one staged ahead.
  void stage(const Record& record, Staged& staged);
  /// Accepts or rejects a staged record.
  void read(const Staged& staged);
  void note_utf8(const Record& record);

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
  void check_length(std::size_t index, std::string_view text);
  Score read_score(Column c, const ScoreSpec& spec, bool required);
  void accept(const Record& record, std::string_view id, const std::array<Score, 3>& scores);
  unsigned append_metrics();
  double number_metric(Column c, bool& bad);
  std::uint32_t intern_owner(std::string_view owner);
  Tier previous_tier(unsigned& flags);
  void reject(const Record& record, std::string_view id = {});

  const Config& config_;
  AccountTable& table_;
  ReadStats& stats_;
  std::vector<RejectedRow>& rejects_;
  RowFacts& facts_;
  const HeaderMap& map_;
  std::array<Splitter, 2> splitters_;
  Splitter* splitter_ = &splitters_[0];  ///< the splitter of the row being read
  std::size_t next_splitter_ = 0;
  std::size_t expected_rows_;
  std::size_t input_bytes_;
  const char* part_begin_;  ///< where this reader's part of the input starts
  bool decimal_comma_;
  char eol_;
  std::array<std::string, 3> expectations_;  ///< fit, intent, engagement
  std::vector<Problem> problems_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> owner_index_;
  std::uint32_t last_owner_ = kNoOwner;  ///< owner of the last row that had one
};

AccountReader::AccountReader(const Config& config, ReadResult& result, RowFacts& facts, const HeaderMap& map,
                             std::string_view rest, char eol)
    : config_(config),
      table_(result.table),
      stats_(result.stats),
      rejects_(result.rejects),
      facts_(facts),
      map_(map),
      splitters_{Splitter(result.stats.delimiter), Splitter(result.stats.delimiter)},
      // With a margin, as an estimate just short would copy every column
      // once they fill up; room that is never written costs no memory.
      expected_rows_(estimate_rows(rest, eol, result.stats.headers.size()) * 5 / 4),
      input_bytes_(rest.size()),
      part_begin_(rest.data()),
      decimal_comma_(result.stats.delimiter != ','),
      eol_(eol),
      expectations_{score_expectation(config.fit_score), score_expectation(config.intent_score),
                    score_expectation(config.engagement_score)} {
  reserve_rows(table_, facts_, map, expected_rows_);
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
  } else if (record.quoted && std::memchr(record.begin, '\0', record.text().size()) != nullptr) {
    staged.shape = Staged::Shape::kNul;
  } else if (Splitter& splitter = splitters_[staged.splitter]; !splitter.split(record.text(), record.quoted)) {
    staged.shape = Staged::Shape::kNul;  // found while splitting a record without quotes
  } else {
    staged.shape = splitter.fields().size() == stats_.headers.size() ? Staged::Shape::kOk
                                                                     : Staged::Shape::kFieldCount;
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
  // The id's problem goes first, before those of the scores. Duplicates
  // are found once the whole input is read.
  if (id.empty()) problems_.insert(problems_.begin(), Problem{header(Column::kId), "", "a non-empty id"});
  check_length(column_field(Column::kId), id);
  if (has(Column::kName)) check_length(column_field(Column::kName), field(Column::kName, false));
  for (const int k : map_.keep)
    check_length(static_cast<std::size_t>(k), splitter_->finish(static_cast<std::size_t>(k), false));
  if (!problems_.empty()) {
    reject(record, id);
    return;
  }
  accept(record, id, scores);
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

// Text kept for the output must fit a TextRef.
void AccountReader::check_length(std::size_t index, std::string_view text) {
  if (text.size() <= kMaxText) return;
  constexpr std::size_t kShown = 60;
  problems_.push_back(Problem{stats_.headers[index], std::string(text.substr(0, kShown)) + "...",
                              fmt::format("a value of at most 64 MiB (this one is {} bytes)", text.size())});
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
  t.id.push_back(t.id_text.add(id));
  t.name.push_back(has(Column::kName) ? t.text.add(field(Column::kName, false)) : TextRef{});
  t.owner.push_back(has(Column::kOwner) ? intern_owner(field(Column::kOwner, true)) : kNoOwner);
  t.line.push_back(record.line);
  t.fit.push_back(scores[0].value);
  t.intent.push_back(scores[1].value);
  t.engagement.push_back(scores[2].value);
  unsigned flags = (scores[1].empty ? kEmptyIntent : 0U) | (scores[2].empty ? kEmptyEngagement : 0U);
  t.input_previous_tier.push_back(previous_tier(flags));
  flags |= append_metrics();
  facts_.flags.push_back(static_cast<std::uint8_t>(flags));
  facts_.id_hash.push_back(id_hash(id));
  facts_.offset.push_back(static_cast<std::uint64_t>(record.begin - part_begin_));
  for (std::size_t k = 0; k < map_.keep.size(); ++k)
    t.kept[k].push_back(
        t.text.add(splitter_->finish(static_cast<std::size_t>(map_.keep[k]), false)));
  // Once the text per row is known, reserve the arenas for the whole input.
  constexpr std::size_t kProbeRows = 1024;
  if (t.size() == kProbeRows && expected_rows_ > kProbeRows) {
    for (TextArena* arena : {&t.id_text, &t.text})
      reserve_arena(*arena, std::min(arena->size() / kProbeRows * expected_rows_ * 11 / 10, input_bytes_));
  }
}

// Appends the metric columns' values; returns the RowFlag bits of those
// that could not be read.
unsigned AccountReader::append_metrics() {
  auto& t = table_;
  unsigned flags = 0;
  if (has(Column::kLastTouch)) {
    const std::string_view text = field(Column::kLastTouch, true);
    std::int32_t day = kNoDate;
    if (!text.empty()) {
      const auto parsed = parse_date(text, config_.date_format);
      day = parsed ? *parsed : kBadDate;
      flags |= parsed ? 0U : kBadLastTouch;
    }
    t.last_touch.push_back(day);
  }
  bool bad = false;
  if (has(Column::kPipeline)) {
    t.pipeline.push_back(number_metric(Column::kPipeline, bad));
    flags |= bad ? kBadPipeline : 0U;
  }
  if (has(Column::kEngagedRoles)) {
    t.engaged_roles.push_back(number_metric(Column::kEngagedRoles, bad = false));
    flags |= bad ? kBadEngagedRoles : 0U;
  }
  if (has(Column::kBuyingRoles)) {
    t.buying_roles.push_back(number_metric(Column::kBuyingRoles, bad = false));
    flags |= bad ? kBadBuyingRoles : 0U;
  }
  return flags;
}

double AccountReader::number_metric(Column c, bool& bad) {
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
  bad = true;
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

Tier AccountReader::previous_tier(unsigned& flags) {
  if (!has(Column::kPreviousTier)) return Tier::kNone;
  const auto tier = parse_tier_lenient(field(Column::kPreviousTier, true));
  if (tier) return *tier;
  flags |= kBadPreviousTier;
  return Tier::kNone;
}

void AccountReader::reject(const Record& record, std::string_view id) {
  rejects_.push_back(
      RejectedRow{record.line, std::string(record.text()), std::move(problems_), std::string(id)});
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

// How reading one part of the input ended.
struct PartEnd {
  bool whole = true;         ///< no quoted field was still open at its end
  std::uint64_t next_line = 0;  ///< the line number just past it
};

// Reads every record of `part` (whole records, starting at a record
// boundary on `first_line`) with `reader`.
PartEnd read_records(AccountReader& reader, const Body& body, std::string_view part, std::uint64_t first_line,
                     char delimiter) {
  RecordFramer framer(part, body.cr_only, first_line);
  framer.set_delimiter(delimiter);
  ProgressBoard& board = progress();
  constexpr std::uint64_t kProgressEvery = 1 << 16;  // records
  const char* reported = part.data();
  // The input's pages are mapped a window ahead of the records being read.
  constexpr std::size_t kWindow = std::size_t{8} << 20;
  const char* const part_end = part.data() + part.size();
  const char* populated = part.data();
  const auto populate_from = [&](const char* at) {
    const char* const upto = part_end - at > static_cast<std::ptrdiff_t>(kWindow) ? at + kWindow : part_end;
    if (body.mapped == nullptr || upto <= populated) return;
    body.mapped->populate(populated, upto);
    populated = upto;
  };
  populate_from(part.data());
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
      populate_from(done);
    }
    more = framer.next(record);
    if (more) reader.stage(record, staged[current ^ 1]);
    reader.read(staged[current]);
    current ^= 1;
  }
  board.add_done(static_cast<std::uint64_t>(part.data() + part.size() - reported));
  if (body.mapped != nullptr) body.mapped->release(reported, part.data() + part.size());
  return PartEnd{!framer.open_at_end(), framer.line()};
}

// Cuts `data` into chunks of about `bytes` bytes, each ending just after a
// line end (which may still lie inside a quoted field: the reader of the
// chunk finds out).
std::vector<std::string_view> cut_chunks(std::string_view data, char eol, std::size_t bytes) {
  std::vector<std::string_view> chunks;
  while (!data.empty()) {
    const std::size_t end = data.size() <= bytes ? std::string_view::npos : data.find(eol, bytes - 1);
    const std::size_t size = end == std::string_view::npos ? data.size() : end + 1;
    chunks.push_back(data.substr(0, size));
    data.remove_prefix(size);
  }
  return chunks;
}

// What the threads reading chunks share: the whole so far, and how far it
// has come.
struct Whole {
  ReadResult result;
  RowFacts facts;
  TableJoin join{result.table};
  std::uint64_t next_line = 0;  ///< the line just past the chunks joined
};

// Appends a chunk's result (read with lines numbered from 1, except for the
// first chunk's, which are the input's) to the whole, and empties it for the
// thread's next chunk.
void append_chunk(Whole& whole, ReadResult& part, RowFacts& facts, const PartEnd& end, bool first,
                  std::uint64_t chunk_start) {
  const std::uint64_t lines_before = first ? 0 : whole.next_line - 1;
  whole.next_line = first ? end.next_line : whole.next_line + end.next_line - 1;
  for (std::uint64_t& line : part.table.line) line += lines_before;
  for (std::uint64_t& offset : facts.offset) offset += chunk_start;
  for (RejectedRow& row : part.rejects) {
    row.line += lines_before;
    whole.result.rejects.push_back(std::move(row));
  }
  part.rejects.clear();
  ReadStats& stats = whole.result.stats;
  stats.rows_read += part.stats.rows_read;
  stats.rejected += part.stats.rejected;
  if (stats.first_invalid_utf8_line == 0 && part.stats.first_invalid_utf8_line != 0)
    stats.first_invalid_utf8_line = part.stats.first_invalid_utf8_line + lines_before;
  part.stats = ReadStats{};
  whole.join.append(part.table);
  append_facts(whole.facts, facts);
}

// Reads `body` in chunks of up to 8 MiB on all threads, when it is large enough
// and threads are allowed: each thread reads its chunks into a table of its
// own, and joins each, in input order, to the whole (line numbers, owners,
// text, rejects and counts as one reader would have them). Returns false
// (and nothing is kept) when a quoted field spans two chunks: only one
// reader over the whole input frames that record right.
bool read_in_chunks(const Config& config, const Body& body, const Record& header, ReadResult& result,
                    RowFacts& facts) {
  constexpr std::size_t kChunkBytes = std::size_t{8} << 20;
  constexpr std::size_t kChunksFrom = std::size_t{1} << 20;
  if (thread_count() < 2 || body.data.size() < kChunksFrom) return false;
  // At least 16 chunks, so that the threads finish close together.
  const std::vector<std::string_view> chunks = cut_chunks(body.data, body.eol(), std::min(kChunkBytes, body.data.size() / 16));
  if (chunks.size() < 2) return false;
  const auto started = std::chrono::steady_clock::now();
  const std::size_t workers = std::min<std::size_t>(thread_count(), chunks.size());
  struct Local {
    ReadResult result;
    RowFacts facts;
  };
  std::vector<Local> locals(workers);
  Whole whole;
  whole.result.stats = result.stats;
  whole.next_line = body.first_line;
  // Reserved generously: address space that is never written costs no
  // memory, while growing a column of the whole would copy it.
  const std::size_t expected_rows = estimate_rows(body.data, body.eol(), result.stats.headers.size()) * 5 / 4;
  reserve_rows(whole.result.table, whole.facts, *body.map, expected_rows);
  std::mutex mutex;
  std::condition_variable turn;
  std::size_t joined = 0;       // chunks joined so far
  bool stop = false;            // a chunk could not be read apart, or a thread failed
  bool spans = false;           // a quoted field spans two chunks
  // Chunk c is read by thread c % workers (for_each_part's order).
  for_each_part(chunks.size(), [&](std::size_t c) {
    try {
      Local& local = locals[c % workers];
      local.result.stats.headers = result.stats.headers;
      local.result.stats.delimiter = result.stats.delimiter;
      PartEnd end;
      {
        AccountReader reader(config, local.result, local.facts, *body.map, chunks[c], body.eol());
        if (c == 0) reader.note_utf8(header);
        // Lines are numbered from 1 until the chunks before are counted.
        end = read_records(reader, body, chunks[c], c == 0 ? body.first_line : 1, result.stats.delimiter);
      }
      std::unique_lock lock(mutex);
      turn.wait(lock, [&] { return joined == c || stop; });
      if (stop) return;
      if (!end.whole && c + 1 < chunks.size()) {
        stop = spans = true;
        turn.notify_all();
        return;
      }
      const AccountTable& part = local.result.table;
      if (c == 0 && !part.id.empty()) {
        // The text of the first chunk's rows tells how much the rest needs.
        AccountTable& table = whole.result.table;
        reserve_arena(table.id_text, std::min(part.id_text.size() / part.size() * expected_rows, body.data.size()));
        reserve_arena(table.text, std::min(part.text.size() / part.size() * expected_rows, body.data.size()));
      }
      append_chunk(whole, local.result, local.facts, end, c == 0,
                   static_cast<std::uint64_t>(chunks[c].data() - body.data.data()));
      ++joined;
      turn.notify_all();
    } catch (...) {
      const std::lock_guard lock(mutex);
      stop = true;
      turn.notify_all();
      throw;
    }
  });
  if (spans) {
    spdlog::debug("read on one thread: a quoted field spans two chunks of the input");
    return false;
  }
  whole.result.stats.parts = static_cast<std::uint32_t>(workers);
  result = std::move(whole.result);
  facts = std::move(whole.facts);
  spdlog::debug("read in {} chunks on {} threads: {:.3f} s", chunks.size(), workers,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return true;
}

// Turns every later occurrence of an id into a reject (SPEC 10): accepted
// rows leave the table for the rejects, in line order; rejected rows get
// the duplicate as their first problem. Returns the rows dropped.
std::vector<std::uint32_t> reject_duplicates(ReadResult& result, const RowFacts& facts, const Body& body) {
  AccountTable& table = result.table;
  const std::vector<Duplicate> found = find_duplicate_ids(table, facts, result.rejects);
  if (found.empty()) return {};
  const std::string& id_header =
      result.stats.headers[static_cast<std::size_t>(result.stats.column_index[static_cast<std::size_t>(Column::kId)])];
  const auto problem = [&](std::string_view id, std::uint64_t first_line) {
    return Problem{id_header, std::string(id),
                   fmt::format("a unique id (this is a duplicate of the id on line {})", first_line)};
  };
  std::vector<Duplicate> accepted;
  for (const Duplicate& d : found) {
    if (d.claim < table.size()) {
      accepted.push_back(d);
    } else {
      RejectedRow& row = result.rejects[d.claim - table.size()];
      row.problems.insert(row.problems.begin(), problem(row.id, d.first_line));
    }
  }
  std::sort(accepted.begin(), accepted.end(), [](const Duplicate& a, const Duplicate& b) { return a.claim < b.claim; });
  std::vector<RejectedRow> moved;
  std::vector<std::uint32_t> rows;
  for (const Duplicate& d : accepted) {
    const std::size_t row = d.claim;
    // The record's bytes, framed again where the reader found it.
    RecordFramer framer(body.data.substr(facts.offset[row]), body.cr_only, table.line[row]);
    framer.set_delimiter(result.stats.delimiter);
    Record record;
    static_cast<void>(framer.next(record));
    moved.push_back(RejectedRow{table.line[row], std::string(record.text()),
                                {problem(table.id_of(row), d.first_line)}, std::string(table.id_of(row))});
    rows.push_back(static_cast<std::uint32_t>(row));
  }
  std::vector<RejectedRow> rejects;
  rejects.reserve(result.rejects.size() + moved.size());
  std::merge(std::make_move_iterator(result.rejects.begin()), std::make_move_iterator(result.rejects.end()),
             std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()), std::back_inserter(rejects),
             [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
  result.rejects = std::move(rejects);
  result.stats.rejected += rows.size();
  drop_rows(table, rows);
  return rows;
}

// The summary's counts of the accepted rows, from their flags (`dropped`:
// the flagged rows no longer in the table, ascending).
void count_flags(ReadStats& stats, const RowFacts& facts, const std::vector<std::uint32_t>& dropped,
                 const AccountTable& table) {
  std::size_t next = 0, row = 0;
  for (std::size_t i = 0; i < facts.flags.size(); ++i) {
    if (next < dropped.size() && dropped[next] == i) {
      ++next;
      continue;
    }
    const std::uint8_t f = facts.flags[i];
    if (f != 0) {
      stats.empty_intent += (f & kEmptyIntent) != 0 ? 1U : 0U;
      stats.empty_engagement += (f & kEmptyEngagement) != 0 ? 1U : 0U;
      stats.bad_last_touch += (f & kBadLastTouch) != 0 ? 1U : 0U;
      stats.bad_pipeline += (f & kBadPipeline) != 0 ? 1U : 0U;
      stats.bad_roles += ((f & kBadEngagedRoles) != 0 ? 1U : 0U) + ((f & kBadBuyingRoles) != 0 ? 1U : 0U);
      if ((f & kBadPreviousTier) != 0 && stats.bad_previous_tier++ == 0)
        stats.first_bad_previous_tier_line = table.line[row];
    }
    ++row;
  }
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
  RowFacts facts;
  if (!read_in_chunks(config, body, header, result, facts)) {
    progress().begin(Stage::kReading, body.data.size());
    AccountReader reader(config, result, facts, map, body.data, body.eol());
    reader.note_utf8(header);
    // A quote open at the very end is the input's own: the reader has
    // already reported it.
    static_cast<void>(read_records(reader, body, body.data, body.first_line, stats.delimiter));
  }
  const auto checked = std::chrono::steady_clock::now();
  const std::vector<std::uint32_t> dropped = reject_duplicates(result, facts, body);
  count_flags(stats, facts, dropped, result.table);
  spdlog::debug("duplicate ids checked in {:.3f} s ({} found among accepted rows)",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - checked).count(), dropped.size());
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
