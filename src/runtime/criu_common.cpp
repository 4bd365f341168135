#include "criu_common.hpp"

#include <fcntl.h>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::runtime {

UniqueFd open_criu_dir(const std::string& path, const std::string& what) {
    with_context("creating the " + what + " " + path, [&] { sys::mkdir_all(path, 0700); });
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw_errno("open the " + what + " " + path);
    return fd;
}

std::vector<criu::CgroupRoot> cgroup_roots(const std::vector<std::string>& dirs,
                                           const std::string& v2_dir) {
    const std::string base = "/sys/fs/cgroup/";
    std::vector<criu::CgroupRoot> roots;
    for (const std::string& dir : dirs) {
        if (dir.rfind(base, 0) != 0) continue;
        std::string rest = dir.substr(base.size());
        if (dir == v2_dir) {
            // Pure v2, or hybrid's "unified/..." hierarchy.
            if (rest.rfind("unified/", 0) == 0) rest = rest.substr(8);
            roots.push_back({"", "/" + rest});
            continue;
        }
        size_t slash = rest.find('/');
        if (slash == std::string::npos) continue;
        roots.push_back({rest.substr(0, slash), rest.substr(slash)});
    }
    return roots;
}

std::vector<CgroupMountSource> cgroup_mount_sources(const std::vector<std::string>& dirs) {
    const std::string base = "/sys/fs/cgroup/";
    std::vector<CgroupMountSource> sources;
    if (dirs.size() == 1 && sys::path_exists(base + "cgroup.controllers"))
        return {{"", dirs[0], true, ""}};
    for (const std::string& dir : dirs) {
        if (dir.rfind(base, 0) != 0) continue;
        std::string rest = dir.substr(base.size());
        sources.push_back({rest.substr(0, rest.find('/')), dir, rest.rfind("unified", 0) == 0, ""});
    }
    return sources;
}

}  // namespace minirunc::runtime
