#!/bin/bash
# The HTML report in a real browser: Debian's chromium, headless, with every
# network request sent to a proxy that does not exist. The numbers in the
# rendered DOM must equal the summary JSON of the same run, the page must
# load nothing and log nothing to the console, and a screenshot and an A4
# PDF must come out. Without chromium this test fails: install it with
# scripts/install-deps.sh --test. Set ABMTIER_REPORT_ARTIFACTS=DIR to keep
# the report, the screenshot and the PDF for a look.
source "$(dirname "$0")/lib/common.bash" "$@"
CHECK="$(cd "$(dirname "$0")" && pwd)/lib/report_check.py"
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] || fail "chromium is not installed ($CHROMIUM); run scripts/install-deps.sh --test"

cd "$SRC"
"$ABMTIER" run examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  -o "$WORK/tiers.csv" --summary "$WORK/S.json" --report "$WORK/R.html" 2>"$WORK/run.err" \
  || fail "abmtier run failed: $(cat "$WORK/run.err")"
"$ABMTIER" run examples/worked_example.csv -c examples/worked_example.json --as-of 2026-11-20 \
  -o "$WORK/again.csv" --report "$WORK/again.html" 2>/dev/null
cmp -s "$WORK/R.html" "$WORK/again.html" || fail "two runs gave different reports"
grep -qiE 'https?://' "$WORK/R.html" && fail "the report refers to http(s) URLs"

# chromium [flags...] -- a fresh profile each time, no network, no extras.
browse() {
  rm -rf "$WORK/profile"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$WORK/profile" \
    --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' "$@"
}
url="file://$WORK/R.html"

browse --enable-logging=stderr --v=0 --log-net-log="$WORK/net.json" --dump-dom "$url" \
  >"$WORK/dom.html" 2>"$WORK/browser.err" || fail "chromium could not load the report: $(tail -5 "$WORK/browser.err")"
"$PY" "$CHECK" "$WORK/dom.html" "$WORK/S.json" "$WORK/net.json" "$WORK/browser.err" \
  || fail "the rendered report does not match the summary (see above)"

# The worked example (SPEC 6): 41 accounts with high fit and high intent.
cell=$("$PY" -c "import re,sys; print(re.search(r'data-metric=\"matrix-count\" data-fit=\"high\" data-intent=\"high\" data-value=\"(\d+)\"', open(sys.argv[1]).read()).group(1))" "$WORK/dom.html")
expect_eq "$cell" 41 "high fit x high intent cell"

browse --hide-scrollbars --window-size=1280,2000 --screenshot="$WORK/R.png" "$url" >/dev/null 2>&1 \
  || fail "chromium could not take a screenshot"
size=$("$PY" -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); assert d[:8]==b'\x89PNG\r\n\x1a\n'; print('%dx%d' % struct.unpack('>II', d[16:24]))" "$WORK/R.png") \
  || fail "the screenshot is not a PNG"
expect_eq "$size" 1280x2000 "screenshot size"

browse --no-pdf-header-footer --print-to-pdf="$WORK/R.pdf" "$url" >/dev/null 2>&1 || fail "chromium could not print the report"
pages=$("$PY" -c "import re,sys; d=open(sys.argv[1],'rb').read(); assert d[:5]==b'%PDF-'; print(len(re.findall(rb'/Type\s*/Page\b(?!s)', d)))" "$WORK/R.pdf") \
  || fail "the printout is not a PDF"
[ "$pages" -ge 1 ] && [ "$pages" -le 6 ] || fail "the printout has $pages pages; expected 1 to 6 A4 pages"

if [ -n "${ABMTIER_REPORT_ARTIFACTS:-}" ]; then
  mkdir -p "$ABMTIER_REPORT_ARTIFACTS"
  cp "$WORK/R.html" "$WORK/R.png" "$WORK/R.pdf" "$WORK/S.json" "$ABMTIER_REPORT_ARTIFACTS/"
fi
echo "report in a browser: ok ($pages printed pages)"
