// linux.netDevices from the runtime's side: the moves are planned (and bad
// configs refused) before anything exists, and made by the minirunc-netdev
// helper once the init has its network namespace.
#pragma once

#include <sys/types.h>

#include <vector>

#include "minirunc/net_device_plan.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::runtime {

// The moves of a config (empty without netDevices); throws naming the field
// for a rootless runtime, a config without a network namespace, or a build
// without the helper.
std::vector<NetDeviceMove> plan_net_devices(const spec::Spec& spec);

// Who moves: the runtime, from the host's network namespace, into the one
// of the container process `pid` (/proc/PID/ns/net: the namespace the init
// created, or the one it joined by path). The init never sees the host's
// devices and needs no netlink code; the runtime already holds the
// privileges moving a device needs. The helper checks every device before
// touching any, so a refused config leaves them all where they were.
void move_net_devices(const std::vector<NetDeviceMove>& moves, pid_t pid);

// Whether this build can move devices (the features document).
bool net_devices_supported();

}  // namespace minirunc::runtime
