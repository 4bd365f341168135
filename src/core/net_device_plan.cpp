#include "minirunc/net_device_plan.hpp"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <map>

#include "core/json_reader.hpp"
#include "minirunc/error.hpp"

namespace minirunc {
namespace {

[[noreturn]] void refuse(const std::string& field, const std::string& message) {
    throw Error("config.json: " + field + ": " + message);
}

bool has_network_namespace(const spec::Spec& spec) {
    for (const auto& ns : spec.linux->namespaces)
        if (ns.type == "network") return true;
    return false;
}

}  // namespace

std::vector<NetDeviceMove> plan_net_device_moves(const spec::Spec& spec, bool rootless) {
    std::vector<NetDeviceMove> moves;
    if (!spec.linux || spec.linux->net_devices.empty()) return moves;
    if (!has_network_namespace(spec)) refuse("/linux/netDevices", "requires a network namespace");
    if (rootless)
        refuse("/linux/netDevices",
               "network devices are not supported for rootless containers (moving a host "
               "device needs CAP_NET_ADMIN in the host's network namespace)");
    std::map<std::string, std::string> taken;  // name inside -> field that takes it
    for (const auto& [host_name, device] : spec.linux->net_devices) {
        NetDeviceMove move;
        move.host_name = host_name;
        move.name = device.name.empty() ? host_name : device.name;
        move.field = "/linux/netDevices/" + spec::detail::pointer_token(host_name);
        move.name_field = device.name.empty() ? move.field : move.field + "/name";
        if (!move.name_is_template()) {
            auto [it, fresh] = taken.emplace(move.name, move.name_field);
            if (!fresh)
                refuse(move.name_field, "the name \"" + move.name + "\" is also taken by " +
                                            it->second + " inside the container");
        }
        moves.push_back(std::move(move));
    }
    return moves;
}

bool address_moves_with_device(uint32_t ifa_flags, uint8_t scope) {
    return (ifa_flags & IFA_F_PERMANENT) && scope == RT_SCOPE_UNIVERSE;
}

nlohmann::json net_device_request(const std::string& netns_path,
                                  const std::vector<NetDeviceMove>& moves) {
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& m : moves)
        devices.push_back({{"host", m.host_name},
                           {"name", m.name},
                           {"field", m.field},
                           {"name_field", m.name_field}});
    return {{"netns", netns_path}, {"devices", devices}};
}

std::vector<NetDeviceMove> net_device_moves_from_request(const nlohmann::json& request,
                                                         std::string& netns_path) {
    if (!request.is_object() || !request.contains("netns") || !request["netns"].is_string() ||
        !request.contains("devices") || !request["devices"].is_array())
        throw Error("malformed request: expected {\"netns\": ..., \"devices\": [...]}");
    netns_path = request["netns"].get<std::string>();
    std::vector<NetDeviceMove> moves;
    for (const auto& d : request["devices"]) {
        if (!d.is_object() || !d.value("host", nlohmann::json()).is_string() ||
            !d.value("name", nlohmann::json()).is_string() ||
            !d.value("field", nlohmann::json()).is_string() ||
            !d.value("name_field", nlohmann::json()).is_string())
            throw Error("malformed request: a device needs host, name, field and name_field");
        moves.push_back({d["host"].get<std::string>(), d["name"].get<std::string>(),
                         d["field"].get<std::string>(), d["name_field"].get<std::string>()});
    }
    return moves;
}

}  // namespace minirunc
