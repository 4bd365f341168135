// minirunc-netdev: moves linux.netDevices into a container's network
// namespace. The runtime runs it on the host, in its own network namespace,
// once the init has made the container's (or joined one by path), before the
// container is set up further. A helper rather than code in the runtime:
// Debian ships libmnl only as a shared library and the runtime is static,
// so the netlink code lives here, dynamically linked, and costs nothing to
// a container without netDevices.
//
//   minirunc-netdev < {"netns": "/proc/PID/ns/net", "devices": [...]}
//
// A failure exits 1 with the message as the only line on stderr.
#include <fcntl.h>

#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"
#include "minirunc/net_device_plan.hpp"
#include "minirunc/unique_fd.hpp"
#include "move_devices.hpp"

using minirunc::Error;

int main(int argc, char**) {
    try {
        if (argc != 1) throw Error("usage: minirunc-netdev < request.json");
        std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
        std::string netns_path;
        auto moves = minirunc::net_device_moves_from_request(
            nlohmann::json::parse(input, nullptr, false), netns_path);
        minirunc::UniqueFd netns(::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns)
            minirunc::throw_errno("opening the container's network namespace " + netns_path);
        minirunc::netdev::move_devices(moves, netns.get());
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << std::endl;
        return 1;
    }
}
