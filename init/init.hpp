// The stage-1 init: everything that happens inside the container before the
// workload's execve. main.cpp reads top to bottom in the order of operations.
#pragma once

#include <string>

#include "idmap_mounts.hpp"
#include "minirunc/bootstrap.hpp"
#include "minirunc/namespace_plan.hpp"
#include "minirunc/seccomp_plan.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/sys/channel.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::init {

struct Context {
    sys::Channel& channel;
    const Bootstrap& bootstrap;
    const spec::Spec& spec;
    NamespacePlan namespaces;
    // In a user namespace other than the initial one: one the container
    // enters, or the runtime's own (no mknod, sysfs needs its netns...).
    bool in_user_namespace = false;
    bool cgroups_joined = false;  // the runtime has placed us in the container's cgroups
    UniqueFd procfs;              // a private procfs instance: sysctl and /proc/self writes go here
    // O_PATH to the host's exec.fifo, opened before pivot_root; after `start`
    // its write end, open until execve.
    UniqueFd exec_fifo;
    nlohmann::json hook_state;     // the runtime-spec state for hooks run here
    IdmappedTrees idmapped_trees;  // made before entering namespaces, attached by setup_rootfs
    std::string home;              // "HOME=..." added to the workload's env, or ""
    EarlyBindTrees early_binds;    // the same for plain binds of a user-namespace container
    // Read-only mounts that others land under: made read-only by finalize_rootfs.
    std::vector<std::string> readonly_after_submounts;
};

// Stage 1 (host pid namespace): join and create namespaces, then fork the
// container's pid 1 as a sibling (CLONE_PARENT). Returns only in that child.
void enter_namespaces(Context& ctx);
// channel.expect(type), noting a "cgroups_joined" that may arrive first.
sys::Message expect_message(Context& ctx, const std::string& type);
void fork_container_process(Context& ctx);

// Stage 2.
UniqueFd open_private_procfs();
// Writes `value` to <procfs>/<relative>, never through a symlink or a mount.
void write_proc(int procfs, const std::string& relative, const std::string& value);
// process.apparmorProfile / selinuxLabel for the workload's execve (the
// runtime refused them if the LSM is not enabled on the host).
void apply_lsm_labels(Context& ctx);
void setup_rootfs(Context& ctx);
// After the console (it may create /dev/console): the read-only remount of "/"
// and of the mounts that others land under (a read-only /dev).
void finalize_rootfs(Context& ctx);
void setup_devices(Context& ctx, int rootfs_fd);
void mask_paths(Context& ctx, int rootfs_fd);
void apply_sysctl(Context& ctx);
void apply_rlimits(const spec::Process& process);
// hold_sys_admin: CAP_SYS_ADMIN stays effective and permitted on top of the
// config's sets, for a later seccomp load (seccomp_plan.hpp).
void apply_identity(const spec::Process& process, bool in_user_namespace, bool hold_sys_admin);
// process.scheduler, ioPriority, the CPU affinity (execCPUAffinity.final for
// exec), linux.personality and memoryPolicy: in the container's cgroups,
// before identity and seccomp.
void apply_process_attributes(const Context& ctx);
std::string find_executable(const spec::Process& process);
// "HOME=<home of process.user.uid in the container's /etc/passwd, or />" when
// process.env has no HOME, else "". Call once "/" is the container's root.
std::string home_variable(const spec::Process& process);
// Refuses a cwd outside the container's root (a /proc/self/fd/N of ours).
void check_cwd_inside_root(const std::string& cwd);

// Terminal: with process.terminal, a pty from the container's devpts becomes
// the controlling terminal on 0-2 and its master goes to the runtime.
void setup_console(Context& ctx);
// Hooks: prestart + createRuntime (the runtime, asked here, before
// pivot_root), then createContainer (here); startContainer (here, after
// start, before execve; a failure is written to the exec fifo and we exit).
void run_create_hooks(Context& ctx);
void run_start_container_hooks(Context& ctx);

// seccomp (bootstrap.seccomp): called at each SeccompLoadPoint of the
// sequence, loads the program at the one planned for this process (a notify
// listener goes to the runtime), does nothing at the others.
SeccompLoadPoint seccomp_point(const Context& ctx);
void apply_seccomp(Context& ctx, SeccompLoadPoint point);
// Whether apply_identity must keep CAP_SYS_ADMIN for the load.
bool seccomp_holds_sys_admin(const Context& ctx);
// In a startContainer hook's process, right before its execve: the filter
// the workload gets, unless the init has loaded it already (then inherited).
// 0 or an errno; async-signal-safe.
int load_seccomp_for_hook(const Context& ctx);

// Only 0-2 and the preserved fds may reach the workload (the rest is made
// close-on-exec), and the init no longer dies with the runtime: the last
// steps before "ready", before any filter.
void prepare_for_ready(Context& ctx);
// Tells the runtime.
void report_ready(Context& ctx);
// Blocks until `start` opens the exec fifo.
void wait_for_start(Context& ctx);
// Loads a seccomp filter planned for before_exec (so execve is the only
// syscall under it), then executes the workload.
[[noreturn]] void exec_workload(Context& ctx, const std::string& executable);

}  // namespace minirunc::init
