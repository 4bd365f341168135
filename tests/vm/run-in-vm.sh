#!/usr/bin/env bash
# Runs a command as root in a throw-away QEMU guest with a pure cgroup v2
# hierarchy (cgroup_no_v1=all, every controller enabled), and exits with its
# status.
#
#   tests/vm/run-in-vm.sh [--systemd] [--timeout SECONDS] [--share DIR]... -- COMMAND [ARGS...]
#
# The guest boots Debian's kernel from /boot (linux-image-amd64) with software
# emulation (TCG) and a small cached busybox initramfs. Its root is the host's
# / shared read-only over virtio-9p with a RAM overlay on top (writes are
# lost at power-off); /run and /tmp are its own tmpfs; each --share DIR is
# mounted writable at the same path (the checkout and the cwd too when they
# are under /tmp or /run). The command runs with the caller's cwd
# and environment; its stdout and stderr come back on ours (the guest's
# console goes to a log, shown only when the guest fails). A small scratch
# virtio disk (/dev/vda) is attached for io limits.
#
# --systemd: the guest's PID 1 is systemd (the host's package) with dbus on
# the system bus; the command runs as the unit minirunc-vm.service once the
# basic system is up (udev masked). Without it, PID 1 is a script that
# mounts cgroup2 at /sys/fs/cgroup and enables every controller in
# cgroup.subtree_control.
#
# Exit status: the command's; 125 when the guest failed to boot or run it or
# timed out (default timeout 900 s, the reason on stderr); 77 when it cannot
# run here (not root, no kernel or qemu).
#
# Debugging: MINIRUNC_VM_KEEP=1 keeps the control dir (console.log, output),
# MINIRUNC_VM_APPEND adds kernel arguments, MINIRUNC_VM_LOGLEVEL the console's
# loglevel, MINIRUNC_VM_VERBOSE=1 prints the time taken.
set -euo pipefail

usage() {
    echo "usage: $0 [--systemd] [--timeout SECONDS] [--share DIR]... -- COMMAND [ARGS...]" >&2
    exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=plain
timeout=900
shares=()
while [ $# -gt 0 ]; do
    case "$1" in
        --systemd) mode=systemd ;;
        --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift ;;
        --share) [ $# -ge 2 ] || usage; shares+=("$(realpath -e "$2")"); shift ;;
        --) shift; break ;;
        *) usage ;;
    esac
    shift
done
[ $# -gt 0 ] || usage
# The guest has its own /tmp and /run: a checkout or cwd there (a CI
# workspace, say) is shared so the guest sees it at the same path.
for dir in "$repo" "$PWD"; do
    case "$dir/" in /tmp/* | /run/*) ;; *) continue ;; esac
    covered=no
    for shared in ${shares[@]+"${shares[@]}"}; do
        case "$dir/" in "$shared"/*) covered=yes ;; esac
    done
    [ "$covered" = yes ] || shares+=("$dir")
done

skip() {
    echo "run-in-vm: cannot run a guest here: $*" >&2
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root"
pkgs=(qemu-system-x86 linux-image-amd64 busybox-static kmod cpio)
[ "$mode" = plain ] || pkgs+=(systemd dbus)
"$repo/scripts/install-deps.sh" "${pkgs[@]}" >&2 || skip "installing ${pkgs[*]} failed"
qemu=$(command -v qemu-system-x86_64) || skip "no qemu-system-x86_64"

# The newest Debian kernel in /boot whose modules are installed.
kver=""
for k in $(printf '%s\n' /boot/vmlinuz-* | sort -V -r); do
    v=${k#/boot/vmlinuz-}
    [ -f "$k" ] || continue
    if [ -d "/lib/modules/$v/kernel" ]; then kver=$v; break; fi
done
[ -n "$kver" ] || skip "no kernel in /boot with modules in /lib/modules"

# The initramfs, cached per kernel and version of the guest scripts.
cache=/var/tmp/minirunc-vm
mkdir -p "$cache"
key=$(cat "$here/initramfs-init.sh" "$0" | sha256sum | cut -c1-16)
initrd="$cache/initrd-$kver-$key.cpio.gz"
if [ ! -f "$initrd" ]; then
    stage=$(mktemp -d "$cache/stage.XXXXXX")
    mkdir -p "$stage"/{bin,modules,proc,sys,dev}
    cp /bin/busybox "$stage/bin/busybox"
    cp "$here/initramfs-init.sh" "$stage/init"
    # Each module after its dependencies, once.
    for m in $(modprobe -S "$kver" --show-depends -a virtio_pci 9pnet_virtio 9p overlay |
        awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++'); do
        cp "$m" "$stage/modules/"
        basename "$m" >>"$stage/modules/order"
    done
    (cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$stage.cpio.gz"
    # Those of older versions of the scripts.
    find "$cache" -maxdepth 1 -name "initrd-*" ! -name "${initrd##*/}" -delete
    mv "$stage.cpio.gz" "$initrd"
    rm -rf "$stage"
fi

# The control dir shared with the guest: the command, its output and status.
ctl=$(mktemp -d "$cache/run.XXXXXX")
qpid=""
# shellcheck disable=SC2317  # run by the trap
cleanup() {
    if [ -n "$qpid" ]; then { kill -KILL "$qpid" && wait "$qpid"; } 2>/dev/null || true; fi
    if [ -n "${MINIRUNC_VM_KEEP:-}" ]; then echo "run-in-vm: kept $ctl" >&2; else rm -rf "$ctl"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cp "$here/guest-run.sh" "$here/minirunc-vm.target" "$here/minirunc-vm.service" "$ctl/"
: >"$ctl/shares"
for dir in ${shares[@]+"${shares[@]}"}; do echo "$dir" >>"$ctl/shares"; done
{
    echo "cd $(printf '%q' "$PWD") || exit 125"
    # The caller's environment but for what names host-only things.
    export -p | grep -Ev '^declare -x (BASH_[A-Z_]*|SHLVL|OLDPWD|PWD|SSH_[A-Z_]*|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR|DISPLAY|WAYLAND_DISPLAY|INVOCATION_ID|NOTIFY_SOCKET|LISTEN_[A-Z]*)='
    printf 'exec'
    printf ' %q' "$@"
    echo
} >"$ctl/cmd.sh"
: >"$ctl/stdout"
: >"$ctl/stderr"
truncate -s 64M "$ctl/scratch.img"

# mitigations=off: no page-table isolation, whose TLB flushes on every
# syscall are slow under TCG (a throw-away test guest).
# cryptomgr.notests: the kernel's crypto self-tests at boot were seen to hold a
# guest in a soft lockup for the whole timeout under software emulation on a
# busy host; they test the kernel, not minirunc.
append="console=ttyS0 panic=-1 loglevel=${MINIRUNC_VM_LOGLEVEL:-4} mitigations=off apparmor=0 cryptomgr.notests cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 vm.mode=$mode"
if [ "$mode" = systemd ]; then
    append+=" systemd.unit=minirunc-vm.target systemd.show_status=error"
    # No udev: its coldplug is most of a boot under TCG and holds up the
    # power-off; guest-run.sh loads the few modules the tests need.
    for unit in systemd-udevd.service systemd-udev-trigger.service systemd-udev-settle.service \
        systemd-udevd-control.socket systemd-udevd-kernel.socket; do
        append+=" systemd.mask=$unit"
    done
fi
append+=" ${MINIRUNC_VM_APPEND:-}"  # debugging: e.g. systemd.log_level=debug
p9="security_model=passthrough,multidevs=remap"
# shellcheck disable=SC2054  # commas inside qemu's option values
args=(-accel tcg -cpu max -smp 2 -m 2560 -nodefaults -display none -no-reboot
    -kernel "/boot/vmlinuz-$kver" -initrd "$initrd" -append "$append"
    -serial "file:$ctl/console.log"
    -fsdev "local,id=root,path=/,readonly=on,$p9" -device virtio-9p-pci,fsdev=root,mount_tag=hostroot
    -fsdev "local,id=ctl,path=$ctl,$p9" -device virtio-9p-pci,fsdev=ctl,mount_tag=vmctl
    -drive "if=none,id=scratch,file=$ctl/scratch.img,format=raw" -device virtio-blk-pci,drive=scratch
    -device virtio-rng-pci)
for i in "${!shares[@]}"; do
    args+=(-fsdev "local,id=share$i,path=${shares[$i]},$p9"
        -device "virtio-9p-pci,fsdev=share$i,mount_tag=share$i")
done

start=$SECONDS
"$qemu" "${args[@]}" </dev/null >"$ctl/qemu.log" 2>&1 &
qpid=$!
# The command's output as it comes; each tail ends with qemu.
tail -c +1 -s 0.1 -f --pid="$qpid" "$ctl/stdout" &
out_pid=$!
tail -c +1 -s 0.1 -f --pid="$qpid" "$ctl/stderr" >&2 &
err_pid=$!
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
        timed_out=1
        kill -KILL "$qpid" 2>/dev/null || true
        break
    fi
    sleep 0.2
done
{ wait "$qpid"; } 2>/dev/null || true  # without bash's "Killed" notice
qpid=""
wait "$out_pid" "$err_pid" 2>/dev/null || true

fail() {
    echo "run-in-vm: $* (after $((SECONDS - start)) s); the end of the guest's console:" >&2
    tail -n "${MINIRUNC_VM_CONSOLE_LINES:-60}" "$ctl/console.log" >&2 2>/dev/null || true
    cat "$ctl/qemu.log" >&2 2>/dev/null || true
    exit 125
}
[ "$timed_out" -eq 0 ] || fail "timed out, guest killed"
[ -s "$ctl/status" ] || fail "the guest did not run the command"
[ -n "${MINIRUNC_VM_VERBOSE:-}" ] && echo "run-in-vm: $mode guest took $((SECONDS - start)) s" >&2
exit "$(cat "$ctl/status")"
