// Where a container's cgroup lives on each hierarchy of the host, by runc's
// rules. Pure: takes the text of /proc/self/mountinfo and /proc/self/cgroup.
#pragma once

#include <string>
#include <vector>

namespace minirunc {

struct CgroupHierarchy {
    std::string mount_point;  // /sys/fs/cgroup/memory
    std::string mount_root;   // the mount's root within the hierarchy ("/")
    bool v2 = false;
    std::vector<std::string> controllers;  // v1: {"cpu"}, {"name=systemd"}; v2: empty
    std::string own_path;                  // this process's cgroup within the hierarchy
};

enum class CgroupLayout { None, V1, Hybrid, V2 };

// Every cgroup hierarchy mounted, deduplicated (a hierarchy mounted twice counts once).
std::vector<CgroupHierarchy> parse_cgroup_hierarchies(const std::string& mountinfo,
                                                      const std::string& proc_self_cgroup);
CgroupLayout detect_layout(const std::vector<CgroupHierarchy>& hierarchies);

// The container's cgroup path within a hierarchy (runc's fs/fs2 drivers): an
// absolute cgroupsPath is taken from the hierarchy root; a relative one (or the
// default, the container id) is joined to the caller's own cgroup (on v2 to its
// parent, since a cgroup with processes cannot delegate controllers).
std::string container_cgroup_path(const CgroupHierarchy& hierarchy, const std::string& cgroups_path,
                                  const std::string& id);

// The host directory of `cgroup_path` on `hierarchy`.
std::string cgroup_dir(const CgroupHierarchy& hierarchy, const std::string& cgroup_path);

// The name under /sys/fs/cgroup a hierarchy has in a container ("cpu", "systemd", "unified").
std::string hierarchy_name(const CgroupHierarchy& hierarchy);

}  // namespace minirunc
