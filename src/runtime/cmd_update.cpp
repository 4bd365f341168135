// update: new resource limits for a running container, merged into the ones
// in force (zero or absent: unchanged), written, and remembered in state.json.
#include <cstdio>

#include "cgroup_resources_apply.hpp"
#include "minirunc/cgroup_update_flags.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "rootless.hpp"
#include "runtime.hpp"
#include "state_store.hpp"
#include "systemd_cgroup.hpp"

namespace minirunc::runtime {
namespace {

// The flags resources_from_update_flags understands.
const char* const kResourceFlags[] = {
    "blkio-weight", "cpu-period",         "cpu-quota",         "cpu-burst",
    "cpu-share",    "cpu-rt-period",      "cpu-rt-runtime",    "cpuset-cpus",
    "cpuset-mems",  "kernel-memory",      "kernel-memory-tcp", "memory",
    "cpu-idle",     "memory-reservation", "memory-swap",       "pids-limit",
};

spec::Resources resources_from_document(const std::string& text) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) throw Error("decoding resources: invalid JSON");
    try {
        return spec::parse_resources(doc, "");
    } catch (const Error& e) {
        // The reader names config.json; here it is the update's document.
        std::string message = e.what();
        const std::string prefix = "config.json: ";
        if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
        throw Error("decoding resources: " + message);
    }
}

// runc: with --resources every other flag is ignored.
spec::Resources requested_update(const Runtime& runtime, const cli::CommandLine& command) {
    if (command.flags.has("resources") && !command.flags.get("resources").empty()) {
        std::string source = command.flags.get("resources");
        return resources_from_document(source == "-" ? sys::read_fd(0) : sys::read_file(source));
    }
    if (!command.flags.get("l3-cache-schema").empty())
        throw Error("Intel RDT/CAT: l3 cache schema is not enabled");
    if (!command.flags.get("mem-bw-schema").empty())
        throw Error("Intel RDT/MBA: memory bandwidth schema is not enabled");
    std::map<std::string, std::string> flags;
    for (const char* name : kResourceFlags)
        if (command.flags.has(name)) flags[name] = command.flags.get(name);
    for (const char* name : {"kernel-memory", "kernel-memory-tcp"})
        if (!command.flags.get(name).empty())
            log_message(runtime, "warning",
                        std::string("Setting --") + name + " is ignored and will be removed");
    return resources_from_update_flags(flags);
}

// What is in force: as `update` last left it, else the config's at create.
spec::Resources current_resources(const Container& container) {
    if (!container.state.resources.is_null())
        return spec::parse_resources(container.state.resources, "/resources");
    spec::Spec config = load_frozen_config(container.dir);
    return config.linux && config.linux->resources ? *config.linux->resources : spec::Resources{};
}

}  // namespace

int cmd_update(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    Container container = load_container(runtime, id);
    UniqueFd lock = lock_container_dir(container.dir);
    container.status = current_status(container.dir, container.state);
    if (container.status == Status::Stopped) throw Error("container not running", ESRCH);
    spec::Resources update = requested_update(runtime, command);
    spec::Resources current = current_resources(container);
    spec::Resources merged = merge_update(current, update);
    // Devices cannot be updated (as with runc): only the limits are written.
    ContainerCgroups cgroups = container_cgroups(container.state.cgroup_dirs);
    if (runtime.rootless.cgroups && container.state.cgroup_dirs.empty())
        throw Error("cannot update resources: the container has no cgroup" +
                    rootless_cgroup_note(true));
    // The systemd driver: the unit's properties first, which systemd writes
    // (and keeps), then the files as with the fs driver (runc's Set).
    const std::string& unit = container.state.systemd_unit;
    const bool v2 = cgroups.layout == CgroupLayout::V2;
    auto set_limits = [&](const spec::Resources& limits) {
        if (!unit.empty())
            set_systemd_unit_properties(unit, unit_resource_properties(limits, v2, nullptr));
        ResourcePlan plan = plan_resources(cgroups, limits, nullptr);
        for (const auto& warning : plan.warnings) log_message(runtime, "warning", warning);
        apply_resources(plan);
    };
    try {
        set_limits(merged);
    } catch (const Error&) {
        // Some writes may have gone through: back to the limits in force, as runc does.
        try {
            set_limits(current);
        } catch (const Error& e) {
            log_message(runtime, "warning",
                        std::string("setting back the previous limits failed: ") + e.what());
        }
        throw;
    }
    container.state.resources = spec::to_json(merged);
    save_state(container.dir, container.state);
    return 0;
}

}  // namespace minirunc::runtime
