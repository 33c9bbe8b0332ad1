#!/bin/bash
# SPEC 9 exit codes as a shell sees them, and nothing written on failure.
source "$(dirname "$0")/lib/common.bash" "$@"
code() { set +e; "$@" >/dev/null 2>"$WORK/err"; local c=$?; set -e; echo $c; }

printf 'id,fit,intent\na,90,80\nb,abc,10\n' > "$WORK/bad.csv"
expect_eq "$(code "$ABMTIER" run "$WORK/bad.csv" -o "$WORK/out.csv")" 3 "bad row, --on-error fail"
[ ! -e "$WORK/out.csv" ] || fail "output created although the run failed"
grep -q "line 3" "$WORK/err" || fail "the rejected row's line is not named"
expect_eq "$(code "$ABMTIER" run "$WORK/bad.csv" --on-error skip -o "$WORK/out.csv")" 0 "--on-error skip"
[ -s "$WORK/out.csv" ] || fail "no output with --on-error skip"

printf 'name,score\nx,1\n' > "$WORK/nofit.csv"
expect_eq "$(code "$ABMTIER" run "$WORK/nofit.csv")" 2 "missing required column"
grep -q "columns" "$WORK/err" || fail "the message does not name the config key"
expect_eq "$(code "$ABMTIER" run "$WORK/bad.csv" --bogus)" 2 "unknown flag"
echo '{"capacity": {"tier1": {"per_repp": 3}}}' > "$WORK/typo.json"
expect_eq "$(code "$ABMTIER" run "$WORK/bad.csv" -c "$WORK/typo.json")" 2 "config typo"
grep -q "capacity.tier1.per_repp" "$WORK/err" || fail "the config error does not name the key"
: > "$WORK/empty.csv"
expect_eq "$(code "$ABMTIER" run "$WORK/empty.csv")" 3 "empty input"
printf 'id,fit,intent\n' > "$WORK/header.csv"
expect_eq "$(code "$ABMTIER" run "$WORK/header.csv")" 0 "header-only input"
printf 'id,fit,intent\na,90,80\n' > "$WORK/good.csv"
expect_eq "$(code "$ABMTIER" run "$WORK/good.csv" -o /dev/full)" 1 "disk full"
expect_eq "$(code "$ABMTIER" run "$WORK/missing.csv")" 2 "input file missing"
expect_eq "$(code "$ABMTIER" --help)" 0 "--help"
echo "exit codes: ok"
