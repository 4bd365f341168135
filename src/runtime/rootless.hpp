// Rootless mode: what an unprivileged caller cannot have, reported clearly.
#pragma once

#include "cgroups.hpp"
#include "minirunc/spec.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {

// Cgroups not delegated to an unprivileged caller: a warning in the log, or
// an error when the config asks for resource limits.
void check_skipped_cgroups(const Runtime& runtime, const spec::Spec& spec,
                           const CgroupSetup& cgroups);

}  // namespace minirunc::runtime

namespace minirunc::runtime {

// Unprivileged: the init's uid_map/gid_map. One mapping of our own id is
// written directly (after "deny" to setgroups); several go through the
// setuid helpers newuidmap/newgidmap (Debian's uidmap package).
void write_id_maps_unprivileged(pid_t pid, const spec::Spec& spec);

}  // namespace minirunc::runtime
