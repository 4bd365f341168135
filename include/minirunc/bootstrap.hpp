// The first message the runtime sends its init: everything the init needs to
// build the container, so the init never reads host files by path itself.
#pragma once

#include <optional>
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

// The container's seccomp filter, compiled by the runtime (linux.seccomp is
// then left out of `config`: the init needs only this).
struct SeccompProgram {
    std::string bpf;          // struct sock_filter[], as raw bytes
    unsigned long flags = 0;  // for seccomp(SECCOMP_SET_MODE_FILTER, flags, ...)
    bool notify = false;      // a rule notifies: the listener goes to the runtime
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
    // The runtime itself runs in a user namespace other than the initial one
    // (rootless podman's): no mknod there, devices are bind-mounted.
    bool in_user_namespace = false;
    std::vector<CgroupMountSource> cgroups;
    std::optional<SeccompProgram> seccomp;
};

nlohmann::json to_json(const Bootstrap& bootstrap);
Bootstrap bootstrap_from_json(const nlohmann::json& doc);

}  // namespace minirunc
