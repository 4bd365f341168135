#include "launcher.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init_image.hpp"
#include "minirunc/error.hpp"
#include "minirunc/id_map.hpp"
#include "minirunc/process_attributes.hpp"
#include "minirunc/sys/channel.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/hook_process.hpp"
#include "minirunc/sys/process.hpp"
#include "rootless.hpp"

namespace minirunc::runtime {
namespace {

// The kernel takes a map in one write of less than a page.
void write_id_map(const std::string& path, const std::string& field,
                  const std::vector<spec::IdMapping>& mappings) {
    std::string text = id_map_text(mappings);
    long page = ::sysconf(_SC_PAGESIZE);
    if (page > 0 && text.size() >= static_cast<size_t>(page))
        throw Error("config.json: /linux/" + field + ": " + std::to_string(text.size()) +
                    " bytes of mappings, more than the kernel accepts (" +
                    std::to_string(page - 1) + ")");
    with_context("writing " + path, [&] { sys::write_file(path, text); });
}

void write_id_maps(pid_t pid, const spec::Spec& spec) {
    if (::geteuid() != 0) return write_id_maps_unprivileged(pid, spec);  // rootless.cpp
    const std::string proc = "/proc/" + std::to_string(pid);
    write_id_map(proc + "/uid_map", "uidMappings", spec.linux->uid_mappings);
    write_id_map(proc + "/gid_map", "gidMappings", spec.linux->gid_mappings);
}

// clone3(CLONE_INTO_CGROUP): the child starts in the cgroup `cgroup_fd`
// names (v2), so it never needs migrating there. -1 and errno if refused.
pid_t clone_into_cgroup(int cgroup_fd) {
    clone_args args{};
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
    return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

// Starts the init; `cgroup_fd` (or -1) is the v2 cgroup to start it in.
// `placed` says whether that happened (an older kernel, or a cgroup the
// kernel refuses, falls back to fork and a write to cgroup.procs later).
pid_t spawn(int init_exe, int child_sync_fd, int cgroup_fd, bool& placed) {
    std::string env_entry = "_MINIRUNC_SYNC=" + std::to_string(child_sync_fd);
    char* argv[] = {const_cast<char*>("minirunc-init"), nullptr};
    char* envp[] = {env_entry.data(), nullptr};
    sigset_t empty;
    sigemptyset(&empty);
    pid_t pid = cgroup_fd >= 0 ? clone_into_cgroup(cgroup_fd) : -1;
    placed = pid >= 0;
    if (pid < 0) pid = ::fork();
    if (pid < 0) throw_errno("fork");
    if (pid > 0) return pid;
    // Child: async-signal-safe calls only until execveat.
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    ::fcntl(child_sync_fd, F_SETFD, 0);
    ::execveat(init_exe, "", argv, envp, AT_EMPTY_PATH);
    ::_exit(127);
}

// execCPUAffinity.initial of an exec'd process: its CPUs until it is in the
// container's cgroups (the init's stage 2 then sets "final"). Never for the
// container's own init, which the spec leaves out.
void set_initial_affinity(pid_t pid, const Bootstrap& bootstrap, const spec::Spec& spec) {
    if (bootstrap.mode != "exec" || !spec.process || !spec.process->exec_cpu_affinity) return;
    const std::string& initial = spec.process->exec_cpu_affinity->initial;
    if (initial.find_first_not_of(" \t") == std::string::npos) return;
    IdSet cpus = parse_id_list(initial);
    if (::sched_setaffinity(pid, cpus.bytes(),
                            reinterpret_cast<const cpu_set_t*>(cpus.words.data())))
        throw_errno("config.json: /process/execCPUAffinity/initial: sched_setaffinity");
}

void kill_and_reap(pid_t pid) {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

// An exec'd process keeps its end of the channel (close-on-exec) until its
// execve: EOF means the workload runs, so `exec -d` never returns before it
// does, and a failed execve is the command's error, as a failed setup is.
void wait_for_execve(sys::Channel& channel) {
    if (std::optional<sys::Message> message = channel.try_recv()) {
        sys::raise_if_error(*message, "exec failed");
        throw Error("unexpected message \"" + message->type() + "\" from init");
    }
}

}  // namespace

std::string helper_binary_path(const std::string& name, const char* env_var) {
    if (const char* env = std::getenv(env_var); env && *env) return env;
    std::vector<std::string> candidates = helper_binary_candidates(name);
    for (const std::string& candidate : candidates)
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    return candidates.back();
}

std::string run_helper_process(const spec::Hook& helper, const std::string& input,
                               const std::string& timeout_message) {
    HookOutcome outcome = sys::run_hook_process(helper, input, "/");
    if (outcome.exec_errno)
        throw Error("running " + helper.path + ": " + errno_text(outcome.exec_errno),
                    outcome.exec_errno);
    if (outcome.timed_out_after) throw Error(timeout_message);
    if (!WIFEXITED(outcome.wait_status) || WEXITSTATUS(outcome.wait_status) != 0) {
        std::string message = outcome.err;
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        if (message.empty()) message = hook_failure(helper, outcome);
        throw Error(message);
    }
    return outcome.out;
}

LaunchedInit launch_init(const Bootstrap& bootstrap, const spec::Spec& spec,
                         const CgroupSetup& cgroups, const LaunchHandlers& handlers) {
    UniqueFd init_exe = init_executable();
    auto [parent, child] = sys::Channel::pair();
    // The init's end must not land on fds the caller asked to preserve.
    int min_fd = 3 + bootstrap.preserve_fds;
    UniqueFd child_end(::fcntl(child.fd(), F_DUPFD_CLOEXEC, min_fd));
    if (!child_end) throw_errno("dup sync socket");
    child.close();

    // systemd makes the unit's cgroup only when it starts the unit with our pid.
    std::string v2_dir = cgroups.systemd ? "" : cgroups.v2_dir;
    UniqueFd v2_cgroup;
    if (!v2_dir.empty()) v2_cgroup.reset(::open(v2_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    LaunchedInit launched;
    pid_t stage1 = spawn(init_exe.get(), child_end.get(), v2_cgroup ? v2_cgroup.get() : -1,
                         launched.placed_by_clone);
    child_end.reset();
    try {
        set_initial_affinity(stage1, bootstrap, spec);
        // The exec fifo travels as an O_PATH fd: in a user namespace the
        // container's root may not be able to reach the state dir by path.
        UniqueFd fifo;
        if (!bootstrap.exec_fifo.empty()) fifo = sys::open_file(bootstrap.exec_fifo, O_PATH);
        parent.send(to_json(bootstrap), fifo ? std::vector<int>{fifo.get()} : std::vector<int>{});
        // The first cgroup.procs write of a create can wait for an RCU grace
        // period (milliseconds): the init creates its namespaces meanwhile and
        // waits for this message only before it needs the cgroup.
        join_cgroups(cgroups, stage1, launched.placed_by_clone ? v2_dir : "");
        parent.send({{"type", "cgroups_joined"}});
        for (;;) {
            sys::Message message = parent.recv();
            sys::raise_if_error(message, "container init failed");
            const std::string type = message.type();
            if (type == "userns") {
                write_id_maps(stage1, spec);
                parent.send({{"type", "userns_done"}});
            } else if (type == "pid") {
                launched.pid = message.body.at("pid").get<pid_t>();
                auto stat = sys::read_proc_stat(launched.pid);
                if (!stat) throw Error("container process exited during setup");
                launched.start_time = stat->start_time;
                while (::waitpid(stage1, nullptr, 0) < 0 && errno == EINTR) {
                }
                stage1 = 0;
                if (spec.process && spec.process->oom_score_adj) {
                    // Written from the host's procfs, which the container cannot fake.
                    with_context("setting oom_score_adj", [&] {
                        sys::write_file("/proc/" + std::to_string(launched.pid) + "/oom_score_adj",
                                        std::to_string(*spec.process->oom_score_adj));
                    });
                }
                if (handlers.on_pid) handlers.on_pid(launched);
                parent.send({{"type", "continue"}});
            } else if (type == "hooks") {
                nlohmann::json reply = {{"type", "hooks_done"}};
                if (handlers.on_hooks)
                    reply["state"] = handlers.on_hooks(message.body.value("phase", ""));
                parent.send(reply);
            } else if (type == "console") {
                if (message.fds.size() != 1) throw Error("console message without a pty master");
                if (handlers.on_console) handlers.on_console(message.fds[0].get());
                parent.send({{"type", "console_done"}});
            } else if (type == "seccomp_listener") {
                // No answer: the init goes on at once, its filter already loaded.
                if (message.fds.size() != 1 || !handlers.on_seccomp_listener)
                    throw Error("unexpected seccomp listener from init");
                handlers.on_seccomp_listener(launched, message.fds[0].get());
            } else if (type == "ready") {
                if (handlers.on_ready) handlers.on_ready();
                if (bootstrap.mode == "exec") wait_for_execve(parent);
                return launched;
            } else {
                throw Error("unexpected message \"" + type + "\" from init");
            }
        }
    } catch (...) {
        kill_and_reap(launched.pid);
        kill_and_reap(stage1);
        throw;
    }
}

}  // namespace minirunc::runtime
