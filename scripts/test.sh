#!/usr/bin/env bash
# Fresh machine to a full test run: installs dependencies, builds, runs every
# test (unit tests without root; integration tests need root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
