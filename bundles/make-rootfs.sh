#!/bin/sh
# Assemble a minimal container rootfs from Debian's busybox-static.
#
# usage: make-rootfs.sh DEST [--probe PATH]
#
# DEST/bin/busybox plus one symlink per applet in DEST/bin, the usual top-level
# directories, /etc/passwd and /etc/group (root, nobody and probeuser with uid
# 1000 so that tests can tell a name lookup from a numeric uid), and optionally
# the test probe as DEST/bin/probe. probeuser is also a member of probegroup
# (4242), so a runtime that adds supplementary groups from /etc/group shows up in
# tests. Idempotent: running it again only refreshes what changed.
set -eu

usage() {
    echo "usage: $0 DEST [--probe PATH]" >&2
    exit 2
}

dest=""
probe=""
while [ $# -gt 0 ]; do
    case "$1" in
    --probe)
        [ $# -ge 2 ] || usage
        probe="$2"
        shift 2
        ;;
    --probe=*)
        probe="${1#--probe=}"
        shift
        ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
        [ -z "$dest" ] || usage
        dest="$1"
        shift
        ;;
    esac
done
[ -n "$dest" ] || usage

busybox="${BUSYBOX:-/bin/busybox}"
if [ ! -x "$busybox" ]; then
    echo "$0: $busybox not found (apt-get install busybox-static)" >&2
    exit 1
fi
if [ -n "$probe" ] && [ ! -f "$probe" ]; then
    echo "$0: probe $probe not found" >&2
    exit 1
fi

case "$probe" in
"" | /*) ;;
*) probe="$(pwd)/$probe" ;;
esac
case "$busybox" in
/*) ;;
*) busybox="$(pwd)/$busybox" ;;
esac

mkdir -p "$dest"
cd "$dest"
mkdir -p bin proc sys dev tmp etc root home/probeuser mnt opt srv
chmod 1777 tmp
chmod 0700 root

# Copy only when the content differs, so reruns are cheap and keep mtimes.
install_file() { # SRC DST MODE
    if ! cmp -s "$1" "$2" 2>/dev/null; then
        cp -f "$1" "$2.tmp.$$"
        chmod "$3" "$2.tmp.$$"
        mv -f "$2.tmp.$$" "$2"
    fi
}

install_file "$busybox" bin/busybox 0755
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] && continue
    # Relative links keep the rootfs relocatable.
    if [ "$(readlink "bin/$applet" 2>/dev/null || true)" != busybox ]; then
        ln -sfn busybox "bin/$applet"
    fi
done

write_file() { # DST (content on stdin)
    tmp="$1.tmp.$$"
    cat >"$tmp"
    if cmp -s "$tmp" "$1" 2>/dev/null; then
        rm -f "$tmp"
    else
        chmod 0644 "$tmp"
        mv -f "$tmp" "$1"
    fi
}

write_file etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
probeuser:x:1000:1000:probe user:/home/probeuser:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF

write_file etc/group <<'EOF'
root:x:0:
probeuser:x:1000:
probegroup:x:4242:probeuser
nogroup:x:65534:
EOF

write_file etc/hostname <<'EOF'
rootfs
EOF

if [ -n "$probe" ]; then
    install_file "$probe" bin/probe 0755
fi
