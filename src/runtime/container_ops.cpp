#include "container_ops.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <thread>
#include <utility>

#include "cgroup_freezer.hpp"
#include "cgroup_resources_apply.hpp"
#include "cgroups.hpp"
#include "console_socket.hpp"
#include "hooks.hpp"
#include "host_support.hpp"
#include "intel_rdt.hpp"
#include "launcher.hpp"
#include "lsm.hpp"
#include "minirunc/capabilities.hpp"
#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"
#include "minirunc/terminal.hpp"
#include "net_devices.hpp"
#include "rootless.hpp"
#include "seccomp_agent.hpp"
#include "seccomp_cache.hpp"
#include "seccomp_compile.hpp"
#include "systemd_cgroup.hpp"

namespace minirunc::runtime {
spec::Spec load_bundle_config(const Runtime& runtime, const std::string& bundle) {
    std::string text;
    std::string path = bundle + "/config.json";
    if (!sys::read_file_if_exists(path, text))
        throw Error("JSON specification file " + path + " not found: no such file or directory",
                    ENOENT);
    spec::Spec spec = spec::parse_text(text);
    spec::validate(spec);
    for (const std::string& warning : spec::absolutize_mount_destinations(spec))
        log_message(runtime, "warning", warning);
    if (spec.process && spec.process->capabilities) {
        const auto& caps = *spec.process->capabilities;
        for (const auto* set :
             {&caps.bounding, &caps.effective, &caps.inheritable, &caps.permitted, &caps.ambient})
            if (*set) capability_mask(**set);  // throws on an unknown name
    }
    return spec;
}

void record_new_container(ContainerState& state, const std::string& id, const std::string& bundle,
                          const std::string& rootfs, const spec::Spec& spec,
                          const CgroupSetup& cgroups) {
    state.id = id;
    state.bundle = bundle;
    state.rootfs = rootfs;
    state.created = rfc3339_now();
    state.annotations = spec.annotations;
    state.cgroup_dirs = cgroups.dirs;
    state.created_cgroup_dirs = cgroups.created;
    state.freezer_dir = cgroups.freezer_dir;
    state.freezer_v2 = cgroups.freezer_v2;
    if (cgroups.systemd) state.systemd_unit = cgroups.systemd->unit.name;
    if (spec.linux && spec.linux->resources)
        state.resources = spec::to_json(*spec.linux->resources);
}

BundleRootfs bundle_rootfs(const spec::Spec& spec, const std::string& bundle) {
    BundleRootfs rootfs;
    rootfs.path = spec.root->path[0] == '/' ? clean_path(spec.root->path)
                                            : clean_path(bundle + "/" + spec.root->path);
    if (::stat(rootfs.path.c_str(), &rootfs.st) || !S_ISDIR(rootfs.st.st_mode))
        throw Error("rootfs (" + rootfs.path + ") does not exist", ENOENT);
    return rootfs;
}

namespace {

void check_terminal_options(const spec::Spec& spec, const CreateOptions& options) {
    bool terminal = spec.process && spec.process->terminal;
    std::string problem =
        terminal_options_error(terminal, options.detach, !options.console_socket.empty());
    if (!problem.empty()) throw Error(problem);
}

// Removes what a failed create made, in reverse order.
class CreateRollback {
  public:
    explicit CreateRollback(std::string dir) : dir_(std::move(dir)) {}
    ~CreateRollback() {
        if (dismissed_) return;
        try {
            remove_intel_rdt(rdt_);
            if (!systemd_unit_.empty()) stop_systemd_unit(systemd_unit_);
            remove_cgroups(cgroups_, leaves_);
            sys::remove_all(dir_);
        } catch (...) {
        }
    }
    void track_cgroups(const std::vector<std::string>& created,
                       const std::vector<std::string>& leaves) {
        cgroups_ = created;
        leaves_ = leaves;
    }
    void track_systemd_unit(const std::string& unit) { systemd_unit_ = unit; }
    void track_intel_rdt(const IntelRdtGroups& groups) { rdt_ = groups; }
    void dismiss() { dismissed_ = true; }

  private:
    std::string dir_;
    std::vector<std::string> cgroups_;
    std::vector<std::string> leaves_;
    std::string systemd_unit_;
    IntelRdtGroups rdt_;
    bool dismissed_ = false;
};

}  // namespace

CreateOptions create_options_from(const cli::CommandLine& command) {
    CreateOptions options;
    options.bundle = command.flags.get("bundle");
    options.pid_file = command.flags.get("pid-file");
    options.console_socket = command.flags.get("console-socket");
    options.no_pivot = command.flags.flag("no-pivot");
    options.no_new_keyring = command.flags.flag("no-new-keyring");
    std::string preserve = command.flags.get("preserve-fds", "0");
    try {
        size_t used = 0;
        options.preserve_fds = std::stoi(preserve, &used);
        if (used != preserve.size() || options.preserve_fds < 0) throw std::invalid_argument("");
    } catch (const std::exception&) {
        throw Error("invalid value \"" + preserve + "\" for flag -preserve-fds");
    }
    return options;
}

// Without a mount namespace nothing can be mounted (see the spec checks), so
// no rootfs but the host's own "/" can be given the runtime-spec's /dev and /proc.
static void check_rootfs_without_mount_namespace(const spec::Spec& spec,
                                                 const struct stat& rootfs) {
    if (spec.linux)
        for (const auto& ns : spec.linux->namespaces)
            if (ns.type == "mount") return;
    struct stat host_root;
    if (::stat("/", &host_root)) throw_errno("stat /");
    if (rootfs.st_dev != host_root.st_dev || rootfs.st_ino != host_root.st_ino)
        throw Error(
            "config.json: /root/path: a rootfs other than / requires a mount namespace (the "
            "host's mount table is shared)");
}

Container create_container(Runtime& runtime, const std::string& id, const CreateOptions& options) {
    std::string bundle = sys::absolute_path(options.bundle.empty() ? "." : options.bundle);
    spec::Spec spec = load_bundle_config(runtime, bundle);
    check_lsm_labels(*spec.process, spec.linux ? spec.linux->mount_label : "");
    check_host_support(runtime, spec);
    check_terminal_options(spec, options);
    const std::vector<NetDeviceMove> net_devices = plan_net_devices(spec);
    ConsoleTarget console(options.console_socket, options.console_master);
    const BundleRootfs bundle_root = bundle_rootfs(spec, bundle);
    const std::string& rootfs = bundle_root.path;
    check_rootfs_without_mount_namespace(spec, bundle_root.st);
    // The systemd driver is checked before anything exists.
    std::optional<SystemdStart> systemd;
    if (runtime.global.systemd_cgroup)
        systemd = plan_systemd_start(
            spec, id, runtime.rootless.unprivileged || runtime.rootless.in_user_namespace);

    Container container;
    container.dir = make_container_dir(runtime, id);
    const spec::Hooks hooks = spec.hooks.value_or(spec::Hooks{});
    PoststopOnCreateFailure poststop_on_failure(runtime, hooks, container.state);
    CreateRollback rollback(container.dir);
    UniqueFd lock = lock_container_dir(container.dir);
    // 0622 whatever our umask: the init may already run as the container's user when it opens it.
    std::string fifo = exec_fifo_path(container.dir);
    if (::mkfifo(fifo.c_str(), 0622) || ::chmod(fifo.c_str(), 0622))
        throw_errno("create exec fifo");

    // The config as it was at create: exec defaults, hooks at start/delete.
    nlohmann::json config_json = spec::to_json(spec);  // also the init's, below
    sys::write_file_atomic(frozen_config_path(container.dir), config_json.dump(), 0600);
    CgroupSetup cgroups = create_cgroups(spec, id, runtime.rootless.cgroups, std::move(systemd));
    rollback.track_cgroups(cgroups.created, cgroups.dirs);
    if (cgroups.processes_found)  // runc's words, which its suite matches
        log_message(runtime, "warning",
                    "container's cgroup is not empty: " + std::to_string(cgroups.processes_found) +
                        " process(es) found");
    if (cgroups.systemd) rollback.track_systemd_unit(cgroups.systemd->unit.name);
    // Limits are planned now (a config error fails before anything runs) and
    // written once the init is set up, before the hooks run (as runc does).
    // systemd makes the unit's cgroup only when the init joins: planned then.
    std::optional<ResourcePlan> resources;
    if (!cgroups.systemd) resources = plan_delegated_resources(runtime, spec, cgroups);
    bool resources_applied = false;
    auto apply_resources_once = [&] {
        if (std::exchange(resources_applied, true)) return;
        if (!resources) resources = plan_delegated_resources(runtime, spec, cgroups);
        for (const auto& warning : resources->warnings) log_message(runtime, "warning", warning);
        apply_resources(*resources);
    };

    ContainerState& state = container.state;
    record_new_container(state, id, bundle, rootfs, spec, cgroups);

    Bootstrap bootstrap;
    bootstrap.id = id;
    bootstrap.config = std::move(config_json);
    bootstrap.bundle = bundle;
    bootstrap.rootfs = rootfs;
    bootstrap.exec_fifo = exec_fifo_path(container.dir);
    bootstrap.no_pivot = options.no_pivot;
    bootstrap.no_new_keyring = options.no_new_keyring;
    bootstrap.preserve_fds = options.preserve_fds;
    bootstrap.in_user_namespace = runtime.rootless.in_user_namespace;
    bootstrap.cgroups = cgroups.mount_sources;
    attach_seccomp(
        bootstrap, spec,
        seccomp_cache_dir(runtime.rootless.unprivileged || runtime.rootless.in_user_namespace));

    LaunchHandlers handlers;
    handlers.on_pid = [&](const LaunchedInit& init) {
        // Recorded before any container setup, so a crash from here on leaves
        // a container that `delete --force` can find and clean.
        state.pid = init.pid;
        state.pid_start_time = init.start_time;
        save_state(container.dir, state);
        // Its network namespace exists (made or joined): the devices go in now.
        move_net_devices(net_devices, init.pid);
        if (spec.linux && spec.linux->intel_rdt) {
            IntelRdtGroups groups = join_intel_rdt(*spec.linux->intel_rdt, id, init.pid);
            rollback.track_intel_rdt(groups);
            save_intel_rdt(container.dir, groups);
        }
    };
    handlers.on_hooks = [&](const std::string& phase) {
        if (phase != "create_runtime") throw Error("unknown hook phase \"" + phase + "\"");
        apply_resources_once();
        return run_create_runtime_hooks(hooks, state);
    };
    handlers.on_console = [&](int master_fd) { console.deliver(master_fd); };
    handlers.on_ready = apply_resources_once;
    handlers.on_seccomp_listener = seccomp_listener_handler(spec, state, Status::Creating);
    LaunchedInit launched = launch_init(bootstrap, spec, cgroups, handlers);
    if (launched.placed_by_clone)
        log_message(runtime, "debug", "init created in its cgroup v2 (CLONE_INTO_CGROUP)");
    if (!options.pid_file.empty()) write_pid_file(options.pid_file, state.pid);
    rollback.dismiss();
    container.status = Status::Created;
    return container;
}

void start_container(const Runtime& runtime, Container& container) {
    if (container.status == Status::Stopped)
        throw Error("cannot start a container that has stopped");
    if (container.status != Status::Created)
        throw Error("cannot start an already " + to_string(container.status) + " container");
    spec::Hooks hooks = frozen_hooks(container.dir);
    // The pidfd first: once the fifo is open the workload may run and exit at once.
    UniqueFd process = sys::open_live_process(container.state.pid, container.state.pid_start_time);
    if (!process) throw Error("cannot start a container that has stopped");
    std::string fifo_path = exec_fifo_path(container.dir);
    UniqueFd fifo = sys::open_file(fifo_path, O_RDONLY | O_NONBLOCK);
    pollfd fds[2] = {{fifo.get(), POLLIN, 0}, {process.get(), POLLIN, 0}};
    for (;;) {
        int n = ::poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("wait for container init");
        if (fds[0].revents & POLLIN) break;
        if (fds[1].revents) throw Error("container init exited before start");
    }
    char byte;
    if (::read(fifo.get(), &byte, 1) != 1) throw Error("container init exited before start");
    ::unlink(fifo_path.c_str());
    container.status = Status::Running;
    // A failing startContainer (reported by the init) or poststart hook stops
    // and destroys the container, poststop hooks included.
    try {
        std::string failure = await_workload_exec(fifo.get());
        if (!failure.empty()) throw Error(failure);
        run_poststart_hooks(hooks, container.state);
    } catch (const Error&) {
        destroy_container(runtime, container);
        throw;
    }
}

void signal_container(const Container& container, int signal, bool all) {
    if (all) {
        signal_all_processes(container.state, signal);
        return;
    }
    UniqueFd process = sys::open_live_process(container.state.pid, container.state.pid_start_time);
    if (!process) throw Error("container not running", ESRCH);
    sys::send_signal(process.get(), signal);
}

void destroy_container(const Runtime& runtime, const Container& container) {
    // Already destroyed (a failed start inside `run`): no second poststop.
    if (!sys::path_exists(container.dir)) return;
    spec::Hooks hooks = frozen_hooks_or_warn(runtime, container.dir);
    const ContainerState& state = container.state;
    UniqueFd init = sys::open_live_process(state.pid, state.pid_start_time);
    if (init) sys::send_signal(init.get(), SIGKILL);
    // Every other process of the container goes too (thawed if paused, so
    // that SIGKILL is delivered; nothing forks away meanwhile).
    signal_all_processes(state, SIGKILL);
    if (init) sys::wait_exit(init.get(), 10000);
    if (!state.systemd_unit.empty()) stop_systemd_unit_or_warn(runtime, state.systemd_unit);
    remove_cgroups(state.created_cgroup_dirs, state.cgroup_dirs);
    remove_intel_rdt(load_intel_rdt(container.dir));
    sys::remove_all(container.dir);
    run_poststop_hooks(runtime, hooks, state);
}

}  // namespace minirunc::runtime
