# shellcheck shell=bash
# Shared helpers of the real-client tests (sourced, bash).
#
# Each test runs everything in a private temp dir ($T), records the pids it
# starts and tears them down by pid on exit; helpers here build the busybox
# image and check results.

CLIENTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CLIENTS_DIR/../.." && pwd)"

fails=0
passes=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }
skip() { echo "SKIP: $*"; exit 77; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
    case "$3" in
    *"$2"*) pass "$1" ;;
    *) fail "$1: expected to contain [$2], got [$3]" ;;
    esac
}

# Resolves the runtime under test: $1 (from ctest), or MINIRUNC_BIN (a path or a
# name in PATH, e.g. MINIRUNC_BIN=runc), or the build tree's minirunc.
resolve_runtime() {
    local r="${MINIRUNC_BIN:-${1:-$REPO_DIR/build/bin/minirunc}}"
    if [ "${r#/}" = "$r" ]; then
        case "$r" in
        */*) r="$(cd "$(dirname "$r")" && pwd)/$(basename "$r")" ;;
        *) r="$(command -v "$r" || true)" ;;
        esac
    fi
    [ -n "$r" ] && [ -x "$r" ] || { echo "runtime not found: ${MINIRUNC_BIN:-${1:-}}" >&2; exit 1; }
    echo "$r"
}

# Pids of processes whose command line contains $1 (our unique temp path).
pids_mentioning() {
    local p cmd
    for p in /proc/[0-9]*; do
        cmd="$( { tr "\\0" " " <"$p/cmdline"; } 2>/dev/null)" || continue
        case "$cmd" in *"$1"*) echo "${p#/proc/}" ;; esac
    done
}

# kill_pids SIG PID...: signal, then wait up to 10 s for them to go.
kill_pids() {
    local sig="$1"; shift
    [ $# -gt 0 ] || return 0
    kill "-$sig" "$@" 2>/dev/null || true
    local p alive
    for _ in $(seq 100); do
        alive=""
        for p in "$@"; do [ -d "/proc/$p" ] && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
}

# Unmounts everything mounted below $1 (deepest first).
umount_below() {
    local m
    awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
        sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# require_overlay DIR: skips (exit 77) unless an overlay filesystem can be
# mounted with its layers in DIR, as the clients' storage drivers do (docker's
# overlay2, podman's overlay, containerd's overlayfs snapshotter): a kernel
# without overlay, or DIR on a filesystem overlay cannot stack on (overlayfs
# itself, NFS), says why here rather than as a daemon failing later.
require_overlay() {
    local o="$1/overlay-check" err
    mkdir -p "$o/lower" "$o/upper" "$o/work" "$o/merged"
    if err="$(mount -t overlay overlay -o "lowerdir=$o/lower,upperdir=$o/upper,workdir=$o/work" \
        "$o/merged" 2>&1)"; then
        umount "$o/merged"
        rm -rf "$o"
    else
        rm -rf "$o"
        skip "cannot mount overlay in $1 (the storage driver): ${err%%$'\n'*}"
    fi
}

# Removes the cgroup $1 (a path relative to each hierarchy's root) in every
# hierarchy, children first.
remove_cgroup() {
    local rel="$1" h
    [ -n "$rel" ] || return 0
    for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
        [ -d "$h$rel" ] || continue
        find "$h$rel" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
}

# build_image_layout DIR NAME: an OCI image layout in DIR with one layer made
# from bundles/make-rootfs.sh (Debian's busybox-static), image name NAME.
build_image_layout() {
    local dir="$1" name="$2" rootfs="$1.rootfs"
    mkdir -p "$dir/blobs/sha256" "$rootfs"
    "$REPO_DIR/bundles/make-rootfs.sh" "$rootfs" >/dev/null
    tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$rootfs" -cf "$dir/layer.tar" .
    local layer_sha layer_size diff_id arch
    arch="$(dpkg --print-architecture)"
    layer_sha="$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)"
    layer_size="$(stat -c %s "$dir/layer.tar")"
    mv "$dir/layer.tar" "$dir/blobs/sha256/$layer_sha"
    diff_id="$layer_sha"
    local config="{\"architecture\":\"$arch\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"/bin/sh\"],\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$diff_id\"]},\"history\":[{\"created_by\":\"minirunc tests/clients\"}]}"
    local config_sha config_size
    config_sha="$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)"
    config_size="$(printf '%s' "$config" | wc -c)"
    printf '%s' "$config" >"$dir/blobs/sha256/$config_sha"
    local manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_sha\",\"size\":$config_size},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_sha\",\"size\":$layer_size}]}"
    local manifest_sha manifest_size
    manifest_sha="$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)"
    manifest_size="$(printf '%s' "$manifest" | wc -c)"
    printf '%s' "$manifest" >"$dir/blobs/sha256/$manifest_sha"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
    # Also a docker-archive manifest (docker 20.10 cannot load OCI layouts): the
    # same tar then loads in docker, podman and containerd.
    printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":["blobs/sha256/%s"]}]' \
        "$config_sha" "${name#docker.io/}" "$layer_sha" >"$dir/manifest.json"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
        "$manifest_sha" "$manifest_size" "$arch" "$name" "${name##*:}" >"$dir/index.json"
    rm -rf "$rootfs"
}

# build_image_tar TARBALL NAME: the layout of build_image_layout as a tar (an
# oci-archive that is also a docker-archive).
build_image_tar() {
    local layout="$1.layout"
    build_image_layout "$layout" "$2"
    tar -C "$layout" -cf "$1" oci-layout index.json manifest.json blobs
    rm -rf "$layout"
}

finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}
