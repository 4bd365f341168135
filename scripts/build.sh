#!/usr/bin/env bash
# Configures and builds minirunc (and its tests) into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build build -j"$(nproc)"
