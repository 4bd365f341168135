#!/bin/bash
# Runs inside the guest of tests/vm/run-in-vm.sh: in the plain variant it is
# PID 1 and first mounts the API filesystems and a cgroup2 hierarchy with
# every controller enabled; in the systemd variant (--systemd) it is the
# minirunc-vm.service unit. Then it runs the caller's command (cmd.sh in the
# control dir) with its output in the control dir, records the exit status
# and powers the guest off.
set -uo pipefail
ctl=/run/minirunc-vm
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "${1:-}" != --systemd ]; then
    mount -t proc -o nosuid,nodev,noexec proc /proc
    mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
    mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate cgroup2 /sys/fs/cgroup
    read -ra controllers </sys/fs/cgroup/cgroup.controllers
    for c in "${controllers[@]}"; do echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control; done
    mkdir -p /dev/pts /dev/shm /dev/mqueue
    mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
    ln -sf pts/ptmx /dev/ptmx
    mount -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
    mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue
    mount -t bpf -o nosuid,nodev,noexec bpf /sys/fs/bpf 2>/dev/null
    mount -t debugfs -o nosuid,nodev,noexec debugfs /sys/kernel/debug 2>/dev/null
    ln -sf /proc/self/fd /dev/fd
    ln -sf /proc/self/fd/0 /dev/stdin
    ln -sf /proc/self/fd/1 /dev/stdout
    ln -sf /proc/self/fd/2 /dev/stderr
    hostname minirunc-vm
    ip link set lo up
fi
# Without udev in either variant: /dev/fuse, the scratch disk, loop devices.
for m in fuse virtio_blk loop; do modprobe "$m"; done

status=0
bash "$ctl/cmd.sh" >>"$ctl/stdout" 2>>"$ctl/stderr" </dev/null || status=$?
echo "$status" >"$ctl/status"
sync

# systemd powers off when this unit ends (SuccessAction=).
[ "${1:-}" = --systemd ] && exit 0
exec /bin/busybox poweroff -f
