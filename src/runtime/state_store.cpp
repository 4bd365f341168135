#include "state_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "cgroups.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"

namespace minirunc::runtime {

std::string container_dir(const Runtime& runtime, const std::string& id) {
    return runtime.root + "/" + id;
}

std::string make_container_dir(const Runtime& runtime, const std::string& id) {
    with_context("creating the state root (--root)", [&] { sys::mkdir_all(runtime.root, 0700); });
    std::string dir = container_dir(runtime, id);
    if (::mkdir(dir.c_str(), 0711) != 0) {
        if (errno == EEXIST) throw Error("container with id exists: " + id, EEXIST);
        throw_errno("create state directory " + dir);
    }
    return dir;
}

std::string exec_fifo_path(const std::string& dir) {
    return dir + "/exec.fifo";
}

std::string frozen_config_path(const std::string& dir) {
    return dir + "/config.json";
}

spec::Spec load_frozen_config(const std::string& dir) {
    return with_context("reading the container's config",
                        [&] { return spec::parse_text(sys::read_file(frozen_config_path(dir))); });
}

UniqueFd lock_container_dir(const std::string& dir) {
    UniqueFd fd = sys::open_file(dir, O_RDONLY | O_DIRECTORY);
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR) throw_errno("lock " + dir);
    }
    return fd;
}

Container load_container(const Runtime& runtime, const std::string& id) {
    Container container;
    container.dir = container_dir(runtime, id);
    std::string text;
    if (!sys::read_file_if_exists(container.dir + "/state.json", text))
        throw Error("container does not exist", ENOENT);
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw Error("state.json of container " + id + " is corrupt");
    container.state = state_from_json(doc);
    container.status = current_status(container.dir, container.state);
    return container;
}

void save_state(const std::string& dir, const ContainerState& state) {
    sys::write_file_atomic(dir + "/state.json", to_json(state).dump(), 0600);
}

Status current_status(const std::string& dir, const ContainerState& state) {
    UniqueFd process = sys::open_live_process(state.pid, state.pid_start_time);
    if (!process) return Status::Stopped;
    return derive_status(true, sys::path_exists(exec_fifo_path(dir)), cgroup_frozen(state));
}

std::vector<std::string> list_container_ids(const Runtime& runtime) {
    std::vector<std::string> ids;
    DIR* dir = ::opendir(runtime.root.c_str());
    if (!dir) {
        if (errno == ENOENT) return ids;
        throw_errno("open " + runtime.root);
    }
    while (dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        if (sys::path_exists(runtime.root + "/" + name + "/state.json")) ids.push_back(name);
    }
    ::closedir(dir);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void write_pid_file(const std::string& path, pid_t pid) {
    sys::write_file_atomic(sys::absolute_path(path), std::to_string(pid), 0644);
}

}  // namespace minirunc::runtime
