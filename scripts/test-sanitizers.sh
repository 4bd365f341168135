#!/bin/sh
# Builds minirunc, minirunc-init and the tests with ASan + UBSan (MINIRUNC_SANITIZE=ON,
# dynamic link) in build-sanitize/ and runs ctest there; extra arguments go to ctest
# (e.g. -L unit). Not part of scripts/test.sh: a second full build on 2 cores.
set -eu
cd "$(dirname "$0")/.."
BUILD=${MINIRUNC_SANITIZE_BUILD:-build-sanitize}
cmake -S . -B "$BUILD" -DMINIRUNC_SANITIZE=ON -DMINIRUNC_STATIC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$BUILD" -j"$(nproc)" --output-on-failure "$@"
