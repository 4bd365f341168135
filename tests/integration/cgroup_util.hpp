// Looking at a container's cgroups from the host, for the resource, pause,
// update and events tests; and running the runtime as on a host with only
// cgroup v2.
#pragma once

#include <string>
#include <vector>

#include "harness.hpp"

namespace minirunc::test {

// The mount point of the v1 hierarchy with `controller` ("" when not mounted).
std::string v1Mount(const std::string& controller);
// The mount point of the cgroup2 hierarchy ("" when not mounted).
std::string v2Mount();

// True on a host with cgroup v2 only: cgroup2 at /sys/fs/cgroup with
// controllers to give (the VM lane, tests/vm/run-in-vm.sh).
bool pureCgroupV2();
// The text of `file` in the cgroup2 directory `path` (a cgroupsPath), trimmed;
// "" when unreadable.
std::string v2File(const std::string& path, const std::string& file);

// The text of `file` in the container's cgroup (cgroupsPath `path`) of the v1
// hierarchy holding the file's controller (the prefix before the first dot),
// trimmed; "" when unreadable.
std::string v1File(const std::string& path, const std::string& file);

// "major:minor" of a disk of the host (not a loop, zram or empty device), "" if none.
std::string hostBlockDevice();

// The first CPU and the first memory node the cgroup root offers, for cpuset
// tests: "0" on most hosts, but not where the root is restricted or node 0
// has no memory.
std::string firstAllowedCpu();
std::string firstAllowedMemoryNode();

// True when the kernel has the fuse driver, loaded or as a module: the device
// tests open /dev/fuse inside the container, and without the driver even an
// allowed open fails.
bool hostHasFuse();

// A shell script that unmounts every v1 cgroup hierarchy in its (private)
// mount namespace and then runs "$@": the runtime then sees a host with
// cgroup v2 only (/sys/fs/cgroup/unified here), as on a pure v2 machine.
std::vector<std::string> withCgroup2Only(const std::vector<std::string>& argv);

// cfg with /dev/fuse (10:229, which opens without capabilities) in linux.devices
// and device rules denying everything but the defaults, plus it when `allow`.
json withFuseDevice(json cfg, bool allow);
// Prints "open-ok" if /dev/fuse opens, else "denied".
extern const char* const kOpenFuseScript;

}  // namespace minirunc::test
