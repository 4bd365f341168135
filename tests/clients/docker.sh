#!/usr/bin/env bash
# minirunc under a real docker (Debian's docker.io, dockerd 20.10), added with
# dockerd --add-runtime minirunc=<path> and used with docker run --runtime.
#
# usage: docker.sh [RUNTIME]   (MINIRUNC_BIN=runc docker.sh: the same test
# against runc, so that it checks the contract). Exit 77: skipped.
#
# A private dockerd (own data root, exec root, pid file, config file and unix
# socket in a temp dir, no iptables, no bridge) with the containerd it starts
# itself. The client's API version is pinned: a newer preinstalled docker CLI
# would refuse the 20.10 daemon. Fixed host paths dockerd insists on
# (/run/containerd/s for shim sockets, /etc/docker/key.json,
# /run/docker/plugins, the /docker cgroup) are removed if the test made them.
set -euo pipefail
# shellcheck source=tests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v dockerd >/dev/null && command -v docker >/dev/null || skip "docker is not installed"
RUNTIME="$(resolve_runtime "${1:-}")"
echo "runtime: $RUNTIME"

T="$(mktemp -d /tmp/minirunc-docker.XXXXXX)"
created_paths=()
for d in /etc/docker /run/docker /run/containerd /var/lib/docker; do
    [ -e "$d" ] || created_paths+=("$d")
done
created_cgroup=""
[ -e /sys/fs/cgroup/memory/docker ] || [ -e /sys/fs/cgroup/docker ] || created_cgroup=docker
[ -e /etc/docker/key.json ] || created_paths+=(/etc/docker/key.json)

DOCKERD_PID=""
cleanup() {
    set +e
    if [ -n "$DOCKERD_PID" ]; then
        # shellcheck disable=SC2046
        d rm -f $(d ps -aq 2>/dev/null) >/dev/null 2>&1
        kill_pids TERM "$DOCKERD_PID"
        kill_pids KILL "$DOCKERD_PID"
    fi
    # Its containerd and shims name our temp dir on their command lines.
    local left
    left="$(pids_mentioning "$T")"
    # shellcheck disable=SC2086
    [ -z "$left" ] || { kill_pids TERM $left; kill_pids KILL $left; }
    umount_below "$T"
    [ -z "$created_cgroup" ] || remove_cgroup "$created_cgroup"
    for p in "${created_paths[@]}"; do
        case "$p" in
        /run/containerd) rmdir /run/containerd/s /run/containerd 2>/dev/null ;;
        *) rm -rf "$p" ;;
        esac
    done
    rm -rf "$T"
}
trap cleanup EXIT
require_overlay "$T"

SOCK="$T/docker.sock"
echo '{}' >"$T/daemon.json"
dockerd --data-root "$T/data" --exec-root "$T/exec" --pidfile "$T/dockerd.pid" \
    -H "unix://$SOCK" --config-file "$T/daemon.json" --iptables=false --ip6tables=false \
    --bridge=none --userland-proxy=false --storage-driver overlay2 \
    --add-runtime "minirunc=$RUNTIME" >"$T/dockerd.log" 2>&1 &
DOCKERD_PID=$!

export DOCKER_HOST="unix://$SOCK" DOCKER_API_VERSION=1.41 DOCKER_CONFIG="$T/cli"
d() { docker "$@"; }
for _ in $(seq 300); do
    d version >/dev/null 2>&1 && break
    kill -0 "$DOCKERD_PID" 2>/dev/null || { cat "$T/dockerd.log" >&2; exit 1; }
    sleep 0.1
done

IMAGE="minirunc/busybox:test"
build_image_tar "$T/image.tar" "$IMAGE"
d load -q -i "$T/image.tar" >/dev/null
expect_contains "image loaded" "$IMAGE" "$(d images --format '{{.Repository}}:{{.Tag}}')"

R=(--runtime minirunc --network none)

# Foreground run: output and exit status.
out="$(d run --rm "${R[@]}" --hostname d-hello "$IMAGE" sh -c 'echo hello from $(hostname); id -u' 2>&1)" && rc=0 || rc=$?
expect_eq "run --rm exit status" 0 "$rc"
expect_eq "run --rm output" "hello from d-hello
0" "$out"

# Exit codes: the workload's, and 125/126/127 as docker derives them.
d run --rm "${R[@]}" "$IMAGE" sh -c 'exit 42' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "run exit code 42 propagated" 42 "$rc"
out="$(d run --rm "${R[@]}" "$IMAGE" /no/such/binary 2>&1)" && rc=0 || rc=$?
expect_eq "missing executable: exit 127" 127 "$rc"
expect_contains "missing executable: error text" "no such file or directory" "$out"
out="$(d run --rm "${R[@]}" "$IMAGE" nosuchcommand 2>&1)" && rc=0 || rc=$?
expect_eq "command not in PATH: exit 127" 127 "$rc"
expect_contains "command not in PATH: error text" "executable file not found in \$PATH" "$out"
out="$(d run --rm "${R[@]}" "$IMAGE" /etc/passwd 2>&1)" && rc=0 || rc=$?
expect_eq "not executable: exit 126" 126 "$rc"
expect_contains "not executable: error text" "permission denied" "$out"
out="$(d run --rm "${R[@]}" --sysctl kernel.msgmax=notanumber "$IMAGE" true 2>&1)" && rc=0 || rc=$?
expect_eq "runtime create failure: exit 125" 125 "$rc"
expect_contains "runtime create failure: the runtime's error text" "/proc/sys/kernel/msgmax: invalid argument" "$out"

# Detached: exec, top, update, pause/unpause, stop, rm.
d run -d "${R[@]}" --name d-bg "$IMAGE" sh -c 'trap "exit 0" TERM; echo started > /tmp/started; sleep 1000 & wait $!' >/dev/null
expect_eq "detached container running" running "$(d inspect -f '{{.State.Status}}' d-bg)"
out="$(d exec d-bg cat /tmp/started 2>&1)" && rc=0 || rc=$?
expect_eq "exec output" started "$out"
d exec d-bg sh -c 'exit 7' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exec exit code" 7 "$rc"
out="$(d exec d-bg /no/such/binary 2>&1)" && rc=0 || rc=$?
expect_contains "exec of a missing binary: error text" "no such file or directory" "$out"
expect_eq "exec of a missing binary: exit 126 or 127" yes "$([ "$rc" = 126 ] || [ "$rc" = 127 ] && echo yes || echo "no ($rc)")"
out="$(script -qec "DOCKER_HOST='$DOCKER_HOST' DOCKER_API_VERSION=1.41 DOCKER_CONFIG='$DOCKER_CONFIG' docker exec -t d-bg tty" /dev/null </dev/null 2>&1)" && rc=0 || rc=$?
expect_contains "exec -t has a terminal" "/dev/pts/" "$out"
out="$(d top d-bg 2>&1)" && rc=0 || rc=$?
expect_contains "top lists the sleep" "sleep 1000" "$out"
d update --memory 64m --memory-swap 128m d-bg >/dev/null
limit="$(d exec d-bg sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max')"
expect_eq "update sets the memory limit" 67108864 "$limit"
d pause d-bg >/dev/null
expect_eq "paused" paused "$(d inspect -f '{{.State.Status}}' d-bg)"
d unpause d-bg >/dev/null
expect_eq "unpaused" running "$(d inspect -f '{{.State.Status}}' d-bg)"
d stop -t 10 d-bg >/dev/null
expect_eq "stopped by SIGTERM, exit code 0" "exited 0" "$(d inspect -f '{{.State.Status}} {{.State.ExitCode}}' d-bg)"
d rm d-bg >/dev/null
expect_eq "removed" "" "$(d ps -aq)"

# A tty run, driven through a pty by script(1).
out="$(script -qec "DOCKER_HOST='$DOCKER_HOST' DOCKER_API_VERSION=1.41 DOCKER_CONFIG='$DOCKER_CONFIG' docker run --rm -t --runtime minirunc --network none '$IMAGE' sh -c 'tty; exit 3'" /dev/null </dev/null 2>&1)" && rc=0 || rc=$?
expect_eq "run -t exit code" 3 "$rc"
expect_contains "run -t has a terminal" "/dev/pts/" "$out"
expect_eq "nothing left" "" "$(d ps -aq)"

finish
