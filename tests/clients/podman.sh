#!/usr/bin/env bash
# minirunc under a real podman (Debian's podman 4 + conmon), with
# podman --runtime <minirunc>.
#
# usage: podman.sh [RUNTIME]   (MINIRUNC_BIN=runc podman.sh: the same test
# against runc, so that it checks the contract). Exit 77: skipped.
#
# Private storage (--root/--runroot), containers.conf and storage.conf in a
# temp dir; cgroupfs manager, no network. containers.conf names the runtime in
# runtime_supports_json (podman only passes --log-format=json to runtimes it
# knows) and sets default_ulimits to what this process has (root here lacks
# CAP_SYS_RESOURCE, so podman's default nofile=1048576 fails in any runtime).
# The image is built locally from Debian's busybox-static and loaded.
set -euo pipefail
# shellcheck source=tests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v podman >/dev/null && command -v conmon >/dev/null || skip "podman or conmon is not installed"
RUNTIME="$(resolve_runtime "${1:-}")"
RUNTIME_NAME="$(basename "$RUNTIME")"
echo "runtime: $RUNTIME"

T="$(mktemp -d /tmp/minirunc-podman.XXXXXX)"
# Fixed host paths podman may create: removed at the end if we made them.
created_paths=()
for d in /var/lib/containers/cache /var/lib/containers /run/containers \
    /etc/containers/networks /run/libpod; do
    [ -e "$d" ] || created_paths+=("$d")
done
created_cgroup=""
[ -e /sys/fs/cgroup/memory/libpod_parent ] || [ -e /sys/fs/cgroup/libpod_parent ] ||
    created_cgroup=libpod_parent

cleanup() {
    set +e
    # Containers first (podman stops them through the runtime), then any conmon
    # or container process left (conmon's command line names our temp dir).
    p rm -af -t 1 >/dev/null 2>&1
    local left
    left="$(pids_mentioning "$T")"
    # shellcheck disable=SC2086
    [ -z "$left" ] || { kill_pids TERM $left; kill_pids KILL $left; }
    umount_below "$T"
    [ -z "$created_cgroup" ] || remove_cgroup "$created_cgroup"
    for d in "${created_paths[@]}"; do rm -rf "$d"; done
    rm -rf "$T"
}
trap cleanup EXIT
require_overlay "$T"

# A long graphroot, as podman's default /var/lib/containers/storage with many
# layers: the overlay options of an image mount pass 255 bytes.
ROOT="$T/root/$(printf 'g%.0s' $(seq 120))"
mkdir -p "$ROOT" "$T/runroot" "$T/tmp" "$T/net"
cat >"$T/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$ROOT"
runroot = "$T/runroot"
EOF
# The runtime gets podman's own limits, and podman 4 lowers its RLIMIT_NPROC to
# 32768 (measured: the runtime's /proc/self/limits under podman run).
nproc="$(ulimit -Hu)"
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
cat >"$T/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Sn):$(ulimit -Hn)", "nproc=$nproc:$nproc"]
netns = "none"
log_driver = "k8s-file"

[network]
network_config_dir = "$T/net"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/events.log"
tmp_dir = "$T/tmp"
volume_path = "$T/volumes"
static_dir = "$T/static"
runtime = "$RUNTIME_NAME"
runtime_supports_json = ["$RUNTIME_NAME", "runc", "crun"]

[engine.runtimes]
"$RUNTIME_NAME" = ["$RUNTIME"]
EOF
export CONTAINERS_CONF="$T/containers.conf" CONTAINERS_STORAGE_CONF="$T/storage.conf"
p() { podman --root "$ROOT" --runroot "$T/runroot" --cgroup-manager cgroupfs --runtime "$RUNTIME" "$@"; }

build_image_tar "$T/image.tar" "localhost/minirunc/busybox:test"
p load -q -i "oci-archive:$T/image.tar" >/dev/null 2>&1 || p load -q -i "$T/image.tar" >/dev/null
IMAGE="$(p images -q | head -1)"
[ -n "$IMAGE" ] && pass "image loaded" || { fail "image loaded"; finish; exit 1; }
p tag "$IMAGE" localhost/minirunc/busybox:test
IMAGE=localhost/minirunc/busybox:test

# Foreground run: output and exit status.
out="$(p run --rm --network none --hostname p-hello "$IMAGE" sh -c 'echo hello from $(hostname); id -u' 2>&1)" && rc=0 || rc=$?
expect_eq "run --rm exit status" 0 "$rc"
expect_eq "run --rm output" "hello from p-hello
0" "$out"

# Exit codes.
p run --rm --network none "$IMAGE" sh -c 'exit 42' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "run exit code 42 propagated" 42 "$rc"
out="$(p run --rm --network none "$IMAGE" /no/such/binary 2>&1)" && rc=0 || rc=$?
expect_eq "missing executable: exit 127" 127 "$rc"
expect_contains "missing executable: error text" "no such file or directory" "$out"

# Detached: exec, stop, rm.
cid="$(p run -d --network none --name p-bg "$IMAGE" sh -c 'trap "exit 0" TERM; echo started > /tmp/started; sleep 1000 & wait $!')"
[ -n "$cid" ] && pass "run -d" || fail "run -d"
expect_eq "detached container running" running "$(p inspect -f '{{.State.Status}}' p-bg)"
out="$(p exec p-bg cat /tmp/started 2>&1)" && rc=0 || rc=$?
expect_eq "exec output" started "$out"
p exec p-bg sh -c 'exit 7' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exec exit code" 7 "$rc"
p exec p-bg /no/such/binary >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exec of a missing binary: exit 127" 127 "$rc"
out="$(p exec -t p-bg tty 2>&1)" && rc=0 || rc=$?
expect_contains "exec -t has a terminal" "/dev/pts/" "$out"
out="$(p top p-bg pid args 2>&1)" && rc=0 || rc=$?
expect_contains "top lists the sleep" "sleep 1000" "$out"
p pause p-bg >/dev/null
expect_eq "paused" paused "$(p inspect -f '{{.State.Status}}' p-bg)"
p unpause p-bg >/dev/null
expect_eq "unpaused" running "$(p inspect -f '{{.State.Status}}' p-bg)"
p stop -t 10 p-bg >/dev/null
expect_eq "stopped by SIGTERM, exit code 0" "exited 0" "$(p inspect -f '{{.State.Status}} {{.State.ExitCode}}' p-bg)"
p rm p-bg >/dev/null
expect_eq "removed" "" "$(p ps -aq)"

# A tty run, driven through a pty by script(1).
out="$(script -qec "CONTAINERS_CONF='$CONTAINERS_CONF' CONTAINERS_STORAGE_CONF='$CONTAINERS_STORAGE_CONF' podman --root '$ROOT' --runroot '$T/runroot' --cgroup-manager cgroupfs --runtime '$RUNTIME' run --rm -t --network none '$IMAGE' sh -c 'tty; exit 3'" /dev/null </dev/null 2>&1)" && rc=0 || rc=$?
expect_eq "run -t exit code" 3 "$rc"
expect_contains "run -t has a terminal" "/dev/pts/" "$out"
expect_eq "nothing left" "" "$(p ps -aq)"

# podman's own system tests that once failed only with minirunc (issue 27).
# 030-run "do not set empty HOME": a uid without a passwd entry gets HOME=/.
out="$(p run --rm --network none --user 4321 "$IMAGE" sh -c 'echo "$HOME"' 2>&1)" && rc=0 || rc=$?
expect_eq "HOME of a uid without passwd entry" "0 /" "$rc $out"
# 060-mount "podman run --mount image": an overlay of the image's layers whose
# options pass the 255 bytes of one fsconfig(2) string.
out="$(p run --rm --network none --mount "type=image,src=$IMAGE,dst=/image-mount,rw=true" "$IMAGE" sh -c 'ls /image-mount/bin/busybox' 2>&1)" && rc=0 || rc=$?
expect_eq "--mount type=image (long overlay options)" "0 /image-mount/bin/busybox" "$rc $out"
# 070-build "buildx - basic test": VOLUME ['/etc/foo', '/etc/bar'] becomes the
# relative destination "[/etc/foo,", which runc mounts under / with a warning.
mkdir -p "$T/build"
printf 'FROM %s\nVOLUME [%s, %s]\n' "$IMAGE" "'/etc/foo'" "'/etc/bar'" >"$T/build/Containerfile"
p build -q --pull=never --network none -t localhost/minirunc/volumes:test "$T/build" >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "build an image with a malformed VOLUME" 0 "$rc"
out="$(p run --rm --network none localhost/minirunc/volumes:test sh -c 'test -d "/[/etc/foo," && echo mounted' 2>&1)" && rc=0 || rc=$?
expect_eq "relative mount destination mounted under /" "0 mounted" "$rc $out"
# 030-run "full path to --runtime is preserved": the runtime copied alone.
mkdir -p "$T/lone"
cp "$RUNTIME" "$T/lone/$RUNTIME_NAME"
out="$(env -u MINIRUNC_INIT podman --root "$ROOT" --runroot "$T/runroot" --cgroup-manager cgroupfs --runtime "$T/lone/$RUNTIME_NAME" run --rm --network none "$IMAGE" echo alone 2>&1)" && rc=0 || rc=$?
expect_eq "a lone copy of the runtime runs a container" "0 alone" "$rc $out"
expect_eq "nothing left after the issue-27 commands" "" "$(p ps -aq)"

finish
