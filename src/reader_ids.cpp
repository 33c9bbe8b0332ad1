// The set of claimed ids: open addressing with linear probing over 8-byte
// slots. The hash only places ids; equality is always checked on the text,
// so the result never depends on it.
#include <bit>
#include <cstring>

#include "reader_internal.h"

namespace abmtier::reader_detail {
namespace {

std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = s.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, s.size() - i);
    h = (h ^ word) * kMul;
  }
  // splitmix64's finaliser spreads every input bit over the low bits used
  // for the slot index.
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

}  // namespace

IdSet::IdSet(const AccountTable& table, std::size_t expected_rows)
    : table_(table) {
  // Reserve first so the kernel can back the table with huge pages before
  // the slots are written.
  reserve_column(slots_, std::bit_ceil(expected_rows + expected_rows / 2 + 16));
  slots_.resize(slots_.capacity());
}

std::string_view IdSet::text_of(std::uint32_t ref) const {
  if ((ref & kRejected) != 0) return rejected_text_.get(rejected_[ref & ~kRejected].text);
  return table_.text.get(table_.id[ref]);
}

std::uint64_t IdSet::line_of(std::uint32_t ref) const {
  if ((ref & kRejected) != 0) return rejected_[ref & ~kRejected].line;
  return table_.line[ref];
}

void IdSet::prefetch(std::string_view id) const {
  const auto hash = static_cast<std::uint32_t>(hash_bytes(id));
  __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
}

std::size_t IdSet::probe(std::string_view id, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.ref == kEmpty || (slot.hash == hash && text_of(slot.ref) == id)) return i;
  }
}

std::uint64_t IdSet::find(std::string_view id) {
  // Grow before probing so the remembered slot stays valid for the claim.
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  const auto hash = static_cast<std::uint32_t>(hash_bytes(id));
  const std::size_t i = probe(id, hash);
  if (slots_[i].ref != kEmpty) return line_of(slots_[i].ref);
  pending_slot_ = i;
  pending_hash_ = hash;
  return 0;
}

std::uint64_t IdSet::lookup(std::string_view id) const {
  const std::size_t i = probe(id, static_cast<std::uint32_t>(hash_bytes(id)));
  return slots_[i].ref == kEmpty ? 0 : line_of(slots_[i].ref);
}

void IdSet::insert(std::uint32_t ref) {
  slots_[pending_slot_] = Slot{pending_hash_, ref};
  ++size_;
}

void IdSet::claim_accepted() {
  const std::size_t row = table_.size() - 1;
  if (row >= kRejected)
    throw Error(ExitCode::kData, "the input has more than 2,147,483,647 accounts; split it into "
                                 "smaller files and run abmtier on each.");
  insert(static_cast<std::uint32_t>(row));
}

void IdSet::claim_rejected(std::string_view id, std::uint64_t line) {
  rejected_.push_back(RejectedId{rejected_text_.add(id), line});
  insert(kRejected | static_cast<std::uint32_t>(rejected_.size() - 1));
}

void IdSet::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  reserve_column(slots_, old.size() * 2);
  slots_.resize(old.size() * 2);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.ref == kEmpty) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].ref != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace abmtier::reader_detail
