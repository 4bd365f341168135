#include "cgroup_view.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "minirunc/sys/file.hpp"

namespace minirunc::runtime {

std::string ContainerCgroups::v1_dir(const std::string& controller) const {
    auto it = v1.find(controller);
    return it == v1.end() ? "" : it->second;
}

const std::vector<CgroupHierarchy>& host_cgroup_hierarchies() {
    static const std::vector<CgroupHierarchy> hierarchies = parse_cgroup_hierarchies(
        sys::read_file("/proc/self/mountinfo"), sys::read_file("/proc/self/cgroup"));
    return hierarchies;
}

ContainerCgroups container_cgroups(const std::vector<std::string>& dirs) {
    const auto& hierarchies = host_cgroup_hierarchies();
    ContainerCgroups out;
    for (const auto& dir : dirs) {
        const CgroupHierarchy* best = nullptr;
        for (const auto& h : hierarchies) {
            bool below = dir == h.mount_point || dir.rfind(h.mount_point + "/", 0) == 0;
            if (below && (!best || h.mount_point.size() > best->mount_point.size())) best = &h;
        }
        if (!best) continue;
        if (best->v2) {
            out.v2 = dir;
            out.v2_mount = best->mount_point;
        } else {
            for (const auto& c : best->controllers) out.v1[c] = dir;
        }
    }
    // What create made, which is what the host had then.
    out.layout = out.v1.empty() ? (out.v2.empty() ? CgroupLayout::None : CgroupLayout::V2)
                                : (out.v2.empty() ? CgroupLayout::V1 : CgroupLayout::Hybrid);
    return out;
}

std::optional<std::string> read_cgroup_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

std::vector<std::string> list_dir(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return names;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<pid_t> subtree_pids(const std::string& dir) {
    std::vector<pid_t> pids;
    if (auto text = read_cgroup_file(dir + "/cgroup.procs")) {
        std::istringstream in(*text);
        pid_t pid;
        while (in >> pid) pids.push_back(pid);
    }
    for (const auto& child : child_cgroups(dir))
        for (pid_t pid : subtree_pids(child)) pids.push_back(pid);
    return pids;
}

std::vector<std::string> child_cgroups(const std::string& dir) {
    std::vector<std::string> children;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string name = e->d_name;
            if (e->d_type == DT_DIR && name != "." && name != "..")
                children.push_back(dir + "/" + name);
        }
        ::closedir(d);
    }
    return children;
}

}  // namespace minirunc::runtime
