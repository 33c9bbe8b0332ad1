// The duplicate-id check (SPEC 10), run once the whole input is read. Each
// id is a key of 8 bytes, its hash and its claim number; the keys are put in
// buckets by their hash's top bits, each bucket (a few thousand keys, held in
// cache) is sorted, and only neighbours with equal hashes have their text
// compared. The hash only places ids: the result never depends on it.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "abmtier/parallel.h"
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
  // splitmix64's finaliser spreads every input bit over the high bits kept.
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

constexpr int kKeyBits = 32;  // the claim number's share of a key

// The claims whose keys share one hash, in line order: each is a duplicate
// of the first claim before it with the same text.
void resolve_group(std::vector<std::size_t>& group, const AccountTable& table, const std::vector<RejectedRow>& rejects,
                   std::vector<Duplicate>& found) {
  const std::size_t n = table.size();
  const auto line_of = [&](std::size_t c) { return c < n ? table.line[c] : rejects[c - n].line; };
  const auto text_of = [&](std::size_t c) { return c < n ? table.id_of(c) : std::string_view(rejects[c - n].id); };
  std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) { return line_of(a) < line_of(b); });
  for (std::size_t i = 1; i < group.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (text_of(group[j]) == text_of(group[i])) {
        found.push_back(Duplicate{group[i], line_of(group[j])});
        break;
      }
}

}  // namespace

std::uint32_t id_hash(std::string_view id) { return static_cast<std::uint32_t>(hash_bytes(id) >> kKeyBits); }

std::vector<Duplicate> find_duplicate_ids(const AccountTable& table, const RowFacts& facts,
                                          const std::vector<RejectedRow>& rejects) {
  const std::size_t n = table.size();
  std::vector<std::size_t> rejected_claims;  // rejects that have an id
  for (std::size_t k = 0; k < rejects.size(); ++k)
    if (!rejects[k].id.empty()) rejected_claims.push_back(k);
  const std::size_t claims = n + rejected_claims.size();
  if (n + rejects.size() > 0x7FFFFFFFu)
    throw Error(ExitCode::kData, "the input has more than 2,147,483,647 accounts; split it into "
                                 "smaller files and run abmtier on each.");
  const auto key_of = [&](std::size_t i) {
    const std::size_t claim = i < n ? i : n + rejected_claims[i - n];
    const std::uint32_t hash = i < n ? facts.id_hash[i] : id_hash(rejects[claim - n].id);
    return (std::uint64_t{hash} << kKeyBits) | claim;
  };
  // Buckets of about 2,048 keys (16 KiB), at most 4,096 of them.
  const int bits = std::min(static_cast<int>(std::bit_width(claims / 2048)), 12);
  const std::size_t buckets = std::size_t{1} << bits;
  const int shift = 64 - bits;
  const auto bucket_of = [&](std::uint64_t key) { return bits == 0 ? 0 : static_cast<std::size_t>(key >> shift); };
  // Each thread counts, then places, the keys of its share of the claims;
  // bucket b holds thread 0's keys for it, then thread 1's, ...
  const std::size_t parts = claims < 4096 ? 1 : 2;
  const auto first_claim = [&](std::size_t p) { return p * claims / parts; };
  std::vector<std::vector<std::size_t>> at(parts, std::vector<std::size_t>(buckets, 0));
  for_each_part(parts, [&](std::size_t p) {
    for (std::size_t i = first_claim(p); i < first_claim(p + 1); ++i) ++at[p][bucket_of(key_of(i))];
  });
  std::vector<std::size_t> start(buckets + 1, 0);
  for (std::size_t b = 0, placed = 0; b < buckets; ++b) {
    start[b] = placed;
    for (std::size_t p = 0; p < parts; ++p) placed += std::exchange(at[p][b], placed);
  }
  start[buckets] = claims;
  std::vector<std::uint64_t> keys(claims);
  for_each_part(parts, [&](std::size_t p) {
    for (std::size_t i = first_claim(p); i < first_claim(p + 1); ++i) {
      const std::uint64_t key = key_of(i);
      keys[at[p][bucket_of(key)]++] = key;
    }
  });
  std::array<std::vector<Duplicate>, 2> found;
  for_each_part(parts, [&](std::size_t p) {
    std::vector<std::size_t> group;
    for (std::size_t b = p * buckets / parts; b < (p + 1) * buckets / parts; ++b) {
      const auto first = keys.begin() + static_cast<std::ptrdiff_t>(start[b]);
      const auto last = keys.begin() + static_cast<std::ptrdiff_t>(start[b + 1]);
      std::sort(first, last);
      for (auto it = first; it != last;) {
        auto end = it + 1;
        while (end != last && (*end >> kKeyBits) == (*it >> kKeyBits)) ++end;
        if (end - it > 1) {
          group.clear();
          for (auto k = it; k != end; ++k) group.push_back(static_cast<std::size_t>(*k & 0xFFFFFFFFu));
          resolve_group(group, table, rejects, found[p]);
        }
        it = end;
      }
    }
  });
  found[0].insert(found[0].end(), found[1].begin(), found[1].end());
  return std::move(found[0]);
}

}  // namespace abmtier::reader_detail
