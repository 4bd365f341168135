// Moving the configured host devices into the container's network namespace.
#pragma once

#include <vector>

#include "minirunc/net_device_plan.hpp"

namespace minirunc::netdev {

// From the caller's (the runtime's) network namespace into the one of
// `container_netns_fd`: every device is checked first (it exists here, its
// name is free there), then each is set down, moved and renamed in one
// RTM_NEWLINK, given back its permanent global addresses and set up there.
// Errors name the config field; a failure part-way moves the devices already
// moved back under their old names, with their addresses and up state, so a
// failed create leaves every device where it was.
void move_devices(const std::vector<NetDeviceMove>& moves, int container_netns_fd);

}  // namespace minirunc::netdev
