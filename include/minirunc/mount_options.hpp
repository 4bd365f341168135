// Translation of an OCI mount's `options` list into mount(2) flags, data and
// mount_setattr(2) attributes, following runc's libcontainer/specconv.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace minirunc {

namespace spec {
struct Mount;
}

struct MountOptions {
    // MS_* to set, and MS_* an option explicitly turned off ("rw", "suid",
    // "exec", "atime", ...). A later option overrides an earlier one, so a
    // bit is never in both.
    unsigned long flags = 0;
    unsigned long clear_flags = 0;
    // MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, possibly |MS_REC, in the
    // order given; each is applied with its own mount(2) call.
    std::vector<unsigned long> propagation;
    // MOUNT_ATTR_* for the recursive ("rro", "rnosuid", ...) options, ready
    // for mount_setattr(AT_RECURSIVE). Atime choices also put
    // MOUNT_ATTR__ATIME in `recursive_attr_clear`, which the kernel requires.
    uint64_t recursive_attr_set = 0;
    uint64_t recursive_attr_clear = 0;
    // "bind"/"rbind" (also present in `flags` as MS_BIND, MS_BIND|MS_REC).
    bool bind = false;
    bool recursive_bind = false;
    // "tmpcopyup": copy the shadowed directory's content into the new tmpfs.
    bool tmpcopyup = false;
    // "idmap"/"ridmap"; the last one given decides `recursive_idmap`.
    bool idmap = false;
    bool recursive_idmap = false;
    // Mirrors MS_NOSYMFOLLOW in `flags`, for appliers that use mount_setattr
    // (where it is MOUNT_ATTR_NOSYMFOLLOW) instead of a remount.
    bool nosymfollow = false;
    // Every option that is not a known flag, comma-joined in the order given
    // ("mode=755,size=65536k"): filesystem-specific data for mount(2).
    std::string data;
};

// Never throws: an unknown option is filesystem data, as in runc.
// "defaults" is consumed as a no-op (runc passes it on as data, which most
// filesystems then reject with EINVAL).
MountOptions parse_mount_options(const std::vector<std::string>& options);

// True when the mount is a bind mount: type "bind", or "bind"/"rbind" among
// its options (the spec makes the type a no-op then).
bool is_bind_mount(const spec::Mount& mount);

// Every option string parse_mount_options recognises, sorted (for `features`).
const std::vector<std::string>& known_mount_options();

// MS_* flags for linux.rootfsPropagation: "" gives 0 (keep the default),
// "rshared" gives MS_SHARED|MS_REC, ...; anything else throws
// Error("rootfsPropagation=X is not supported").
unsigned long propagation_flags(const std::string& rootfs_propagation);

}  // namespace minirunc
