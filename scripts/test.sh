#!/usr/bin/env bash
# Fresh machine to a full test run: installs dependencies, builds, runs every
# test: unit tests (no root needed), integration tests (root), then the
# real-client lane (containerd, podman, docker from Debian; root) and the
# cgroup v2 / systemd VM lane (QEMU guests; root). Extra arguments go to the
# main ctest run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" -LE 'clients|vm' "$@"
scripts/test-sanitizers.sh  # unit + integration tests under ASan+UBSan (build-sanitize/)
scripts/test-fuzz.sh        # each libFuzzer target for 20 s from the seed corpus (build-fuzz/)
scripts/test-clients.sh
scripts/test-vm.sh
