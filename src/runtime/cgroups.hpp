// The container's cgroups on the host (v1, hybrid or v2): created at create,
// joined by the init, removed at delete. Resources come later.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "minirunc/bootstrap.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"

namespace minirunc::runtime {

struct CgroupSetup {
    std::vector<std::string> dirs;
    std::vector<std::string> created;  // deepest first
    std::string freezer_dir;
    bool freezer_v2 = false;
    std::vector<CgroupMountSource> mount_sources;
    // Rootless: hierarchies where we may not create the container's cgroup
    // (not delegated to us), left out; each entry names the refusal.
    std::vector<std::string> skipped;
};

// Creates the container's cgroup in every hierarchy; on failure removes what
// it made and throws. Not root, a hierarchy we may not write is skipped.
CgroupSetup create_cgroups(const spec::Spec& spec, const std::string& id);
void join_cgroups(const CgroupSetup& setup, pid_t pid);
// Removes the directories create made: the container's own (`leaves`, waiting
// briefly for them to empty) and the parents it made, if nothing else uses them.
void remove_cgroups(const std::vector<std::string>& created,
                    const std::vector<std::string>& leaves);

std::vector<pid_t> cgroup_pids(const ContainerState& state);
bool cgroup_frozen(const ContainerState& state);

}  // namespace minirunc::runtime
