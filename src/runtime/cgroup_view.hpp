// Which of a container's cgroup directories serves which controller, found
// again from the host's mounts (state.json keeps only the directories).
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "minirunc/cgroup_plan.hpp"

namespace minirunc::runtime {

struct ContainerCgroups {
    CgroupLayout layout = CgroupLayout::None;  // of the container's own dirs
    std::map<std::string, std::string> v1;     // controller -> the container's dir
    std::string v2;                            // the container's unified dir; empty: none
    std::string v2_mount;                      // the cgroup2 mount point it is below

    // The container's dir for a v1 controller; empty when not mounted.
    std::string v1_dir(const std::string& controller) const;
};

// The host's cgroup hierarchies as this process sees them, read once per
// command (mountinfo is long on busy hosts and several steps need it).
const std::vector<CgroupHierarchy>& host_cgroup_hierarchies();

// Matches `dirs` (ContainerState::cgroup_dirs) against the mounted hierarchies.
ContainerCgroups container_cgroups(const std::vector<std::string>& dirs);

// The text of a cgroup file; nullopt when it is missing or unreadable (a
// cgroup removed meanwhile, a controller the kernel lacks).
std::optional<std::string> read_cgroup_file(const std::string& path);

// Names of the entries of a directory (no "." and ".."); empty if unreadable.
std::vector<std::string> list_dir(const std::string& dir);

// Pids of every process in `dir` and the cgroups below it.
// The cgroups directly below dir (absolute paths).
std::vector<std::string> child_cgroups(const std::string& dir);
std::vector<pid_t> subtree_pids(const std::string& dir);

}  // namespace minirunc::runtime
