#include "minirunc/features.hpp"

#include <nlohmann/json.hpp>
#include "minirunc/build_info.hpp"

#include "minirunc/capabilities.hpp"
#include "minirunc/mount_options.hpp"
#include "minirunc/seccomp_names.hpp"

namespace minirunc {

// runtime-spec's Features struct order (runc prints it so); maps such as
// annotations sorted, as Go prints them.
nlohmann::ordered_json features_document(const FeatureSwitches& switches) {
    using json = nlohmann::ordered_json;
    const auto& known_flags = seccomp_flag_names();
    json seccomp = {
        {"enabled", true},
        {"actions", seccomp_action_names()},
        {"operators", seccomp_operator_names()},
        {"archs", seccomp_arch_names()},
        {"knownFlags", known_flags},
        {"supportedFlags", switches.seccomp_supported_flags.value_or(known_flags)},
    };
    std::vector<std::string> mount_options;
    for (const auto& option : known_mount_options())
        if (switches.idmap_mounts || (option != "idmap" && option != "ridmap"))
            mount_options.push_back(option);
    json linux_features = {
        {"namespaces", {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"}},
        {"capabilities", all_capability_names()},
        // v1/v2 say what is compiled in, not what the host mounts.
        {"cgroup",
         {{"v1", true},
          {"v2", switches.cgroup_v2},
          {"systemd", switches.systemd},
          {"systemdUser", false},
          {"rdma", true}}},
        {"seccomp", seccomp},
        {"apparmor", {{"enabled", switches.apparmor}}},
        {"selinux", {{"enabled", switches.selinux}}},
        // Implemented; a host without resctrl refuses the config (runtime-spec).
        {"intelRdt", {{"enabled", true}, {"schemata", true}, {"monitoring", true}}},
        {"memoryPolicy",
         {{"modes",
           {"MPOL_BIND", "MPOL_DEFAULT", "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_PREFERRED",
            "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"}},
          {"flags", {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"}}}},
        {"mountExtensions", {{"idmap", {{"enabled", switches.idmap_mounts}}}}},
        {"netDevices", {{"enabled", switches.net_devices}}},
    };
    nlohmann::ordered_json doc = {
        {"ociVersionMin", "1.0.0"},
        {"ociVersionMax", "1.3.0"},
        {"hooks",
         {"prestart", "createRuntime", "createContainer", "startContainer", "poststart",
          "poststop"}},
        {"mountOptions", mount_options},
        {"linux", linux_features},
    };
    auto& annotations = doc["annotations"];
    annotations["io.github.minirunc.commit"] = build_commit();
    annotations["io.github.minirunc.version"] = MINIRUNC_VERSION;
    if (switches.checkpoint) annotations["org.opencontainers.runc.checkpoint.enabled"] = "true";
    return doc;
}

}  // namespace minirunc
