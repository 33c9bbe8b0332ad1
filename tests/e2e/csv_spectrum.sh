#!/bin/bash
# The csv-spectrum suite (npm package csv-spectrum): every case's CSV, read
# by abmtier's record layer, gives exactly the records of its JSON. The
# package is installed with npm into the build tree once (network needed the
# first time) and the comparison runs as the hidden [spectrum] case of
# test_reader, built beside the abmtier binary.
source "$(dirname "$0")/lib/common.bash" "$@"
VERSION=2.0.0
BUILD="$(cd "$(dirname "$ABMTIER")" && pwd)"
TEST_READER="$BUILD/tests/test_reader"
[ -x "$TEST_READER" ] || fail "$TEST_READER is missing: build the test_reader target first"
command -v npm >/dev/null ||
  fail "npm is missing: it comes with NodeSource's nodejs package (on plain Debian: apt-get install npm)"

PREFIX="$BUILD/tests/csv-spectrum-$VERSION"
PACKAGE="$PREFIX/node_modules/csv-spectrum"
if [ ! -f "$PACKAGE/json/simple.json" ]; then
  # Install beside, then move into place, so an interrupted install is
  # never mistaken for a finished one.
  rm -rf "$PREFIX.partial"
  npm install --prefix "$PREFIX.partial" --no-audit --no-fund --no-save --loglevel=error \
    "csv-spectrum@$VERSION" >"$WORK/npm.log" 2>&1 ||
    { cat "$WORK/npm.log" >&2; fail "npm install csv-spectrum@$VERSION failed (network?)"; }
  rm -rf "$PREFIX" && mv "$PREFIX.partial" "$PREFIX"
fi
cases=$(ls "$PACKAGE/csvs"/*.csv | wc -l)
[ "$cases" -ge 12 ] || fail "csv-spectrum has $cases cases, expected 12"
ABMTIER_CSV_SPECTRUM="$PACKAGE" "$TEST_READER" "[spectrum]" >"$WORK/out.txt" 2>&1 ||
  { cat "$WORK/out.txt" >&2; fail "csv-spectrum cases differ from their JSON"; }
grep -q "All tests passed" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "the [spectrum] case did not run"; }
echo "csv-spectrum: $cases cases ok"
