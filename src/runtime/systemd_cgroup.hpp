// The systemd cgroup driver (--systemd-cgroup), runtime side: plans the
// container's transient unit and drives it through minirunc-systemd, the
// sd-bus helper (this binary is static; libsystemd is not). Everything after
// the unit exists (limits systemd has no property for, freezer, pids, stats)
// works on the unit's cgroup directories like the fs driver.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "cgroups.hpp"
#include "minirunc/spec.hpp"
#include "minirunc/systemd_property.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {

// The unit for a new container, checked before anything is made: the driver
// is built in, we are not rootless, systemd runs (/run/systemd/system), the
// cgroupsPath, annotations and resources convert (errors name the field).
SystemdStart plan_systemd_start(const spec::Spec& spec, const std::string& id, bool rootless);

// StartTransientUnit with `pid` in the unit, waiting for systemd's job.
void start_systemd_unit(const SystemdStart& start, pid_t pid);
// SetUnitProperties (runtime): what `update` changes.
void set_systemd_unit_properties(const std::string& unit,
                                 const std::vector<UnitProperty>& properties);
// StopUnit and ResetFailedUnit; a unit already gone is fine.
void stop_systemd_unit(const std::string& unit);
// The same at delete: a failure is only a warning, delete goes on.
void stop_systemd_unit_or_warn(const Runtime& runtime, const std::string& unit) noexcept;

}  // namespace minirunc::runtime
