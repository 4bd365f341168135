#include "pidns_pids.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "minirunc/sys/process.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {
namespace {

struct NsId {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const NsId&) const = default;
};

bool pid_ns_of(const std::string& proc_dir, NsId& id) {
    struct stat st;
    if (::stat((proc_dir + "/ns/pid").c_str(), &st)) return false;
    id = {st.st_dev, st.st_ino};
    return true;
}

}  // namespace

std::vector<pid_t> pid_namespace_pids(const ContainerState& state) {
    // Checked live with its start time: a recycled pid is not the container.
    UniqueFd init = sys::open_live_process(state.pid, state.pid_start_time);
    if (!init) return {};
    NsId container, ours;
    if (!pid_ns_of("/proc/" + std::to_string(state.pid), container) ||
        !pid_ns_of("/proc/self", ours) || container == ours)
        return {state.pid};
    std::vector<pid_t> pids = {state.pid};
    DIR* proc = ::opendir("/proc");
    if (!proc) return pids;
    while (dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        long pid = std::strtol(entry->d_name, &end, 10);
        if (pid <= 0 || *end != '\0' || pid == state.pid) continue;
        NsId ns;
        if (pid_ns_of(std::string("/proc/") + entry->d_name, ns) && ns == container)
            pids.push_back(static_cast<pid_t>(pid));
    }
    ::closedir(proc);
    return pids;
}

}  // namespace minirunc::runtime
