// minirunc-init: started by the runtime from a sealed memfd copy, in host
// context. Reads top to bottom in the order the container is built.
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

using namespace minirunc;

namespace {

void join_session_keyring(const std::string& id) {
    std::string name = "_ses." + id;
    // Best effort, as runc: some kernels or seccomp policies refuse keyrings.
    ::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.c_str());
}

void set_host_and_domain_name(const spec::Spec& spec) {
    if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()))
        throw_errno("sethostname");
    if (!spec.domainname.empty() && ::setdomainname(spec.domainname.data(), spec.domainname.size()))
        throw_errno("setdomainname");
}

// Stage 1 for both modes: namespaces, then the process that will execve the
// workload, forked as our sibling. Returns in that process, which dies with
// the runtime until it reports ready.
void enter_container(init::Context& ctx) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    init::enter_namespaces(ctx);
    init::fork_container_process(ctx);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    ctx.channel.expect("continue");
    if (::setsid() < 0) throw_errno("setsid");
}

// The common end: who the process is and what it may do, then ready.
//
// The order is the security argument. The container's seccomp filter is
// written for the workload, not for us: an allow-list from before 2020 has
// no close_range, a strict one may deny getcwd, and a denied syscall here
// fails create (or, with a kill action, kills us). So every syscall of our
// own comes first: rlimits, cwd and the executable's lookup (as root: the
// user may not be able to search the path), LSM labels, then the identity
// switch, the cwd re-checked as the user, no_new_privs, fd hygiene. Only
// then the filter: at "ready" for a notify filter (its listener travels on
// the sync channel), otherwise right before execve (exec_workload), after
// `start` and the startContainer hooks, which load it in their own process
// (run_start_container_hooks). Without no_new_privs the load needs
// CAP_SYS_ADMIN, which the identity switch would drop: it is held until
// then and execve drops it (seccomp_plan.hpp).
std::string become_workload(init::Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    init::apply_rlimits(process);
    // cwd first as root (it may be unreadable for the user), retried after.
    bool cwd_done = ::chdir(process.cwd.c_str()) == 0;
    std::string executable = init::find_executable(process);
    ctx.home = init::home_variable(process);  // as root: passwd may be unreadable for the user
    init::apply_lsm_labels(ctx);
    init::apply_process_attributes(ctx);
    init::apply_identity(process, ctx.in_user_namespace, init::seccomp_holds_sys_admin(ctx));
    if (!cwd_done && ::chdir(process.cwd.c_str())) throw_errno("chdir to cwd " + process.cwd);
    init::check_cwd_inside_root(process.cwd);
    if (process.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        throw_errno("set no_new_privs");
    init::prepare_for_ready(ctx);
    init::apply_seccomp(ctx, SeccompLoadPoint::before_ready);
    init::report_ready(ctx);
    return executable;
}

[[noreturn]] void build_container(init::Context& ctx) {
    // While we still have the host's privileges (see idmap_mounts.cpp).
    ctx.idmapped_trees = init::prepare_idmapped_mounts(ctx.spec, ctx.bootstrap.bundle);
    ctx.early_binds = init::prepare_early_binds(ctx.spec, ctx.bootstrap.bundle);
    enter_container(ctx);
    if (!ctx.bootstrap.no_new_keyring) join_session_keyring(ctx.bootstrap.id);
    if (!ctx.exec_fifo) throw Error("bootstrap message without the exec fifo");
    ctx.procfs = init::open_private_procfs();
    // Without a mount namespace the host's mount table is the container's:
    // the runtime allowed only a rootfs of "/" and nothing to mount.
    const bool own_mounts = ctx.namespaces.has(CLONE_NEWNS);
    if (own_mounts)
        init::setup_rootfs(ctx);  // runs the create hooks, ends with pivot_root
    else
        init::run_create_hooks(ctx);
    init::setup_console(ctx);
    if (own_mounts) init::finalize_rootfs(ctx);
    set_host_and_domain_name(ctx.spec);
    init::apply_sysctl(ctx);
    std::string executable = become_workload(ctx);
    // After `start`: the hooks, each confined as the workload, then the
    // filter and execve.
    init::wait_for_start(ctx);
    init::run_start_container_hooks(ctx);
    init::exec_workload(ctx, executable);
}

[[noreturn]] void exec_in_container(init::Context& ctx) {
    enter_container(ctx);
    // Not the caller's session keyring: the container's own, as its init.
    if (!ctx.bootstrap.no_new_keyring) join_session_keyring(ctx.bootstrap.id);
    init::setup_console(ctx);
    std::string executable = become_workload(ctx);
    init::exec_workload(ctx, executable);
}

}  // namespace

int main() {
    const char* sync_env = std::getenv("_MINIRUNC_SYNC");
    if (!sync_env) {
        std::fprintf(stderr, "minirunc-init: this program is started by minirunc\n");
        return 1;
    }
    int sync_fd = std::atoi(sync_env);
    ::fcntl(sync_fd, F_SETFD, FD_CLOEXEC);
    // Not dumpable until execve: the container cannot ptrace or open our /proc entries.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    ::umask(0);
    sys::Channel channel{UniqueFd(sync_fd)};
    try {
        sys::Message hello = channel.expect("bootstrap");
        Bootstrap bootstrap = bootstrap_from_json(hello.body);
        spec::Spec spec = spec::parse(bootstrap.config);
        if (!spec.process) throw Error("config.json: /process: is required");
        init::Context ctx{
            channel, bootstrap, spec,
            plan_namespaces(spec.linux ? spec.linux->namespaces : std::vector<spec::Namespace>{})};
        ctx.in_user_namespace = bootstrap.in_user_namespace;
        // create: an O_PATH fd of the host's exec.fifo (see wait_for_start).
        if (!hello.fds.empty()) ctx.exec_fifo = std::move(hello.fds[0]);
        if (bootstrap.mode == "exec") exec_in_container(ctx);
        build_container(ctx);
    } catch (const Error& e) {
        channel.send_error(e.what(), e.code());
    } catch (const std::exception& e) {
        channel.send_error(e.what());
    }
    return 1;
}
