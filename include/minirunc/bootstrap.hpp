// The first message the runtime sends its init: everything the init needs to
// build the container, so the init never reads host files by path itself.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minirunc {

// A cgroup hierarchy as the container's "cgroup" mount should show it.
struct CgroupMountSource {
    std::string name;      // directory under the mount: "memory", "cpu", "systemd", "unified"
    std::string host_dir;  // the container's cgroup dir on the host
    bool v2 = false;
    std::string fs_options;  // v1 mount options naming the hierarchy: "memory", "none,name=systemd"
};

struct Bootstrap {
    // "create": build a new container; "exec": join a running one (every
    // namespace in config.linux.namespaces is then given by path).
    std::string mode = "create";
    std::string id;
    nlohmann::json config;  // the full, validated config.json
    std::string bundle;
    std::string rootfs;     // absolute
    std::string exec_fifo;  // absolute path on the host (create only)
    bool no_pivot = false;
    bool no_new_keyring = false;
    int preserve_fds = 0;
    std::vector<CgroupMountSource> cgroups;
};

nlohmann::json to_json(const Bootstrap& bootstrap);
Bootstrap bootstrap_from_json(const nlohmann::json& doc);

}  // namespace minirunc
