#!/usr/bin/env bash
# The real-client lane: installs containerd, podman (+ conmon) and docker.io
# from Debian (scripts/install-clients.sh: their packaged daemons are not left
# running), builds, and runs the `clients` ctest label (tests/clients/*.sh,
# root needed). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-clients.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -L clients "$@"
