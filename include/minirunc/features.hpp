// The `minirunc features` document (runtime-spec features.md, schema of
// spec 1.3): what this runtime recognises, for callers to probe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minirunc {

// What the host (or this build) really supports, filled in by the runtime.
struct FeatureSwitches {
    bool apparmor = false;
    bool selinux = false;
    bool cgroup_v2 = true;
    bool systemd = false;
    bool net_devices = false;
    // Idmapped mounts (mount options "idmap"/"ridmap", mount uid/gid mappings):
    // advertised by `minirunc features` (init/idmap_mounts.cpp).
    bool idmap_mounts = false;
    // checkpoint/restore through CRIU's RPC (built with protobuf-c): runc's
    // annotation "org.opencontainers.runc.checkpoint.enabled".
    bool checkpoint = false;
    // Filter flags the kernel accepts; nullopt means all known flags.
    std::optional<std::vector<std::string>> seccomp_supported_flags;
};

nlohmann::ordered_json features_document(const FeatureSwitches& switches = {});

}  // namespace minirunc
