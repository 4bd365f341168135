#!/usr/bin/env bash
# Fresh machine to a full test run: installs dependencies, builds, runs every
# test: unit tests (no root needed), integration tests (root), then the
# real-client lane (containerd, podman, docker from Debian; root). Extra
# arguments go to the main ctest run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" -LE clients "$@"
scripts/test-clients.sh
