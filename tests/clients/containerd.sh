#!/usr/bin/env bash
# minirunc under a real containerd (Debian's containerd 1.6, shim
# io.containerd.runc.v2), driven with ctr --runc-binary.
#
# usage: containerd.sh [RUNTIME]   (MINIRUNC_BIN=runc containerd.sh: the same
# test against runc, so that it checks the contract). Exit 77: skipped.
#
# Everything lives in a private temp dir: containerd's root, state, socket and
# config (cri plugin disabled, no network). The image is built locally from
# Debian's busybox-static and imported. containerd insists on two fixed host
# paths: shim sockets in /run/containerd/s (named by a hash, removed by the
# shims) and the runtime root /run/containerd/runc/<namespace>; the test uses
# its own namespace and removes what it created.
set -euo pipefail
# shellcheck source=tests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v containerd >/dev/null && command -v ctr >/dev/null &&
    command -v containerd-shim-runc-v2 >/dev/null || skip "containerd is not installed"
RUNTIME="$(resolve_runtime "${1:-}")"
echo "runtime: $RUNTIME"

T="$(mktemp -d /tmp/minirunc-containerd.XXXXXX)"
# Fixed host paths containerd/ctr may create: removed at the end if we made them.
created_run_dirs=()
for d in /run/containerd /run/containerd/s /run/containerd/fifo /run/containerd/runc; do
    [ -e "$d" ] || created_run_dirs=("$d" "${created_run_dirs[@]}")
done
NS="minirunc-test-$$"
SOCK="$T/containerd.sock"
CTR_PID=""
cleanup() {
    set +e
    if [ -n "$CTR_PID" ]; then
        # Tasks and containers of our namespace, then the daemon, then any shim
        # of ours (their command line names our socket).
        for c in $(ctr -a "$SOCK" -n "$NS" containers ls -q 2>/dev/null); do
            ctr -a "$SOCK" -n "$NS" tasks kill -s SIGKILL "$c" >/dev/null 2>&1
            ctr -a "$SOCK" -n "$NS" tasks delete -f "$c" >/dev/null 2>&1
            ctr -a "$SOCK" -n "$NS" containers delete "$c" >/dev/null 2>&1
        done
        kill_pids TERM "$CTR_PID"
        kill_pids KILL "$CTR_PID"
    fi
    local shims
    shims="$(pids_mentioning "$SOCK")"
    # shellcheck disable=SC2086
    [ -z "$shims" ] || { kill_pids TERM $shims; kill_pids KILL $shims; }
    umount_below "$T"
    rm -rf "/run/containerd/runc/$NS"
    for d in "${created_run_dirs[@]}"; do rmdir "$d" 2>/dev/null; done
    remove_cgroup "$NS"
    rm -rf "$T"
}
trap cleanup EXIT
require_overlay "$T"

mkdir -p "$T/root" "$T/state"
cat >"$T/config.toml" <<EOF
version = 2
root = "$T/root"
state = "$T/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
EOF
containerd --config "$T/config.toml" --log-level info >"$T/containerd.log" 2>&1 &
CTR_PID=$!
for _ in $(seq 100); do
    [ -S "$SOCK" ] && ctr -a "$SOCK" version >/dev/null 2>&1 && break
    kill -0 "$CTR_PID" 2>/dev/null || { cat "$T/containerd.log" >&2; exit 1; }
    sleep 0.1
done

ctr_() { ctr -a "$SOCK" -n "$NS" "$@"; }

IMAGE="docker.io/minirunc/busybox:test"
build_image_tar "$T/image.tar" "$IMAGE"
ctr_ images import --no-unpack=false "$T/image.tar" >/dev/null
expect_contains "image imported" "$IMAGE" "$(ctr_ images ls -q)"

RUN=(ctr_ run --runc-binary "$RUNTIME")

# Foreground run: output and exit status.
out="$("${RUN[@]}" --rm "$IMAGE" c-hello sh -c 'echo hello from the container; id -u' 2>&1)" && rc=0 || rc=$?
expect_eq "run --rm exit status" 0 "$rc"
expect_eq "run --rm output" "hello from the container
0" "$out"

# A non-zero exit code is propagated.
"${RUN[@]}" --rm "$IMAGE" c-exit sh -c 'exit 42' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "run exit code 42 propagated" 42 "$rc"

# A detached task: exec, ps, pause/resume, metrics, kill, delete.
"${RUN[@]}" -d "$IMAGE" c-bg sh -c 'trap "exit 0" TERM; echo started > /tmp/started; sleep 1000 & wait $!' >/dev/null
status="$(ctr_ tasks ls | awk '$1 == "c-bg" { print $3 }')"
expect_eq "detached task running" RUNNING "$status"
out="$(ctr_ tasks exec --exec-id e1 c-bg cat /tmp/started 2>&1)" && rc=0 || rc=$?
expect_eq "task exec output" "started" "$out"
ctr_ tasks exec --exec-id e2 c-bg sh -c 'exit 7' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "task exec exit code" 7 "$rc"
out="$(ctr_ tasks exec --exec-id e3 c-bg /no/such/binary 2>&1)" && rc=0 || rc=$?
[ "$rc" -ne 0 ] && pass "exec of a missing binary fails" || fail "exec of a missing binary succeeded"
expect_contains "exec of a missing binary: error text" "no such file or directory" "$out"
pids="$(ctr_ tasks ps c-bg | awk 'NR > 1 { print $1 }' | wc -l)"
expect_eq "task ps lists the shell and its sleep" 2 "$pids"
ctr_ tasks pause c-bg
expect_eq "task paused" PAUSED "$(ctr_ tasks ls | awk '$1 == "c-bg" { print $3 }')"
ctr_ tasks resume c-bg
expect_eq "task resumed" RUNNING "$(ctr_ tasks ls | awk '$1 == "c-bg" { print $3 }')"
if out="$(ctr_ tasks metrics c-bg 2>&1)"; then
    expect_contains "task metrics" "pids.current" "$out"
else
    fail "task metrics: $out"
fi
ctr_ tasks kill -s SIGTERM c-bg
for _ in $(seq 50); do
    [ "$(ctr_ tasks ls | awk '$1 == "c-bg" { print $3 }')" = STOPPED ] && break
    sleep 0.1
done
expect_eq "task stopped by kill" STOPPED "$(ctr_ tasks ls | awk '$1 == "c-bg" { print $3 }')"
ctr_ tasks delete c-bg >/dev/null
ctr_ containers delete c-bg
expect_eq "task and container deleted" "" "$(ctr_ containers ls -q)"

# A tty run, driven through a pty by script(1).
out="$(script -qec "ctr -a '$SOCK' -n '$NS' run --runc-binary '$RUNTIME' --rm -t '$IMAGE' c-tty sh -c 'tty; stty size; exit 3'" /dev/null </dev/null 2>&1)" && rc=0 || rc=$?
expect_eq "tty run exit code" 3 "$rc"
expect_contains "tty run has a terminal" "/dev/pts/" "$out"

# A failing create (missing executable) reports the runtime's error text.
out="$("${RUN[@]}" --rm "$IMAGE" c-missing /no/such/binary 2>&1)" && rc=0 || rc=$?
[ "$rc" -ne 0 ] && pass "create with a missing executable fails" || fail "create with a missing executable succeeded"
expect_contains "missing executable: error text" "no such file or directory" "$out"
ctr_ containers delete c-missing >/dev/null 2>&1 || true
expect_eq "nothing left" "" "$(ctr_ containers ls -q)"

finish
