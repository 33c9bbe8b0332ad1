#!/bin/bash
# Every bad-input fixture in tests/data/bad (listed with its expectations in
# expected.tsv), run as a user runs it:
# * --on-error fail: the expected exit code, the message names the file and
#   says what is wrong, and no output file is created or changed;
# * --on-error skip: exit 0, rows read = accepted + rejected in the summary,
#   and the rejects file, read back with Python's csv module, holds one
#   record per rejected row with its line and reason;
# * --max-rejects: one below the count fails, the count itself passes.
source "$(dirname "$0")/lib/common.bash" "$@"
BAD="$SRC/tests/data/bad"
code() { set +e; "$@" >/dev/null 2>"$WORK/err"; local c=$?; set -e; echo $c; }

# The rejects file: data records, and each one's line and reason filled in.
rejects_check() {
  "$PY" - "$1" "$2" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8', errors='surrogateescape') as f:
    rows = list(csv.reader(f, delimiter=sys.argv[2]))
header, records = rows[0], rows[1:]
assert header[-2:] == ['abmtier_line', 'abmtier_reason'], header
for r in records:
    assert r[-2].isdigit() and int(r[-2]) >= 2, r
    assert r[-1], r
print(len(records))
PY
}

checked=0
while IFS=$'\t' read -r file exit_fail rows rejected message; do
  case "$file" in '#'* | '') continue ;; esac
  input="$BAD/$file"
  config=()
  [ -f "$BAD/${file%.*}.json" ] && config=(-c "$BAD/${file%.*}.json")
  what="$file"

  # --on-error fail: nothing is created or changed.
  rm -f "$WORK/summary.json" "$WORK/rejects.csv"
  echo "previous run" > "$WORK/out.csv"
  got=$(code "$ABMTIER" run "$input" "${config[@]}" --as-of 2026-11-20 -o "$WORK/out.csv" \
    --summary "$WORK/summary.json")
  expect_eq "$got" "$exit_fail" "$what: exit code with --on-error fail"
  expect_eq "$(cat "$WORK/out.csv")" "previous run" "$what: output changed by a failed run"
  [ ! -e "$WORK/summary.json" ] || fail "$what: summary written by a failed run"
  grep -qF -- "$message" "$WORK/err" || { cat "$WORK/err" >&2; fail "$what: no '$message' on stderr"; }
  grep -qF -- "$file" "$WORK/err" || fail "$what: the message does not name the file"
  [ "$(ls -A "$WORK" | grep -c '\.tmp-')" -eq 0 ] || fail "$what: temporary file left behind"

  if [ "$rows" != "-" ]; then
    grep -q "line [0-9]" "$WORK/err" || fail "$what: no line number on stderr"
    shown=$(grep -c ", line [0-9]*: " "$WORK/err" || true)
    expected_shown=$((rejected < 20 ? rejected : 20))
    expect_eq "$shown" "$expected_shown" "$what: rejected rows shown on stderr"

    # --on-error skip: nothing lost, every rejected row in the rejects file.
    rm -f "$WORK/summary.json"
    got=$(code "$ABMTIER" run "$input" "${config[@]}" --as-of 2026-11-20 --on-error skip \
      -o "$WORK/out.csv" --summary "$WORK/summary.json" --rejects "$WORK/rejects.csv")
    expect_eq "$got" 0 "$what: exit code with --on-error skip"
    read -r r a j <<<"$(json_get "$WORK/summary.json" \
      "' '.join(str(d['input'][k]) for k in ('rows_read', 'accepted', 'rejected'))")"
    expect_eq "$r" "$rows" "$what: rows read"
    expect_eq "$j" "$rejected" "$what: rows rejected"
    expect_eq "$((a + j))" "$r" "$what: accepted + rejected = rows read"
    delimiter=$(head -c 200 "$input" | "$PY" -c "import sys; h=sys.stdin.readline(); print(max(',;\t|', key=h.count), end='')")
    expect_eq "$(rejects_check "$WORK/rejects.csv" "$delimiter")" "$rejected" "$what: records in the rejects file"
    accepted_out=$("$PY" -c "import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline='')))))" "$WORK/out.csv")
    expect_eq "$accepted_out" "$a" "$what: accounts in the output"

    # --max-rejects N fails past N, and only past N (on two fixtures: the
    # code path does not depend on the kind of problem).
    case "$file" in many_rejects.csv | mixed_crlf.csv) ;; *) checked=$((checked + 1)); continue ;; esac
    echo "previous run" > "$WORK/out.csv"
    got=$(code "$ABMTIER" run "$input" "${config[@]}" --on-error skip --max-rejects $((rejected - 1)) \
      -o "$WORK/out.csv")
    expect_eq "$got" 3 "$what: --max-rejects $((rejected - 1))"
    expect_eq "$(cat "$WORK/out.csv")" "previous run" "$what: output changed past --max-rejects"
    got=$(code "$ABMTIER" run "$input" "${config[@]}" --on-error skip --max-rejects "$rejected" \
      -o "$WORK/out.csv")
    expect_eq "$got" 0 "$what: --max-rejects $rejected"
  fi
  checked=$((checked + 1))
done < "$BAD/expected.tsv"

[ "$checked" -ge 20 ] || fail "only $checked fixtures checked"
echo "bad inputs: $checked fixtures ok"
