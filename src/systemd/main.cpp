// minirunc-systemd: the runtime's sd-bus helper for the systemd cgroup
// driver. Dynamically linked (libsystemd has no static library), run by the
// static runtime only when --systemd-cgroup is in use.
//
//   minirunc-systemd start|set|stop < {"unit": NAME, "properties": [...]}
//
// start prints {"control_group": "/system.slice/x.scope"}; a failure exits 1
// with the message as the only line on stderr.
#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"
#include "minirunc/systemd_property.hpp"
#include "systemd_bus.hpp"

using minirunc::Error;

int main(int argc, char** argv) {
    try {
        if (argc != 2) throw Error("usage: minirunc-systemd start|set|stop < request.json");
        const std::string op = argv[1];
        std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
        nlohmann::json request = nlohmann::json::parse(input, nullptr, false);
        if (!request.is_object() || !request.contains("unit") || !request["unit"].is_string())
            throw Error("malformed request: expected {\"unit\": ..., \"properties\": [...]}");
        const std::string unit = request["unit"].get<std::string>();
        const auto properties =
            minirunc::property_list_from_json(request.value("properties", nlohmann::json::array()));
        minirunc::systemd::Manager manager;
        if (op == "start") {
            std::string group = manager.start_transient_unit(unit, properties);
            std::cout << nlohmann::json{{"control_group", group}}.dump() << std::endl;
        } else if (op == "set") {
            manager.set_unit_properties(unit, properties);
        } else if (op == "stop") {
            manager.stop_unit(unit);
        } else {
            throw Error("unknown operation \"" + op + "\"");
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << std::endl;
        return 1;
    }
}
