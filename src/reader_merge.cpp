// Joining the tables of an input's parts, read on their own threads, into
// one table, as if one reader had read the whole input: rows in input
// order, owners interned in first-seen order, text in one arena. And
// dropping the rows the duplicate check turns into rejects.
#include <algorithm>
#include <unordered_map>

#include "reader_internal.h"

namespace abmtier::reader_detail {
namespace {

// Room for `total` values in `into`; beyond its reservation, half as much
// again, so that joining many parts copies each value only a few times.
template <class T>
void make_room(std::vector<T>& into, std::size_t total) {
  if (into.capacity() < total) reserve_column(into, std::max(total, into.capacity() + into.capacity() / 2));
}

// Appends `from` to `into`, each value passed through `convert`, and
// empties `from` (keeping its memory, for the part that is read next).
template <class T, class Convert>
void append_column(std::vector<T>& into, std::vector<T>& from, std::size_t total, Convert convert) {
  if (from.empty()) return;
  make_room(into, total);
  for (const T& value : from) into.push_back(convert(value));
  from.clear();
}

template <class T>
void append_column(std::vector<T>& into, std::vector<T>& from, std::size_t total) {
  if (from.empty()) return;
  make_room(into, total);
  into.insert(into.end(), from.begin(), from.end());
  from.clear();
}

template <class Small>
void append_column(HundredthsColumn<Small>& into, HundredthsColumn<Small>& from, std::size_t total) {
  if (from.empty()) return;
  if (into.compact() && from.compact()) into.with_storage([&](auto& values) { make_room(values, total); });
  into.append(from);
  from.clear();
}

}  // namespace

TableJoin::TableJoin(AccountTable& into) : into_(into) {
  for (std::uint32_t o = 0; o < into.owner_names.size(); ++o) owner_index_.emplace(into.owner_names[o], o);
}

void TableJoin::append(AccountTable& part) {
  AccountTable& into = into_;
  const std::size_t rows = into.size() + part.size();
  for (auto [arena, more] : {std::pair{&into.id_text, part.id_text.size()}, std::pair{&into.text, part.text.size()}})
    if (arena->capacity() < arena->size() + more)
      reserve_arena(*arena, std::max(arena->size() + more, arena->capacity() + arena->capacity() / 2));
  // Owners: this part's, in its first-seen order, interned after those of
  // the parts before it; that is the order one reader would have seen.
  owner_of_.resize(part.owner_names.size());
  for (std::size_t o = 0; o < part.owner_names.size(); ++o) {
    const std::string& name = part.owner_names[o];
    const auto [it, added] = owner_index_.emplace(name, static_cast<std::uint32_t>(into.owner_names.size()));
    if (added) into.owner_names.push_back(name);
    owner_of_[o] = it->second;
  }
  const std::uint64_t id_base = into.id_text.append(part.id_text.all());
  const std::uint64_t base = into.text.append(part.text.all());
  const auto rebase = [base](const TextRef& ref) { return ref.moved_by(base); };
  append_column(into.id, part.id, rows, [id_base](const TextRef& ref) { return ref.moved_by(id_base); });
  append_column(into.name, part.name, rows, rebase);
  append_column(into.owner, part.owner, rows,
                [&](std::uint32_t o) { return o == kNoOwner ? kNoOwner : owner_of_[o]; });
  append_column(into.line, part.line, rows);
  append_column(into.fit, part.fit, rows);
  append_column(into.intent, part.intent, rows);
  append_column(into.engagement, part.engagement, rows);
  append_column(into.input_previous_tier, part.input_previous_tier, rows);
  append_column(into.last_touch, part.last_touch, rows);
  append_column(into.pipeline, part.pipeline, rows);
  append_column(into.engaged_roles, part.engaged_roles, rows);
  append_column(into.buying_roles, part.buying_roles, rows);
  for (std::size_t k = 0; k < into.kept.size() && k < part.kept.size(); ++k)
    append_column(into.kept[k], part.kept[k], rows, rebase);
  part.owner_names.clear();
  part.id_text.reset();
  part.text.reset();
}

void append_facts(RowFacts& into, RowFacts& from) {
  const std::size_t rows = into.flags.size() + from.flags.size();
  append_column(into.id_hash, from.id_hash, rows);
  append_column(into.flags, from.flags, rows);
  append_column(into.offset, from.offset, rows);
}

namespace {

template <class T>
void drop_from(std::vector<T>& column, const std::vector<std::uint32_t>& rows) {
  if (column.empty() || rows.empty()) return;
  std::size_t kept = rows.front(), next = 0;
  for (std::size_t i = rows.front(); i < column.size(); ++i) {
    if (next < rows.size() && rows[next] == i) {
      ++next;
      continue;
    }
    column[kept++] = std::move(column[i]);
  }
  column.resize(kept);
}

template <class Small>
void drop_from(HundredthsColumn<Small>& column, const std::vector<std::uint32_t>& rows) {
  column.with_storage([&](auto& values) { drop_from(values, rows); });
}

}  // namespace

void drop_rows(AccountTable& t, const std::vector<std::uint32_t>& rows) {
  for_each_input_column(t, [&](auto& column) { drop_from(column, rows); });
}

}  // namespace abmtier::reader_detail
