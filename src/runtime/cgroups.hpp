// The container's cgroups on the host (v1, hybrid or v2): created at create,
// joined by the init, removed at delete. Resources come later.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "minirunc/bootstrap.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"
#include "minirunc/systemd_unit_plan.hpp"

namespace minirunc::runtime {

// The systemd driver (--systemd-cgroup): the unit join starts with the
// container's init in it, and its properties besides the start ones
// (annotations, linux.resources).
struct SystemdStart {
    SystemdUnit unit;
    bool v2 = false;
    std::vector<UnitProperty> properties;
};

struct CgroupSetup {
    std::vector<std::string> dirs;
    std::vector<std::string> created;  // deepest first
    std::string freezer_dir;
    bool freezer_v2 = false;
    std::vector<CgroupMountSource> mount_sources;
    // The cgroup v2 directory among `dirs` (pure v2, or hybrid's unified); "" if none.
    std::string v2_dir;
    // Rootless: hierarchies where we may not create the container's cgroup
    // (not delegated to us), left out; each entry names the refusal.
    std::vector<std::string> skipped;
    std::optional<SystemdStart> systemd;
    // Processes already in a cgroup that existed before create (the most of
    // any hierarchy): runc warns about them, and so do we.
    size_t processes_found = 0;
};

// Creates the container's cgroup in every hierarchy; on failure removes what
// it made and throws. `rootless`: a hierarchy we may not write is skipped.
// With `systemd` the cgroup is the unit's, and systemd makes the v2 one when
// join starts the unit.
CgroupSetup create_cgroups(const spec::Spec& spec, const std::string& id, bool rootless,
                           std::optional<SystemdStart> systemd = std::nullopt);
// Puts `pid` in every cgroup of the setup but `already_in` (a v2 cgroup the
// process was created in); with systemd, starts the unit with it.
void join_cgroups(const CgroupSetup& setup, pid_t pid, const std::string& already_in = "");
// Removes the directories create made: the container's own (`leaves`, waiting
// briefly for them to empty) and the parents it made, if nothing else uses them.
void remove_cgroups(const std::vector<std::string>& created,
                    const std::vector<std::string>& leaves);

std::vector<pid_t> cgroup_pids(const ContainerState& state);
bool cgroup_frozen(const ContainerState& state);

}  // namespace minirunc::runtime
