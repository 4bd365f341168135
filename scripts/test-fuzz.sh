#!/usr/bin/env bash
# The fuzz smoke run of scripts/test.sh: installs clang-14 and its libFuzzer
# runtime, builds only the libFuzzer targets of tests/fuzz in build-fuzz/
# (MINIRUNC_FUZZ=ON, dynamic link) and runs each for MINIRUNC_FUZZ_SECONDS
# (default 20) from the seed corpus (tests/fuzz/run.sh). A crash fails it;
# its input is left in /tmp/minirunc-fuzz.*/ to become a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang-14 libclang-rt-14-dev
BUILD=${MINIRUNC_FUZZ_BUILD:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -DMINIRUNC_FUZZ=ON -DMINIRUNC_STATIC=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target fuzz_targets
tests/fuzz/run.sh "$BUILD/bin" "${MINIRUNC_FUZZ_SECONDS:-20}"
