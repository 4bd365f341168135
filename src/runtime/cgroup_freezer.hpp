// pause/resume through the container's freezer (v1 freezer.state or v2
// cgroup.freeze), and signals to every process of the container's cgroup.
#pragma once

#include <chrono>

#include "minirunc/state.hpp"

namespace minirunc::runtime {

// Freezes the container and waits until the kernel reports it frozen (v1
// freezer.state FROZEN, v2 cgroup.events "frozen 1"); on timeout thaws it
// again and throws. Throws when the container has no freezer.
void freeze_container(const ContainerState& state,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
// Thaws it and waits until the kernel reports it thawed.
void thaw_container(const ContainerState& state,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends `signal` to every process in the container's cgroups, children
// cgroups included (runc's signalAllProcesses). SIGKILL uses v2 cgroup.kill
// where the container has one (atomic: no fork escapes it); otherwise the
// cgroup is frozen while it is listed and signalled, so nothing forks in
// between, and thawed after (a paused container stays paused unless the
// signal is SIGKILL: frozen v1 tasks only die once thawed). Without any
// cgroup (rootless), every process of its pid namespace. Never throws for
// processes that are gone.
void signal_all_processes(const ContainerState& state, int signal);

}  // namespace minirunc::runtime
