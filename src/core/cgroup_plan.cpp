#include "minirunc/cgroup_plan.hpp"

#include <algorithm>

#include "minirunc/paths.hpp"

namespace minirunc {
namespace {

// As std::getline would split (no part after a trailing separator), without
// a stream: the first one costs every command the locale's set-up.
std::vector<std::string> split_as_getline(const std::string& text, char sep) {
    std::vector<std::string> parts;
    for (size_t start = 0; start < text.size();) {
        size_t end = std::min(text.find(sep, start), text.size());
        parts.emplace_back(text, start, end - start);
        start = end + 1;
    }
    return parts;
}

// mountinfo escapes spaces etc. as octal "\040".
std::string unescape_octal(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            int value = 0;
            bool ok = true;
            for (size_t j = 1; j <= 3; ++j) {
                char c = text[i + j];
                if (c < '0' || c > '7') ok = false;
                value = value * 8 + (c - '0');
            }
            if (ok) {
                out += static_cast<char>(value);
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::vector<std::string> v1_controllers(const std::string& super_options) {
    static const std::vector<std::string> generic = {
        "rw",     "ro",       "relatime",      "noatime",
        "nosuid", "nodev",    "noexec",        "clone_children",
        "xattr",  "noprefix", "cpuset_v2_mode"};
    std::vector<std::string> controllers;
    for (const auto& option : split_as_getline(super_options, ',')) {
        if (option.empty() || option.find("release_agent=") == 0) continue;
        if (std::find(generic.begin(), generic.end(), option) != generic.end()) continue;
        controllers.push_back(option);
    }
    std::sort(controllers.begin(), controllers.end());
    return controllers;
}

}  // namespace

std::vector<CgroupHierarchy> parse_cgroup_hierarchies(const std::string& mountinfo,
                                                      const std::string& proc_self_cgroup) {
    std::vector<CgroupHierarchy> result;
    for (const auto& line : split_as_getline(mountinfo, '\n')) {
        auto fields = split_as_getline(line, ' ');
        auto dash = std::find(fields.begin(), fields.end(), "-");
        if (fields.size() < 7 || std::distance(dash, fields.end()) < 4) continue;
        const std::string& fstype = *(dash + 1);
        if (fstype != "cgroup" && fstype != "cgroup2") continue;
        CgroupHierarchy h;
        h.mount_root = unescape_octal(fields[3]);
        h.mount_point = unescape_octal(fields[4]);
        h.v2 = fstype == "cgroup2";
        if (!h.v2) h.controllers = v1_controllers(*(dash + 3));
        bool duplicate = std::any_of(result.begin(), result.end(), [&](const CgroupHierarchy& o) {
            return o.v2 == h.v2 && o.controllers == h.controllers;
        });
        if (!duplicate) result.push_back(h);
    }
    for (const auto& line : split_as_getline(proc_self_cgroup, '\n')) {
        // "hierarchy-id:controller-list:path"
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        std::string list = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        auto controllers = split_as_getline(list, ',');
        std::sort(controllers.begin(), controllers.end());
        for (auto& h : result) {
            bool match = h.v2 ? list.empty() : (!list.empty() && controllers == h.controllers);
            if (match) h.own_path = path;
        }
    }
    return result;
}

CgroupLayout detect_layout(const std::vector<CgroupHierarchy>& hierarchies) {
    bool v1 = false, v2 = false;
    for (const auto& h : hierarchies) (h.v2 ? v2 : v1) = true;
    if (v1 && v2) return CgroupLayout::Hybrid;
    if (v1) return CgroupLayout::V1;
    if (v2) return CgroupLayout::V2;
    return CgroupLayout::None;
}

std::string container_cgroup_path(const CgroupHierarchy& hierarchy, const std::string& cgroups_path,
                                  const std::string& id) {
    std::string inner = cgroups_path.empty() ? id : cgroups_path;
    if (!inner.empty() && inner[0] == '/') return clean_path(inner);
    // Relative: keep ".." from escaping by cleaning it as if rooted.
    std::string relative = clean_path("/" + inner);
    std::string base = hierarchy.own_path.empty() ? "/" : hierarchy.own_path;
    if (hierarchy.v2) base = dirname_of(clean_path(base));
    return clean_path(join_path(base, relative));
}

std::string cgroup_dir(const CgroupHierarchy& hierarchy, const std::string& cgroup_path) {
    // A mount whose root is not the hierarchy root (e.g. inside a container)
    // shows only the part below that root.
    std::string path = clean_path(cgroup_path);
    std::string root = clean_path(hierarchy.mount_root.empty() ? "/" : hierarchy.mount_root);
    if (root != "/" && (path == root || path.rfind(root + "/", 0) == 0))
        path = path.substr(root.size());
    return clean_path(join_path(hierarchy.mount_point, path));
}

std::string hierarchy_name(const CgroupHierarchy& hierarchy) {
    if (hierarchy.v2) return "unified";
    std::string name;
    for (const auto& c : hierarchy.controllers) {
        std::string part = c.rfind("name=", 0) == 0 ? c.substr(5) : c;
        name += (name.empty() ? "" : ",") + part;
    }
    return name;
}

}  // namespace minirunc
