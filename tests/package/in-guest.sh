#!/usr/bin/env bash
# The package lane's checks, run as root inside a throw-away guest of
# tests/vm/run-in-vm.sh (scripts/test-package.sh): its root is the host's /
# read-only under a RAM overlay, so installing and purging the package here
# never touches the host's /usr or /etc.
#
#   in-guest.sh DEB STAGE
#
# STAGE is made on the host by scripts/test-package.sh (assembling a rootfs
# is minutes of process start-ups under TCG): bundle/, the default bundle
# with its rootfs, and image.tar, the clients lane's busybox image.
# Installs DEB with apt-get, runs the default bundle with the installed
# minirunc found by name, podman --runtime minirunc by name, containerd with
# the runc shim's BinaryName minirunc, dockerd --add-runtime minirunc=minirunc,
# renders every installed man page with man -l, then purges the package and checks that
# nothing of it is left.
set -euo pipefail
# shellcheck source=tests/clients/lib.sh
. "$(dirname "$0")/../clients/lib.sh"
deb=$(realpath -e "$1")
stage=$(realpath -e "$2")

# Never on a real system: the guest's / is an overlay and run-in-vm.sh's
# control dir is mounted.
[ "$(findmnt -n -o FSTYPE /)" = overlay ] && [ -d /run/minirunc-vm ] ||
    { echo "in-guest.sh: not inside a run-in-vm.sh guest; refusing to install packages" >&2; exit 2; }
! dpkg-query -W -f='${Status}' minirunc 2>/dev/null | grep -q "ok installed" ||
    { echo "minirunc is already installed on the host: the lane needs a root without it" >&2; exit 1; }
# The runtime must find its init and helpers by itself, as an installed one does.
unset MINIRUNC_INIT MINIRUNC_SYSTEMD_HELPER MINIRUNC_NETDEV_HELPER MINIRUNC_BIN
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
T=$(mktemp -d /tmp/minirunc-package.XXXXXX)
step() { echo "--- $* ($SECONDS s)"; }

# What of the package's paths was there before it (directories it shares).
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\.||; s|/$||' | grep -v '^$' >"$T/paths"
while read -r p; do [ -e "$p" ] && echo "$p"; done <"$T/paths" >"$T/before"
# man-db's trigger rebuilds its whole index: minutes under TCG, and not what
# is tested (man -l and man -w below read the files).
rm -f /var/lib/man-db/auto-update
# apt with no package lists: it resolves the package's Depends against what
# is installed (dpkg's status) without parsing the archive's lists, which
# takes minutes under TCG; there is no network here anyway.
mkdir -p "$T/apt/lists/partial" "$T/apt/cache/archives/partial"
apt() {
    DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dir::State::Lists="$T/apt/lists" \
        -o Dir::Cache="$T/apt/cache" "$@" >"$T/apt.log" 2>&1
}

step "apt-get install $deb"
apt install --no-install-recommends "$deb" && pass "apt-get install" ||
    { cat "$T/apt.log"; fail "apt-get install"; }
expect_eq "minirunc found by name" /usr/sbin/minirunc "$(command -v minirunc || true)"
expect_eq "version of the installed runtime" 0 "$(minirunc --version >/dev/null; echo $?)"
for f in $(dpkg -L minirunc); do
    [ -e "$f" ] || fail "dpkg -L lists $f, not on disk"
done

step "the default bundle with the installed minirunc"
out=$(cd "$stage/bundle" && minirunc run "pkg-$$" 2>&1) && rc=0 || rc=$?
expect_eq "run the default bundle: exit status" 0 "$rc"
expect_contains "run the default bundle: output" "pid 1" "$out"
# The installed init (same build as the runtime) runs from its read-only bind,
# not from a copy of the image the runtime carries.
minirunc create --bundle "$stage/bundle" "pkg-init-$$" >/dev/null 2>&1
pid=$(minirunc state "pkg-init-$$" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
exe=$(readlink "/proc/$pid/exe" || true)
case "$exe" in *memfd:*) fail "the installed init is used, not a copy: $exe" ;; *) pass "installed init used ($exe)" ;; esac
minirunc delete --force "pkg-init-$$" >/dev/null
expect_eq "no container left" "" "$(minirunc list -q)"

step "bash completion"
out=$(bash --norc -c '. /usr/share/bash-completion/completions/minirunc && complete -p minirunc' 2>&1)
expect_contains "bash completion installed" "-F _minirunc" "$out"

step "man pages"
pages=$(dpkg -L minirunc | grep '^/usr/share/man/man8/.*\.8\.gz$')
# As many as the package's build wrote: minirunc(8) and one per command.
built=$(find "$(dirname "$deb")/man" -maxdepth 1 -name '*.8.gz' | wc -l)
expect_eq "man pages installed" "$built" "$(echo "$pages" | wc -l)"
# Several pages per man, two at a time (the guest's two CPUs): under TCG
# each man is seconds of troff.
warnings=$(echo "$pages" | MANWIDTH=80 xargs -P2 -n8 man --warnings -l 2>&1 >/dev/null)
expect_eq "man -l renders every page without a warning" "" "$warnings"
expect_eq "man finds a page by name" /usr/share/man/man8/minirunc-create.8.gz "$(man -w minirunc-create)"

if command -v podman >/dev/null && command -v conmon >/dev/null; then
    step "podman --runtime minirunc"
    # podman's storage on a tmpfs: overlay cannot stack on the guest's overlay root.
    mkdir -p /var/lib/containers /run/containers
    mount -t tmpfs tmpfs /var/lib/containers
    p() { podman --cgroup-manager cgroupfs --events-backend file --runtime minirunc "$@"; }
    p load -q -i "$stage/image.tar" >/dev/null  # podman 4.3: docker-archive
    image=$(p images -q | head -1)
    out=$(p run --rm --network none "$image" sh -c 'echo hello from podman; exit 3' 2>&1) &&
        rc=0 || rc=$?
    expect_eq "podman run --runtime minirunc: output and exit code" "3 hello from podman" "$rc $out"
    # The runtime's error reaches the user (runtime_supports_json of the drop-in).
    out=$(p run --rm --network none "$image" /no/such/binary 2>&1) && rc=0 || rc=$?
    expect_eq "podman: a missing executable is exit 127" 127 "$rc"
    expect_contains "podman: the runtime's error text" "no such file or directory" "$out"
    umount -l /var/lib/containers
else
    fail "podman or conmon not installed (scripts/test-package.sh installs them)"
fi

if command -v containerd >/dev/null && command -v ctr >/dev/null; then
    step "containerd with BinaryName minirunc"
    # A private daemon on the guest's tmpfs (the snapshotter's overlay cannot
    # stack on the guest's overlay root); the guest is thrown away after.
    c=$T/containerd
    mkdir -p "$c"
    printf 'version = 2\nroot = "%s/root"\nstate = "%s/state"\n[grpc]\n  address = "%s/sock"\n' \
        "$c" "$c" "$c" >"$c/config.toml"
    containerd --config "$c/config.toml" >"$c/log" 2>&1 &
    containerd_pid=$!
    for _ in $(seq 600); do
        ctr -a "$c/sock" version >/dev/null 2>&1 && break
        sleep 0.1
    done
    ctr_() { ctr -a "$c/sock" -n package "$@"; }
    ctr_ images import "$stage/image.tar" >/dev/null
    image=$(ctr_ images ls -q | head -1)
    # --runc-binary sets the runc shim's BinaryName: a name, looked up in PATH.
    out=$(ctr_ run --rm --runc-binary minirunc "$image" c1 sh -c 'echo hello from containerd' 2>&1) &&
        rc=0 || rc=$?
    expect_eq "containerd: BinaryName minirunc" "0 hello from containerd" "$rc $out"
    kill "$containerd_pid" 2>/dev/null || true
else
    fail "containerd not installed (scripts/test-package.sh installs it)"
fi

if command -v dockerd >/dev/null && command -v docker >/dev/null; then
    step "dockerd --add-runtime minirunc=minirunc"
    # A private dockerd (its own data and exec roots, socket and containerd) with
    # the vfs driver: overlay cannot stack on the guest's overlay root.
    dk=$T/docker
    mkdir -p "$dk"
    echo '{}' >"$dk/daemon.json"
    dockerd --data-root "$dk/data" --exec-root "$dk/exec" --pidfile "$dk/pid" \
        -H "unix://$dk/sock" --config-file "$dk/daemon.json" --iptables=false \
        --ip6tables=false --bridge=none --storage-driver vfs \
        --add-runtime minirunc=minirunc >"$dk/log" 2>&1 &
    dockerd_pid=$!
    d() { DOCKER_API_VERSION=1.41 DOCKER_CONFIG="$dk/cli" docker -H "unix://$dk/sock" "$@"; }
    for _ in $(seq 1200); do
        d version >/dev/null 2>&1 && break
        kill -0 "$dockerd_pid" 2>/dev/null || break
        sleep 0.1
    done
    d load -q -i "$stage/image.tar" >/dev/null || { cat "$dk/log"; fail "docker load"; }
    image=$(d images -q | head -1)
    out=$(d run --rm --runtime minirunc --network none "$image" sh -c 'echo hello from docker' 2>&1) &&
        rc=0 || rc=$?
    expect_eq "docker run --runtime minirunc (added by name)" "0 hello from docker" "$rc $out"
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
else
    fail "docker.io not installed (scripts/test-package.sh installs it)"
fi

step "apt-get purge"
minirunc list -q >/dev/null  # so that the runtime's seccomp cache may exist
apt purge minirunc && pass "apt-get purge" || { cat "$T/apt.log"; fail "apt-get purge"; }
while read -r p; do [ -e "$p" ] && echo "$p"; done <"$T/paths" >"$T/after"
left=$(comm -13 <(sort "$T/before") <(sort "$T/after"))
expect_eq "nothing of the package left after purge" "" "$left"
status=$(dpkg-query -W -f='${Status}' minirunc 2>/dev/null || true)
case "$status" in
*" installed" | *config-files*) fail "dpkg still has the package: $status" ;;
*) pass "dpkg forgot the package" ;;
esac
[ ! -e /run/minirunc-cache ] && pass "seccomp cache removed" || fail "/run/minirunc-cache left"

rm -rf "$T"
step "done"
finish
