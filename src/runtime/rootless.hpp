// Rootless mode: what an unprivileged caller cannot have, reported clearly.
#pragma once

#include "cgroup_resources_apply.hpp"
#include "cgroups.hpp"
#include "minirunc/spec.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {

// " (rootless: ...)" explaining a missing cgroup in rootless mode; "" otherwise.
std::string rootless_cgroup_note(bool rootless_cgroups);

// The container's resource plan. Rootless, hierarchies not delegated to
// the caller were left out: a debug line, or an error naming the field when
// a limit needs one of them (as runc); device rules are left out.
ResourcePlan plan_delegated_resources(const Runtime& runtime, const spec::Spec& spec,
                                      const CgroupSetup& cgroups);

}  // namespace minirunc::runtime

namespace minirunc::runtime {

// Unprivileged: the init's uid_map/gid_map. One mapping of our own id is
// written directly (after "deny" to setgroups); several go through the
// setuid helpers newuidmap/newgidmap (Debian's uidmap package).
void write_id_maps_unprivileged(pid_t pid, const spec::Spec& spec);

}  // namespace minirunc::runtime
