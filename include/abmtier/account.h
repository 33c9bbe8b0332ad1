// The account table: one row per accepted account, stored as columns.
//
// Every stage reads the columns it needs and fills its own. Text lives in two
// arenas (ids; names and kept columns) and rows hold offsets into them, and
// owners are interned, so a ten-million-row export costs a few flat vectors,
// not millions of strings.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace abmtier {

/// A tier, in programme order: 1 < 2 < 3 < watchlist < outside.
/// `kNone` marks "no tier" (e.g. no previous tier).
enum class Tier : std::uint8_t { k1 = 0, k2 = 1, k3 = 2, kWatchlist = 3, kOutside = 4, kNone = 255 };

/// Number of real tiers (k1..kOutside) and of capacity tiers (k1..k3).
inline constexpr int kTierCount = 5;
inline constexpr int kCappedTiers = 3;

/// A score band. Order matters: high is "better" than mid, mid than low.
enum class Band : std::uint8_t { kHigh = 0, kMid = 1, kLow = 2 };
inline constexpr int kBandCount = 3;

/// Index of a tier (0..4) for arrays; only valid for real tiers.
constexpr int tier_index(Tier t) { return static_cast<int>(t); }
constexpr Tier tier_from_index(int i) { return static_cast<Tier>(i); }
constexpr bool is_capped(Tier t) { return t == Tier::k1 || t == Tier::k2 || t == Tier::k3; }
/// True when `a` is a better (lower) tier than `b`. kNone is worse than all.
constexpr bool better(Tier a, Tier b) { return static_cast<int>(a) < static_cast<int>(b); }

/// "1", "2", "3", "watchlist", "outside"; "" for kNone.
std::string_view tier_name(Tier t);
/// "high", "mid", "low".
std::string_view band_name(Band b);
/// Parses a tier the way a CRM writes it: optional `tier` or `t` prefix
/// (any case), an optional space, `_` or `-`, then 1-3; `watchlist`;
/// `outside`. Surrounding whitespace is ignored. Empty input gives kNone;
/// anything else gives std::nullopt.
std::optional<Tier> parse_tier_lenient(std::string_view text);
/// Strict tier names for configs and overrides: "1", "2", "3", "watchlist",
/// "outside" (case-insensitive). Anything else is std::nullopt.
std::optional<Tier> parse_tier_strict(std::string_view text);

/// The longest text a row may hold in one field (the reader rejects longer
/// values): 64 MiB - 1 bytes.
inline constexpr std::size_t kMaxText = (std::size_t{1} << 26) - 1;

/// Where a piece of text sits in a TextArena: 8 bytes (an arena of up to
/// 256 GiB, texts of up to kMaxText bytes), so a column of ten million
/// references costs 80 MB.
struct TextRef {
  std::uint64_t offset : 38 = 0;
  std::uint64_t length : 26 = 0;

  /// The reference `shift` bytes further on (for arenas joined together).
  TextRef moved_by(std::uint64_t shift) const { return at(offset + shift, length); }
  static TextRef at(std::uint64_t offset, std::uint64_t length) {
    TextRef ref;
    ref.offset = offset & ((std::uint64_t{1} << 38) - 1);
    ref.length = length & kMaxText;
    return ref;
  }
};
static_assert(sizeof(TextRef) == 8);

/// Append-only storage for the text of all rows: one buffer whose bytes
/// past size() are never initialised, so filling it costs one write per
/// byte and several threads can fill parts of it (extend()).
class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&& other) noexcept { swap(other); }
  TextArena& operator=(TextArena&& other) noexcept {
    TextArena(std::move(other)).swap(*this);
    return *this;
  }
  TextArena(const TextArena& other) { append(other.all()); }
  TextArena& operator=(const TextArena& other) {
    if (this != &other) TextArena(other).swap(*this);
    return *this;
  }
  ~TextArena() = default;

  /// `text` must be at most kMaxText bytes.
  TextRef add(std::string_view text) { return TextRef::at(append(text), text.size()); }
  std::string_view get(TextRef ref) const { return {data_.get() + ref.offset, ref.length}; }
  void reserve(std::size_t bytes) {
    if (bytes > capacity_) reallocate(bytes);
  }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  /// All the text, in the order it was added.
  std::string_view all() const { return {data_.get(), size_}; }
  /// Frees the text (every TextRef into it becomes invalid).
  void clear() { TextArena().swap(*this); }
  /// Appends `bytes` (another arena's text, say); returns where they start.
  std::uint64_t append(std::string_view bytes) {
    const std::uint64_t at = size_;
    if (!bytes.empty()) std::memcpy(extend(bytes.size()), bytes.data(), bytes.size());
    return at;
  }
  /// Makes the arena `bytes` longer and returns where the new bytes start,
  /// for the caller to write (from any number of threads, each to its own
  /// range) before any of them is read.
  char* extend(std::size_t bytes) {
    if (size_ + bytes > capacity_) reallocate(std::max(size_ + bytes, capacity_ + capacity_ / 2));
    char* at = data_.get() + size_;
    size_ += bytes;
    return at;
  }
  /// Empties the arena but keeps its memory for the text to come.
  void reset() { size_ = 0; }

 private:
  void swap(TextArena& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }
  void reallocate(std::size_t capacity) {
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Missing numeric metric values are NaN.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// The doubles h / 100 for h = 0..10000, each the same double as the
/// division (and as the parse of "h/100" written out in decimals).
inline constexpr auto kHundredths = [] {
  std::array<double, 10001> values{};
  for (std::size_t h = 0; h < values.size(); ++h) values[h] = static_cast<double>(h) / 100.0;
  return values;
}();

/// A column of numbers that costs two or four bytes a row (`Small`) while
/// every value is an exact number of hundredths (72.3 and 72.25 are; 72.125
/// is not): the value is kept as that number and read back as the very
/// double it was. The first value that is not one turns the whole column
/// into doubles (eight bytes a row), so reading it back is exact either way.
/// ScoreColumn (two bytes) holds scores from 0 to 100; AmountColumn (four
/// bytes) amounts and counts up to 42,949,672.94, and kMissing.
template <class Small>
class HundredthsColumn {
 public:
  HundredthsColumn() = default;
  HundredthsColumn(std::initializer_list<double> values) {
    for (const double v : values) push_back(v);
  }

  double operator[](std::size_t i) const { return wide_ ? exact_[i] : value_of(small_[i]); }
  std::size_t size() const { return wide_ ? exact_.size() : small_.size(); }
  bool empty() const { return size() == 0; }
  std::size_t capacity() const { return wide_ ? exact_.capacity() : small_.capacity(); }
  /// True while the values are kept as hundredths.
  bool compact() const { return !wide_; }

  void push_back(double value) {
    if (!wide_) {
      if (const auto h = hundredths_of(value); h >= 0) return small_.push_back(static_cast<Small>(h));
      widen();
    }
    exact_.push_back(value);
  }
  void reserve(std::size_t rows) { wide_ ? exact_.reserve(rows) : small_.reserve(rows); }
  /// Appends `other`'s values (as doubles when either column holds doubles).
  void append(const HundredthsColumn& other) {
    if (other.wide_ && !wide_) widen(size() + other.size());
    if (!wide_) return static_cast<void>(small_.insert(small_.end(), other.small_.begin(), other.small_.end()));
    exact_.reserve(size() + other.size());
    for (std::size_t i = 0; i < other.size(); ++i) exact_.push_back(other[i]);
  }
  /// Empties the column (hundredths again) but keeps its memory.
  void clear() {
    small_.clear();
    exact_.clear();
    wide_ = false;
  }
  /// Calls fn(values) with the vector that holds the values (of `Small`
  /// hundredths or of doubles), for code that moves rows around without
  /// looking at them.
  template <class Fn>
  void with_storage(Fn&& fn) {
    wide_ ? fn(exact_) : fn(small_);
  }
  /// Starts loading row i's value into the cache.
  void prefetch(std::size_t i) const {
    if (i < size()) wide_ ? __builtin_prefetch(&exact_[i]) : __builtin_prefetch(&small_[i]);
  }

  /// The number of hundredths that is exactly `value`, or -1 when there is
  /// none (negative zero included: it reads back as itself only as a
  /// double). kMissing has a number of its own in AmountColumn.
  static std::int64_t hundredths_of(double value) {
    if constexpr (kMissingMark != 0) {
      if (std::bit_cast<std::uint64_t>(value) == std::bit_cast<std::uint64_t>(kMissing)) return kMissingMark;
    }
    if (!(value >= 0 && value <= kLargest) || std::signbit(value)) return -1;
    const auto h = static_cast<std::int64_t>(value * 100 + 0.5);
    return h <= kMostHundredths && value_of(static_cast<Small>(h)) == value ? h : -1;
  }
  /// The value `h` hundredths stand for.
  static double value_of(Small h) {
    if constexpr (kMissingMark == 0) {
      return kHundredths[h];
    } else {
      if (h <= 10000) return kHundredths[h];
      return h == kMissingMark ? kMissing : static_cast<double>(h) / 100.0;
    }
  }

  friend bool operator==(const HundredthsColumn& a, const HundredthsColumn& b) { return same(a, b); }
  friend bool operator==(const HundredthsColumn& a, const std::vector<double>& b) { return same(a, b); }

 private:
  static constexpr std::int64_t kSmallMax = std::numeric_limits<Small>::max();
  /// Two bytes hold 0-100 only (every number of hundredths has its double
  /// in kHundredths); four bytes hold more, and kMissing as their largest.
  static constexpr std::int64_t kMissingMark = sizeof(Small) == 2 ? 0 : kSmallMax;
  static constexpr std::int64_t kMostHundredths = kMissingMark == 0 ? 10000 : kMissingMark - 1;
  static constexpr double kLargest = static_cast<double>(kMostHundredths) / 100.0;

  template <class Other>
  static bool same(const HundredthsColumn& a, const Other& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i]) && a[i] != b[i]) return false;
    return true;
  }
  void widen(std::size_t rows = 0) {
    std::vector<double> values;
    values.reserve(std::max({rows, small_.capacity(), small_.size() + 1}));
    for (const Small h : small_) values.push_back(value_of(h));
    std::vector<Small>().swap(small_);
    exact_ = std::move(values);
    wide_ = true;
  }

  std::vector<Small> small_;
  std::vector<double> exact_;
  bool wide_ = false;
};

using ScoreColumn = HundredthsColumn<std::uint16_t>;
using AmountColumn = HundredthsColumn<std::uint32_t>;

/// Owner group index for accounts with no owner.
inline constexpr std::uint32_t kNoOwner = 0xFFFFFFFFu;
/// last_touch sentinels (dates are days since 1970-01-01): kNoDate = empty
/// (never touched: counts as not covered); kBadDate = unreadable (the account
/// is left out of the coverage metric).
inline constexpr std::int32_t kNoDate = INT32_MIN;
inline constexpr std::int32_t kBadDate = INT32_MIN + 1;

/// The weights of the composite score (SPEC 3).
struct Weights {
  double fit = 0.6;
  double intent = 0.4;
  double engagement = 0;

  /// (w_fit*fit + w_intent*intent + w_engagement*engagement) / (w_fit +
  /// w_intent + w_engagement), evaluated in that order in double precision.
  double composite(double f, double i, double e) const {
    const double numerator = fit * f + intent * i + engagement * e;
    return numerator / (fit + intent + engagement);
  }
};

/// The accepted accounts, as columns. Row i of every vector is account i, in
/// input order until the pipeline puts the rows in ranking order (`ranked`).
/// Filled by the reader; later stages append their own columns.
struct AccountTable {
  /// The ids' text, and that of the names and kept columns: two arenas, so
  /// that putting the rows in a new order copies one while the other's old
  /// copy is already freed.
  TextArena id_text;
  TextArena text;

  // --- reader ---
  std::vector<TextRef> id;
  std::vector<TextRef> name;                 ///< empty when no name column
  std::vector<std::uint32_t> owner;          ///< index into owner_names, or kNoOwner
  std::vector<std::string> owner_names;      ///< interned, first-seen order
  std::vector<std::uint64_t> line;           ///< 1-based line where the record starts
  ScoreColumn fit;                           ///< normalised 0-100
  ScoreColumn intent;                        ///< normalised 0-100 (empty input = 0)
  ScoreColumn engagement;                    ///< normalised 0-100 (empty/absent = 0)
  std::vector<Tier> input_previous_tier;     ///< from the previous_tier column; kNone if none
  // Metric columns: empty when the input has no such column. last_touch:
  // days since epoch, kNoDate when empty, kBadDate when unreadable. The
  // numbers: an empty value is 0, an unreadable one kMissing.
  std::vector<std::int32_t> last_touch;
  AmountColumn pipeline;
  AmountColumn engaged_roles;
  AmountColumn buying_roles;
  std::vector<std::vector<TextRef>> kept;    ///< one vector per --keep column

  // --- scoring ---
  /// The composite's weights, set by scoring. The composite itself is
  /// computed from the scores when asked (composite_of): a few operations
  /// instead of eight bytes a row to store and move.
  Weights weights;
  // --- matrix ---
  std::vector<Band> fit_band;
  std::vector<Band> intent_band;
  std::vector<Tier> matrix_tier;
  std::vector<std::uint8_t> watchlist;       ///< 1 = fit high and intent low
  // --- overrides and previous tiers (joined in by the pipeline) ---
  std::vector<Tier> pinned;                  ///< kNone when not pinned
  std::vector<std::uint32_t> pin_reason;     ///< index into pin_reasons when pinned (empty: no overrides)
  std::vector<std::string> pin_reasons;
  std::vector<Tier> previous_tier;           ///< effective previous tier (file, or the column moved here)
  // --- hysteresis ---
  std::vector<Tier> eligible_tier;
  std::vector<std::uint8_t> hysteresis;      ///< a HysteresisOutcome value
  // --- capacity ---
  std::vector<Tier> tier;                    ///< final tier
  std::vector<std::uint32_t> tier_rank;      ///< 1-based within final tier
  std::vector<Tier> waitlist_tier;           ///< kNone if never capped out
  std::vector<std::uint32_t> waitlist_rank;  ///< 0 if none
  /// True while the rows are in the gate's ranking order (the pipeline
  /// sorts them once the composite is known; scoring clears it).
  bool ranked = false;

  std::size_t size() const { return id.size(); }
  std::string_view id_of(std::size_t i) const { return id_text.get(id[i]); }
  /// Row i's composite (compared unrounded).
  double composite_of(std::size_t i) const { return weights.composite(fit[i], intent[i], engagement[i]); }
  std::string_view name_of(std::size_t i) const { return text.get(name[i]); }
  std::string_view owner_of(std::size_t i) const {
    return owner[i] == kNoOwner ? std::string_view{} : std::string_view{owner_names[owner[i]]};
  }
};

/// Calls fn(column) for every column the reader fills, kept columns
/// included (a column the input does not have is empty). The reader
/// reserves the columns in this order and then the duplicate check's
/// per-row facts: `line` comes last so that it sits next to them, and the
/// two, freed together after reading, leave one hole the ranking keys fit in.
template <class Fn>
void for_each_input_column(AccountTable& t, Fn&& fn) {
  fn(t.id);
  fn(t.name);
  fn(t.owner);
  fn(t.fit);
  fn(t.intent);
  fn(t.engagement);
  fn(t.input_previous_tier);
  fn(t.last_touch);
  fn(t.pipeline);
  fn(t.engaged_roles);
  fn(t.buying_roles);
  for (auto& column : t.kept) fn(column);
  fn(t.line);
}

/// Puts the rows of every column in `order`: row k becomes what row
/// order[k] was. `order` must be a permutation of 0..size()-1; the text
/// arena is shared and stays as it is.
void reorder_rows(AccountTable& table, const std::vector<std::uint32_t>& order);

}  // namespace abmtier
