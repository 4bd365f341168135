#include "net_devices.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include "launcher.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/hook_process.hpp"

namespace minirunc::runtime {
namespace {

// Netlink requests answer at once; this only bounds a wedged helper.
constexpr int kNetdevHelperTimeoutSeconds = 30;

}  // namespace

bool net_devices_supported() {
#ifdef MINIRUNC_WITH_NETDEV
    return true;
#else
    return false;
#endif
}

std::vector<NetDeviceMove> plan_net_devices(const spec::Spec& spec) {
    std::vector<NetDeviceMove> moves = plan_net_device_moves(spec, ::geteuid() != 0);
    if (!moves.empty() && !net_devices_supported())
        throw Error(
            "config.json: /linux/netDevices: not supported: minirunc was built without "
            "libmnl (minirunc-netdev)");
    return moves;
}

void move_net_devices(const std::vector<NetDeviceMove>& moves, pid_t pid) {
    if (moves.empty()) return;
    spec::Hook helper;
    helper.path = helper_binary_path("minirunc-netdev", "MINIRUNC_NETDEV_HELPER");
    helper.args = {helper.path};
    helper.timeout = kNetdevHelperTimeoutSeconds;
    const std::string netns = "/proc/" + std::to_string(pid) + "/ns/net";
    run_helper_process(helper, net_device_request(netns, moves).dump(),
                       "config.json: /linux/netDevices: moving the devices took more than " +
                           std::to_string(kNetdevHelperTimeoutSeconds) + "s");
}

}  // namespace minirunc::runtime
