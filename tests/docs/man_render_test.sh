#!/bin/bash
# Every generated man page renders with groff's man macros and no warning.
# Usage: man_render_test.sh <man-dir>; exits 77 (skipped) without groff.
set -u
dir=$1
command -v groff >/dev/null || { echo "groff not installed"; exit 77; }
pages=("$dir"/*.8)
[[ -e ${pages[0]} ]] || { echo "no pages in $dir"; exit 1; }
failures=0
for page in "${pages[@]}"; do
    warnings=$(groff -man -ww -z "$page" 2>&1)
    if [[ -n $warnings ]]; then
        echo "FAIL: $page: $warnings"
        failures=$((failures + 1))
    fi
    if command -v man >/dev/null; then
        warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
        if [[ -n $warnings ]]; then
            echo "FAIL: man -l $page: $warnings"
            failures=$((failures + 1))
        fi
    fi
done
((failures == 0)) || exit 1
echo "${#pages[@]} man pages render without warnings"
