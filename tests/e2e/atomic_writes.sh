#!/bin/bash
# SPEC 9: every output (assignments, summary, rejects, report) is the
# complete old file or the complete new one, whatever happens to the run.
# * kill -9 while the assignments are half written (caught by watching for
#   the temporary file), and at moments spread over a whole run;
# * SIGTERM mid-write: the same, and no temporary file is left behind;
# * a write that fails (file size limit, /dev/full): exit 1, a message
#   naming the file and the reason, the old file untouched.
source "$(dirname "$0")/lib/common.bash" "$@"
OUT="$WORK/out"
mkdir -p "$OUT"

# A large export (with two bad rows, so there is a rejects file) and a
# small earlier one whose outputs play the old files.
"$PY" - "$WORK/big.csv" "$WORK/small.csv" <<'PY'
import random, sys
random.seed(11)
owners = ['Dana', 'Lee', 'Kim', 'Ravi']
def export(path, rows):
    with open(path, 'w', newline='') as f:
        f.write('id,name,fit,intent,owner\n')
        for i in range(rows):
            fit = 'bad' if i in (17, 4242) else f'{random.uniform(0, 100):.2f}'
            f.write(f'A{i:07d},"Company {i}, Inc.",{fit},{random.uniform(0, 100):.1f},{owners[i % 4]}\n')
export(sys.argv[1], 40000)
export(sys.argv[2], 50)
PY

outputs=(tiers.csv summary.json rejects.csv report.html)
run_args() {  # INPUT DIR
  echo run "$1" --as-of 2026-11-20 --on-error skip -o "$2/tiers.csv" --summary "$2/summary.json" \
    --rejects "$2/rejects.csv" --report "$2/report.html" --quiet
}
# shellcheck disable=SC2046
"$ABMTIER" $(run_args "$WORK/small.csv" "$WORK") 2>/dev/null
mkdir -p "$WORK/old" "$WORK/new"
for f in "${outputs[@]}"; do mv "$WORK/$f" "$WORK/old/$f"; done
start=$("$PY" -c 'import time; print(time.monotonic())')
# shellcheck disable=SC2046
"$ABMTIER" $(run_args "$WORK/big.csv" "$WORK/new") 2>/dev/null
took=$("$PY" -c "import time; print(time.monotonic() - $start)")
for f in "${outputs[@]}"; do cmp -s "$WORK/old/$f" "$WORK/new/$f" && fail "old and new $f are equal"; done

reset_outputs() {
  rm -rf "$OUT" && mkdir -p "$OUT"
  for f in "${outputs[@]}"; do cp "$WORK/old/$f" "$OUT/$f"; done
}
# Every output is the old file or the new one, byte for byte.
check_outputs() {  # WHAT
  for f in "${outputs[@]}"; do
    cmp -s "$OUT/$f" "$WORK/old/$f" || cmp -s "$OUT/$f" "$WORK/new/$f" ||
      fail "$1: $f is neither the old nor the new file ($(wc -c <"$OUT/$f") bytes)"
  done
}

# Runs abmtier and sends SIGNAL once the temporary file of TARGET holds at
# least MIN bytes, or after DELAY seconds when TARGET is "-". Prints what it
# saw: "caught <bytes>" when it signalled mid-write, "done" when the run
# ended first.
# shellcheck disable=SC2046
kill_run() {  # SIGNAL TARGET MIN DELAY
  "$PY" - "$1" "$2" "$3" "$4" "$OUT" "$ABMTIER" $(run_args "$WORK/big.csv" "$OUT") <<'PY'
import os, signal, subprocess, sys, time
sig, target, least, delay, out = sys.argv[1:6]
proc = subprocess.Popen(sys.argv[6:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
start = time.monotonic()
while proc.poll() is None:
    if target == '-':
        if time.monotonic() - start >= float(delay):
            proc.send_signal(getattr(signal, sig))
            print('caught timed'); proc.wait(); sys.exit(0)
    else:
        for name in os.listdir(out):
            if name.startswith('.' + target + '.tmp-'):
                try:
                    size = os.path.getsize(os.path.join(out, name))
                except FileNotFoundError:
                    continue
                if size >= int(least):
                    proc.send_signal(getattr(signal, sig))
                    print('caught', size); proc.wait(); sys.exit(0)
    time.sleep(0.0005)
print('done')
PY
}

# 1. kill -9 while the assignments are half written: the old file stays.
caught=0
for least in 1 100000 1000000; do
  reset_outputs
  seen=$(kill_run SIGKILL tiers.csv "$least" 0)
  check_outputs "kill -9 at $least bytes of tiers.csv"
  case "$seen" in caught*)
    caught=$((caught + 1))
    cmp -s "$OUT/tiers.csv" "$WORK/old/tiers.csv" || fail "kill -9 mid-write replaced tiers.csv" ;;
  esac
done
[ "$caught" -ge 2 ] || fail "only $caught of 3 kills landed while tiers.csv was being written"

# 2. kill -9 at moments spread over a whole run (reading, tiering, each
#    output in turn, after the end).
for step in 1 2 3 4 5; do
  reset_outputs
  delay=$("$PY" -c "print($took * $step / 4)")
  kill_run SIGKILL - 0 "$delay" >/dev/null
  check_outputs "kill -9 after ${delay}s of a ${took}s run"
done

# 3. SIGTERM mid-write: old file kept, and the temporary file removed.
reset_outputs
seen=$(kill_run SIGTERM tiers.csv 1000000 0)
check_outputs "SIGTERM mid-write"
case "$seen" in caught*)
  cmp -s "$OUT/tiers.csv" "$WORK/old/tiers.csv" || fail "SIGTERM mid-write replaced tiers.csv"
  leftover=$(find "$OUT" -name '.*.tmp-*' | wc -l)
  expect_eq "$leftover" 0 "temporary files left after SIGTERM" ;;
esac

# 4. A write that fails half-way (the file size limit stands in for a full
#    disk): exit 1, a clear message, old files untouched, no temporary file.
reset_outputs
set +e
# shellcheck disable=SC2046
(trap '' XFSZ; ulimit -f 2048; exec "$ABMTIER" $(run_args "$WORK/big.csv" "$OUT")) 2>"$WORK/err"
code=$?
set -e
expect_eq "$code" 1 "exit code when a write fails"
grep -q "cannot write '$OUT/tiers.csv': File too large" "$WORK/err" ||
  { cat "$WORK/err" >&2; fail "the write error does not name the file and the reason"; }
check_outputs "failed write"
cmp -s "$OUT/tiers.csv" "$WORK/old/tiers.csv" || fail "a failed write replaced tiers.csv"
expect_eq "$(find "$OUT" -name '.*.tmp-*' | wc -l)" 0 "temporary files left after a failed write"

# 5. A full disk: -o /dev/full and --summary /dev/full exit 1 and say so.
for flags in "-o /dev/full" "-o $OUT/x.csv --summary /dev/full" "-o $OUT/x.csv --rejects /dev/full"; do
  set +e
  # shellcheck disable=SC2086
  "$ABMTIER" run "$WORK/small.csv" --as-of 2026-11-20 --on-error skip $flags --quiet \
    >/dev/null 2>"$WORK/err"
  code=$?
  set -e
  expect_eq "$code" 1 "exit code for $flags"
  grep -q "cannot write '/dev/full': No space left on device" "$WORK/err" ||
    { cat "$WORK/err" >&2; fail "$flags: no clear message"; }
done
echo "atomic writes: ok ($caught kills mid-write, run of ${took}s)"
