#!/bin/bash
# docs/whatif.md shows real command lines with their real output: run every
# ```console block of it with this binary and compare standard output
# exactly, so the recipes never drift from what the tool prints. Then a few
# checks only the real binary can make (pipes, files for a spreadsheet).
source "$(dirname "$0")/lib/common.bash" "$@"
ln -s "$SRC/examples" "$WORK/examples"
cd "$WORK"

"$PY" - "$SRC/docs/whatif.md" "$ABMTIER" "$WORK" <<'PY'
# Each "$ " line of a console block is a shell command (a heredoc runs on
# to its EOF line); the lines after it, up to the next "$ " line or the end
# of the block, are its expected standard output.
import re, subprocess, sys

doc, binary, work = sys.argv[1:4]

def commands(block):
    lines, out, i = block.split('\n'), [], 0
    while i < len(lines):
        if not lines[i].startswith('$ '):
            i += 1
            continue
        cmd = [lines[i][2:]]
        if "<<'EOF'" in lines[i]:
            while lines[i].strip() != 'EOF':
                i += 1
                cmd.append(lines[i])
        i += 1
        start = i
        while i < len(lines) and not lines[i].startswith('$ '):
            i += 1
        out.append(('\n'.join(cmd), '\n'.join(lines[start:i])))
    return out

failures = 0
for block in re.findall(r'```console\n(.*?)\n?```', open(doc, encoding='utf-8').read(), flags=re.S):
    for cmd, expected in commands(block):
        shell = re.sub(r'^abmtier ', binary + ' ', cmd)
        actual = subprocess.run(['bash', '-c', shell], cwd=work, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL).stdout.decode('utf-8')
        if actual != (expected + '\n' if expected else ''):
            failures += 1
            print(f'FAIL: docs/whatif.md: {cmd}\n--- the doc shows\n{expected}\n--- the tool prints\n{actual}',
                  file=sys.stderr)
if failures:
    sys.exit(1)
PY

# The moves CSV opens in a spreadsheet: quoted names with commas, formula
# text neutralised.
printf 'id,name,fit,intent\nx1,"=HYPERLINK(""evil"")",90,90\nx2,"Acme, Inc.",85,85\nx3,Plain,80,80\n' \
  | "$ABMTIER" whatif - --as-of 2026-11-20 --set capacity.tier1.max=1 -o "$WORK/moves.csv" >/dev/null 2>&1
"$PY" - "$WORK/moves.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert [r['id'] for r in rows] == ['x2', 'x3'], rows          # x1 keeps the one place
assert rows[0]['name'] == 'Acme, Inc.', rows[0]
assert (rows[0]['from'], rows[0]['to']) == ('1', '2'), rows[0]
PY
printf 'id,name,fit,intent\nx1,"=HYPERLINK(""evil"")",70,90\nx2,b,95,95\n' \
  | "$ABMTIER" whatif - --as-of 2026-11-20 --set capacity.tier1.max=1 -o "$WORK/moves2.csv" >/dev/null 2>&1
"$PY" - "$WORK/moves2.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert [r['name'] for r in rows] == ["'=HYPERLINK(\"evil\")"], rows  # neutralised, not run
PY

# A sweep's CSV and JSON parse with standard tools, point for point.
"$ABMTIER" sweep examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  --vary capacity.reps=2:4 --format csv -o "$WORK/sweep.csv" 2>/dev/null
"$ABMTIER" sweep examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  --vary capacity.reps=2:4 --format json 2>/dev/null >"$WORK/sweep.json"
"$PY" - "$WORK/sweep.csv" "$WORK/sweep.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
points = json.load(open(sys.argv[2]))['points']
assert len(rows) == len(points) == 3
for row, point in zip(rows, points):
    assert int(row['capacity.reps']) == point['values']['capacity.reps']
    assert int(row['tier_1']) == point['tiers']['1']['count']
    assert int(row['waitlist_1']) == point['tiers']['1']['waitlisted']
PY

# explain: exit 2 for an unknown id, with the known one still explained.
set +e
"$ABMTIER" explain examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  ACC-1030 NOPE >"$WORK/explain.txt" 2>"$WORK/explain.err"
code=$?
set -e
expect_eq "$code" 2 "explain exit code for an unknown id"
grep -q "^ACC-1030 Iris Energy GmbH" "$WORK/explain.txt" || fail "ACC-1030 not explained"
grep -q "no account with id NOPE" "$WORK/explain.err" || fail "no error for NOPE"
echo "whatif, sweep, explain: ok"
