// The container's mounts as steps for the new mount API (fsopen/fsmount,
// open_tree, mount_setattr, move_mount): pure translation of config.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

enum class MountKind { Filesystem, Bind, Cgroup };

struct MountStep {
    MountKind kind = MountKind::Filesystem;
    std::string destination;  // clean, absolute, inside the container
    std::string source;       // bind: absolute host path; filesystem: the "source" parameter
    std::string fstype;
    std::vector<std::string> fs_params;  // "key" or "key=value", for fsconfig
    std::vector<std::string> sb_flags;   // superblock flags for fsconfig: "sync", "dirsync", ...
    uint64_t attr_set = 0;               // MOUNT_ATTR_* on the top mount
    uint64_t attr_clear = 0;
    uint64_t recursive_attr_set = 0;  // MOUNT_ATTR_* on the whole tree
    uint64_t recursive_attr_clear = 0;
    std::vector<unsigned long> propagation;
    bool recursive_bind = false;
    bool tmpcopyup = false;
    bool idmap = false;
    bool recursive_idmap = false;
    bool no_symlink_destination = false;  // proc and sysfs must not land on a symlink
    // A read-only mount that other mounts (or /dev's nodes) land under: made
    // without MOUNT_ATTR_RDONLY, which the init sets once they are in place.
    bool readonly_after_submounts = false;
    std::vector<spec::IdMapping> uid_mappings;
    std::vector<spec::IdMapping> gid_mappings;
};

// MS_* mount(2) flags as MOUNT_ATTR_* bits; `clear` gets the atime mask when
// an atime mode is chosen, as mount_setattr requires.
void ms_flags_to_attrs(unsigned long ms_flags, uint64_t& set, uint64_t& clear);

std::vector<MountStep> plan_mounts(const std::vector<spec::Mount>& mounts,
                                   const std::string& bundle);

}  // namespace minirunc
