#!/bin/sh
# Runs every libFuzzer target for SECONDS (default 20) from a seed corpus: the
# bundles' configs and the integration fixtures (also wrapped as configs and
# as bootstrap messages) plus tests/fuzz/corpus/<target>/. A crash leaves its
# input in $WORK/crash-* and fails the run: turn each into a unit test.
# Usage: tests/fuzz/run.sh BIN_DIR [SECONDS]
set -eu
BIN=$(cd "${1:?usage: run.sh BIN_DIR [SECONDS]}" && pwd)  # absolute: targets run in $WORK
SECONDS_PER_TARGET=${2:-20}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/minirunc-fuzz.XXXXXX)
seeds="$WORK/seeds"
messages="$WORK/seeds-bootstrap"
mkdir -p "$seeds" "$messages"
find "$SRC/bundles" "$SRC/tests/integration/fixtures" -name '*.json' -size -64k \
    -exec cp --backup=numbered -t "$seeds" {} + 2>/dev/null || true
printf 'ro\nnosuid\nrbind\nrshared\n' >"$seeds/mount-options"
printf 'create\0--bundle\0/b\0id' >"$seeds/cli-create"
printf 'SCMP_ACT_ERRNO' >"$seeds/seccomp-action"

# The fixtures are seccomp profiles: as a config's linux.seccomp too.
n=0
for profile in "$SRC"/tests/integration/fixtures/*seccomp*.json; do
    [ -f "$profile" ] || continue
    n=$((n + 1))
    {
        printf '{"ociVersion":"1.3.0","process":{"args":["sh"],"cwd":"/"},'
        printf '"root":{"path":"rootfs"},"linux":{"seccomp":'
        cat "$profile"
        printf '}}'
    } >"$seeds/config-seccomp-$n.json"
done
# Every config as the bootstrap message the runtime sends its init.
n=0
for config in "$seeds"/*.json*; do
    n=$((n + 1))
    {
        printf '{"type":"bootstrap","mode":"create","id":"c1","bundle":"/b",'
        printf '"rootfs":"/b/rootfs","exec_fifo":"/run/minirunc/c1/exec.fifo",'
        printf '"no_pivot":false,"no_new_keyring":false,"preserve_fds":0,"cgroups":[],"config":'
        cat "$config"
        printf '}'
    } >"$messages/bootstrap-$n"
done

status=0
for target in config mount_options cli bootstrap seccomp_names channel; do
    corpus="$WORK/corpus-$target"
    mkdir -p "$corpus"
    dirs="$seeds"
    [ -d "$SRC/tests/fuzz/corpus/$target" ] && dirs="$dirs $SRC/tests/fuzz/corpus/$target"
    case "$target" in bootstrap | channel) dirs="$dirs $messages" ;; esac
    echo "fuzz_$target: ${SECONDS_PER_TARGET}s"
    if [ ! -x "$BIN/fuzz_$target" ]; then
        echo "fuzz_$target: not built in $BIN" >&2
        status=1
        continue
    fi
    # shellcheck disable=SC2086 # $dirs is a list of directories
    if ! (cd "$WORK" && "$BIN/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" \
        -max_len=65536 -print_final_stats=0 "$corpus" $dirs >"$WORK/$target.log" 2>&1); then
        echo "fuzz_$target found a crash; log and input in $WORK" >&2
        tail -n 40 "$WORK/$target.log" >&2
        status=1
    fi
done
[ "$status" -eq 0 ] && rm -rf "$WORK"
exit "$status"
