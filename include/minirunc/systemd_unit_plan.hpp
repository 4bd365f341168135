// The systemd cgroup driver's decisions, by runc's rules
// (libcontainer/cgroups/systemd): which unit a container gets from its
// cgroupsPath ("slice:prefix:name"), where that unit's cgroup is, and the
// unit properties that start it and carry its linux.resources. Pure; the
// runtime hands the properties to its sd-bus helper and writes whatever
// systemd has no property for to the cgroup files itself.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "minirunc/device_rules.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/systemd_property.hpp"

namespace minirunc {

struct SystemdUnit {
    std::string name;         // "minirunc-abc.scope", or a slice "abc.slice"
    std::string slice;        // the parent slice ("system.slice")
    std::string cgroup_path;  // "/system.slice/minirunc-abc.scope" (below the hierarchy root)
    std::string container;    // the name part, for the description

    bool is_slice() const;
};

// The unit for a container: cgroupsPath "slice:prefix:name" (an empty slice is
// system.slice), or with no cgroupsPath "system.slice:<default_prefix>:<id>".
// Throws Error naming the field ("config.json: /linux/cgroupsPath: expected
// cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got
// \"...\" instead") or an invalid slice name.
SystemdUnit systemd_unit_for(const std::string& cgroups_path, const std::string& id,
                             const std::string& default_prefix = "minirunc");

// systemd's slice nesting: "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice",
// "-.slice" -> "/". Throws Error("invalid slice name: ...").
std::string expand_slice(const std::string& slice);

// The properties that create the unit with `pid` in it (runc's Apply):
// Description, Slice (Wants for a slice), Delegate, PIDs, accounting,
// DefaultDependencies=no, then `extra` (the annotations' properties).
std::vector<UnitProperty> unit_start_properties(const SystemdUnit& unit, pid_t pid, bool v2,
                                                const std::vector<UnitProperty>& extra = {});

// linux.resources as unit properties (runc's genV1/genV2ResourcesProperties),
// so that systemd, which rewrites a unit's cgroup from its properties, keeps
// them: memory, CPU weight/shares and quota, tasks, IO weight, cpusets, the
// `unified` keys it knows and, when `device_rules` is given, DevicePolicy and
// DeviceAllow. `proc_devices` is the text of /proc/devices (device groups for
// "c 136:* rwm" rules). Throws Error as the cgroup planners do.
std::vector<UnitProperty> unit_resource_properties(const spec::Resources& resources, bool v2,
                                                   const std::vector<DeviceRule>* device_rules,
                                                   const std::string& proc_devices = "");

// runc's RangeToBits: a cpuset list ("0-2,7") as the little-endian byte mask
// systemd takes for AllowedCPUs/AllowedMemoryNodes. Throws Error.
std::vector<uint8_t> range_to_bits(const std::string& list);

// CPUQuotaPerSecUSec for a quota/period, rounded up to whole percents as
// systemd stores it; max for no quota.
uint64_t cpu_quota_per_sec_usec(int64_t quota, uint64_t period);

}  // namespace minirunc
