#!/bin/sh
# Runs every libFuzzer target for SECONDS (default 20) from a seed corpus made of
# the bundles' configs and the integration fixtures. A crash leaves its input in
# $WORK/crash-* and fails the run: turn each into a unit test.
# Usage: tests/fuzz/run.sh BIN_DIR [SECONDS]
set -eu
BIN=${1:?usage: run.sh BIN_DIR [SECONDS]}
SECONDS_PER_TARGET=${2:-20}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/minirunc-fuzz.XXXXXX)
seeds="$WORK/seeds"
mkdir -p "$seeds"
find "$SRC/bundles" "$SRC/tests/integration/fixtures" -name '*.json' -size -64k \
    -exec cp --backup=numbered -t "$seeds" {} + 2>/dev/null || true
printf 'ro\nnosuid\nrbind\nrshared\n' >"$seeds/mount-options"
printf 'create\0--bundle\0/b\0id' >"$seeds/cli-create"
printf 'SCMP_ACT_ERRNO' >"$seeds/seccomp-action"
status=0
for target in config mount_options cli bootstrap seccomp_names; do
    corpus="$WORK/corpus-$target"
    mkdir -p "$corpus"
    echo "fuzz_$target: ${SECONDS_PER_TARGET}s"
    if ! (cd "$WORK" && "$BIN/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" \
        -max_len=65536 -print_final_stats=0 "$corpus" "$seeds" >"$WORK/$target.log" 2>&1); then
        echo "fuzz_$target found a crash; log and input in $WORK" >&2
        tail -n 40 "$WORK/$target.log" >&2
        status=1
    fi
done
[ "$status" -eq 0 ] && rm -rf "$WORK"
exit "$status"
