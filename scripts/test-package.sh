#!/usr/bin/env bash
# The package lane: builds the Debian package (scripts/package.sh), then, in
# one throw-away QEMU guest of the VM lane (tests/vm/run-in-vm.sh: the host's
# / read-only under a RAM overlay, so nothing is installed on the host),
# installs it with apt-get, runs the default bundle, podman, containerd and
# docker with the runtime by name, renders every man page and purges it, checking that
# nothing is left (tests/package/in-guest.sh). Root; without root or a guest
# to boot it says SKIPPED and passes, as ctest's skipped tests do. Prints the
# package's Installed-Size and the time taken.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/clients/lib.sh
. tests/clients/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "SKIPPED: the package lane needs root"; exit 0; }
start=$SECONDS
deb=$(scripts/package.sh | tail -1)
echo "package: $deb, Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB," \
    "built in $((SECONDS - start)) s"
# man and groff render the pages; podman, containerd and docker run the
# package's runtime by name.
scripts/install-clients.sh man-db groff-base busybox-static

# What the guest would take minutes to assemble under TCG, made here: the
# default bundle with its rootfs and the clients lane's image. On the host's
# disk, so the guest sees it through its root.
stage=$(mktemp -d /var/tmp/minirunc-package.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cp -r bundles/default "$stage/bundle"
rm -rf "$stage/bundle/rootfs"
bundles/make-rootfs.sh "$stage/bundle/rootfs" >/dev/null
build_image_tar "$stage/image.tar" localhost/minirunc/busybox:test

guest=$SECONDS
status=0
tests/vm/run-in-vm.sh --timeout 900 -- tests/package/in-guest.sh "$PWD/$deb" "$stage" || status=$?
echo "package lane: guest $((SECONDS - guest)) s, all $((SECONDS - start)) s"
if [ "$status" -eq 77 ]; then
    echo "SKIPPED: no guest can boot here (see run-in-vm.sh's message above)"
    exit 0
fi
exit "$status"
