#!/usr/bin/env bash
# Installs the real clients from Debian (containerd, podman + conmon, docker.io)
# on top of the build dependencies, plus any packages named as arguments. The
# packaged daemons are not left running: on a host with systemd the services
# the packages enable are stopped and disabled again (the client and package
# lanes start private daemons of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
client_packages=(containerd podman conmon docker.io)
new=()
for p in "${client_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || new+=("$p")
done
scripts/install-deps.sh "${client_packages[@]}" "$@"
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
