#!/usr/bin/env bash
# The cgroup v2 / systemd VM lane: builds, then runs the `vm` ctest label,
# integration tests inside throw-away QEMU guests with cgroup v2 only (one
# with systemd as PID 1) booted by tests/vm/run-in-vm.sh, which installs
# qemu and Debian's kernel on first use (root; skipped otherwise). Extra
# arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -L vm "$@"
