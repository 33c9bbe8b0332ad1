#!/bin/bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and runs each for a bounded time, one after the other on one core.
#
#   tests/fuzz/run.sh SECONDS [reader|config ...]
#
# SECONDS is per target (default 60). The build goes to $ABMTIER_FUZZ_BUILD
# (default build-fuzz in the source tree). New corpus entries are kept in
# $BUILD/corpus/<target> (seeded from tests/fuzz/corpus/<target> and the
# test fixtures); crashes go to $BUILD/artifacts/<target>/. Exits 1 when a
# target found a crash: turn it into a fixture and a regression test.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(reader config)
BUILD="${ABMTIER_FUZZ_BUILD:-$SRC/build-fuzz}"

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DABMTIER_FUZZ=ON -DABMTIER_TESTS=OFF -DABMTIER_SANITIZE=address,undefined >/dev/null
# Built twice: a header edited while the first build ran (others work in
# the same tree) would leave objects compiled against two versions of it,
# and the fuzzer would report that mismatch as a crash.
for _ in 1 2; do
  for target in "${TARGETS[@]}"; do
    cmake --build "$BUILD" --target "fuzz_$target" -j1 >/dev/null
  done
done

# Extra seed folders per target (read only: libFuzzer writes new inputs to
# the first folder only).
seeds_for() {
  case "$1" in
    reader) echo "$SRC/tests/fuzz/corpus/reader" ;;
    config) echo "$SRC/tests/fuzz/corpus/config $SRC/tests/data/config" ;;
  esac
}

status=0
for target in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$target"
  artifacts="$BUILD/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  # shellcheck disable=SC2046
  if ! "$BUILD/tests/fuzz/fuzz_$target" "$corpus" $(seeds_for "$target") \
      -dict="$SRC/tests/fuzz/$target.dict" -max_total_time="$SECONDS_PER_TARGET" \
      -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" 2>"$BUILD/fuzz_$target.log"; then
    echo "fuzz_$target: FAILED, see $BUILD/fuzz_$target.log and $artifacts/" >&2
    status=1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added)|^#[0-9]+.*DONE" \
    "$BUILD/fuzz_$target.log" | sed "s/^/fuzz_$target: /" || true
done
exit $status
