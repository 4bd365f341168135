#include "net_devices.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include "launcher.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/hook_process.hpp"

namespace minirunc::runtime {
namespace {

// Netlink requests answer at once; this only bounds a wedged helper.
constexpr int kHelperTimeoutSeconds = 30;

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
    helper.timeout = kHelperTimeoutSeconds;
    const std::string netns = "/proc/" + std::to_string(pid) + "/ns/net";
    HookOutcome outcome =
        sys::run_hook_process(helper, net_device_request(netns, moves).dump(), "/");
    if (outcome.exec_errno)
        throw Error("running " + helper.path + ": " + errno_text(outcome.exec_errno),
                    outcome.exec_errno);
    if (outcome.timed_out_after)
        throw Error("config.json: /linux/netDevices: moving the devices took more than " +
                    std::to_string(kHelperTimeoutSeconds) + "s");
    if (!WIFEXITED(outcome.wait_status) || WEXITSTATUS(outcome.wait_status) != 0) {
        std::string message = outcome.err;
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        if (message.empty()) message = hook_failure(helper, outcome);
        throw Error(message);
    }
}

}  // namespace minirunc::runtime
