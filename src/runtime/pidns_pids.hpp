// The container's processes when it has no cgroup to list them (rootless,
// nothing delegated): those in its init's pid namespace.
#pragma once

#include <sys/types.h>

#include <vector>

#include "minirunc/state.hpp"

namespace minirunc::runtime {

// Every process in the live init's pid namespace, the init first; just the
// init when it shares our pid namespace; none when the init is gone.
// Processes we may not inspect (another user's) are not ours to list.
std::vector<pid_t> pid_namespace_pids(const ContainerState& state);

}  // namespace minirunc::runtime
