// Joining the tables of an input's parts, read on their own threads, into
// one table, as if one reader had read the whole input: rows in input
// order, owners interned in first-seen order, text in one arena.
#include <unordered_map>

#include "reader_internal.h"

namespace abmtier::reader_detail {
namespace {

// Appends `from` to `into`, each value passed through `convert`, and frees
// `from` at once, so the parts and the whole never hold a column twice.
template <class T, class Convert>
void append_column(std::vector<T>& into, std::vector<T>& from, std::size_t total, Convert convert) {
  if (from.empty()) return;
  if (into.capacity() < total) reserve_column(into, total);
  for (const T& value : from) into.push_back(convert(value));
  std::vector<T>().swap(from);
}

template <class T>
void append_column(std::vector<T>& into, std::vector<T>& from, std::size_t total) {
  if (from.empty()) return;
  if (into.capacity() < total) reserve_column(into, total);
  into.insert(into.end(), from.begin(), from.end());
  std::vector<T>().swap(from);
}

}  // namespace

void join_tables(AccountTable& into, std::vector<AccountTable*> parts) {
  std::size_t rows = into.size(), text = into.text.size();
  for (const AccountTable* part : parts) {
    rows += part->size();
    text += part->text.size();
  }
  std::unordered_map<std::string, std::uint32_t> owner_index;
  for (std::uint32_t o = 0; o < into.owner_names.size(); ++o) owner_index.emplace(into.owner_names[o], o);
  if (into.text.size() < text) {
    into.text.reserve(text);
    advise_huge_pages(into.text.all().data(), text);
  }
  for (AccountTable* part : parts) {
    // Owners: this part's, in its first-seen order, interned after those of
    // the parts before it; that is the order one reader would have seen.
    std::vector<std::uint32_t> owner_of(part->owner_names.size());
    for (std::size_t o = 0; o < part->owner_names.size(); ++o) {
      const std::string& name = part->owner_names[o];
      const auto [it, added] = owner_index.emplace(name, static_cast<std::uint32_t>(into.owner_names.size()));
      if (added) into.owner_names.push_back(name);
      owner_of[o] = it->second;
    }
    const std::uint64_t base = into.text.add(part->text.all()).offset;
    const auto rebase = [base](const TextRef& ref) { return TextRef{ref.offset + base, ref.length}; };
    append_column(into.id, part->id, rows, rebase);
    append_column(into.name, part->name, rows, rebase);
    append_column(into.owner, part->owner, rows,
                  [&](std::uint32_t o) { return o == kNoOwner ? kNoOwner : owner_of[o]; });
    append_column(into.line, part->line, rows);
    append_column(into.fit, part->fit, rows);
    append_column(into.intent, part->intent, rows);
    append_column(into.engagement, part->engagement, rows);
    append_column(into.input_previous_tier, part->input_previous_tier, rows);
    append_column(into.last_touch, part->last_touch, rows);
    append_column(into.pipeline, part->pipeline, rows);
    append_column(into.engaged_roles, part->engaged_roles, rows);
    append_column(into.buying_roles, part->buying_roles, rows);
    for (std::size_t k = 0; k < into.kept.size() && k < part->kept.size(); ++k)
      append_column(into.kept[k], part->kept[k], rows, rebase);
    part->text.clear();
  }
}

}  // namespace abmtier::reader_detail
