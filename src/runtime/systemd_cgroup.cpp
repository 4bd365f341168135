#include "systemd_cgroup.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "cgroup_view.hpp"
#include "launcher.hpp"
#include "minirunc/cgroup_plan.hpp"
#include "minirunc/device_rules.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/hook_process.hpp"
#include "minirunc/systemd_unit_plan.hpp"

namespace minirunc::runtime {
namespace {

// Longer than the helper's own 30 s wait for a job.
constexpr int kSystemdHelperTimeoutSeconds = 60;

void check_driver_usable(bool rootless) {
#ifndef MINIRUNC_WITH_SYSTEMD
    throw Error(
        "systemd cgroup driver (--systemd-cgroup) is not supported: minirunc was built "
        "without libsystemd");
#else
    // Rootless (an ordinary user, or uid 0 of a user namespace such as rootless
    // podman's): the system bus's systemd is not ours to ask.
    if (rootless)
        throw Error(
            "systemd cgroup driver (--systemd-cgroup) needs root: rootless systemd "
            "cgroups are not supported");
    struct stat st;
    if (::lstat("/run/systemd/system", &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(
            "systemd cgroup flag passed, but systemd support for managing cgroups is "
            "not available (systemd is not running: no /run/systemd/system)");
#endif
}

bool host_is_v2() {
    const auto& hierarchies = host_cgroup_hierarchies();
    return detect_layout(hierarchies) == CgroupLayout::V2;
}

// Runs the helper with the request on stdin; its stdout, or its one-line
// error thrown as ours.
std::string run_helper(const std::string& op, const nlohmann::json& request) {
    spec::Hook helper;
    helper.path = helper_binary_path("minirunc-systemd", "MINIRUNC_SYSTEMD_HELPER");
    helper.args = {helper.path, op};
    // Only what sd-bus reads: where the system bus is.
    if (const char* bus = std::getenv("DBUS_SYSTEM_BUS_ADDRESS"))
        helper.env.push_back(std::string("DBUS_SYSTEM_BUS_ADDRESS=") + bus);
    helper.timeout = kSystemdHelperTimeoutSeconds;
    return run_helper_process(helper, request.dump(),
                              "systemd did not answer within " +
                                  std::to_string(kSystemdHelperTimeoutSeconds) + "s (" + op + ")");
}

}  // namespace

SystemdStart plan_systemd_start(const spec::Spec& spec, const std::string& id, bool rootless) {
    SystemdStart start;
    start.unit = systemd_unit_for(spec.linux ? spec.linux->cgroups_path : "", id);
    check_driver_usable(rootless);
    start.v2 = host_is_v2();
    start.properties = annotation_properties(spec.annotations);
    const spec::Resources resources =
        spec.linux && spec.linux->resources ? *spec.linux->resources : spec::Resources{};
    static const std::vector<spec::Device> kNoDevices;
    std::vector<DeviceRule> rules;
    std::string proc_devices;
    try {
        rules = container_device_rules(resources.devices,
                                       spec.linux ? spec.linux->devices : kNoDevices);
        proc_devices = sys::read_file("/proc/devices");
    } catch (const Error& e) {
        throw e.wrap("config.json: /linux/resources/devices");
    }
    std::vector<UnitProperty> limits;
    try {
        limits = unit_resource_properties(resources, start.v2, &rules, proc_devices);
    } catch (const Error& e) {
        throw e.wrap("config.json: /linux/resources");
    }
    // After the annotations: linux.resources wins, as in runc (Set after Apply).
    start.properties.insert(start.properties.end(), limits.begin(), limits.end());
    return start;
}

void start_systemd_unit(const SystemdStart& start, pid_t pid) {
    nlohmann::json request = {{"unit", start.unit.name},
                              {"properties", to_json(unit_start_properties(
                                                 start.unit, pid, start.v2, start.properties))}};
    run_helper("start", request);
}

void set_systemd_unit_properties(const std::string& unit,
                                 const std::vector<UnitProperty>& properties) {
    if (properties.empty()) return;
    run_helper("set", {{"unit", unit}, {"properties", to_json(properties)}});
}

void stop_systemd_unit(const std::string& unit) {
    run_helper("stop", {{"unit", unit}, {"properties", nlohmann::json::array()}});
}

void stop_systemd_unit_or_warn(const Runtime& runtime, const std::string& unit) noexcept {
    try {
        stop_systemd_unit(unit);
    } catch (const std::exception& e) {
        try {
            log_message(runtime, "warning", "stopping systemd unit " + unit + ": " + e.what());
        } catch (...) {
        }
    }
}

}  // namespace minirunc::runtime
