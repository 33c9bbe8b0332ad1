#!/bin/bash
# SPEC 6's worked example, run as the README runs it: 250 accounts, 4 reps ->
# tier 1 = 32, 9 waitlisted for tier 1 and worked in tier 2, 23 other tier 2,
# 186 tier 3. Two runs give byte-identical output.
source "$(dirname "$0")/lib/common.bash" "$@"
cd "$SRC"
"$ABMTIER" run examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  -o "$WORK/tiers.csv" --summary "$WORK/summary.json" 2>"$WORK/stderr"

expect_eq "$(count_tier "$WORK/tiers.csv" 1)" 32 "tier 1 accounts"
expect_eq "$(count_tier "$WORK/tiers.csv" 2)" 32 "tier 2 accounts"
expect_eq "$(count_tier "$WORK/tiers.csv" 3)" 186 "tier 3 accounts"
waitlisted=$("$PY" -c "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r['waitlist_tier']=='1' and r['tier']=='2'))" "$WORK/tiers.csv")
expect_eq "$waitlisted" 9 "tier-1 waitlist worked in tier 2"
expect_eq "$(json_get "$WORK/summary.json" "d['input']['rows_read']")" 250 "rows read"
expect_eq "$(json_get "$WORK/summary.json" "d['tiers']['1']['count']")" 32 "summary tier 1"
expect_eq "$(json_get "$WORK/summary.json" "d['tiers']['1']['cap']")" 32 "summary tier 1 cap"
expect_eq "$(json_get "$WORK/summary.json" "d['tiers']['1']['waitlisted']")" 9 "summary tier 1 waitlist"
expect_eq "$(json_get "$WORK/summary.json" "d['tiers']['2']['cap']")" 240 "summary tier 2 cap"
grep -q "^1" "$WORK/stderr" || grep -q "tier" "$WORK/stderr" || fail "no summary table on stderr"

"$ABMTIER" run examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  -o "$WORK/again.csv" --summary "$WORK/again.json" 2>/dev/null
cmp "$WORK/tiers.csv" "$WORK/again.csv" || fail "assignments differ between two runs"
cmp "$WORK/summary.json" "$WORK/again.json" || fail "summaries differ between two runs"
echo "worked example: ok"
