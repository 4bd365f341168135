#!/usr/bin/env bash
# The ASan+UBSan lane of scripts/test.sh: builds minirunc, its init and helpers
# and the unit tests with -DMINIRUNC_SANITIZE=ON (dynamic link) in
# build-sanitize/ and runs the unit tests there; then the integration suite of
# the plain build (build/) runs as root against that sanitized runtime
# (MINIRUNC_BIN). Extra arguments go to both ctest runs (e.g. -R Lifecycle).
#
# Every sanitizer report fails the run, also one from a process whose failure
# a test expects or ignores (a create meant to fail, delete --force): reports
# go to files under $REPORTS (log_path), checked at the end, and the process
# aborts (abort_on_error), so a report never passes as an ordinary exit 1.
# LeakSanitizer checks the runtime and the tests. The init starts with an
# empty environment and sets its own options (init/sanitizer_options.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MINIRUNC_SANITIZE_BUILD:-build-sanitize}
# -O0 -g1: the build is most of this lane's time and -O0 compiles fastest;
# line numbers stay in the reports.
cmake -S . -B "$BUILD" -DMINIRUNC_SANITIZE=ON -DMINIRUNC_STATIC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O0 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
scripts/build.sh integration_tests

REPORTS=$(mktemp -d /tmp/minirunc-sanitizers.XXXXXX)
chmod 1777 "$REPORTS"  # rootless tests run the runtime as another user
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:log_path=$REPORTS/asan}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$REPORTS/ubsan}
export MINIRUNC_TEST_SANITIZED=1  # tests of memory footprints skip (shadow memory)
status=0
ctest --test-dir "$BUILD" -j"$(nproc)" --output-on-failure -L unit "$@" || status=$?
MINIRUNC_BIN=$PWD/$BUILD/bin/minirunc \
    ctest --test-dir build -j"$(nproc)" --output-on-failure -L integration "$@" || status=$?
if [ -n "$(ls -A "$REPORTS")" ]; then
    echo "sanitizer reports:" >&2
    for report in "$REPORTS"/*; do
        echo "== $report" >&2
        cat "$report" >&2
    done
    status=1
else
    rm -rf "$REPORTS"
fi
exit "$status"
