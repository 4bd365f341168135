// What checkpoint and restore share around CRIU.
#pragma once

#include <string>
#include <vector>

#include "minirunc/bootstrap.hpp"
#include "minirunc/unique_fd.hpp"
#include "swrk.hpp"

namespace minirunc::runtime {

// Creates (0700) and opens one of CRIU's directories; `what` names the flag's
// subject in errors ("image path").
UniqueFd open_criu_dir(const std::string& path, const std::string& what);

// The cgroup a restore maps the dumped one to: each directory of the
// container relative to its hierarchy (CRIU's cg_root).
std::vector<criu::CgroupRoot> cgroup_roots(const std::vector<std::string>& dirs,
                                           const std::string& v2_dir);

// The hierarchies a container's cgroup mount binds (as create planned them),
// from the container's cgroup dirs: one v2 dir on a pure v2 host, else one
// per hierarchy named by its directory under /sys/fs/cgroup.
std::vector<CgroupMountSource> cgroup_mount_sources(const std::vector<std::string>& dirs);

}  // namespace minirunc::runtime
