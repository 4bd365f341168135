#!/usr/bin/env bash
# Installs the Debian packages minirunc needs to build and test (idempotent:
# apt only runs when something is missing).
set -euo pipefail
packages=(build-essential cmake g++ git nlohmann-json3-dev libseccomp-dev libcap-dev
          googletest libgtest-dev busybox-static iproute2 procps util-linux
          uidmap   # uidmap: newuidmap/newgidmap for rootless containers with several mappings
          libsystemd-dev pkgconf   # sd-bus for the systemd cgroup driver (--systemd-cgroup)
          libmnl-dev   # netlink messages for linux.netDevices (the minirunc-netdev helper)
          ccache   # the package build (another prefix) reuses the main build's objects
          protobuf-c-compiler libprotobuf-c-dev golang-github-checkpoint-restore-go-criu-dev
          criu   # checkpoint/restore: CRIU's RPC (rpc.proto, protoc-c), and criu for the VM lane
          lld)  # lld: lays out the runtime's functions by use (src/runtime/symbol-order.txt)
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
