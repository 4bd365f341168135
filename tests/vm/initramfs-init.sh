#!/bin/busybox sh
# shellcheck shell=dash
# /init of the guest's initramfs (tests/vm/run-in-vm.sh builds it): loads the
# 9p/virtio/overlay modules, makes the root a RAM overlay over the host's /
# (shared read-only over virtio-9p), mounts the control dir and the shared
# dirs, then hands over to guest-run.sh (plain) or systemd (vm.mode=systemd).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
    echo "minirunc-vm: $*" >/dev/console
    echo o >/proc/sysrq-trigger
    sleep 10
}

while read -r m; do insmod "/modules/$m" || fail "insmod $m"; done </modules/order

mode=plain
read -r cmdline </proc/cmdline
for arg in $cmdline; do
    case "$arg" in vm.mode=*) mode=${arg#vm.mode=} ;; esac
done

p9="trans=virtio,version=9p2000.L,msize=262144"
mkdir -p /lower /rw /newroot
# The virtio devices appear asynchronously after the modules load.
tries=0
until mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || fail "mounting the host's root"
    sleep 0.05
done
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
    fail "mounting the root overlay"

# The guest's own /run and /tmp; the control dir in /run.
mount -t tmpfs -o mode=0755,nosuid,nodev run /newroot/run
mount -t tmpfs -o mode=1777,nosuid,nodev tmp /newroot/tmp
ctl=/newroot/run/minirunc-vm
mkdir -p "$ctl"
mount -t 9p -o "$p9" vmctl "$ctl" || fail "mounting the control dir"

# --share dirs, writable, at the host's path: share0, share1... in the order
# of $ctl/shares.
i=0
while IFS= read -r dir; do
    mkdir -p "/newroot$dir"
    mount -t 9p -o "$p9" "share$i" "/newroot$dir" || fail "mounting $dir"
    i=$((i + 1))
done <"$ctl/shares"

# A VM is no container: hide the host's marker so systemd boots everything.
rm -f /newroot/.dockerenv /newroot/run/.containerenv

if [ "$mode" = systemd ]; then
    mkdir -p /newroot/etc/systemd/system
    cp "$ctl/minirunc-vm.target" "$ctl/minirunc-vm.service" /newroot/etc/systemd/system/
fi

umount /proc /sys
mount --move /dev /newroot/dev
if [ "$mode" = systemd ]; then
    exec switch_root /newroot /lib/systemd/systemd
fi
exec switch_root /newroot /bin/bash /run/minirunc-vm/guest-run.sh
