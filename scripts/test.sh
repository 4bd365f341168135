#!/usr/bin/env bash
# Fresh machine to a full test run: installs dependencies, builds, runs every
# lane: unit and integration tests (root), the ASan+UBSan lane, the fuzz
# smoke run, the package lane (the .deb in a QEMU guest; root), the
# real-client lane (containerd, podman, docker from Debian; root) and the
# cgroup v2 / systemd VM lane (QEMU guests; root). Every lane
# runs even when an earlier one failed, so that one slip does not hide the
# rest; a verdict per lane is printed at the end and the exit status is
# non-zero when any lane failed. Extra arguments go to the main ctest run.
set -uo pipefail
cd "$(dirname "$0")/.."

verdicts=()
failed=0
# lane NAME COMMAND...: runs one lane, records "PASS/FAIL NAME (time)".
lane() {
    local name=$1
    shift
    local start=$SECONDS
    echo "=== lane: $name"
    if "$@"; then
        verdicts+=("PASS  $name ($((SECONDS - start)) s)")
    else
        verdicts+=("FAIL  $name ($((SECONDS - start)) s, exit $?)")
        failed=1
    fi
}

lane setup scripts/install-deps.sh
lane build scripts/build.sh
if [ "$failed" -eq 0 ]; then
    lane unit+integration ctest --test-dir build --output-on-failure -j"$(nproc)" -LE 'clients|vm' "$@"
else
    verdicts+=("FAIL  unit+integration (not run: no build)")
fi
lane sanitizers scripts/test-sanitizers.sh  # unit + integration under ASan+UBSan (build-sanitize/)
lane fuzz scripts/test-fuzz.sh              # each libFuzzer target for 20 s (build-fuzz/)
lane package scripts/test-package.sh        # the .deb installed, used by name and purged in a QEMU guest
lane clients scripts/test-clients.sh        # containerd, podman, docker driving minirunc
lane vm scripts/test-vm.sh                  # cgroup v2 and systemd QEMU guests

echo
echo "=== verdicts"
printf '%s\n' "${verdicts[@]}"
exit "$failed"
