// exec: run one more process in a running (or created) container. The init joins every
// namespace and the cgroup of the container and applies the same identity
// and security settings; nothing from the container runs before its execve.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>

#include <optional>

#include "cgroup_view.hpp"
#include "cgroups.hpp"
#include "console_socket.hpp"
#include "container_ops.hpp"
#include "foreground.hpp"
#include "intel_rdt.hpp"
#include "launcher.hpp"
#include "lsm.hpp"
#include "minirunc/capabilities.hpp"
#include "minirunc/cgroup_plan.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/exec_plan.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"
#include "minirunc/terminal.hpp"
#include "runtime.hpp"
#include "seccomp_agent.hpp"
#include "seccomp_cache.hpp"
#include "seccomp_compile.hpp"
#include "state_store.hpp"
#include "tty_proxy.hpp"

namespace minirunc::runtime {
namespace {

std::optional<std::string> optional_flag(const cli::ParsedFlags& flags, const std::string& name) {
    if (!flags.has(name)) return std::nullopt;
    return flags.get(name);
}

spec::Process process_from_file(const std::string& path, bool tty, const spec::Process& container) {
    nlohmann::json doc = nlohmann::json::parse(sys::read_file(path), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("process file " + path + ": invalid JSON");
    spec::Process process;
    try {
        process = spec::parse_process(doc, "");
        validate_exec_process(process);
    } catch (const Error& e) {
        // The parser's errors name config.json: name the file instead.
        std::string message = e.what();
        const std::string prefix = "config.json: ";
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
        throw Error("process file " + path + ": " + message, e.code());
    }
    if (tty) process.terminal = true;
    return complete_process_file(std::move(process), container);
}

spec::Process exec_process(const cli::CommandLine& command, const spec::Spec& config) {
    const auto& flags = command.flags;
    // As runc: the process file is the whole process, the other flags are ignored.
    const spec::Process container = config.process.value_or(spec::Process{});
    if (flags.has("process"))
        return process_from_file(flags.get("process"), flags.flag("tty"), container);
    ExecFlags exec;
    exec.args.assign(command.args.begin() + 1, command.args.end());
    if (!exec.args.empty() && exec.args[0] == "--") exec.args.erase(exec.args.begin());
    exec.cwd = optional_flag(flags, "cwd");
    exec.env = flags.all("env");
    exec.tty = flags.flag("tty");
    exec.user = optional_flag(flags, "user");
    exec.additional_gids = flags.all("additional-gids");
    if (flags.has("no-new-privs")) exec.no_new_privs = flags.flag("no-new-privs");
    exec.caps = flags.all("cap");
    exec.apparmor = optional_flag(flags, "apparmor");
    exec.process_label = optional_flag(flags, "process-label");
    return merge_exec_process(container, exec);
}

// The config's own checks of a process (rlimits, capability names, umask,
// oomScoreAdj, ...), worded for exec.
void validate_with_config(const spec::Spec& config, const spec::Process& process) {
    spec::Spec check = config;
    check.process = process;
    try {
        spec::validate(check);
        if (process.capabilities) {
            const auto& caps = *process.capabilities;
            for (const auto* set : {&caps.bounding, &caps.effective, &caps.inheritable,
                                    &caps.permitted, &caps.ambient})
                if (*set) capability_mask(**set);  // throws on an unknown name
        }
    } catch (const Error& e) {
        std::string message = e.what();
        const std::string prefix = "config.json: /process";
        if (message.rfind(prefix, 0) == 0) message = "process: " + message.substr(prefix.size());
        throw Error(message, e.code());
    }
}

// The hierarchy name of each container cgroup dir, for --cgroup controller:path.
std::vector<std::string> hierarchy_names(const std::vector<std::string>& dirs) {
    const auto& hierarchies = host_cgroup_hierarchies();
    std::vector<std::string> names;
    for (const auto& dir : dirs) {
        std::string name, mount_point;  // the deepest mount holding dir
        for (const auto& h : hierarchies)
            if (dir.rfind(h.mount_point + "/", 0) == 0 &&
                h.mount_point.size() > mount_point.size()) {
                name = hierarchy_name(h);
                mount_point = h.mount_point;
            }
        names.push_back(name);
    }
    return names;
}

bool has_exited(int pidfd) {
    pollfd fd = {pidfd, POLLIN, 0};
    return ::poll(&fd, 1, 0) > 0;
}

int exec_in_container(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    Container container = load_container(runtime, id);
    if (container.status == Status::Paused && !command.flags.flag("ignore-paused"))
        throw Error("cannot exec in a paused container (use --ignore-paused to override)");
    // A created container too, as runc: its init waits for `start` in the
    // namespaces and cgroup that the new process joins, and stays created.
    if (container.status == Status::Stopped || container.status == Status::Creating)
        throw Error(
            "cannot exec in a " + to_string(container.status) + " container: container not running",
            ESRCH);
    // Held from here: if the init is gone by the time the namespaces are
    // joined, its pid may name another process (see on_pid below).
    UniqueFd init = sys::open_live_process(container.state.pid, container.state.pid_start_time);
    if (!init) throw Error("container not running", ESRCH);

    spec::Spec config = load_frozen_config(container.dir);
    spec::Process process = exec_process(command, config);
    validate_with_config(config, process);
    check_lsm_labels(process, "");
    bool detach = command.flags.flag("detach");
    std::string console_socket = command.flags.get("console-socket");
    std::string problem = terminal_options_error(process.terminal, detach, !console_socket.empty());
    if (!problem.empty()) throw Error(problem);
    UniqueFd master;
    ConsoleTarget console(console_socket, detach ? nullptr : &master);

    CreateOptions options = create_options_from(command);
    spec::Spec exec_spec = config;
    exec_spec.process = process;
    exec_spec.hooks.reset();
    if (exec_spec.linux) {
        exec_spec.linux->namespaces =
            exec_namespaces(exec_spec.linux->namespaces, container.state.pid);
        exec_spec.linux->uid_mappings.clear();
        exec_spec.linux->gid_mappings.clear();
        exec_spec.linux->time_offsets.clear();
    }
    Bootstrap bootstrap;
    bootstrap.mode = "exec";
    bootstrap.id = id;
    bootstrap.config = spec::to_json(exec_spec);
    bootstrap.bundle = container.state.bundle;
    bootstrap.rootfs = container.state.rootfs;
    bootstrap.preserve_fds = options.preserve_fds;
    bootstrap.in_user_namespace = runtime.rootless.in_user_namespace;
    attach_seccomp(
        bootstrap, exec_spec,
        seccomp_cache_dir(runtime.rootless.unprivileged || runtime.rootless.in_user_namespace));

    CgroupSetup cgroups;
    const auto& requests = command.flags.all("cgroup");
    cgroups.dirs = requests.empty()
                       ? container.state.cgroup_dirs
                       : exec_cgroup_dirs(container.state.cgroup_dirs,
                                          hierarchy_names(container.state.cgroup_dirs), requests);
    // On v2 the process is created there (CLONE_INTO_CGROUP), not moved in.
    cgroups.v2_dir = container_cgroups(cgroups.dirs).v2;

    UniqueFd signal_fd;
    if (!detach) {
        signal_fd = block_forwarded_signals();
        ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    const IntelRdtGroups rdt_groups = load_intel_rdt(container.dir);
    LaunchHandlers handlers;
    handlers.on_pid = [&](const LaunchedInit& launched) {
        // The namespaces were opened by pid: still alive now, the init was
        // alive then too, so its pid could not have been reused meanwhile.
        if (has_exited(init.get())) throw Error("container not running", ESRCH);
        add_to_intel_rdt(rdt_groups, launched.pid);
    };
    std::optional<TtyProxy> tty;
    handlers.on_console = [&](int master_fd) {
        console.deliver(master_fd);
        if (master) tty.emplace(std::move(master));  // sized before the process runs
    };
    handlers.on_seccomp_listener =
        seccomp_listener_handler(exec_spec, container.state, container.status);
    LaunchedInit launched = launch_init(bootstrap, exec_spec, cgroups, handlers);
    if (launched.placed_by_clone)
        log_message(runtime, "debug", "exec: process created in its cgroup v2 (CLONE_INTO_CGROUP)");
    std::string pid_file = command.flags.get("pid-file");
    if (!pid_file.empty()) write_pid_file(pid_file, launched.pid);
    if (detach) return 0;
    int status = wait_forwarding_signals(launched.pid, launched.start_time, signal_fd.get(),
                                         tty ? &*tty : nullptr);
    tty.reset();  // our terminal back to normal before anything else is printed
    return status;
}

}  // namespace

int cmd_exec(Runtime& runtime, const cli::CommandLine& command) {
    // As runc: every failure is "exec failed: ..." with status 255, so that a
    // caller can tell it from the process's own exit status.
    try {
        return exec_in_container(runtime, command);
    } catch (const std::exception& e) {
        report_error(runtime.global, std::string("exec failed: ") + e.what());
        return 255;
    }
}

}  // namespace minirunc::runtime
