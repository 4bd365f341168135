#!/usr/bin/env bash
# Rootless minirunc with a delegated cgroup v2 subtree, in the systemd guest
# (ctest vm.rootless: tests/vm/run-in-vm.sh --systemd). An ordinary user made
# here, with /etc/subuid and /etc/subgid ranges, gets a user manager
# (systemctl start user@UID: user@.service delegates cpu, memory and pids);
# the steps run as that user in a delegated scope of its manager
# (systemd-run --user --scope -p Delegate=yes), and each container's cgroup
# is made below it with the cgroupfs driver: the limits must take effect
# inside, an over-limit allocation is killed, and pause/resume, update,
# events --stats, ps, kill --all and delete --force work. Nothing may be left
# behind: no process, no state under $XDG_RUNTIME_DIR, no cgroup.
#
# usage: rootless.sh [RUNTIME]   (MINIRUNC_BIN=/usr/sbin/runc rootless.sh: the
# same steps against runc, so that they check the contract). Exit 77: skipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tests/clients/lib.sh
. "$here/../clients/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (to create the test user)"
[ -d /run/systemd/system ] || skip "systemd is not running"
[ -f /sys/fs/cgroup/cgroup.controllers ] || skip "not a cgroup v2 host"
command -v newuidmap >/dev/null || skip "uidmap (newuidmap/newgidmap) is not installed"
command -v systemd-run >/dev/null || skip "no systemd-run"
RUNTIME_SRC="$(resolve_runtime "${1:-}")"
RUNTIME_NAME="$(basename "$RUNTIME_SRC")"
ROOTFS="${MINIRUNC_TEST_ROOTFS:-$REPO_DIR/build/test-rootfs}"
[ -x "$ROOTFS/bin/probe" ] || skip "no test rootfs with the probe at $ROOTFS"
echo "runtime: $RUNTIME_SRC"

USER_NAME=minirunc-vm-rl
SUB_START=1800000
SUB_COUNT=65536
T="$(mktemp -d /tmp/minirunc-vm-rl.XXXXXX)"
chmod 755 "$T"
# The user runs from here, with its own copy of the clients' helpers: the
# checkout may be out of its reach (a clone in /root or in a 0700 directory).
cd "$T"
cp "$CLIENTS_DIR/lib.sh" "$T/lib.sh"
user_made=""
cleanup() {
    set +e
    if [ -n "$user_made" ]; then
        systemctl stop "user@$USER_UID.service" >/dev/null 2>&1
        loginctl terminate-user "$USER_NAME" >/dev/null 2>&1
        userdel "$USER_NAME" 2>/dev/null
        sed -i "/^$USER_NAME:/d" /etc/subuid /etc/subgid
    fi
    rm -rf "$T"
}
trap cleanup EXIT

useradd --no-create-home --home-dir "$T/home" --shell /bin/sh \
    -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$USER_NAME"
user_made=1
USER_UID="$(id -u "$USER_NAME")"
USER_GID="$(id -g "$USER_NAME")"
for f in /etc/subuid /etc/subgid; do echo "$USER_NAME:$SUB_START:$SUB_COUNT" >>"$f"; done
mkdir -p "$T/home" "$T/bin" "$T/bundle"
cp "$RUNTIME_SRC" "$T/bin/"
[ ! -e "$(dirname "$RUNTIME_SRC")/minirunc-init" ] || cp "$(dirname "$RUNTIME_SRC")/minirunc-init" "$T/bin/"
RUNTIME="$T/bin/$RUNTIME_NAME"
cp -a "$ROOTFS" "$T/bundle/rootfs"
chown -R "$USER_UID:$USER_GID" "$T/home" "$T/bundle"

systemctl start "user@$USER_UID.service" || { fail "user@$USER_UID.service started"; finish; exit 1; }
XDG="/run/user/$USER_UID"
USER_CG="/sys/fs/cgroup/user.slice/user-$USER_UID.slice/user@$USER_UID.service"
for c in cpu memory pids; do
    expect_contains "user@.service is delegated $c" " $c " " $(cat "$USER_CG/cgroup.controllers" 2>&1) "
done

# The steps, as the user in a delegated scope of its own manager: the
# scope's processes move to a leaf (no internal processes in v2) and the
# scope's controllers are enabled for the containers' cgroups beside it.
cat >"$T/steps.sh" <<'STEPS'
set -u
. "$CLIENTS_DIR/lib.sh"
scope="$(sed -n 's/^0:://p' /proc/self/cgroup)"
mkdir "/sys/fs/cgroup$scope/steps"
echo $$ >"/sys/fs/cgroup$scope/steps/cgroup.procs"
for c in cpu memory pids; do echo "+$c" >"/sys/fs/cgroup$scope/cgroup.subtree_control"; done
R() { "$RUNTIME" "$@"; }
STATE="$XDG_RUNTIME_DIR/$(basename "$RUNTIME")"
cd "$BUNDLE"
R spec --rootless
mv config.json config.orig
# config.json: PROCESS ARGS..., the cgroup $1 below the scope, limits.
config() {
    local cg="$1"; shift
    local args="" a
    for a in "$@"; do args="$args\"$a\","; done
    python3 - "$scope/$cg" "[${args%,}]" <<'PY'
import json, sys
c = json.load(open("config.orig"))
c["process"]["terminal"] = False
c["process"]["args"] = json.loads(sys.argv[2])
c["linux"]["cgroupsPath"] = sys.argv[1]
if {"type": "cgroup"} not in c["linux"]["namespaces"]:
    c["linux"]["namespaces"].append({"type": "cgroup"})
c["linux"]["resources"] = {"memory": {"limit": 33554432, "swap": 33554432},
                           "pids": {"limit": 20},
                           "cpu": {"quota": 50000, "period": 100000}}
json.dump(c, open("config.json", "w"))
PY
}

config c1 sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max'
out="$(R run c1 2>&1)" && rc=0 || rc=$?
expect_eq "limits read inside (memory.max, pids.max, cpu.max)" \
    "33554432 20 50000 100000 0" "$(echo $out) $rc"

config c2 probe alloc 64
R run c2 >/dev/null 2>"$BUNDLE/c2.err" && rc=0 || rc=$?
[ "$rc" = 137 ] || cat "$BUNDLE/c2.err"
expect_eq "an allocation over memory.max is killed (SIGKILL)" 137 "$rc"
# The container's cgroup is gone with it: its parent's events count it (hierarchical).
expect_contains "the kill is the cgroup's OOM kill" "oom_kill 1" \
    "$(cat "/sys/fs/cgroup$scope/memory.events" 2>&1)"

config c3 sh -c 'sleep 1000 & sleep 1000 & wait'
R run -d c3 >/dev/null && rc=0 || rc=$?
expect_eq "run -d" 0 "$rc"
nprocs() { R ps --format json c3 | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
for _ in $(seq 100); do [ "$(nprocs 2>/dev/null)" = 3 ] && break; sleep 0.1; done
expect_eq "ps lists the three processes" 3 "$(nprocs 2>/dev/null)"
R pause c3 && rc=0 || rc=$?
expect_eq "pause" "0 paused" "$rc $(R state c3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
expect_eq "the cgroup is frozen" "1" "$(cat "/sys/fs/cgroup$scope/c3/cgroup.freeze")"
R resume c3 && rc=0 || rc=$?
expect_eq "resume" "0 running" "$rc $(R state c3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
R update --pids-limit 30 --memory 67108864 --memory-swap 67108864 c3 && rc=0 || rc=$?
expect_eq "update" 0 "$rc"
expect_eq "update took effect" "30 67108864" \
    "$(cat "/sys/fs/cgroup$scope/c3/pids.max") $(cat "/sys/fs/cgroup$scope/c3/memory.max")"
stats="$(R events --stats c3 2>&1)"
expect_contains "events --stats reports the pids" '"pids":{"current":3' "$stats"
R kill --all c3 KILL && rc=0 || rc=$?
expect_eq "kill --all" 0 "$rc"
for _ in $(seq 100); do R state c3 2>/dev/null | grep -q '"stopped"' && break; sleep 0.1; done
R delete c3 && rc=0 || rc=$?
expect_eq "delete of the killed container" 0 "$rc"

config c4 sleep 1000
R run -d c4 >/dev/null && rc=0 || rc=$?
expect_eq "run -d (for delete --force)" 0 "$rc"
R delete --force c4 && rc=0 || rc=$?
expect_eq "delete --force of a running container" 0 "$rc"

left="$(find "$STATE" -mindepth 1 -maxdepth 1 -type d ! -name '@*' -printf '%f ' 2>/dev/null)"
expect_eq "nothing left in \$XDG_RUNTIME_DIR/$(basename "$RUNTIME")" "" "$left"
left="$(find "/sys/fs/cgroup$scope" -mindepth 1 -maxdepth 1 -type d ! -name steps -printf '%f ' 2>/dev/null)"
expect_eq "no container cgroup left in the user's scope" "" "$left"
finish
STEPS
chmod 644 "$T/steps.sh"

setpriv --reuid "$USER_UID" --regid "$USER_GID" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$T/home" USER="$USER_NAME" XDG_RUNTIME_DIR="$XDG" \
    RUNTIME="$RUNTIME" BUNDLE="$T/bundle" CLIENTS_DIR="$T" \
    systemd-run --user --scope --quiet -p Delegate=yes --unit="minirunc-vm-rl-$$" \
    bash "$T/steps.sh" && rc=0 || rc=$?
expect_eq "the steps as the user" 0 "$rc"
# The user's processes, but its manager's own (systemd --user, (sd-pam)).
left=""
for p in /proc/[0-9]*; do
    [ "$(stat -c %u "$p" 2>/dev/null)" = "$USER_UID" ] || continue
    case "$(cat "$p/comm" 2>/dev/null)" in systemd | "(sd-pam)" | dbus-daemon) ;; *) left="$left ${p#/proc/}:$(cat "$p/comm")" ;; esac
done
expect_eq "no process of the user left" "" "$left"
finish
