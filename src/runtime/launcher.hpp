// Starting the init: a sealed memfd copy of minirunc-init, forked with the
// sync channel, placed in the container's cgroups, driven to "ready".
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "cgroups.hpp"
#include "minirunc/bootstrap.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::runtime {

struct LaunchedInit {
    pid_t pid = 0;  // the container's pid 1, as seen on the host
    uint64_t start_time = 0;
};

// Path of minirunc-init: $MINIRUNC_INIT, next to this binary, or installed.
std::string init_binary_path();

// Runs the init through to "ready". `on_pid` is called as soon as the
// container process exists (to record it), before any container setup. On
// failure everything the init started is killed and reaped, then it throws.
LaunchedInit launch_init(const Bootstrap& bootstrap, const spec::Spec& spec,
                         const CgroupSetup& cgroups,
                         const std::function<void(const LaunchedInit&)>& on_pid);

}  // namespace minirunc::runtime
