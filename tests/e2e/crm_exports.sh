#!/bin/bash
# The HubSpot-style export runs with no config at all, the Salesforce-style
# one with its short mapping; every row is accepted.
source "$(dirname "$0")/lib/common.bash" "$@"
cd "$SRC"
"$ABMTIER" run examples/hubspot_export.csv --as-of 2026-11-20 -o "$WORK/hubspot.csv" \
  --summary "$WORK/hubspot.json" 2>/dev/null
expect_eq "$(json_get "$WORK/hubspot.json" "d['input']['accepted']")" 60 "HubSpot rows accepted"
"$ABMTIER" run examples/salesforce_export.csv -c examples/salesforce.json --as-of 2026-11-20 \
  -o "$WORK/salesforce.csv" --summary "$WORK/salesforce.json" 2>/dev/null
expect_eq "$(json_get "$WORK/salesforce.json" "d['input']['accepted']")" 80 "Salesforce rows accepted"
rows=$("$PY" -c "import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline='')))))" "$WORK/salesforce.csv")
expect_eq "$rows" 80 "Salesforce output rows"
echo "CRM exports: ok"
