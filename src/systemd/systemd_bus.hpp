// The few calls of systemd's D-Bus API the systemd cgroup driver makes, with
// libsystemd's sd-bus: start a transient unit and wait for its job, set
// properties at runtime, stop and reset a unit.
#pragma once

#include <systemd/sd-bus.h>

#include <memory>
#include <string>
#include <vector>

#include "minirunc/systemd_property.hpp"

namespace minirunc::systemd {

struct BusDeleter {
    void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
using BusPtr = std::unique_ptr<sd_bus, BusDeleter>;
struct SlotDeleter {
    void operator()(sd_bus_slot* slot) const { sd_bus_slot_unref(slot); }
};
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotDeleter>;
struct MessageDeleter {
    void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
using MessagePtr = std::unique_ptr<sd_bus_message, MessageDeleter>;

// A connection to the system bus and systemd on it.
class Manager {
  public:
    // Throws Error when the bus cannot be reached.
    Manager();

    // systemd's version ("252.38-1" -> 252); 0 when it does not say.
    int version();

    // StartTransientUnit in "replace" mode, waiting for its job: a leftover
    // failed unit of the same name is reset and the start tried once more.
    // Properties newer than this systemd are left out. Returns the unit's
    // ControlGroup. Throws Error.
    std::string start_transient_unit(const std::string& unit,
                                     const std::vector<UnitProperty>& properties);
    // SetUnitProperties(runtime=true). Throws Error.
    void set_unit_properties(const std::string& unit, const std::vector<UnitProperty>& properties);
    // StopUnit, waiting for its job, then ResetFailedUnit. A unit that is
    // already gone is not an error.
    void stop_unit(const std::string& unit);

  private:
    std::vector<UnitProperty> supported(const std::vector<UnitProperty>& properties);
    // Waits (up to 30 s) for the JobRemoved signal of `job`; returns its result.
    std::string wait_for_job(const std::string& job);
    void reset_failed(const std::string& unit);
    std::string control_group(const std::string& unit);

    static int on_job_removed(sd_bus_message* m, void* self, sd_bus_error* error);

    BusPtr bus_;
    SlotPtr job_match_;  // before bus_ goes
    int version_ = -1;
    std::vector<std::pair<std::string, std::string>> removed_jobs_;  // path, result
};

}  // namespace minirunc::systemd
