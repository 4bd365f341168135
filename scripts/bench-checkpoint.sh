#!/bin/sh
# Times checkpoint and restore of the default bundle's config running sleep
# (needs a kernel where `criu check` passes: run it in the VM lane with
# tests/vm/run-in-vm.sh -- scripts/bench-checkpoint.sh RUNTIME...),
# for each runtime given; 5 rounds each, prints every time in ms.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=/tmp/criu-bench; rm -rf $work; mkdir -p $work
python3 - "$repo" "$work" <<'PY'
import json, sys
repo, work = sys.argv[1], sys.argv[2]
c = json.load(open(repo + "/bundles/default/config.json"))
c["root"] = {"path": repo + "/build/test-rootfs", "readonly": True}
c["process"]["args"] = ["sh", "-c", "exec sleep 100000 </dev/null >/dev/null 2>&1"]
json.dump(c, open(work + "/config.json", "w"))
PY
ms() { date +%s%N; }
for rt in "$@"; do
  name=$(basename $rt)
  for i in 1 2 3 4 5; do
    id=bench-$name-$i; img=$work/img-$name-$i
    cd $work
    $rt --root $work/root-$name run -d $id </dev/null >/dev/null 2>&1 || { echo "$name run failed"; continue; }
    sleep 0.3
    t0=$(ms); out=$($rt --root $work/root-$name checkpoint --image-path $img $id 2>&1); rc=$?; t1=$(ms)
    [ $rc -eq 0 ] || { echo "$name checkpoint failed: $out"; $rt --root $work/root-$name delete -f $id; continue; }
    $rt --root $work/root-$name delete -f $id >/dev/null 2>&1
    t2=$(ms); out=$($rt --root $work/root-$name restore -d --image-path $img $id </dev/null 2>&1); rc=$?; t3=$(ms)
    [ $rc -eq 0 ] || echo "$name restore failed: $out"
    echo "$name round $i: checkpoint $(( (t1-t0)/1000000 )) ms, restore $(( (t3-t2)/1000000 )) ms"
    $rt --root $work/root-$name delete -f $id >/dev/null 2>&1
  done
done
