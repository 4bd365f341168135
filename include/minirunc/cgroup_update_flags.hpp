// `update`: runc's resource flags and the merge of an update into the
// container's current resources (runc's update.go).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "minirunc/spec.hpp"

namespace minirunc {

// The resources runc's `update` flags ask for. Keys are flag names with or
// without the leading dashes ("memory", "--cpu-quota"); values as typed.
// Memory flags take sizes ("512m", "1.5g", "-1"); an empty value is as if the
// flag were absent, as is 0 for --blkio-weight. Throws Error naming the flag
// ("invalid value for cpu-period: ...") on a bad value or an unknown flag.
spec::Resources resources_from_update_flags(const std::map<std::string, std::string>& flags);

// docker/go-units RAMInBytes: "1024", "512m", "1.5GiB", "2 kb" (binary units,
// case-insensitive, optional b/ib) to bytes. Throws Error("invalid size: '...'").
int64_t ram_in_bytes(const std::string& size);

// The resources after applying `update` to `current`, to write and to remember.
// An absent or zero value keeps the current one (docker sends zeros); -1 is
// "unlimited". Per runc: a memory limit of -1 without a swap value unlimits
// swap too; cpu.idle without shares drops the weight (the kernel refuses it
// for an idle group); burst and idle apply even at 0; weight and throttle
// devices are updated or added by major:minor; unified keys are merged;
// checkBeforeUpdate holds for this update only; devices, hugepages, network,
// rdma, swappiness, disableOOMKiller and kernel memory cannot be updated.
spec::Resources merge_update(const spec::Resources& current, const spec::Resources& update);

}  // namespace minirunc
