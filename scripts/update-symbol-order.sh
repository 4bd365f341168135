#!/usr/bin/env bash
# Regenerates src/runtime/symbol-order.txt, the order in which lld lays out
# the static runtime's functions (see CMakeLists.txt): each common command is
# run once under tests/bench/steptrace.c, and the functions they executed are
# listed, those every command needs first. Run as root after changes to the
# command paths; takes several minutes (single-stepping). A stale list only
# costs memory, never correctness: unlisted functions follow the listed ones.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build}
runtime=$build/bin/minirunc
[ -x "$runtime" ] || { echo "build first: $runtime is missing" >&2; exit 1; }
work=$(mktemp -d /tmp/minirunc-order.XXXXXX)
root=$work/state
id=minirunc-order-$$
cleanup() {
    "$runtime" --root "$root" delete --force "$id-c" >/dev/null 2>&1 || true
    "$runtime" --root "$root" delete --force "$id-r" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -o "$work/steptrace" "$src/tests/bench/steptrace.c"
"$src/bundles/make-rootfs.sh" "$work/bundle/rootfs" >/dev/null
python3 - "$src/bundles/default/config.json" "$work/bundle/config.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["process"]["terminal"] = False
cfg["process"]["args"] = ["sleep", "100000"]
json.dump(cfg, open(sys.argv[2], "w"))
PY
sed 's/"sleep", *"100000"/"true"/' "$work/bundle/config.json" > "$work/true.json"
mkdir -p "$work/true" && mv "$work/true.json" "$work/true/config.json"
ln -s "$work/bundle/rootfs" "$work/true/rootfs"

trace() {  # trace NAME ARG...: one command of the runtime, single-stepped
    local name=$1
    shift
    echo "tracing: minirunc $*" >&2
    "$work/steptrace" "$work/$name.trace" "$runtime" --root "$root" "$@" </dev/null >/dev/null 2>&1
}
trace version --version
trace create create --bundle "$work/bundle" "$id-c"
trace state state "$id-c"
trace start start "$id-c"
trace list list
trace exec exec "$id-c" true
trace kill kill "$id-c" KILL
for _ in $(seq 100); do
    "$runtime" --root "$root" state "$id-c" 2>/dev/null | grep -q '"stopped"' && break
    sleep 0.05
done
trace delete delete "$id-c"
trace run run --bundle "$work/true" "$id-r"
python3 "$src/tests/bench/symbol_order.py" "$runtime" "$work"/*.trace > "$src/src/runtime/symbol-order.txt"
echo "wrote src/runtime/symbol-order.txt ($(wc -l < "$src/src/runtime/symbol-order.txt") functions)" >&2
