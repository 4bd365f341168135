// exec: run one more process in a running container. The init joins every
// namespace and the cgroup of the container and applies the same identity
// and security settings; nothing from the container runs before its execve.
#include <signal.h>
#include <sys/prctl.h>

#include "cgroups.hpp"
#include "container_ops.hpp"
#include "foreground.hpp"
#include "launcher.hpp"
#include "minirunc/cgroup_plan.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/exec_plan.hpp"
#include "minirunc/sys/file.hpp"
#include "runtime.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {
namespace {

std::optional<std::string> optional_flag(const cli::ParsedFlags& flags, const std::string& name) {
    if (!flags.has(name)) return std::nullopt;
    return flags.get(name);
}

spec::Process exec_process(const cli::CommandLine& command, const spec::Spec& config) {
    const auto& flags = command.flags;
    if (flags.has("process")) {
        std::string path = flags.get("process");
        nlohmann::json doc = nlohmann::json::parse(sys::read_file(path), nullptr, false);
        if (doc.is_discarded() || !doc.is_object())
            throw Error("process file " + path + ": invalid JSON");
        spec::Process process = spec::parse_process(doc, "");
        if (process.args.empty())
            throw Error("process file " + path + ": /args: must not be empty");
        if (flags.flag("tty")) process.terminal = true;
        return process;
    }
    ExecFlags exec;
    exec.args.assign(command.args.begin() + 1, command.args.end());
    if (!exec.args.empty() && exec.args[0] == "--") exec.args.erase(exec.args.begin());
    exec.cwd = optional_flag(flags, "cwd");
    exec.env = flags.all("env");
    exec.tty = flags.flag("tty");
    exec.user = optional_flag(flags, "user");
    exec.additional_gids = flags.all("additional-gids");
    exec.no_new_privs = flags.flag("no-new-privs");
    exec.caps = flags.all("cap");
    exec.apparmor = optional_flag(flags, "apparmor");
    exec.process_label = optional_flag(flags, "process-label");
    return merge_exec_process(config.process.value_or(spec::Process{}), exec);
}

// The hierarchy name of each container cgroup dir, for --cgroup controller:path.
std::vector<std::string> hierarchy_names(const std::vector<std::string>& dirs) {
    auto hierarchies = parse_cgroup_hierarchies(sys::read_file("/proc/self/mountinfo"),
                                                sys::read_file("/proc/self/cgroup"));
    std::vector<std::string> names;
    for (const auto& dir : dirs) {
        std::string name;
        for (const auto& h : hierarchies)
            if (dir.rfind(h.mount_point + "/", 0) == 0) name = hierarchy_name(h);
        names.push_back(name);
    }
    return names;
}

}  // namespace

int cmd_exec(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    Container container = load_container(runtime, id);
    if (container.status == Status::Paused && !command.flags.flag("ignore-paused"))
        throw Error("cannot exec in a paused container (use --ignore-paused to override)");
    if (container.status != Status::Running && container.status != Status::Paused)
        throw Error("container not running");

    spec::Spec config = load_frozen_config(container.dir);
    spec::Process process = exec_process(command, config);
    bool detach = command.flags.flag("detach");
    std::string console_socket = command.flags.get("console-socket");
    if (process.terminal && detach && console_socket.empty())
        throw Error("cannot allocate tty if minirunc will detach without setting console socket");
    if (!process.terminal && !console_socket.empty())
        throw Error("cannot use console socket if minirunc will not detach or allocate tty");

    CreateOptions options = create_options_from(command);
    spec::Spec exec_spec = config;
    exec_spec.process = process;
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

    CgroupSetup cgroups;
    cgroups.dirs =
        exec_cgroup_dirs(container.state.cgroup_dirs, hierarchy_names(container.state.cgroup_dirs),
                         command.flags.all("cgroup"));

    UniqueFd signal_fd;
    if (!detach) {
        signal_fd = block_forwarded_signals();
        ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    LaunchHandlers handlers;
    LaunchedInit launched = launch_init(bootstrap, exec_spec, cgroups, handlers);
    std::string pid_file = command.flags.get("pid-file");
    if (!pid_file.empty()) write_pid_file(pid_file, launched.pid);
    if (detach) return 0;
    return wait_forwarding_signals(launched.pid, launched.start_time, signal_fd.get());
}

}  // namespace minirunc::runtime
