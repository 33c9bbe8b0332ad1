// Tests of the assignments writer: columns, order, number formats, CSV/TSV
// quoting, formula neutralisation, JSON and JSON Lines, golden files, and
// AtomicFile (atomic replacement, devices, FIFOs, write errors).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "abmtier/error.h"
#include "abmtier/hysteresis.h"
#include "abmtier/reason.h"
#include "abmtier/writer.h"

namespace abmtier {
namespace {

/// One account with every finished column; defaults make a plain tier 3.
struct Row {
  std::string id;
  Tier tier = Tier::k3;
  std::uint32_t rank = 1;
  std::string name = "Acme";
  std::string owner{};
  double fit = 50, intent = 50, engagement = 0;
  Tier previous = Tier::kNone;
  Tier waitlist = Tier::kNone;
  std::uint32_t waitlist_rank = 0;
  bool watchlist = false;
  std::vector<std::string> kept{};
};

Band band(double score) { return score >= 70 ? Band::kHigh : score >= 40 ? Band::kMid : Band::kLow; }

// Fills every column of account.h by hand (no pipeline stage runs).
AccountTable make_table(const std::vector<Row>& rows) {
  AccountTable t;
  if (!rows.empty()) t.kept.resize(rows.front().kept.size());
  for (const Row& r : rows) {
    t.id.push_back(t.id_text.add(r.id));
    t.name.push_back(t.text.add(r.name));
    std::uint32_t owner = kNoOwner;
    if (!r.owner.empty()) {
      const auto it = std::find(t.owner_names.begin(), t.owner_names.end(), r.owner);
      owner = static_cast<std::uint32_t>(it - t.owner_names.begin());
      if (it == t.owner_names.end()) t.owner_names.push_back(r.owner);
    }
    t.owner.push_back(owner);
    t.line.push_back(t.line.size() + 2);
    t.fit.push_back(r.fit);
    t.intent.push_back(r.intent);
    t.engagement.push_back(r.engagement);
    t.input_previous_tier.push_back(r.previous);
    t.fit_band.push_back(band(r.fit));
    t.intent_band.push_back(band(r.intent));
    t.matrix_tier.push_back(r.waitlist != Tier::kNone ? r.waitlist : r.tier);
    t.watchlist.push_back(r.watchlist ? 1 : 0);
    t.pinned.push_back(Tier::kNone);
    t.pin_reason.push_back(0);
    t.previous_tier.push_back(r.previous);
    t.eligible_tier.push_back(t.matrix_tier.back());
    t.hysteresis.push_back(static_cast<std::uint8_t>(HysteresisOutcome::kNone));
    t.tier.push_back(r.tier);
    t.tier_rank.push_back(r.rank);
    t.waitlist_tier.push_back(r.waitlist);
    t.waitlist_rank.push_back(r.waitlist_rank);
    for (std::size_t k = 0; k < t.kept.size(); ++k) t.kept[k].push_back(t.text.add(r.kept[k]));
  }
  return t;
}

CapacityResult one_group() {
  CapacityResult c;
  c.reps = 1;
  c.caps = {1, 60, std::nullopt};
  GroupLoad g;
  g.cap = c.caps;
  g.count = {1, 0, 0};
  c.groups.push_back(g);
  return c;
}

std::string write(const AccountTable& t, WriteOptions options = {}) {
  std::ostringstream out;
  write_assignments(t, Config{}, one_group(), options, out);
  return out.str();
}

WriteOptions with_format(OutputFormat format) {
  WriteOptions o;
  o.format = format;
  return o;
}

// RFC 4180 records of `text` (quoted fields may hold anything).
std::vector<std::vector<std::string>> parse_csv(std::string_view text, char d = ',') {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') field += c;
      else if (i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == d || c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      if (c == '\n') records.push_back(std::move(record)), record.clear();
    } else {
      field += c;
    }
  }
  return records;
}

std::size_t column(std::string_view name) {
  return static_cast<std::size_t>(std::find(kOutputColumns.begin(), kOutputColumns.end(), name) -
                                  kOutputColumns.begin());
}

// Field `name` of the first data row.
std::string field(const std::string& csv, std::string_view name, char d = ',') {
  return parse_csv(csv, d).at(1).at(column(name));
}

namespace fs = std::filesystem;

/// A fresh directory, removed with everything in it at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "abmtier-writer-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  // Names in the directory other than `keep`.
  std::vector<std::string> others(const std::string& keep) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path))
      if (entry.path().filename() != keep) names.push_back(entry.path().filename().string());
    return names;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::string& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool is_char_device(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

// The message of the Error(kRuntime) that `f` throws ("" if none).
template <typename F>
std::string runtime_error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kRuntime);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("writer: the output columns are the SPEC's, in order", "[writer]") {
  const std::vector<std::string_view> expected{
      "id", "name", "owner", "fit", "intent", "engagement", "composite", "fit_band", "intent_band",
      "matrix_tier", "tier", "tier_rank", "previous_tier", "change", "waitlist_tier", "waitlist_rank",
      "watchlist", "reason"};
  CHECK(kOutputColumns == expected);
  const std::string csv = write(make_table({}));
  CHECK(csv ==
        "id,name,owner,fit,intent,engagement,composite,fit_band,intent_band,matrix_tier,tier,tier_rank,"
        "previous_tier,change,waitlist_tier,waitlist_rank,watchlist,reason\n");
  CHECK(write(make_table({}), with_format(OutputFormat::kTsv)).substr(0, 13) == "id\tname\towner");
}

TEST_CASE("writer: rows come in tier order, then tier_rank", "[writer]") {
  const auto t = make_table({{"out", Tier::kOutside, 1},
                             {"t3b", Tier::k3, 2},
                             {"t1b", Tier::k1, 2},
                             {"watch", Tier::kWatchlist, 1},
                             {"t3a", Tier::k3, 1},
                             {"t1a", Tier::k1, 1},
                             {"t2", Tier::k2, 1}});
  std::vector<std::string> ids;
  for (const std::uint32_t i : output_order(t)) ids.emplace_back(t.id_of(i));
  CHECK(ids == std::vector<std::string>{"t1a", "t1b", "t2", "t3a", "t3b", "watch", "out"});
  const auto rows = parse_csv(write(t));
  REQUIRE(rows.size() == 8);
  CHECK(rows[1][0] == "t1a");
  CHECK(rows[7][0] == "out");
  CHECK(output_order(make_table({})).empty());
}

TEST_CASE("writer: inconsistent ranks still give a deterministic order", "[writer]") {
  // Duplicate rank 1 in tier 3 and a rank beyond the tier's size.
  const auto t = make_table({{"b", Tier::k3, 1}, {"a", Tier::k3, 1}, {"c", Tier::k1, 7}, {"d", Tier::k1, 2}});
  std::vector<std::string> ids;
  for (const std::uint32_t i : output_order(t)) ids.emplace_back(t.id_of(i));
  CHECK(ids == std::vector<std::string>{"d", "c", "b", "a"});
}

TEST_CASE("writer: scores have two decimals", "[writer]") {
  const std::vector<std::pair<double, std::string>> cases{
      {0, "0.00"},          {100, "100.00"},        {84.25, "84.25"},   {84.255, "84.25"},
      {100.0 / 3, "33.33"}, {200.0 / 3, "66.67"},   {99.999, "100.00"}, {0.005, "0.01"},
      {0.004, "0.00"},      {-0.001, "0.00"},       {-0.0, "0.00"},     {7.5, "7.50"}};
  for (const auto& [value, text] : cases) {
    CAPTURE(value);
    Row r{"a"};
    r.fit = r.intent = r.engagement = value;
    auto t = make_table({r});
    t.weights = {1, 0, 0};  // the composite is the fit
    const std::string csv = write(t);
    CHECK(field(csv, "fit") == text);
    CHECK(field(csv, "intent") == text);
    CHECK(field(csv, "engagement") == text);
    CHECK(field(csv, "composite") == text);
    const std::string json = write(t, with_format(OutputFormat::kJsonl));
    CHECK(json.find("\"fit\":" + text + ",\"intent\":" + text + ",\"engagement\":" + text +
                    ",\"composite\":" + text + ",") != std::string::npos);
  }
}

TEST_CASE("writer: every column of a CSV row", "[writer]") {
  Row r{"acc-1", Tier::k2, 3, "Acme", "Dana", 84.25, 72.5, 10};
  r.previous = Tier::k1;
  r.waitlist = Tier::k1;
  r.waitlist_rank = 4;
  auto t = make_table({r});
  const auto rows = parse_csv(write(t));
  REQUIRE(rows.size() == 2);
  const std::vector<std::string> expected{
      "acc-1", "Acme", "Dana", "84.25", "72.50", "10.00", "79.55", "high", "high", "1", "2", "3",
      "1", "demoted", "1", "4", "false", reason_for(t, 0, Config{}, one_group())};
  CHECK(rows[1] == expected);
  CHECK_FALSE(expected.back().empty());
}

TEST_CASE("writer: change, previous_tier and waitlist fields", "[writer]") {
  struct Case {
    Tier tier, previous, waitlist;
    std::string previous_text, change, waitlist_text, waitlist_rank;
  };
  const std::vector<Case> cases{
      {Tier::k1, Tier::kNone, Tier::kNone, "", "new", "", ""},
      {Tier::k1, Tier::k2, Tier::kNone, "2", "promoted", "", ""},
      {Tier::k3, Tier::kWatchlist, Tier::kNone, "watchlist", "promoted", "", ""},
      {Tier::kOutside, Tier::k3, Tier::k3, "3", "demoted", "3", "1"},
      {Tier::k2, Tier::k2, Tier::k1, "2", "unchanged", "1", "1"},
  };
  for (const Case& c : cases) {
    Row r{"a", c.tier};
    r.previous = c.previous;
    r.waitlist = c.waitlist;
    r.waitlist_rank = c.waitlist == Tier::kNone ? 0 : 1;
    const std::string csv = write(make_table({r}));
    CAPTURE(c.change, csv);
    CHECK(field(csv, "previous_tier") == c.previous_text);
    CHECK(field(csv, "change") == c.change);
    CHECK(field(csv, "waitlist_tier") == c.waitlist_text);
    CHECK(field(csv, "waitlist_rank") == c.waitlist_rank);
    CHECK(field(csv, "tier") == tier_name(c.tier));
  }
}

TEST_CASE("writer: watchlist is true or false", "[writer]") {
  Row flagged{"a", Tier::k2};
  flagged.watchlist = true;
  CHECK(field(write(make_table({flagged})), "watchlist") == "true");
  CHECK(field(write(make_table({{"a"}})), "watchlist") == "false");
}

TEST_CASE("writer: engagement is empty or null when its column is absent", "[writer]") {
  const auto t = make_table({{"a"}});
  WriteOptions o;
  o.has_engagement = false;
  CHECK(field(write(t, o), "engagement").empty());
  CHECK(field(write(t), "engagement") == "0.00");
  o.format = OutputFormat::kJsonl;
  CHECK(nlohmann::json::parse(write(t, o))["engagement"].is_null());
}

TEST_CASE("writer: CSV quotes the delimiter, quotes, CR and LF", "[writer]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Acme, Inc.", "\"Acme, Inc.\""},
      {"Say \"hi\"", "\"Say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\rhere", "\"cr\rhere\""},
      {"tab\there", "tab\there"},
      {"plain", "plain"},
      {"", ""}};
  for (const auto& [name, quoted] : cases) {
    Row r{"a"};
    r.name = name;
    const std::string csv = write(make_table({r}));
    CAPTURE(name);
    CHECK(csv.find("\na," + quoted + ",,") != std::string::npos);
    CHECK(field(csv, "name") == name);  // round-trips
  }
}

TEST_CASE("writer: TSV quotes tabs but not commas", "[writer]") {
  Row r{"a"};
  r.name = "Acme, Inc.";
  r.owner = "Dana\tLee";
  const std::string tsv = write(make_table({r}), with_format(OutputFormat::kTsv));
  CHECK(tsv.find("\na\tAcme, Inc.\t\"Dana\tLee\"\t50.00\t") != std::string::npos);
  CHECK(field(tsv, "owner", '\t') == "Dana\tLee");
}

TEST_CASE("writer: neutralise() prefixes formula starts only", "[writer]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"=1+1", "'=1+1"}, {"+49 30", "'+49 30"}, {"-5", "'-5"},      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tx", "'\tx"},   {"\rx", "'\rx"},       {"a=b", "a=b"},     {"", ""},
      {" =x", " =x"},    {"'=x", "'=x"},        {"Acme", "Acme"}};
  for (const auto& [in, out] : cases) {
    CAPTURE(in);
    CHECK(neutralise(in) == out);
  }
}

TEST_CASE("writer: text fields are neutralised in CSV and TSV unless raw", "[writer]") {
  const std::vector<std::pair<std::string, std::string>> triggers{
      {"=HYPERLINK(1)", "'=HYPERLINK(1)"}, {"+1", "'+1"},   {"-1", "'-1"},
      {"@x", "'@x"},                       {"\tx", "'\tx"}, {"\rx", "\"'\rx\""}};
  for (const auto& [text, csv_text] : triggers) {
    CAPTURE(text);
    Row r{text, Tier::k3, 1, text, text};
    r.kept = {text};
    const auto t = make_table({r});
    WriteOptions o;
    o.keep_names = {"Region"};
    const std::string csv = write(t, o);
    const auto rows = parse_csv(csv);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1][column("id")] == "'" + text);
    CHECK(rows[1][column("name")] == "'" + text);
    CHECK(rows[1][column("owner")] == "'" + text);
    CHECK(rows[1].back() == "'" + text);
    CHECK(csv.find("\n" + csv_text + ",") != std::string::npos);
    CHECK(rows[1][column("fit")] == "50.00");  // numbers are never neutralised

    o.format = OutputFormat::kTsv;
    CHECK(parse_csv(write(t, o), '\t')[1][column("name")] == "'" + text);

    o.raw = true;
    CHECK(parse_csv(write(t, o), '\t')[1][column("name")] == text);
    o.format = OutputFormat::kCsv;
    CHECK(parse_csv(write(t, o))[1][column("name")] == text);

    o.raw = false;
    o.format = OutputFormat::kJsonl;
    CHECK(nlohmann::json::parse(write(t, o))["name"] == text);  // never in JSON
  }
}

TEST_CASE("writer: kept columns follow, named by keep_names", "[writer]") {
  Row r{"a"};
  r.kept = {"EMEA", "=cmd", "Say \"x\", y"};
  WriteOptions o;
  o.keep_names = {"Region", "-Note", "Quote"};
  const auto t = make_table({r});
  const auto rows = parse_csv(write(t, o));
  REQUIRE(rows[0].size() == kOutputColumns.size() + 3);
  CHECK(rows[0][kOutputColumns.size()] == "Region");
  CHECK(rows[0][kOutputColumns.size() + 1] == "'-Note");
  CHECK(rows[1][kOutputColumns.size()] == "EMEA");
  CHECK(rows[1][kOutputColumns.size() + 1] == "'=cmd");
  CHECK(rows[1][kOutputColumns.size() + 2] == "Say \"x\", y");
  o.format = OutputFormat::kJsonl;
  const auto j = nlohmann::ordered_json::parse(write(t, o));
  CHECK(j["Region"] == "EMEA");
  CHECK(j["-Note"] == "=cmd");
  CHECK(std::prev(j.end()).key() == "Quote");
}

TEST_CASE("writer: JSON is an array with one object per line", "[writer]") {
  Row waitlisted{"b", Tier::k2, 1, "Beta", "Dana", 90, 80, 0};
  waitlisted.previous = Tier::k1;
  waitlisted.waitlist = Tier::k1;
  waitlisted.waitlist_rank = 2;
  const auto t = make_table({{"a", Tier::k1, 1, "Acme", "Dana", 90, 90, 0}, waitlisted});
  const std::string text = write(t, with_format(OutputFormat::kJson));
  CHECK(text.rfind("[\n{\"id\":\"a\",\"name\":\"Acme\",\"owner\":\"Dana\",\"fit\":90.00,", 0) == 0);
  CHECK(text.find("},\n{\"id\":\"b\"") != std::string::npos);
  CHECK(text.substr(text.size() - 4) == "}\n]\n");
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);
  const auto j = nlohmann::ordered_json::parse(text);
  REQUIRE(j.size() == 2);
  std::vector<std::string> keys;
  for (const auto& item : j[0].items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>(kOutputColumns.begin(), kOutputColumns.end()));
  CHECK(j[0]["fit"].is_number());
  CHECK(j[0]["tier"] == "1");
  CHECK(j[0]["tier_rank"] == 1);
  CHECK(j[0]["previous_tier"].is_null());
  CHECK(j[0]["waitlist_tier"].is_null());
  CHECK(j[0]["waitlist_rank"].is_null());
  CHECK(j[0]["watchlist"] == false);
  CHECK(j[0]["change"] == "new");
  CHECK(j[0]["fit_band"] == "high");
  CHECK(j[1]["previous_tier"] == "1");
  CHECK(j[1]["waitlist_tier"] == "1");
  CHECK(j[1]["waitlist_rank"] == 2);
  CHECK(j[1]["change"] == "demoted");
  CHECK(j[1]["reason"] == reason_for(t, 1, Config{}, one_group()));
}

TEST_CASE("writer: JSON Lines and empty outputs", "[writer]") {
  const auto t = make_table({{"a", Tier::k1}, {"b", Tier::k2}});
  const std::string lines = write(t, with_format(OutputFormat::kJsonl));
  std::istringstream in(lines);
  std::string line;
  std::vector<std::string> ids;
  while (std::getline(in, line)) ids.push_back(nlohmann::json::parse(line)["id"]);
  CHECK(ids == std::vector<std::string>{"a", "b"});
  CHECK(lines.back() == '\n');
  CHECK(write(make_table({}), with_format(OutputFormat::kJson)) == "[\n]\n");
  CHECK(write(make_table({}), with_format(OutputFormat::kJsonl)).empty());
}

TEST_CASE("writer: JSON escapes quotes, backslashes and control characters", "[writer]") {
  Row r{"a"};
  r.name = "q\"b\\n\nt\tc\x01 d\x1f e\x7f";
  const std::string text = write(make_table({r}), with_format(OutputFormat::kJsonl));
  CHECK(text.find(R"("name":"q\"b\\n\nt\tc\u0001 d\u001f e)" "\x7f\"") != std::string::npos);
  CHECK(nlohmann::json::parse(text)["name"] == r.name);
}

TEST_CASE("writer: invalid UTF-8 becomes U+FFFD in JSON, as nlohmann does", "[writer]") {
  const std::vector<std::string> cases{
      "ok \xC3\xA9",         "\xFF",         "a\x80z",         "\xC3",            "\xC3(",
      "\xE0\x80\x80",        "\xE0\xA0",     "\xED\xA0\x80",   "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80",
      "\xF0\x9F\x98\x80!",   "\xF0\x9F\x98", "\xC0\xAF",       "\xF5\x80",        "\xE2\x82\xAC\xE2",
      "\xC2\xC2\xA9",        "\x80\x80",     "x\xEF\xBF\xBDy"};
  std::vector<std::string> all = cases;
  // A deterministic sweep of random byte strings with many high bytes.
  std::uint32_t seed = 12345;
  for (int n = 0; n < 300; ++n) {
    std::string s;
    for (int k = 0; k < 12; ++k) {
      seed = seed * 1103515245u + 12345u;
      s += static_cast<char>((seed >> 16) & 0xFF);
    }
    all.push_back(s);
  }
  for (const std::string& name : all) {
    Row r{"a"};
    r.name = name;
    const std::string text = write(make_table({r}), with_format(OutputFormat::kJsonl));
    const std::string expected =
        nlohmann::json(name).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    CAPTURE(nlohmann::json(name).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
    CHECK(text.find("\"name\":" + expected + ",") != std::string::npos);
    CHECK_NOTHROW(nlohmann::json::parse(text));
  }
}

TEST_CASE("writer: invalid UTF-8 passes through CSV and TSV unchanged", "[writer]") {
  Row r{"a"};
  r.name = "caf\xE9 \xFF";
  CHECK(write(make_table({r})).find("\na,caf\xE9 \xFF,") != std::string::npos);
  CHECK(write(make_table({r}), with_format(OutputFormat::kTsv)).find("\na\tcaf\xE9 \xFF\t") !=
        std::string::npos);
}

TEST_CASE("writer: a failing stream is a runtime error", "[writer]") {
  struct Failing : std::streambuf {
    int_type overflow(int_type) override { return traits_type::eof(); }
    std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
  } failing;
  std::ostream out(&failing);
  try {
    write_assignments(make_table({{"a"}}), Config{}, one_group(), WriteOptions{}, out);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kRuntime);
    CHECK(std::string(e.what()).rfind("cannot write the output: ", 0) == 0);
  }
}

TEST_CASE("writer: large outputs are written in chunks, completely", "[writer]") {
  std::vector<Row> rows;
  for (std::uint32_t i = 0; i < 40000; ++i) rows.push_back({"id-" + std::to_string(i), Tier::k3, i + 1});
  const std::string csv = write(make_table(rows));
  CHECK(csv.size() > (std::size_t{1} << 20) * 2);  // more than one buffer flush
  const auto records = parse_csv(csv);
  REQUIRE(records.size() == 40001);
  CHECK(records[40000][0] == "id-39999");
}

TEST_CASE("writer: golden files of a small table", "[writer]") {
  Row t1{"acc-1", Tier::k1, 1, "Acme, Inc.", "Dana", 92, 88, 40};
  Row t2{"acc-2", Tier::k2, 1, "=Beta", "Lee", 85, 75, 0};
  t2.previous = Tier::k2;
  t2.waitlist = Tier::k1;
  t2.waitlist_rank = 1;
  Row watch{"acc-3", Tier::k2, 2, "Gamma \"G\"", "", 81, 12.345, 0};
  watch.watchlist = true;
  watch.previous = Tier::k1;
  Row out{"acc-4", Tier::kOutside, 1, "Delta\nLtd", "Dana", 20, 10, 0};
  for (Row* r : {&t1, &t2, &watch, &out}) r->kept = {"EMEA"};
  const auto table = make_table({out, watch, t2, t1});
  const std::vector<std::pair<OutputFormat, std::string>> goldens{
      {OutputFormat::kCsv, "assignments.csv"}, {OutputFormat::kTsv, "assignments.tsv"},
      {OutputFormat::kJson, "assignments.json"}, {OutputFormat::kJsonl, "assignments.jsonl"}};
  for (const auto& [format, file] : goldens) {
    WriteOptions o = with_format(format);
    o.keep_names = {"Region"};
    const std::string actual = write(table, o);
    const std::string path = std::string(ABMTIER_TEST_DATA) + "/writer/" + file;
    // The reason column comes from reason_for(); when its wording changes on
    // purpose, regenerate with ABMTIER_UPDATE_GOLDEN=1 and review the diff.
    if (std::getenv("ABMTIER_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << actual;
    std::ifstream in(path, std::ios::binary);
    const std::string expected{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CAPTURE(file);
    CHECK(actual == expected);
  }
}

TEST_CASE("writer: AtomicFile commit replaces the target", "[writer]") {
  const TempDir dir;
  const std::string path = dir.file("out.csv");
  spit(path, "old\n");
  {
    AtomicFile file(path);
    file.stream() << "new\n";
    file.stream().flush();
    CHECK(slurp(path) == "old\n");  // untouched until commit
    const auto temps = dir.others("out.csv");
    REQUIRE(temps.size() == 1);
    CHECK(temps[0].rfind(".out.csv.tmp-", 0) == 0);
    file.commit();
    file.commit();  // a second commit does nothing
  }
  CHECK(slurp(path) == "new\n");
  CHECK(dir.others("out.csv").empty());
}

TEST_CASE("writer: AtomicFile without commit leaves the old file and no temp", "[writer]") {
  const TempDir dir;
  const std::string path = dir.file("out.csv");
  spit(path, "old\n");
  {
    AtomicFile file(path);
    file.stream() << std::string(200000, 'x');  // more than one buffer
  }
  CHECK(slurp(path) == "old\n");
  CHECK(dir.others("out.csv").empty());
  {
    AtomicFile file(dir.file("fresh.csv"));
    file.stream() << "x";
  }
  CHECK_FALSE(fs::exists(dir.file("fresh.csv")));
  CHECK(dir.others("out.csv").empty());
}

TEST_CASE("writer: AtomicFile keeps a replaced file's mode, new files follow the umask", "[writer]") {
  const TempDir dir;
  const std::string path = dir.file("out.csv");
  spit(path, "old");
  ::chmod(path.c_str(), 0640);
  write_file_atomically(path, "new");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);

  const mode_t mask = ::umask(022);
  write_file_atomically(dir.file("fresh.csv"), "x");
  ::umask(mask);
  REQUIRE(::stat(dir.file("fresh.csv").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);
  CHECK(slurp(dir.file("fresh.csv")) == "x");
}

TEST_CASE("writer: /dev/full fails with the OS reason and stays a device", "[writer]") {
  const std::string expected = "cannot write '/dev/full': No space left on device";
  CHECK(runtime_error_of([] { write_file_atomically("/dev/full", "x"); }) == expected);
  CHECK(runtime_error_of([] {
          AtomicFile file("/dev/full");
          std::vector<Row> rows;
          for (std::uint32_t i = 0; i < 5000; ++i) rows.push_back({"id-" + std::to_string(i), Tier::k3, i + 1});
          write_assignments(make_table(rows), Config{}, one_group(), WriteOptions{}, file.stream());
          file.commit();
        }) == expected);
  CHECK(is_char_device("/dev/full"));
}

TEST_CASE("writer: /dev/null is written directly, never renamed over", "[writer]") {
  AtomicFile file("/dev/null");
  file.stream() << "discarded\n";
  CHECK_NOTHROW(file.commit());
  CHECK(is_char_device("/dev/null"));
}

TEST_CASE("writer: a FIFO is written directly", "[writer]") {
  const TempDir dir;
  const std::string path = dir.file("pipe");
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = slurp(path); });
  {
    AtomicFile file(path);
    file.stream() << "through the pipe\n";
    file.commit();
  }
  reader.join();
  CHECK(received == "through the pipe\n");
  CHECK(fs::is_fifo(path));
}

TEST_CASE("writer: a symbolic link is followed, not replaced", "[writer]") {
  const TempDir dir;
  spit(dir.file("real.csv"), "old");
  fs::create_symlink(dir.file("real.csv"), dir.file("link.csv"));
  write_file_atomically(dir.file("link.csv"), "new");
  CHECK(fs::is_symlink(dir.file("link.csv")));
  CHECK(slurp(dir.file("real.csv")) == "new");
}

TEST_CASE("writer: unwritable targets are runtime errors naming the path", "[writer]") {
  const TempDir dir;
  const std::string missing = dir.file("no-such-dir/out.csv");
  const std::string message = runtime_error_of([&] { AtomicFile file(missing); });
  CHECK(message.rfind("cannot write '" + missing + "': cannot create a temporary file in", 0) == 0);
  CHECK(message.find("No such file or directory") != std::string::npos);
  CHECK(runtime_error_of([&] { AtomicFile file(dir.path.string()); }) ==
        "cannot write '" + dir.path.string() + "': it is a directory; give a file name");
}

TEST_CASE("writer: path - writes to standard output", "[writer]") {
  std::ostringstream captured;
  std::streambuf* saved = std::cout.rdbuf(captured.rdbuf());
  {
    AtomicFile file("-");
    file.stream() << "to stdout";
    file.commit();
  }
  std::cout.rdbuf(saved);
  CHECK(captured.str() == "to stdout");
}

TEST_CASE("writer: write_failure_message names the stream", "[writer]") {
  std::ostringstream other;
  CHECK(write_failure_message(other, ENOSPC) == "cannot write the output: No space left on device");
  CHECK(write_failure_message(other) == "cannot write the output: an unknown I/O error");
  CHECK(write_failure_message(std::cout, EPIPE) == "cannot write to standard output: Broken pipe");
  AtomicFile file("/dev/full");
  CHECK(write_failure_message(file.stream(), EIO) == "cannot write '/dev/full': Input/output error");
}

}  // namespace abmtier

TEST_CASE("writer: scores print as printf's %.2f would, without -0.00", "[writer]") {
  CHECK(abmtier::score_text(0) == "0.00");
  CHECK(abmtier::score_text(-0.0) == "0.00");
  CHECK(abmtier::score_text(-0.004) == "0.00");
  CHECK(abmtier::score_text(-0.005) == "-0.01");
  CHECK(abmtier::score_text(72.5) == "72.50");
  CHECK(abmtier::score_text(0.125) == "0.12");  // an exact tie rounds to even
  CHECK(abmtier::score_text(0.375) == "0.38");
  CHECK(abmtier::score_text(100) == "100.00");
  CHECK(abmtier::score_text(1e20) == "100000000000000000000.00");
  CHECK(abmtier::score_text(9007199254740991.0) == "9007199254740991.00");
  // Against the C library on values like the ones scores and composites take.
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int k = 0; k < 200000; ++k) {
    const double fit = static_cast<double>(next() % 1001) / 10, intent = static_cast<double>(next() % 1001) / 10;
    for (const double v : {fit, 0.6 * fit + 0.4 * intent, static_cast<double>(next()) / 9007199254740992.0 * 100,
                           static_cast<double>(k) / 8, static_cast<double>(k) * 0.005}) {
      char expected[64];
      std::snprintf(expected, sizeof expected, "%.2f", v);
      INFO(v);
      REQUIRE(abmtier::score_text(v) == expected);
    }
  }
}

TEST_CASE("writer: a delimiter, quote or line break anywhere in a value quotes it", "[writer]") {
  // Values are checked eight bytes at a time: every length around that and
  // every position of the special byte.
  for (const char d : {',', '\t'}) {
    for (std::size_t length = 1; length <= 20; ++length) {
      CHECK(abmtier::csv_field(std::string(length, 'a'), d) == std::string(length, 'a'));
      for (std::size_t at = 0; at < length; ++at) {
        for (const char special : {d, '"', '\n', '\r'}) {
          std::string value(length, 'a');
          value[at] = special;
          std::string expected = "\"" + value + "\"";
          if (special == '"') expected.insert(at + 1, 1, '"');
          INFO("length " << length << " at " << at << " byte " << static_cast<int>(special));
          CHECK(abmtier::csv_field(value, d) == expected);
        }
      }
    }
  }
  CHECK(abmtier::csv_field("a;b|c\x80\xff", ',') == "a;b|c\x80\xff");  // bytes that only look close
}
