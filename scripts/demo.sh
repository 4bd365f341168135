#!/usr/bin/env bash
# Fresh machine to running container: installs dependencies, builds, assembles
# the default bundle (busybox rootfs) and runs it with `minirunc run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
bundles/make-rootfs.sh bundles/default/rootfs >/dev/null
cd bundles/default
run=(../../build/bin/minirunc run "demo-$$")
[ "$(id -u)" -eq 0 ] || run=(sudo "${run[@]}")
exec "${run[@]}"
