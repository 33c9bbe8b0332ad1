// abmtier's tiering rules in DuckDB SQL: the benchmark's database peer.
//
//   node peer_duckdb.mjs ACCOUNTS.csv [--dump FILE] [--threads N]
//
// Implements SPEC.md for the benchmark config (bench.json): composite with
// the default weights, fit and intent bands, the default tier matrix,
// hysteresis against the `current tier` column (tier 1 promotes at 85 and
// demotes below 70), and the capacity gate in `per_owner` mode (tier 1: 8,
// tier 2: 60 per owner, tier 3 uncapped; accounts with no owner form one
// group) as one query of window functions: per tier, row_number() over the
// owner's candidates ranked incumbents first, then composite desc, fit desc,
// id asc; the rest cascade to the next tier (from tier 3: outside).
//
// Prints one JSON line with the tier counts. --dump writes id, tier,
// waitlist_tier and waitlist_rank per account, to compare with abmtier's CSV.
// Reads the generator's exports (gen_accounts.cpp): plain decimal scores on
// 0-100, no padding spaces, unique ids. Runs on 2 threads by default.
import { DuckDBInstance } from '@duckdb/node-api';

// bench.json and the defaults it keeps. Tiers as indexes: 0-2 = tiers 1-3,
// 3 = watchlist, 4 = outside, -1 = none.
const W = { fit: 0.6, intent: 0.4, engagement: 0.0 };
const BANDS = { fit: [70, 40], intent: [70, 40] };
const MATRIX = [[0, 1, 1], [1, 2, 2], [2, 2, 2]]; // [fit band][intent band]
const PROMOTE_AT = [85, null, null, null, null];
const DEMOTE_BELOW = [70, null, null, null, null];
const CAP_PER_OWNER = [8, 60, null];
const TIER_NAMES = ['1', '2', '3', 'watchlist', 'outside'];

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const input = args[0];
const dump = option('--dump', null);
const threads = option('--threads', '2');
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const num = (x) => `${x}::DOUBLE`;

const band = (col, [high, mid]) => `CASE WHEN ${col} >= ${num(high)} THEN 0 WHEN ${col} >= ${num(mid)} THEN 1 ELSE 2 END`;

// SPEC 10 lenient previous tier: optional tier/t prefix and separator, 1-3;
// watchlist; outside; anything else (or empty) is none.
const previousTier = `CASE
    WHEN pt IS NULL THEN -1
    WHEN pt = 'watchlist' THEN 3
    WHEN pt = 'outside' THEN 4
    WHEN regexp_full_match(pt, '([123]|(tier|t)[ _-]?[123])') THEN CAST(right(pt, 1) AS INTEGER) - 1
    ELSE -1 END`;

// SPEC 5: promotion goes to the best t in [m, p) whose promote_at is unset or
// reached, else stays at p; demotion stays at p while composite >= p's
// demote_below, else the best t in (p, m) whose demote_below is set and
// reached, else m.
function eligibleTier() {
  const promote = [];
  for (let t = 0; t < 5; t++) {
    const ok = PROMOTE_AT[t] === null ? 'TRUE' : `comp >= ${num(PROMOTE_AT[t])}`;
    promote.push(`WHEN m <= ${t} AND ${t} < p AND ${ok} THEN ${t}`);
  }
  const held = [], demote = [];
  for (let t = 0; t < 5; t++) {
    if (DEMOTE_BELOW[t] === null) continue;
    held.push(`WHEN p = ${t} AND comp >= ${num(DEMOTE_BELOW[t])} THEN p`);
    demote.push(`WHEN p < ${t} AND ${t} < m AND comp >= ${num(DEMOTE_BELOW[t])} THEN ${t}`);
  }
  return `CASE
    WHEN p < 0 OR p = m THEN m
    WHEN m < p THEN CASE ${promote.join(' ')} ELSE p END
    ELSE CASE ${held.join(' ')} ${demote.join(' ')} ELSE m END END`;
}

// Loads the export once; the rows that fail the score checks are the rejects.
const loadQuery = () => `CREATE TEMP TABLE accounts AS
  SELECT id, owner, fit, coalesce(intent, 0) AS intent, coalesce(engagement, 0) AS engagement,
         lower(trim("current tier", ' \t')) AS pt
  FROM read_csv(${sqlString(input)}, header = true, delim = ',', quote = '"', escape = '"',
                auto_detect = false, columns = {
                  'id': 'VARCHAR', 'name': 'VARCHAR', 'domain': 'VARCHAR', 'industry': 'VARCHAR',
                  'employees': 'VARCHAR', 'country': 'VARCHAR', 'owner': 'VARCHAR',
                  'fit': 'DOUBLE', 'intent': 'DOUBLE', 'engagement': 'DOUBLE',
                  'current tier': 'VARCHAR', 'last activity date': 'VARCHAR',
                  'open pipeline': 'VARCHAR'})`;

function scoredQuery() {
  const composite = `(${num(W.fit)} * fit + ${num(W.intent)} * intent + ${num(W.engagement)} * engagement)` +
    ` / (${num(W.fit)} + ${num(W.intent)} + ${num(W.engagement)})`;
  const matrix = MATRIX.map((row, f) => row.map((tier, i) => `WHEN fb = ${f} AND ib = ${i} THEN ${tier}`).join(' ')).join(' ');
  return `accepted AS (
    SELECT id, owner, fit, ${composite} AS comp, ${band('fit', BANDS.fit)} AS fb,
           ${band('intent', BANDS.intent)} AS ib, ${previousTier} AS p
    FROM accounts
    WHERE fit BETWEEN 0 AND 100 AND intent BETWEEN 0 AND 100 AND engagement BETWEEN 0 AND 100),
  matrixed AS (SELECT *, CASE ${matrix} END AS m FROM accepted),
  s0 AS (SELECT id, owner, fit, comp, p, ${eligibleTier()} AS elig FROM matrixed)`;
}

// One CTE per capped tier k: candidates are the eligible-for-k accounts plus
// those cascaded out of k-1 (out{k-1}); seat{k} is the row_number within the
// owner's candidates; out{k} the ones past the cap.
function gateQuery() {
  const ctes = [];
  let prev = 's0';
  for (let k = 0; k < 3; k++) {
    const cand = k === 0 ? `elig = 0` : `(elig = ${k} OR out${k - 1})`;
    const cap = CAP_PER_OWNER[k];
    const seat = `CASE WHEN ${cand} THEN row_number() OVER (PARTITION BY owner, ${cand}
        ORDER BY NOT (p BETWEEN 0 AND ${k}), comp DESC, fit DESC, id) END`;
    const out = cap === null ? 'FALSE' : `coalesce(${cand} AND seat${k} > ${cap}, FALSE)`;
    ctes.push(`r${k} AS (SELECT *, ${cap === null ? 'NULL::BIGINT' : seat} AS seat${k} FROM ${prev})`);
    ctes.push(`g${k} AS (SELECT *, ${out} AS out${k}, ${cand} AND NOT ${out} AS in${k} FROM r${k})`);
    prev = `g${k}`;
  }
  ctes.push(`tiered AS (SELECT *, CASE WHEN in0 THEN 0 WHEN in1 THEN 1 WHEN in2 THEN 2
      WHEN out2 THEN 4 ELSE elig END AS tier,
      CASE WHEN out0 THEN 0 WHEN out1 THEN 1 WHEN out2 THEN 2 END AS wl FROM ${prev})`);
  return ctes.join(',\n  ');
}

const tierName = (col) => `CASE ${col} ${TIER_NAMES.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} END`;

// waitlist_rank: the order of the first capping, within owner and tier.
const dumpQuery = (base, file) => `COPY (${base}
  SELECT id, ${tierName('tier')} AS tier, ${tierName('wl')} AS waitlist_tier,
    CASE WHEN wl IS NOT NULL THEN row_number() OVER (PARTITION BY owner, wl
      ORDER BY CASE wl WHEN 0 THEN seat0 WHEN 1 THEN seat1 ELSE seat2 END) END AS waitlist_rank
  FROM tiered) TO ${sqlString(file)} (HEADER, DELIMITER ',')`;

async function main() {
  const instance = await DuckDBInstance.create(':memory:', { threads });
  const connection = await instance.connect();
  await connection.run(loadQuery());
  const base = `WITH ${scoredQuery()},\n  ${gateQuery()}`;
  const rows = await connection.runAndReadAll(
    `${base} SELECT tier, count(*)::BIGINT AS n FROM tiered GROUP BY tier`);
  const total = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM accounts');
  const counts = Object.fromEntries(TIER_NAMES.map((t) => [t, 0]));
  let accepted = 0;
  for (const row of rows.getRowObjectsJS()) {
    counts[TIER_NAMES[row.tier]] = Number(row.n);
    accepted += Number(row.n);
  }
  const read = Number(total.getRowObjectsJS()[0].n);
  console.log(JSON.stringify({ ...counts, accepted, rejected: read - accepted }));
  if (dump) await connection.run(dumpQuery(base, dump));
}

await main();
