// linux.netDevices (runtime-spec 1.3, config-linux.md "Network Devices"):
// which host interfaces move into the container's network namespace, under
// which names, and which of their addresses go with them. Pure logic; the
// moves are made by the runtime's netlink helper (src/netdev).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "minirunc/spec.hpp"

namespace minirunc {

struct NetDeviceMove {
    std::string host_name;   // the key: the device in the runtime's network namespace
    std::string name;        // its name inside the container (the key when unset)
    std::string field;       // the JSON pointer of the entry, for errors
    std::string name_field;  // where an error about the name inside points
    // The name holds "%d": the kernel picks a free name, so no clash check.
    bool name_is_template() const { return name.find("%d") != std::string::npos; }
};

// The moves of a config, checked: refused for a rootless runtime (moving a
// host device needs CAP_NET_ADMIN in the host's namespace, as runc refuses),
// without a network namespace, or when two entries would take the same name
// inside. Empty for a config without netDevices. Throws Error naming
// /linux/netDevices.
std::vector<NetDeviceMove> plan_net_device_moves(const spec::Spec& spec, bool rootless);

// An address moves with its device when it is permanent (IFA_F_PERMANENT)
// and of global scope (RT_SCOPE_UNIVERSE), as the spec says: not link-local,
// host-scoped or autoconfigured ones, which the kernel makes anew.
bool address_moves_with_device(uint32_t ifa_flags, uint8_t scope);

// The helper's request (runtime -> minirunc-netdev on stdin) and back.
nlohmann::json net_device_request(const std::string& netns_path,
                                  const std::vector<NetDeviceMove>& moves);
std::vector<NetDeviceMove> net_device_moves_from_request(const nlohmann::json& request,
                                                         std::string& netns_path);

}  // namespace minirunc
