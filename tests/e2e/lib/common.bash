# Shared by the end-to-end scripts: `source lib/common.bash "$@"`.
# $1 is the abmtier binary, $2 the source tree. Each script gets its own
# scratch folder, removed on exit.
set -euo pipefail
ABMTIER="$1"
SRC="$2"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Debian's interpreter when present (a version manager's shim is slow to start).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"; }
# json_get FILE PYTHON-EXPRESSION-ON-d
json_get() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# count_tier FILE TIER: rows of a CSV output whose tier column equals TIER
count_tier() {
  "$PY" -c "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline='')) if r['tier']==sys.argv[2]))" "$1" "$2"
}
