#!/bin/bash
# SPEC 7 spreadsheet safety and round trip: names and ids with delimiters,
# quotes, line breaks, non-ASCII text, emoji, invalid UTF-8 and formula
# starters are read back by Python's csv module exactly as they went in,
# with a leading ' on formula-like text (= + - @ tab CR) unless --raw.
# Every text field of the neutralised CSV/TSV is checked, not only names;
# JSON carries the text unchanged (invalid UTF-8 as U+FFFD).
source "$(dirname "$0")/lib/common.bash" "$@"

"$PY" - "$WORK/in.csv" <<'PY'
import csv, sys
names = [
    'Acme, Inc.', 'The "Best" Co', 'Line one\nLine two', 'CRLF\r\nbreak', 'Müller & Söhne GmbH',
    '株式会社テスト', 'Café ☕ 🚀 👩‍💻', '=SUM(A1:A9)', '+1 555 0100', '-minus', '@handle',
    '\tTabbed', '\rCR first', '=HYPERLINK("http://x.example","y")', "'already quoted",
    ' padded ', '', 'semi;colon|pipe\ttab', '"', '""', ',', 'trailing comma,', 'Bad \udcff byte',
]
ids = ['id,with,commas', 'id"quote', '=1+2', 'ü-ñ', '🚀', 'multi\nline id', '-5', '@a', '+b']
owners = ['Dana', "=cmd|' /C calc'!A0", '@owner', 'Zoë']
with open(sys.argv[1], 'w', newline='', encoding='utf-8', errors='surrogateescape') as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator='\r\n')
    w.writerow(['id', 'name', 'fit', 'intent', 'owner'])
    for i, name in enumerate(names):
        w.writerow([ids[i] if i < len(ids) else f'n{i}', name, 90 - i, 80 - 2 * i, owners[i % 4]])
PY

for format in csv tsv; do
  "$ABMTIER" run "$WORK/in.csv" --as-of 2026-11-20 --format "$format" -o "$WORK/out.$format" --quiet
  "$ABMTIER" run "$WORK/in.csv" --as-of 2026-11-20 --format "$format" --raw -o "$WORK/raw.$format" --quiet
done
"$ABMTIER" run "$WORK/in.csv" --as-of 2026-11-20 --format json -o "$WORK/out.json" --quiet

"$PY" - "$WORK" <<'PY'
import csv, json, sys
work = sys.argv[1]
def read(path, delimiter):
    with open(path, newline='', encoding='utf-8', errors='surrogateescape') as f:
        return list(csv.DictReader(f, delimiter=delimiter))
with open(f'{work}/in.csv', newline='', encoding='utf-8', errors='surrogateescape') as f:
    source = list(csv.DictReader(f))
expected = {r['id'].strip(): r for r in source}
assert len(expected) == len(source) == 23, len(source)
formula = tuple('=+-@\t\r')
def neutral(text):
    return "'" + text if text.startswith(formula) else text
problems = []
for name, delimiter, raw in [('out.csv', ',', False), ('raw.csv', ',', True),
                             ('out.tsv', '\t', False), ('raw.tsv', '\t', True)]:
    rows = read(f'{work}/{name}', delimiter)
    if len(rows) != len(expected):
        problems.append(f'{name}: {len(rows)} rows, expected {len(expected)}')
    want = (lambda t: t) if raw else neutral
    seen = set()
    for row in rows:
        original = next((k for k in expected if want(k) == row['id']), None)
        if original is None:
            problems.append(f'{name}: unknown id {row["id"]!r}'); continue
        seen.add(original)
        for column in ('name', 'owner'):
            if row[column] != want(expected[original][column]):
                problems.append(f'{name}: {column} of {original!r} is {row[column]!r}')
        if not raw:
            for column, value in row.items():
                if value.startswith(formula):
                    problems.append(f'{name}: {column} {value!r} would run as a formula')
    if seen != set(expected):
        problems.append(f'{name}: ids missing: {sorted(set(expected) - seen)!r}')
with open(f'{work}/out.json', encoding='utf-8') as f:
    data = json.load(f)
records = data if isinstance(data, list) else data.get('accounts', data)
by_id = {r['id']: r for r in records}
for key, r in expected.items():
    name = r['name'].encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
    if key not in by_id or by_id[key]['name'] != name:
        problems.append(f'json: {key!r} -> {by_id.get(key, {}).get("name")!r}, expected {name!r}')
if problems:
    print('\n'.join(problems)); sys.exit(1)
PY
echo "spreadsheet round trip: ok"
