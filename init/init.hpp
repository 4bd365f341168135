// The stage-1 init: everything that happens inside the container before the
// workload's execve. main.cpp reads top to bottom in the order of operations.
#pragma once

#include <string>

#include "minirunc/bootstrap.hpp"
#include "minirunc/namespace_plan.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/sys/channel.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

struct Context {
    sys::Channel& channel;
    const Bootstrap& bootstrap;
    const spec::Spec& spec;
    NamespacePlan namespaces;
    bool in_user_namespace = false;
    UniqueFd procfs;  // a private procfs instance: sysctl and /proc/self writes go here
    // O_PATH to the host's exec.fifo, opened before pivot_root; after `start`
    // its write end, open until execve.
    UniqueFd exec_fifo;
    nlohmann::json hook_state;  // the runtime-spec state for hooks run here
};

// Stage 1 (host pid namespace): join and create namespaces, then fork the
// container's pid 1 as a sibling (CLONE_PARENT). Returns only in that child.
void enter_namespaces(Context& ctx);
void fork_container_process(Context& ctx);

// Stage 2.
UniqueFd open_private_procfs();
void setup_rootfs(Context& ctx);
// After the console (it may create /dev/console): the read-only remount of "/".
void finalize_rootfs(Context& ctx);
void setup_devices(Context& ctx, int rootfs_fd);
void mask_paths(Context& ctx, int rootfs_fd);
void apply_sysctl(Context& ctx);
void apply_rlimits(const spec::Process& process);
void apply_identity(const spec::Process& process, bool in_user_namespace);
std::string find_executable(const spec::Process& process);

// Terminal: with process.terminal, a pty from the container's devpts becomes
// the controlling terminal on 0-2 and its master goes to the runtime.
void setup_console(Context& ctx);
// Hooks: prestart + createRuntime (the runtime, asked here, before
// pivot_root), then createContainer (here); startContainer (here, after
// start, before execve; a failure is written to the exec fifo and we exit).
void run_create_hooks(Context& ctx);
void run_start_container_hooks(Context& ctx);

// Closes every fd the workload must not get, then tells the runtime.
void report_ready(Context& ctx);
// Blocks until `start` opens the exec fifo.
void wait_for_start(Context& ctx);
[[noreturn]] void exec_workload(const spec::Process& process, const std::string& executable);

}  // namespace minirunc::init
