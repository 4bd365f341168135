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
