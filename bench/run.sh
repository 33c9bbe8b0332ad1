#!/bin/bash
# abmtier's benchmark: abmtier against a pandas peer, a DuckDB peer and a
# parse-only floor, on generated CRM exports, side by side in one run.
#
#   bench/run.sh [--sizes 1000000,10000000] [--runs 3] [--skip-pandas]
#                [--pandas-max ROWS] [--verify-rows 20000] [--note TEXT]
#
# Builds abmtier (Release, build-bench/), the generator and the floor;
# installs the peers' dependencies (python3-pandas and `time` with apt-get,
# @duckdb/node-api with npm into bench/node_modules); generates the exports
# into bench/data/ (cached; the file name carries the generator's hash);
# checks the peers account by account against abmtier on a small export;
# then times every tool --runs times per size with /usr/bin/time -v and
# writes the size's section of bench/RESULTS.md (and prints it).
#
#   --sizes LIST       row counts, comma-separated (default 1000000,10000000)
#   --runs N           runs per tool and size (default 3)
#   --skip-pandas      leave pandas out (it takes minutes per run at 10M)
#   --pandas-max ROWS  leave pandas out at sizes above ROWS
#   --verify-rows N    size of the account-by-account check (0 = skip; 20000)
#   --note TEXT        a sentence added to the RESULTS.md section
#   JOBS=N             parallel jobs for building abmtier (default 1)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

sizes="1000000,10000000"
runs=3
skip_pandas=0
pandas_max=""
verify_rows=20000
note=""
command_line="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --skip-pandas) skip_pandas=1; shift ;;
    --pandas-max) pandas_max="$2"; shift 2 ;;
    --verify-rows) verify_rows="$2"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "run.sh: --runs needs a whole number >= 1, got '$runs'" >&2; exit 2 ;; esac

say() { printf '\n== %s\n' "$*" >&2; }
python=/usr/bin/python3  # Debian's, where python3-pandas lives
build="$repo/build-bench"
tools_dir="$build/bench-tools"
data="$here/data"
out="$here/out"
mkdir -p "$tools_dir" "$data" "$out"
# abmtier's timed CSV (1.5 GB at 10M rows) goes to a RAM file system when
# there is one, so the disk's speed is not what is measured: abmtier fsyncs
# its output before the atomic rename, and at 10M rows that alone takes
# about 4 s on a disk that writes 390 MB/s. The peers write no output.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch="$(mktemp -d -p /dev/shm abmtier-bench.XXXXXX)"
else
  scratch="$(mktemp -d -p "$out" scratch.XXXXXX)"
fi
trap 'rm -rf "$scratch"' EXIT

# --- dependencies -------------------------------------------------------
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
[ -x /usr/bin/time ] || { say "installing time"; apt_install time; }
if [ "$skip_pandas" = 0 ] && ! "$python" -c 'import pandas' 2>/dev/null; then
  say "installing python3-pandas"; apt_install python3-pandas
fi
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  say "installing @duckdb/node-api"
  (cd "$here" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi) >&2
fi

# --- builds ---------------------------------------------------------------
say "building abmtier (Release) in build-bench/"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DABMTIER_TESTS=OFF >/dev/null
cmake --build "$build" --target abmtier -j"${JOBS:-1}" >&2
abmtier="$build/abmtier"
say "building the generator and the parse floor"
g++ -O2 -std=c++20 -o "$tools_dir/gen_accounts" "$here/gen_accounts.cpp"
g++ -O2 -std=c++20 -o "$tools_dir/parse_floor" "$here/parse_floor.cpp" -pthread

# --- data -----------------------------------------------------------------
gen_hash="$(sha256sum "$here/gen_accounts.cpp" | cut -c1-8)"
export_for() {  # rows -> path of the cached export, generated when missing
  local file="$data/accounts_$1_$gen_hash.csv"
  if [ ! -s "$file" ]; then
    rm -f "$data/accounts_$1_"*.csv  # stale: made by another generator version
    say "generating $1 rows"
    "$tools_dir/gen_accounts" "$1" "$file.tmp" && mv "$file.tmp" "$file"
  fi
  echo "$file"
}

# Each tool's command for an input file; $2 is where abmtier writes.
tool_cmd() {
  local tool="$1" input="$2" prefix="$3"
  case "$tool" in
    abmtier) echo "$abmtier run $input -c $here/bench.json -o $prefix.csv --summary $prefix.summary.json --on-error skip --as-of 2026-11-01" ;;
    floor) echo "$tools_dir/parse_floor $input" ;;
    duckdb) echo "node $here/peer_duckdb.mjs $input --threads 2" ;;
    pandas) echo "$python $here/peer_pandas.py $input" ;;
  esac
}

peers="duckdb"
[ "$skip_pandas" = 0 ] && peers="duckdb pandas"

# --- account-by-account check of the peers --------------------------------
if [ "$verify_rows" != 0 ]; then
  say "checking the peers against abmtier account by account ($verify_rows rows)"
  input="$(export_for "$verify_rows")"
  dir="$out/verify"; mkdir -p "$dir"
  $(tool_cmd abmtier "$input" "$dir/abmtier") -q 2>"$dir/abmtier.err"
  node "$here/peer_duckdb.mjs" "$input" --dump "$dir/duckdb.csv" >/dev/null
  "$python" "$here/report.py" verify "$dir/abmtier.csv" "$dir/duckdb.csv" duckdb
  if [ "$skip_pandas" = 0 ]; then
    "$python" "$here/peer_pandas.py" "$input" --dump "$dir/pandas.csv" >/dev/null
    "$python" "$here/report.py" verify "$dir/abmtier.csv" "$dir/pandas.csv" pandas
  fi
fi

# --- timing ---------------------------------------------------------------
status=0
IFS=',' read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  input="$(export_for "$n")"
  tools="abmtier floor $peers"
  skipped=""
  if [ "$skip_pandas" = 1 ]; then
    skipped="pandas was not run at this size (--skip-pandas)."
  elif [ -n "$pandas_max" ] && [ "$n" -gt "$pandas_max" ]; then
    tools="abmtier floor duckdb"
    skipped="pandas was not run at this size (--pandas-max $pandas_max)."
  fi
  dir="$out/$n"; rm -rf "$dir"; mkdir -p "$dir"
  cat "$input" >/dev/null  # warm the page cache: every tool reads from memory
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  for run in $(seq 1 "$runs"); do
    for tool in $tools; do
      say "$n rows: $tool, run $run of $runs"
      cmd="$(tool_cmd "$tool" "$input" "$scratch/abmtier.run$run")"
      rc=0
      # shellcheck disable=SC2086  # the command is split into words on purpose
      /usr/bin/time -v -o "$dir/$tool.run$run.time" $cmd >"$dir/$tool.run$run.out" 2>"$dir/$tool.run$run.err" || rc=$?
      if [ "$rc" != 0 ]; then
        echo "run.sh: $tool failed with exit code $rc; see $dir/$tool.run$run.err" >&2
        tail -5 "$dir/$tool.run$run.err" >&2
        status=1
      fi
      if [ "$tool" = abmtier ]; then  # the CSV is up to 1.5 GB; the summary stays
        rm -f "$scratch/abmtier.run$run.csv"
        mv "$scratch/abmtier.run$run.summary.json" "$dir/" 2>/dev/null || true
      fi
    done
  done
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
  "$python" "$here/report.py" section --size "$n" --dir "$dir" --input "$input" --runs "$runs" \
    --tools "${tools// /,}" --command "$command_line" --results "$here/RESULTS.md" \
    --load-before "$load_before" --load-after "$load_after" --skipped "$skipped" --note "$note" || status=1
done
[ "$status" = 0 ] || echo "run.sh: some runs failed or a peer's counts differ from abmtier's (see above)" >&2
exit "$status"
