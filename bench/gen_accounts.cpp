// Deterministic generator of realistic CRM account exports for the benchmark.
//
//   gen_accounts ROWS OUT.csv [SEED]     (OUT "-" writes to standard output)
//
// 13 columns: id, name, domain, industry, employees, country, owner, fit,
// intent, engagement, current tier, last activity date, open pipeline.
// About ROWS/5000 owners (2 % of accounts have none); fit and intent are
// skewed towards low scores with one decimal (5 % of fits carry two); 8 % of
// intents are empty; one row in 40,000 has an empty fit (a bad row that
// abmtier rejects under --on-error skip). Names are sometimes quoted because
// they contain a comma, and a few contain "" inside quotes.
//
// Every value comes from integer arithmetic on a counter-based generator
// (splitmix64 of seed and row number), so the same ROWS and SEED give the
// same bytes on any machine, and row i does not depend on how many rows are
// written. Build: g++ -O2 -std=c++20 -o gen_accounts gen_accounts.cpp
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using u64 = std::uint64_t;

constexpr std::array<std::string_view, 64> kPrefixes{
    "Acme",    "Quartz",  "Summit",    "Tidal",    "Nimbus",  "Orbit",      "Cobalt",    "Harbor",
    "Union",   "Lumen",   "Vertex",    "Apex",     "Beacon",  "Cedar",      "Delta",     "Ember",
    "Falcon",  "Granite", "Helix",     "Ionic",    "Juniper", "Keystone",   "Lattice",   "Meridian",
    "Northwind", "Onyx",  "Pinnacle",  "Quantum",  "Redwood", "Sierra",     "Titan",     "Umbra",
    "Vanguard", "Willow", "Xenon",     "Yellowtail", "Zephyr", "Atlas",     "Boreal",    "Cascade",
    "Dynamo",  "Evergreen", "Fjord",   "Glacier",  "Horizon", "Indigo",     "Jade",      "Kinetic",
    "Lighthouse", "Monarch", "Nova",   "Oakridge", "Polar",   "Radiant",    "Silverline", "Trident",
    "Unity",   "Velvet",  "Westbrook", "Alder",    "Bright",  "Crescent",   "Driftwood", "Everest"};
constexpr std::array<std::string_view, 32> kNouns{
    "Analytics", "Logistics", "Software", "Security",  "Energy",   "Health",   "Networks", "Media",
    "Capital",   "Systems",   "Robotics", "Foods",     "Labs",     "Dynamics", "Materials", "Pharma",
    "Retail",    "Telecom",   "Cloud",    "Data",      "Freight",  "Insurance", "Mobility", "Biotech",
    "Solar",     "Textiles",  "Partners", "Holdings",  "Studios",  "Works",    "Foundry",  "Ventures"};
constexpr std::array<std::string_view, 16> kSuffixes{
    "Inc.", "Corp", "Ltd", "LLC", "GmbH", "S.A.", "AG", "plc", "Group", "Co.", "B.V.", "Pty Ltd",
    "Oy", "AB", "SAS", "Inc."};
constexpr std::array<std::string_view, 8> kTlds{".com", ".com", ".com", ".io", ".co.uk", ".de", ".net", ".ai"};
constexpr std::array<std::string_view, 12> kIndustries{
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics",
    "Energy", "Media", "Education", "Telecommunications", "Insurance", "Professional Services"};
// Countries with weights in percent (sum 100).
constexpr std::array<std::string_view, 13> kCountries{
    "United States", "United Kingdom", "Germany", "France", "Canada", "Netherlands", "Australia",
    "Spain", "Sweden", "Japan", "Brazil", "India", "Singapore"};
constexpr std::array<int, 13> kCountryWeights{40, 12, 10, 7, 6, 4, 4, 3, 3, 3, 3, 3, 2};
constexpr std::array<std::string_view, 64> kFirstNames{
    "Dana", "Priya", "Mei", "Luis", "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace",
    "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa",
    "Sven", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amir", "Bianca", "Chen",
    "Diego", "Erin", "Fatima", "Gustav", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nora",
    "Omar", "Paula", "Rafael", "Sara", "Tomas", "Ursula", "Vera", "Will", "Yara", "Zain", "Anika",
    "Bruno", "Chloe", "Dev", "Emma", "Felix", "Gia", "Hugo", "Isla", "Jamal"};
constexpr std::array<std::string_view, 64> kLastNames{
    "Whitfield", "Raman", "Chen", "Ortega", "Okafor", "Schmidt", "Rossi", "Ivanov", "Novak",
    "Haddad", "Kim", "Tanaka", "Silva", "Berg", "Adeyemi", "Larsen", "Patel", "Sharma", "Petrova",
    "Garcia", "Murphy", "Alvarez", "Nilsson", "Singh", "Costa", "Dubois", "Li", "Morales", "Yilmaz",
    "Evans", "Karimi", "Romano", "Wang", "Fernandez", "Walsh", "Hassan", "Lindqvist", "Sato",
    "Popov", "Keller", "Mensah", "Vogel", "Bianchi", "Nakamura", "Farouk", "Santos", "Moreau",
    "Cohen", "Horvat", "Meyer", "Jovanovic", "Brennan", "Sousa", "Malik", "Fischer", "Lopez",
    "Martin", "Kapoor", "Wilson", "Becker", "Reyes", "Park", "Duarte", "Owens"};

u64 splitmix64(u64& state) {
  u64 z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Per-row random stream: row i's values depend only on (seed, i).
class Rng {
 public:
  Rng(u64 seed, u64 row) : state_(seed * 0xD1B54A32D192ED03ull ^ (row + 1) * 0x8CB92BA72F3D8DD7ull) {}
  u64 next() { return splitmix64(state_); }
  /// Uniform integer in [0, n).
  u64 below(u64 n) { return static_cast<u64>((static_cast<unsigned __int128>(next()) * n) >> 64); }
  /// True with probability per_mille / 1000.
  bool chance(u64 per_mille) { return below(1000) < per_mille; }
  /// Triangular integer on [lo, hi]: the mean of two uniforms.
  u64 tri(u64 lo, u64 hi) { return lo + (below(hi - lo + 1) + below(hi - lo + 1)) / 2; }

 private:
  u64 state_;
};

class Out {
 public:
  explicit Out(std::FILE* f) : file_(f) { buf_.reserve(kFlushAt + 4096); }
  ~Out() { flush(); }
  void put(std::string_view s) { buf_.append(s); }
  void put(char c) { buf_.push_back(c); }
  void num(u64 v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
  }
  /// value/10^decimals with exactly `decimals` digits after the point.
  void fixed(u64 value, int decimals) {
    u64 scale = decimals == 2 ? 100 : 10;
    num(value / scale);
    put('.');
    if (decimals == 2 && value % 100 < 10) put('0');
    num(value % scale);
  }
  void end_row() {
    buf_.push_back('\n');
    if (buf_.size() >= kFlushAt) flush();
  }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
      std::perror("gen_accounts: write");
      std::exit(1);
    }
    buf_.clear();
  }

 private:
  static constexpr std::size_t kFlushAt = 8u << 20;
  std::FILE* file_;
  std::string buf_;
};

// A bijection on [0, 2^bits): ids are unique but not in row order, so the
// id tie-break of the ranking sees realistic, unsorted ids.
u64 scramble(u64 i, int bits) {
  const u64 mask = (u64{1} << bits) - 1;
  u64 x = (i * 0x9E3779B97F4A7C15ull) & mask;
  x ^= x >> (bits / 2 + 1);
  x = (x * 0xC2B2AE3D27D4EB4Full) & mask;
  x ^= x >> (bits / 3 + 1);
  return x;
}

void write_owner(Out& out, u64 index) {
  const u64 a = index % 64, q = (index / 64) % 64;
  out.put(kFirstNames[a]);
  out.put(' ');
  out.put(kLastNames[(q + 3 * a) % 64]);
  if (index >= 4096) {
    out.put(' ');
    out.num(index / 4096 + 1);
  }
}

void write_name_and_domain(Out& out, Rng& rng) {
  const auto prefix = kPrefixes[rng.below(kPrefixes.size())];
  const auto noun = kNouns[rng.below(kNouns.size())];
  const auto suffix = kSuffixes[rng.below(kSuffixes.size())];
  const u64 form = rng.below(1000);
  if (form < 850) {  // Quartz Energy Corp
    out.put(prefix), out.put(' '), out.put(noun), out.put(' '), out.put(suffix);
  } else if (form < 975) {  // "Quartz Energy, Corp"
    out.put('"'), out.put(prefix), out.put(' '), out.put(noun), out.put(", "), out.put(suffix), out.put('"');
  } else if (form < 990) {  // "Quartz ""Energy"" Corp"
    out.put("\""), out.put(prefix), out.put(" \"\""), out.put(noun), out.put("\"\" "), out.put(suffix), out.put('"');
  } else {  // "Quartz Energy (formerly ""Apex""), Corp"
    const auto old = kPrefixes[rng.below(kPrefixes.size())];
    out.put('"'), out.put(prefix), out.put(' '), out.put(noun), out.put(" (formerly \"\""), out.put(old);
    out.put("\"\"), "), out.put(suffix), out.put('"');
  }
  out.put(',');
  for (auto part : {prefix, noun})
    for (char c : part) out.put(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  out.put(kTlds[rng.below(kTlds.size())]);
}

u64 employees(Rng& rng) {
  const u64 bucket = rng.below(100);
  if (bucket < 30) return 10 + rng.below(40);
  if (bucket < 60) return 50 + rng.below(150);
  if (bucket < 82) return 200 + rng.below(800);
  if (bucket < 94) return 1000 + rng.below(4000);
  return 5000 + rng.below(45000);
}

std::string_view country(Rng& rng) {
  u64 pick = rng.below(100);
  for (std::size_t i = 0; i < kCountries.size(); ++i) {
    if (pick < static_cast<u64>(kCountryWeights[i])) return kCountries[i];
    pick -= static_cast<u64>(kCountryWeights[i]);
  }
  return kCountries[0];
}

// Owner index, skewed: low indexes carry more accounts (about 3:1 between
// the busiest and the quietest rep). kNone = no owner.
constexpr u64 kNone = ~u64{0};
u64 owner(Rng& rng, u64 owners) {
  if (rng.chance(20)) return kNone;
  if (rng.chance(500)) return rng.below(owners);
  return std::min(rng.below(owners), rng.below(owners));
}

// Fit in tenths (0..1000): most accounts are a poor or middling fit, a
// fifth come from the ICP segment.
u64 fit_tenths(Rng& rng) {
  if (rng.chance(780)) return rng.tri(0, 760);
  return rng.tri(450, 1000);
}

// Intent in tenths: mostly low (no research), a third of accounts show
// some surge.
u64 intent_tenths(Rng& rng) {
  if (rng.chance(700)) return std::min(rng.below(1001), rng.below(1001));
  return rng.tri(200, 1000);
}

// Writes a 0-100 score from tenths: one decimal; a whole number now and
// then; two decimals in 5 % of the rows (`hundredths`).
void write_score(Out& out, Rng& rng, u64 tenths, bool hundredths) {
  if (hundredths && tenths < 1000) {
    out.fixed(tenths * 10 + rng.below(10), 2);
  } else if (tenths % 10 == 0 && rng.chance(300)) {
    out.num(tenths / 10);
  } else {
    out.fixed(tenths, 1);
  }
}

int band(u64 tenths) { return tenths >= 700 ? 0 : tenths >= 400 ? 1 : 2; }

// The CRM's current tier: last quarter's tier, drawn from scores close to
// today's, as CRMs write it ("Tier 1", "T1", "1", "tier-1", ...).
void write_current_tier(Out& out, Rng& rng, u64 fit, u64 intent) {
  if (rng.chance(550)) return;  // never tiered
  const u64 roll = rng.below(10000);
  if (roll < 20) return out.put("Watchlist");
  if (roll < 30) return out.put("Outside");
  if (roll < 35) return out.put(roll < 32 ? "Strategic" : "Tier 4");  // unreadable: no previous tier
  const auto jitter = [&](u64 v, u64 spread) {
    const auto shifted = static_cast<std::int64_t>(v) + static_cast<std::int64_t>(rng.below(2 * spread + 1)) -
                         static_cast<std::int64_t>(spread);
    return static_cast<u64>(std::clamp<std::int64_t>(shifted, 0, 1000));
  };
  const int f = band(jitter(fit, 150)), i = band(jitter(intent, 200));
  static constexpr int kMatrix[3][3] = {{1, 2, 2}, {2, 3, 3}, {3, 3, 3}};
  int tier = kMatrix[f][i];
  // Last quarter's caps kept most accounts out of tiers 1 and 2.
  if (tier == 1 && !rng.chance(150)) tier = 2;
  if (tier == 2 && !rng.chance(400)) tier = 3;
  const char digit = static_cast<char>('0' + tier);
  const u64 style = rng.below(100);
  if (style < 40) out.put("Tier "), out.put(digit);
  else if (style < 65) out.put('T'), out.put(digit);
  else if (style < 92) out.put(digit);
  else if (style < 97) out.put("tier-"), out.put(digit);
  else out.put("TIER_"), out.put(digit);
}

// Days since 1970-01-01 -> y, m, d (proleptic Gregorian; H. Hinnant).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

void write_date(Out& out, Rng& rng) {
  if (rng.chance(120)) return;
  constexpr std::int64_t kExportDay = 20758;  // 2026-11-01
  const auto age = static_cast<std::int64_t>(std::min(rng.below(400), rng.below(400)));
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(kExportDay - age, y, m, d);
  out.num(static_cast<u64>(y));
  out.put(m < 10 ? "-0" : "-"), out.num(m);
  out.put(d < 10 ? "-0" : "-"), out.num(d);
}

void write_pipeline(Out& out, Rng& rng) {
  const u64 roll = rng.below(100);
  if (roll < 8) return;
  if (roll < 70) return out.put('0');
  const u64 amount = 500 * (1 + rng.tri(0, 400));
  if (roll < 95) return out.num(amount);
  out.fixed(amount * 100 + rng.below(100), 2);
}

void write_row(Out& out, u64 seed, u64 row, u64 owners, int id_bits) {
  Rng rng(seed, row);
  out.put("ACC-");
  out.num(scramble(row, id_bits) + 1000);
  out.put(',');
  write_name_and_domain(out, rng);
  out.put(','), out.put(kIndustries[rng.below(kIndustries.size())]);
  out.put(','), out.num(employees(rng));
  out.put(','), out.put(country(rng));
  out.put(',');
  if (const u64 o = owner(rng, owners); o != kNone) write_owner(out, o);
  const u64 fit = fit_tenths(rng), intent = intent_tenths(rng);
  out.put(',');
  if (rng.below(40000) != 0) write_score(out, rng, fit, rng.chance(50));
  out.put(',');
  if (!rng.chance(80)) write_score(out, rng, intent, false);
  out.put(',');
  if (!rng.chance(200)) write_score(out, rng, rng.tri(0, 1000), false);
  out.put(',');
  write_current_tier(out, rng, fit, intent);
  out.put(',');
  write_date(out, rng);
  out.put(',');
  write_pipeline(out, rng);
  out.end_row();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: gen_accounts ROWS OUT.csv|- [SEED]\n");
    return 2;
  }
  const u64 rows = std::strtoull(argv[1], nullptr, 10);
  const u64 seed = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 20261101;
  const u64 owners = std::max<u64>(1, (rows + 2500) / 5000);
  int id_bits = 10;
  while ((u64{1} << id_bits) < rows) ++id_bits;

  std::FILE* file = std::strcmp(argv[2], "-") == 0 ? stdout : std::fopen(argv[2], "wb");
  if (file == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  {
    Out out(file);
    out.put("id,name,domain,industry,employees,country,owner,fit,intent,engagement,"
            "current tier,last activity date,open pipeline");
    out.end_row();
    for (u64 row = 0; row < rows; ++row) write_row(out, seed, row, owners, id_bits);
  }
  if (std::fflush(file) != 0 || (file != stdout && std::fclose(file) != 0)) {
    std::perror(argv[2]);
    return 1;
  }
  return 0;
}
