#!/usr/bin/env bash
# Fresh machine to running container: installs dependencies, builds, assembles
# the default bundle (busybox rootfs) and runs it with `minirunc run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build-only
# Only what the demo runs: the runtime and its init (the test binaries are
# most of a full build; scripts/test.sh builds them in the same directory).
scripts/build.sh minirunc minirunc-init
bundles/make-rootfs.sh bundles/default/rootfs >/dev/null
cd bundles/default
run=(../../build/bin/minirunc run "demo-$$")
[ "$(id -u)" -eq 0 ] || run=(sudo "${run[@]}")
exec "${run[@]}"
