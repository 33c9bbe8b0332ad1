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

// SPEC 10 lenient previous tier: an optional `tier` or `t` prefix, an
// optional ` `, `_` or `-` after it, then 1-3; `watchlist`; `outside`; any
// case. Anything else (or empty) is none. The grammar is finite, so it is
// spelt out as lists (faster than a regular expression per row).
function lenientForms(digit) {
  const forms = [digit];
  for (const prefix of ['t', 'tier'])
    for (const sep of ['', ' ', '_', '-']) forms.push(`${prefix}${sep}${digit}`);
  return forms.map((f) => `'${f}'`).join(', ');
}
const previousTier = `CASE
    WHEN pt IS NULL THEN -1
    WHEN pt IN (${lenientForms(1)}) THEN 0
    WHEN pt IN (${lenientForms(2)}) THEN 1
    WHEN pt IN (${lenientForms(3)}) THEN 2
    WHEN pt = 'watchlist' THEN 3
    WHEN pt = 'outside' THEN 4
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

// The export, scored: rows whose scores fail the checks get elig -2 (rejected).
function scoredQuery() {
  const composite = `(${num(W.fit)} * fit + ${num(W.intent)} * intent + ${num(W.engagement)} * engagement)` +
    ` / (${num(W.fit)} + ${num(W.intent)} + ${num(W.engagement)})`;
  const matrix = MATRIX.map((row, f) => row.map((tier, i) => `WHEN fb = ${f} AND ib = ${i} THEN ${tier}`).join(' ')).join(' ');
  return `raw AS (
    SELECT id, owner, fit, coalesce(intent, 0) AS intent, coalesce(engagement, 0) AS engagement,
           lower(trim("current tier", ' \t')) AS pt
    FROM read_csv(${sqlString(input)}, header = true, delim = ',', quote = '"', escape = '"',
                  auto_detect = false, columns = {
                    'id': 'VARCHAR', 'name': 'VARCHAR', 'domain': 'VARCHAR', 'industry': 'VARCHAR',
                    'employees': 'VARCHAR', 'country': 'VARCHAR', 'owner': 'VARCHAR',
                    'fit': 'DOUBLE', 'intent': 'DOUBLE', 'engagement': 'DOUBLE',
                    'current tier': 'VARCHAR', 'last activity date': 'VARCHAR',
                    'open pipeline': 'VARCHAR'})),
  scored AS (
    SELECT id, owner, fit, ${composite} AS comp, ${band('fit', BANDS.fit)} AS fb,
           ${band('intent', BANDS.intent)} AS ib, ${previousTier} AS p,
           coalesce(fit BETWEEN 0 AND 100 AND intent BETWEEN 0 AND 100 AND engagement BETWEEN 0 AND 100, FALSE) AS ok
    FROM raw),
  matrixed AS (SELECT *, CASE ${matrix} END AS m FROM scored),
  s0 AS MATERIALIZED (SELECT id, owner, fit, comp, p, CASE WHEN ok THEN ${eligibleTier()} ELSE -2 END AS elig
         FROM matrixed)`;
}

// Per capped tier k: the candidates are the accounts eligible for k plus
// those cascaded out of k-1; c{k} ranks them within their owner (row_number
// over incumbents first, then composite desc, fit desc, id asc) and joins
// the seat back; out{k} are the ones past the cap. An uncapped tier takes
// all its candidates.
function gateQuery() {
  const ctes = [];
  let prev = 's0';
  for (let k = 0; k < 3; k++) {
    const cand = k === 0 ? `elig = 0` : `(elig = ${k} OR out${k - 1})`;
    const cap = CAP_PER_OWNER[k];
    if (cap === null) {
      ctes.push(`g${k} AS (SELECT *, NULL::BIGINT AS seat${k}, FALSE AS out${k}, ${cand} AS in${k} FROM ${prev})`);
    } else {
      ctes.push(`c${k} AS (SELECT id, row_number() OVER (PARTITION BY owner
          ORDER BY NOT (p BETWEEN 0 AND ${k}), comp DESC, fit DESC, id) AS seat${k}
        FROM ${prev} WHERE ${cand})`);
      ctes.push(`g${k} AS MATERIALIZED (SELECT ${prev}.*, seat${k}, coalesce(seat${k} > ${cap}, FALSE) AS out${k},
          coalesce(seat${k} <= ${cap}, FALSE) AS in${k} FROM ${prev} LEFT JOIN c${k} USING (id))`);
    }
    prev = `g${k}`;
  }
  ctes.push(`tiered AS (SELECT *, CASE WHEN elig = -2 THEN -2 WHEN in0 THEN 0 WHEN in1 THEN 1 WHEN in2 THEN 2
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
  FROM tiered WHERE tier >= 0) TO ${sqlString(file)} (HEADER, DELIMITER ',')`;

async function main() {
  const instance = await DuckDBInstance.create(':memory:', { threads });
  const connection = await instance.connect();
  const base = `WITH ${scoredQuery()},\n  ${gateQuery()}`;
  const rows = await connection.runAndReadAll(
    `${base} SELECT tier, count(*)::BIGINT AS n FROM tiered GROUP BY tier`);
  const counts = Object.fromEntries(TIER_NAMES.map((t) => [t, 0]));
  let accepted = 0, rejected = 0;
  for (const row of rows.getRowObjectsJS()) {
    if (row.tier < 0) {
      rejected = Number(row.n);
      continue;
    }
    counts[TIER_NAMES[row.tier]] = Number(row.n);
    accepted += Number(row.n);
  }
  console.log(JSON.stringify({ ...counts, accepted, rejected }));
  if (dump) await connection.run(dumpQuery(base, dump));
}

await main();
