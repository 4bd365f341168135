#include "minirunc/default_spec.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace minirunc {
namespace {

using nlohmann::json;

json base_spec() {
    const json caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    return {
        {"ociVersion", "1.3.0"},
        {"process",
         {{"terminal", true},
          {"user", {{"uid", 0}, {"gid", 0}}},
          {"args", {"sh"}},
          {"env",
           {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
          {"cwd", "/"},
          {"capabilities",
           {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
          {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
          {"noNewPrivileges", true}}},
        {"root", {{"path", "rootfs"}, {"readonly", true}}},
        {"hostname", "minirunc"},
        {"mounts",
         json::array({
             {{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
             {{"destination", "/dev"},
              {"type", "tmpfs"},
              {"source", "tmpfs"},
              {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
             {{"destination", "/dev/pts"},
              {"type", "devpts"},
              {"source", "devpts"},
              {"options",
               {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}}},
             {{"destination", "/dev/shm"},
              {"type", "tmpfs"},
              {"source", "shm"},
              {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
             {{"destination", "/dev/mqueue"},
              {"type", "mqueue"},
              {"source", "mqueue"},
              {"options", {"nosuid", "noexec", "nodev"}}},
             {{"destination", "/sys"},
              {"type", "sysfs"},
              {"source", "sysfs"},
              {"options", {"nosuid", "noexec", "nodev", "ro"}}},
             {{"destination", "/sys/fs/cgroup"},
              {"type", "cgroup"},
              {"source", "cgroup"},
              {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}},
         })},
        {"linux",
         {{"resources", {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}}},
          {"namespaces", json::array({{{"type", "pid"}},
                                      {{"type", "network"}},
                                      {{"type", "ipc"}},
                                      {{"type", "uts"}},
                                      {{"type", "mount"}}})},
          {"maskedPaths",
           {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi"}},
          {"readonlyPaths",
           {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}}},
    };
}

// runc's specconv.ToRootless.
void make_rootless(json& spec, uint32_t uid, uint32_t gid) {
    json& linux = spec["linux"];
    json namespaces = json::array();
    for (const json& ns : linux["namespaces"]) {
        const auto type = ns["type"].get<std::string>();
        if (type != "network" && type != "user") namespaces.push_back(ns);
    }
    namespaces.push_back({{"type", "user"}});
    linux["namespaces"] = namespaces;
    linux["uidMappings"] = json::array({{{"containerID", 0}, {"hostID", uid}, {"size", 1}}});
    linux["gidMappings"] = json::array({{{"containerID", 0}, {"hostID", gid}, {"size", 1}}});
    linux.erase("resources");  // an unprivileged user cannot set up cgroups

    for (json& mount : spec["mounts"]) {
        if (mount["destination"] == "/sys") {
            // sysfs cannot be mounted without owning the network namespace.
            mount = {{"destination", "/sys"},
                     {"type", "none"},
                     {"source", "/sys"},
                     {"options", {"rbind", "nosuid", "noexec", "nodev", "ro"}}};
            continue;
        }
        if (!mount.contains("options")) continue;
        // Only ids mapped into the user namespace (just 0) could be used.
        json options = json::array();
        for (const json& opt : mount["options"]) {
            const auto text = opt.get<std::string>();
            if (text.rfind("gid=", 0) != 0 && text.rfind("uid=", 0) != 0) options.push_back(opt);
        }
        mount["options"] = options;
    }
}

}  // namespace

json default_spec(bool rootless, uint32_t uid, uint32_t gid) {
    json spec = base_spec();
    if (rootless) make_rootless(spec, uid, gid);
    return spec;
}

}  // namespace minirunc
