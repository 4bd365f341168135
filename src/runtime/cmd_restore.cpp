// restore: a new container made from the bundle's config whose processes
// CRIU brings back from the image path, placed in the configured cgroup with
// the configured limits. On failure nothing is left: no state dir, cgroup,
// mount or process.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cgroup_resources_apply.hpp"
#include "cgroups.hpp"
#include "container_ops.hpp"
#include "criu_common.hpp"
#include "foreground.hpp"
#include "hooks.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/criu_plan.hpp"
#include "minirunc/error.hpp"
#include "minirunc/paths.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"
#include "rootless.hpp"
#include "runtime.hpp"
#include "swrk.hpp"

namespace minirunc::runtime {
namespace {

// The stdio recorded by checkpoint; absent in an image from elsewhere.
std::vector<std::string> read_descriptors(const std::string& images) {
    std::string text;
    if (!sys::read_file_if_exists(images + "/descriptors.json", text)) return {};
    try {
        return nlohmann::json::parse(text).get<std::vector<std::string>>();
    } catch (const std::exception&) {
        throw Error("image path " + images + ": descriptors.json is damaged");
    }
}

void check_images(const std::string& images) {
    struct stat st;
    if (::stat(images.c_str(), &st) || !S_ISDIR(st.st_mode))
        throw Error("image path " + images + ": no such file or directory", ENOENT);
    if (!sys::path_exists(images + "/inventory.img"))
        throw Error("image path " + images +
                        ": not a checkpoint (no inventory.img): no such file or directory",
                    ENOENT);
}

// Undoes a failed restore, in reverse order.
class RestoreRollback {
  public:
    explicit RestoreRollback(std::string dir) : dir_(std::move(dir)) {}
    ~RestoreRollback() {
        if (dismissed_) return;
        try {
            if (pid_ > 0) {
                UniqueFd process = sys::open_live_process(pid_, start_time_);
                if (process) {
                    sys::send_signal(process.get(), SIGKILL);
                    sys::wait_exit(process.get(), 10000);
                }
            }
            if (!mount_.empty()) ::umount2(mount_.c_str(), MNT_DETACH);
            if (!mount_.empty()) ::rmdir(mount_.c_str());
            remove_cgroups(cgroups_, leaves_);
            sys::remove_all(dir_);
        } catch (...) {
        }
    }
    void track_cgroups(const CgroupSetup& setup) {
        cgroups_ = setup.created;
        leaves_ = setup.dirs;
    }
    void track_mount(const std::string& path) { mount_ = path; }
    void track_pid(pid_t pid) {
        auto stat = sys::read_proc_stat(pid);
        pid_ = stat ? pid : 0;
        start_time_ = stat ? stat->start_time : 0;
    }
    void dismiss() { dismissed_ = true; }

  private:
    std::string dir_;
    std::vector<std::string> cgroups_;
    std::vector<std::string> leaves_;
    std::string mount_;
    pid_t pid_ = 0;
    uint64_t start_time_ = 0;
    bool dismissed_ = false;
};

}  // namespace

int cmd_restore(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    criu::Options options = criu::restore_options(command.flags, sys::absolute_path("."));
    if (runtime.global.systemd_cgroup)
        throw Error("restore with --systemd-cgroup is not supported yet");
    bool detach = command.flags.flag("detach");
    std::string bundle = sys::absolute_path(command.flags.get("bundle", "."));
    spec::Spec spec = load_bundle_config(runtime, bundle);
    criu::check_restorable(spec);
    check_images(options.image_path);
    std::vector<std::string> descriptors = read_descriptors(options.image_path);
    const std::string rootfs = bundle_rootfs(spec, bundle).path;

    Container container;
    container.dir = make_container_dir(runtime, id);
    const spec::Hooks hooks = spec.hooks.value_or(spec::Hooks{});
    // Declared before the rollback, so that it runs after it (as create).
    PoststopOnCreateFailure poststop_on_failure(runtime, hooks, container.state);
    RestoreRollback rollback(container.dir);
    UniqueFd lock = lock_container_dir(container.dir);
    sys::write_file_atomic(frozen_config_path(container.dir), spec::to_json(spec).dump(), 0600);
    CgroupSetup cgroups = create_cgroups(spec, id, runtime.rootless.cgroups);
    rollback.track_cgroups(cgroups);
    ResourcePlan resources = plan_delegated_resources(runtime, spec, cgroups);

    ContainerState& state = container.state;
    record_new_container(state, id, bundle, rootfs, spec, cgroups);

    // CRIU wants a root that is a mount point whose parent is not overmounted.
    std::string criu_root = container.dir + "/criu-root";
    if (::mkdir(criu_root.c_str(), 0755)) throw_errno("mkdir " + criu_root);
    if (::mount(rootfs.c_str(), criu_root.c_str(), nullptr, MS_BIND | MS_REC, nullptr)) {
        ::rmdir(criu_root.c_str());
        throw_errno("bind " + rootfs + " for criu");
    }
    rollback.track_mount(criu_root);

    UniqueFd images = open_criu_dir(options.image_path, "image path");
    UniqueFd work = open_criu_dir(options.work_path, "work path");
    criu::Plan plan = criu::plan_restore(spec, bundle, cgroups.mount_sources);
    criu::Request request;
    request.type = criu::RequestType::Restore;
    request.options = &options;
    request.plan = &plan;
    request.images_dir_fd = images.get();
    request.work_dir_fd = work.get();
    request.log_file = "restore.log";
    request.root = criu_root;
    request.inherit_fds = criu::plan_inherit_fds(descriptors);
    request.cgroup_roots = criu::cgroup_roots(cgroups.dirs, cgroups.v2_dir);
    // Namespaces joined by path come back joined: criu gets them as fds 4, 5, ...
    std::vector<UniqueFd> namespaces;
    std::vector<int> extra_fds;
    for (const auto& ns : plan.external_namespaces) {
        if (options.empty_ns & criu::namespace_flag(ns.type)) continue;
        namespaces.push_back(sys::open_file(ns.path, O_RDONLY));
        extra_fds.push_back(namespaces.back().get());
        request.inherit_fds.push_back({ns.key, 3 + static_cast<int>(extra_fds.size())});
    }

    UniqueFd signal_fd;
    if (!detach) {
        signal_fd = block_forwarded_signals();
        if (!command.flags.flag("no-subreaper")) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
    criu::Callbacks callbacks;
    // The restored processes are criu's children (rst_sibling: ours), in its cgroup.
    callbacks.on_started = [&](pid_t criu) {
        join_cgroups(cgroups, criu);
        for (const auto& warning : resources.warnings) log_message(runtime, "warning", warning);
        apply_resources(resources);
    };
    callbacks.on_notify = [&](const std::string& script, pid_t pid) {
        if (script == "setup-namespaces") {
            state.pid = pid;
            rollback.track_pid(pid);
            run_create_runtime_hooks(hooks, state);
        } else if (script == "post-restore") {
            state.pid = pid;
            rollback.track_pid(pid);
        }
    };
    pid_t pid = criu::run_swrk(runtime.global.criu, request, extra_fds, callbacks);
    rollback.track_pid(pid);
    auto stat = sys::read_proc_stat(pid);
    if (!stat) throw Error("the restored process exited at once");
    state.pid = pid;
    state.pid_start_time = stat->start_time;
    save_state(container.dir, state);
    std::string pid_file = command.flags.get("pid-file");
    if (!pid_file.empty()) write_pid_file(pid_file, pid);
    ::umount2(criu_root.c_str(), MNT_DETACH);
    ::rmdir(criu_root.c_str());
    rollback.track_mount("");
    rollback.dismiss();
    container.status = Status::Running;
    lock.reset();
    if (detach) return 0;
    int status = wait_forwarding_signals(pid, state.pid_start_time, signal_fd.get());
    destroy_container(runtime, container);
    return status;
}

}  // namespace minirunc::runtime
