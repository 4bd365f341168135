#!/usr/bin/env bash
# minirunc under rootless podman: an ordinary user made here, with its own
# /etc/subuid and /etc/subgid ranges, runs `podman --runtime <minirunc>`.
# Podman runs the runtime as uid 0 of its rootless user namespace, so the
# runtime must see that it is rootless there (state under $XDG_RUNTIME_DIR,
# no cgroups it may not make, devices bound, not made).
#
# usage: podman-rootless.sh [RUNTIME]   (MINIRUNC_BIN=runc podman-rootless.sh:
# the same test against runc, so that it checks the contract). Exit 77: skipped.
#
# Everything lives in a temp dir: the user's home, XDG_RUNTIME_DIR, podman's
# storage (vfs driver: no fuse-overlayfs needed), containers.conf. No network,
# no registry: the busybox image is built locally and loaded. The cgroup
# manager is cgroupfs; without a delegated cgroup (a hybrid or v1 host) podman
# runs the container without one. At the end the user, its subordinate ranges,
# its processes and the temp dir are removed.
set -euo pipefail
# shellcheck source=tests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (to create the test user)"
command -v podman >/dev/null && command -v conmon >/dev/null || skip "podman or conmon is not installed"
command -v newuidmap >/dev/null && command -v newgidmap >/dev/null || skip "uidmap (newuidmap/newgidmap) is not installed"
[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 0 ] ||
    skip "kernel.unprivileged_userns_clone is 0"
[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] ||
    skip "user.max_user_namespaces is 0"
RUNTIME_SRC="$(resolve_runtime "${1:-}")"
RUNTIME_NAME="$(basename "$RUNTIME_SRC")"
echo "runtime: $RUNTIME_SRC"

USER_NAME=minirunc-podman-rl
# Far from useradd's automatic ranges (100000 + 65536 n) and the integration tests' 1500000.
SUB_START=1700000
SUB_COUNT=65536
SUB_LINE="$USER_NAME:$SUB_START:$SUB_COUNT"
if id -u "$USER_NAME" >/dev/null 2>&1; then
    echo "stale test user $USER_NAME: removing it first"
    userdel "$USER_NAME" 2>/dev/null || true
fi
for f in /etc/subuid /etc/subgid; do
    [ -e "$f" ] || continue
    if awk -F: -v u="$USER_NAME" -v s="$SUB_START" -v c="$SUB_COUNT" \
        '$1 != u && $2 < s + c && $2 + $3 > s { found = 1 } END { exit !found }' "$f"; then
        skip "$f: another user's range overlaps $SUB_START+$SUB_COUNT"
    fi
done

T="$(mktemp -d /tmp/minirunc-podman-rl.XXXXXX)"
chmod 755 "$T"
# The user's commands start here: the checkout may be out of its reach (a
# clone in /root or in a 0700 directory).
cd "$T"
user_made=""
cleanup() {
    set +e
    if [ -n "$user_made" ]; then
        u rm -af -t 1 >/dev/null 2>&1
        # Whatever the user still runs (conmon, podman's pause process that
        # holds its user namespace, a container): ours, ended by pid.
        local left
        left="$(pids_of_user)"
        # shellcheck disable=SC2086
        [ -z "$left" ] || { kill_pids TERM $left; kill_pids KILL $left; }
        userdel "$USER_NAME" 2>/dev/null
        for f in /etc/subuid /etc/subgid; do
            [ -e "$f" ] && sed -i "\\|^$SUB_LINE\$|d" "$f"
        done
    fi
    umount_below "$T"
    rm -rf "$T"
}
trap cleanup EXIT

# Pids of the processes of the test user: its uid or one of its range.
pids_of_user() {
    local p uid
    for p in /proc/[0-9]*; do
        uid="$(awk '/^Uid:/ { print $2 }' "$p/status" 2>/dev/null)" || continue
        [ -n "$uid" ] || continue
        if [ "$uid" = "$USER_UID" ] || { [ "$uid" -ge "$SUB_START" ] && [ "$uid" -lt $((SUB_START + SUB_COUNT)) ]; }; then
            echo "${p#/proc/}"
        fi
    done
    return 0
}

# The user, without useradd's automatic subordinate ranges: ours instead.
useradd --no-create-home --home-dir "$T/home" --shell /bin/sh \
    -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$USER_NAME"
user_made=1
USER_UID="$(id -u "$USER_NAME")"
USER_GID="$(id -g "$USER_NAME")"
for f in /etc/subuid /etc/subgid; do echo "$SUB_LINE" >>"$f"; done
mkdir -p "$T/home" "$T/xdg" "$T/data" "$T/bin" "$T/storage"
chmod 700 "$T/xdg"
# The runtime where the user can run it (the build tree may not be readable),
# with its init beside it.
cp "$RUNTIME_SRC" "$T/bin/"
[ ! -e "$(dirname "$RUNTIME_SRC")/minirunc-init" ] || cp "$(dirname "$RUNTIME_SRC")/minirunc-init" "$T/bin/"
RUNTIME="$T/bin/$RUNTIME_NAME"
XDG="$T/xdg"
STATE="$XDG/$RUNTIME_NAME"  # runc: $XDG_RUNTIME_DIR/runc, minirunc: .../minirunc

cat >"$T/home/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$T/storage/root"
runroot = "$T/storage/runroot"
EOF
cat >"$T/home/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/home/events.log"
tmp_dir = "$T/home/tmp"
volume_path = "$T/home/volumes"
static_dir = "$T/home/static"
runtime = "$RUNTIME_NAME"
runtime_supports_json = ["$RUNTIME_NAME", "runc", "crun"]

[engine.runtimes]
"$RUNTIME_NAME" = ["$RUNTIME"]
EOF
chown -R "$USER_UID:$USER_GID" "$T/home" "$T/xdg" "$T/data" "$T/storage"

# podman as the user, in a clean environment of its own.
u() {
    setpriv --reuid "$USER_UID" --regid "$USER_GID" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$T/home" USER="$USER_NAME" \
        XDG_RUNTIME_DIR="$XDG" CONTAINERS_CONF="$T/home/containers.conf" \
        CONTAINERS_STORAGE_CONF="$T/home/storage.conf" \
        podman --root "$T/storage/root" --runroot "$T/storage/runroot" \
        --cgroup-manager cgroupfs --runtime "$RUNTIME" "$@"
}

# Nothing of a finished container may stay in the runtime's state root
# (minirunc's "@seccomp-cache" is no container: "@" is not allowed in an id).
expect_no_state() {
    local left=""
    [ ! -d "$STATE" ] || left="$(find "$STATE" -mindepth 1 -maxdepth 1 -type d ! -name '@*' -printf '%f\n')"
    expect_eq "$1: nothing left in \$XDG_RUNTIME_DIR/$RUNTIME_NAME" "" "$left"
}

build_image_tar "$T/home/image.tar" "localhost/minirunc/busybox:test"
chown "$USER_UID" "$T/home/image.tar"
u load -q -i "$T/home/image.tar" >/dev/null 2>&1 || true
IMAGE=localhost/minirunc/busybox:test
if u image exists "$IMAGE"; then pass "image loaded"; else fail "image loaded"; finish; exit 1; fi
run() { u run --pull=never --rm "$@"; }

# The simplest run: only the container's output, on stdout, and nothing else
# from the runtime (podman's own notices would come on stderr).
out="$(run "$IMAGE" echo hi 2>"$T/err")" && rc=0 || rc=$?
expect_eq "run --rm exit status" 0 "$rc"
expect_eq "run --rm output" "hi" "$out"
expect_eq "run --rm: no runtime messages on stderr" "" "$(grep -iv 'is not a shared mount' "$T/err" || true)"
expect_no_state "run --rm"
if [ -d "$STATE" ]; then pass "state under \$XDG_RUNTIME_DIR/$RUNTIME_NAME"; else fail "state under \$XDG_RUNTIME_DIR/$RUNTIME_NAME (missing $STATE)"; fi

# Root inside is the user outside: a file written through a bind mount of a
# directory the user owns belongs to the user.
out="$(run -v "$T/data:/data" "$IMAGE" sh -c 'id -u; echo x > /data/by-container' 2>&1)" && rc=0 || rc=$?
expect_eq "bind mount of the user's directory" "0 0" "$(echo "$out" | head -1) $rc"
expect_eq "file written through it belongs to the user" "$USER_UID:$USER_GID" \
    "$(stat -c %u:%g "$T/data/by-container" 2>/dev/null)"

# --user: an id of the subordinate range inside.
out="$(run --user 1000:1000 "$IMAGE" sh -c 'echo $(id -u):$(id -g)' 2>&1)" && rc=0 || rc=$?
expect_eq "--user 1000:1000" "1000:1000 0" "$out $rc"

# --userns=keep-id: a user namespace of the container's own, nested in
# podman's, where the user keeps its uid.
out="$(run --userns=keep-id "$IMAGE" sh -c 'echo $(id -u):$(id -g)' 2>&1)" && rc=0 || rc=$?
expect_eq "--userns=keep-id keeps the user's ids" "$USER_UID:$USER_GID 0" "$out $rc"

# --read-only with a writable tmpfs.
out="$(run --read-only --tmpfs /scratch "$IMAGE" sh -c \
    'touch /not-here 2>/dev/null && echo root-writable; touch /scratch/ok && echo scratch-writable' 2>&1)" && rc=0 || rc=$?
expect_eq "--read-only --tmpfs /scratch" "scratch-writable 0" "$out $rc"

# Exit codes: the workload's own, 127 (no such executable), 126 (not
# executable), 125 (podman's own refusal, before any runtime).
run "$IMAGE" sh -c 'exit 42' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exit code 42 propagated" 42 "$rc"
out="$(run "$IMAGE" /no/such/binary 2>&1)" && rc=0 || rc=$?
expect_eq "missing executable: exit 127" 127 "$rc"
expect_contains "missing executable: error text" "no such file or directory" "$out"
out="$(run "$IMAGE" /etc/passwd 2>&1)" && rc=0 || rc=$?
expect_eq "not executable: exit 126" 126 "$rc"
expect_contains "not executable: error text" "permission denied" "$out"
run --tmpfs /scratch:no-such-option "$IMAGE" true >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "podman's own error: exit 125" 125 "$rc"
expect_no_state "failed runs"

# Detached: exec, top, stop, rm.
cid="$(u run --pull=never -d --name rl-bg "$IMAGE" sh -c 'trap "exit 0" TERM; echo started > /tmp/started; sleep 1000 & wait $!' 2>&1)" && rc=0 || rc=$?
expect_eq "run -d" 0 "$rc"
[ "$rc" -eq 0 ] || echo "$cid" >&2
expect_eq "detached container running" running "$(u inspect -f '{{.State.Status}}' rl-bg 2>&1)"
out="$(u exec rl-bg cat /tmp/started 2>&1)" && rc=0 || rc=$?
expect_eq "exec output" "started 0" "$out $rc"
u exec rl-bg sh -c 'exit 7' >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exec exit code" 7 "$rc"
u exec rl-bg /no/such/binary >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "exec of a missing binary: exit 127" 127 "$rc"
out="$(u exec --user 1000:1000 rl-bg id -u 2>&1)" && rc=0 || rc=$?
expect_eq "exec --user 1000:1000" "1000 0" "$out $rc"
out="$(u top rl-bg pid args 2>&1)" && rc=0 || rc=$?
expect_contains "top lists the sleep" "sleep 1000" "$out"
u stop -t 10 rl-bg >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "stop" 0 "$rc"
expect_eq "stopped by SIGTERM, exit code 0" "exited 0" "$(u inspect -f '{{.State.Status}} {{.State.ExitCode}}' rl-bg 2>&1)"
u rm rl-bg >/dev/null 2>&1 && rc=0 || rc=$?
expect_eq "rm" 0 "$rc"
expect_eq "nothing listed" "" "$(u ps -aq 2>&1)"
expect_no_state "run -d, stop, rm"

# A tty run, driven through a pty by script(1).
q() { printf "'%s' " "$@"; }
tty_cmd="$(q setpriv --reuid "$USER_UID" --regid "$USER_GID" --init-groups env -i \
    PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$T/home" USER="$USER_NAME" \
    XDG_RUNTIME_DIR="$XDG" CONTAINERS_CONF="$T/home/containers.conf" \
    CONTAINERS_STORAGE_CONF="$T/home/storage.conf" podman --root "$T/storage/root" \
    --runroot "$T/storage/runroot" --cgroup-manager cgroupfs --runtime "$RUNTIME" \
    run --pull=never --rm -t "$IMAGE" sh -c 'tty; exit 3')"
out="$(script -qec "$tty_cmd" /dev/null </dev/null 2>&1)" && rc=0 || rc=$?
expect_eq "run -t exit code" 3 "$rc"
expect_contains "run -t has a terminal" "/dev/pts/" "$out"
expect_no_state "run -t"

# Nothing of the containers still runs: no conmon, no container process
# (only podman's pause process, which holds the user's namespace, until
# cleanup). A conmon may still be running its exit command (`podman container
# cleanup`) just after `run --rm` returned: waited for, up to 30 s.
container_processes() {
    local pid comm
    for pid in $(pids_of_user); do
        comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || continue
        case "$comm" in podman | "podman pause" | catatonit | "") ;; *) printf ' %s:%s' "$pid" "$comm" ;; esac
    done
}
for _ in $(seq 300); do
    left="$(container_processes)"
    [ -z "$left" ] && break
    sleep 0.1
done
expect_eq "no conmon or container process left" "" "$left"

finish
