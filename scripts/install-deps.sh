#!/usr/bin/env bash
# Installs the Debian packages minirunc needs to build and test (idempotent:
# apt only runs when something is missing). --build-only: only what building
# the runtime needs. Further arguments: more packages.
set -euo pipefail
# What building the runtime, its init and helpers needs (scripts/demo.sh installs
# only these, with --build-only: a first container sooner on a new machine).
build_packages=(build-essential cmake g++ git nlohmann-json3-dev libseccomp-dev libcap-dev
                busybox-static   # the default bundle's rootfs
                libsystemd-dev pkgconf   # sd-bus for the systemd cgroup driver (--systemd-cgroup)
                libmnl-dev   # netlink messages for linux.netDevices (the minirunc-netdev helper)
                protobuf-c-compiler libprotobuf-c-dev golang-github-checkpoint-restore-go-criu-dev)
                # ^ checkpoint/restore: CRIU's RPC (rpc.proto, protoc-c)
# What the tests need besides.
test_packages=(googletest libgtest-dev iproute2 procps util-linux
               uidmap   # uidmap: newuidmap/newgidmap for rootless containers with several mappings
               ccache   # the package build (another prefix) reuses the main build's objects
               criu     # checkpoint/restore in the VM lane
               lld)     # lld: lays out the runtime's functions by use (src/runtime/symbol-order.txt)
packages=("${build_packages[@]}" "${test_packages[@]}")
if [ "${1:-}" = --build-only ]; then
    shift
    packages=("${build_packages[@]}")
fi
missing=()
for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
