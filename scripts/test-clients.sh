#!/usr/bin/env bash
# The real-client lane: installs containerd, podman (+ conmon) and docker.io
# from Debian on top of the build dependencies, builds, and runs the
# `clients` ctest label (tests/clients/*.sh, root needed). The packaged
# daemons are not left running: on a host with systemd the services the
# packages enable are stopped and disabled again (the tests start private
# daemons of their own). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
client_packages=(containerd podman conmon docker.io)
new=()
for p in "${client_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || new+=("$p")
done
scripts/install-deps.sh "${client_packages[@]}"
# Stop and disable only the services of packages this run installed.
services=()
for p in "${new[@]}"; do
    case "$p" in
    containerd) services+=(containerd.service) ;;
    docker.io) services+=(docker.socket docker.service) ;;
    esac
done
if [ ${#services[@]} -gt 0 ] && [ -d /run/systemd/system ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd systemctl disable --now "${services[@]}" 2>/dev/null || true
fi
scripts/build.sh
ctest --test-dir build --output-on-failure -L clients "$@"
