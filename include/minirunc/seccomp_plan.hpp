// How the init loads the container's seccomp program: the filter flags and
// the point of the init's sequence where it is loaded. Pure decisions; the
// runtime compiles the filter (libseccomp), the init loads it (seccomp(2)).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "minirunc/spec.hpp"
#include "minirunc/state.hpp"

namespace minirunc {

// seccomp(2) filter flags (linux/seccomp.h) the init may pass.
constexpr unsigned long kSeccompFlagTsync = 1UL << 0;
constexpr unsigned long kSeccompFlagNewListener = 1UL << 3;
constexpr unsigned long kSeccompFlagWaitKillableRecv = 1UL << 5;

// Where the init loads the filter. Every syscall the init makes after that
// is filtered, and a profile knows only what the workload needs (an old
// allow-list has no close_range, a strict one no getcwd): so the init does
// all its own work first (identity, capabilities, fd hygiene, cwd checks,
// no_new_privs), and loads the filter as late as it can:
//  - before_exec: after `start`, right before the workload's execve, which
//    is the only syscall under the filter. startContainer hooks, which are
//    the image's code, get the same filter: each hook's process loads it
//    right before its own execve.
//  - before_ready: a notify filter, whose listener fd must reach the
//    runtime over the sync channel, which closes at "ready"; the "ready"
//    message and the wait for `start` then run under it.
enum class SeccompLoadPoint { before_ready, before_exec };

SeccompLoadPoint seccomp_load_point(bool notify);

// Loading a filter takes no_new_privs or CAP_SYS_ADMIN. Without either in
// the process's final state, the init keeps CAP_SYS_ADMIN in its effective
// and permitted sets through the identity switch (runc loads the filter
// before it instead, and so under the filter makes all the identity
// syscalls). The kept capability never reaches the workload or a hook: an
// execve recomputes the sets from the bounding, inheritable and ambient
// sets (capabilities(7)), which are exactly the config's, and the bounding
// set has no CAP_SYS_ADMIN unless the config grants it.
bool seccomp_needs_held_sys_admin(bool no_new_privileges, bool keeps_sys_admin);

// Whether a rule uses SCMP_ACT_NOTIFY.
bool seccomp_uses_notify(const spec::Seccomp& seccomp);

// The seccomp(2) flags for the config's flag names (validated names).
// With a notify rule: NEW_LISTENER, and no TSYNC (the kernel refuses the
// pair; the init is single-threaded, so TSYNC has nothing to do).
// Without: no WAIT_KILLABLE_RECV (it only qualifies a listener; the kernel
// refuses it alone).
unsigned long seccomp_load_flags(const std::vector<std::string>& flag_names, bool notify);

// Syscalls a notify rule may not name: the init makes them after loading the
// filter and before the agent has the listener, so it would wait forever.
const std::vector<std::string>& seccomp_notify_forbidden_syscalls();

// The runtime-spec "container process state" a seccomp agent gets at
// listenerPath with the listener fd: the fd's name, the pid of the process
// the filter is on (as the runtime sees it), listenerMetadata, and the
// container's state (status "creating" at create, "running" for exec).
nlohmann::json container_process_state(const ContainerState& container, Status status,
                                       pid_t process_pid, const std::string& metadata);

}  // namespace minirunc
