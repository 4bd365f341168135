// checkpoint: the container's processes dumped by CRIU into the image path.
// As runc does, a final dump (no --leave-running, no --pre-dump) destroys
// the container afterwards: CRIU has killed its processes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "container_ops.hpp"
#include "criu_common.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/criu_plan.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "runtime.hpp"
#include "swrk.hpp"

namespace minirunc::runtime {
namespace {

// What the container's stdio are (runc's descriptors.json): restore gives
// pipes back from its own fds of the same number.
std::string stdio_descriptors(pid_t pid) {
    nlohmann::json fds = nlohmann::json::array();
    for (int fd = 0; fd < 3; ++fd) {
        std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
        char target[4096];
        ssize_t n = ::readlink(link.c_str(), target, sizeof target);
        fds.push_back(n > 0 ? std::string(target, n) : std::string("/dev/null"));
    }
    return fds.dump();
}

}  // namespace

int cmd_checkpoint(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    criu::Options options = criu::checkpoint_options(command.flags, sys::absolute_path("."));
    Container container = load_container(runtime, id);
    UniqueFd lock = lock_container_dir(container.dir);
    container.status = current_status(container.dir, container.state);
    if (container.status != Status::Running && container.status != Status::Paused)
        throw Error("container cannot be checkpointed in " + to_string(container.status) +
                    " state");
    spec::Spec spec = load_frozen_config(container.dir);
    const ContainerState& state = container.state;

    UniqueFd images = open_criu_dir(options.image_path, "image path");
    UniqueFd work = open_criu_dir(options.work_path, "work path");
    std::string root = "/proc/" + std::to_string(state.pid) + "/root";
    criu::Plan plan = criu::plan_dump(
        spec,
        [&](const std::string& path) {
            struct stat st;
            return ::stat((root + path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
        },
        criu::cgroup_mount_sources(state.cgroup_dirs,
                                   sys::path_exists("/sys/fs/cgroup/cgroup.controllers")));
    criu::Request request;
    request.type = options.pre_dump ? criu::RequestType::PreDump : criu::RequestType::Dump;
    request.options = &options;
    request.plan = &plan;
    request.images_dir_fd = images.get();
    request.work_dir_fd = work.get();
    request.log_file = options.pre_dump ? "pre-dump.log" : "dump.log";
    request.root = state.rootfs;
    request.pid = state.pid;
    request.freeze_cgroup = state.freezer_dir;
    for (const auto& ns : plan.external_namespaces) {
        struct stat st;
        if (::stat(ns.path.c_str(), &st))
            throw_errno("checkpoint: the " + ns.type + " namespace " + ns.path);
        request.external.push_back(criu::external_namespace_entry(ns, st.st_ino));
    }
    if (!options.pre_dump)
        sys::write_file_atomic(options.image_path + "/descriptors.json",
                               stdio_descriptors(state.pid), 0600);
    criu::run_swrk(runtime.global.criu, request, {}, {});
    if (!options.pre_dump && !options.leave_running) destroy_container(runtime, container);
    return 0;
}

}  // namespace minirunc::runtime
