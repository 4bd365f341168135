// Starting the init (init_image.hpp says which, from where), forked with the
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
    bool placed_by_clone = false;  // created in its v2 cgroup (CLONE_INTO_CGROUP)
};

// Path of a helper binary (minirunc-systemd): $<env_var>, else the first of
// helper_binary_candidates (init_image.hpp) that exists. The init is found by
// init_executable.
std::string helper_binary_path(const std::string& name, const char* env_var);

// Runs a helper binary (minirunc-systemd, minirunc-netdev) with `input` on its
// stdin and returns its stdout. Not starting, or exiting non-zero, throws its
// stderr (or how it ended); running past helper.timeout throws timeout_message.
std::string run_helper_process(const spec::Hook& helper, const std::string& input,
                               const std::string& timeout_message);

// What the runtime does when the init asks for it during setup. Each
// handler may throw: the init is then killed and launch_init rethrows.
struct LaunchHandlers {
    // The container process exists (record it), before any container setup.
    std::function<void(const LaunchedInit&)> on_pid;
    // The init reached a lifecycle point needing the runtime ("create_runtime":
    // mounts done, before pivot_root): run the hooks that belong there. The
    // result goes back to the init as "state" in "hooks_done".
    std::function<nlohmann::json(const std::string& phase)> on_hooks;
    // The init created the pty: the master, to pass on to --console-socket.
    std::function<void(int master_fd)> on_console;
    // The init is set up and waits for `start` (runc's procReady).
    std::function<void()> on_ready;
    // The init loaded a seccomp filter with SCMP_ACT_NOTIFY rules: its
    // listener fd, for the agent at listenerPath.
    std::function<void(const LaunchedInit&, int listener_fd)> on_seccomp_listener;
};

// Runs the init through to "ready". On failure everything the init started
// is killed and reaped, then it throws.
LaunchedInit launch_init(const Bootstrap& bootstrap, const spec::Spec& spec,
                         const CgroupSetup& cgroups, const LaunchHandlers& handlers);

}  // namespace minirunc::runtime
