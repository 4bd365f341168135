// `--no-pivot`: the rootfs is moved onto "/" and chrooted into, so the rest of
// the mount namespace stays in it, out of sight but not out of the kernel's
// reach. A user namespace may mount a new procfs (or sysfs) only where a fully
// visible one already exists in its mount namespace (mount_too_revealing), and
// the host's /proc would be one: those mounts are hidden first.
#pragma once

#include <string>
#include <vector>

namespace minirunc {

// The mount points of every procfs and sysfs mount that is not the rootfs
// nor under it, from the text of /proc/self/mountinfo, last mounted first
// (submounts before the mounts they sit on). `rootfs` is absolute and clean.
std::vector<std::string> proc_and_sys_mounts_outside(const std::string& mountinfo,
                                                     const std::string& rootfs);

}  // namespace minirunc
