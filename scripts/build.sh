#!/usr/bin/env bash
# Configures and builds minirunc (and its tests) into ./build; with target
# names, builds only those (scripts/demo.sh builds the runtime and its init).
# ccache, when installed (scripts/install-deps.sh installs it), lets the
# package build (scripts/package.sh, another prefix) reuse these objects.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null &&
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -DCMAKE_BUILD_TYPE=MinSizeRel "${launcher[@]}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
