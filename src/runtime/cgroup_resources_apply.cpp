#include "cgroup_resources_apply.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "cgroup_devices_bpf.hpp"
#include "minirunc/device_rules.hpp"
#include "minirunc/error.hpp"
#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {
namespace {

int64_t read_int(const std::string& path, int64_t fallback) {
    auto text = read_cgroup_file(path);
    if (!text) return fallback;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return fallback;
    }
}

uint64_t read_uint(const std::string& path, uint64_t fallback) {
    auto text = read_cgroup_file(path);
    if (!text) return fallback;
    try {
        return std::stoull(*text);
    } catch (const std::exception&) {
        return fallback;
    }
}

// Runs a planner; at create an error names the linux.resources member it is about.
template <typename Plan>
std::vector<CgroupWrite> plan_named(const spec::Resources& resources, bool at_create, Plan plan) {
    try {
        return plan(resources);
    } catch (const Error& e) {
        if (!at_create) throw;
        for (const auto& [pointer, part] : resource_sections(resources)) {
            try {
                plan(part);
            } catch (const Error& part_error) {
                throw part_error.wrap("config.json: " + pointer);
            }
        }
        throw e.wrap("config.json: /linux/resources");
    }
}

// Device rule errors name linux.resources.devices at create.
template <typename Fn>
auto device_planning(bool at_create, Fn fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const Error& e) {
        throw at_create ? e.wrap("config.json: /linux/resources/devices") : e;
    }
}

std::set<std::string> words(const std::optional<std::string>& text) {
    std::set<std::string> out;
    std::istringstream in(text.value_or(""));
    std::string w;
    while (in >> w) out.insert(w);
    return out;
}

// Enables controllers for the container's cgroup in every ancestor below the
// mount: those the resources use, and every available one in levels create made.
void enable_v2_controllers(const ContainerCgroups& cgroups, const std::set<std::string>& needed,
                           const std::vector<std::string>& created_dirs) {
    std::vector<std::string> levels = {cgroups.v2_mount};
    std::string rest = cgroups.v2.substr(cgroups.v2_mount.size());
    std::istringstream parts(rest);
    std::string part;
    while (std::getline(parts, part, '/'))
        if (!part.empty()) levels.push_back(levels.back() + "/" + part);
    levels.pop_back();  // the container's own cgroup holds processes: never its subtree
    for (const auto& level : levels) {
        bool made =
            std::find(created_dirs.begin(), created_dirs.end(), level) != created_dirs.end();
        auto available = words(read_cgroup_file(level + "/cgroup.controllers"));
        auto enabled = words(read_cgroup_file(level + "/cgroup.subtree_control"));
        std::string change;
        for (const auto& c : made ? available : needed)
            if (available.count(c) && !enabled.count(c))
                change += (change.empty() ? "+" : " +") + c;
        if (change.empty()) continue;
        UniqueFd fd(::open((level + "/cgroup.subtree_control").c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd || ::write(fd.get(), change.data(), change.size()) < 0)
            throw_errno("enabling controllers (" + change + ") in " + level +
                        "/cgroup.subtree_control");
    }
}

// Anything to write besides device rules.
bool has_limits(const spec::Resources& r) {
    return r.memory || r.cpu || r.pids || r.block_io || !r.hugepage_limits.empty() || r.network ||
           !r.rdma.empty() || !r.unified.empty();
}

void plan_v1(ResourcePlan& plan, const ContainerCgroups& cgroups,
             const std::vector<spec::Device>* linux_devices) {
    V1Capabilities caps;
    // What the kernel offers only matters when there is something besides
    // devices to write; most containers have nothing, so skip the listing.
    if (has_limits(plan.resources)) {
        std::set<std::string> dirs;
        for (const auto& [controller, dir] : cgroups.v1) dirs.insert(dir);
        for (const auto& dir : dirs)
            for (auto& name : list_dir(dir)) caps.files.insert(std::move(name));
        if (auto dir = cgroups.v1_dir("memory"); !dir.empty())
            caps.memory_limit = read_uint(dir + "/memory.limit_in_bytes", caps.memory_limit);
        if (auto dir = cgroups.v1_dir("cpu"); !dir.empty()) {
            caps.rt_period = read_int(dir + "/cpu.rt_period_us", caps.rt_period);
            caps.rt_runtime = read_int(dir + "/cpu.rt_runtime_us", caps.rt_runtime);
        }
    }
    std::vector<CgroupWrite> writes =
        plan_named(plan.resources, plan.at_create,
                   [&](const spec::Resources& r) { return plan_v1_writes(r, caps); });
    plan.warnings = v1_ignored_settings(plan.resources, caps);
    if (linux_devices) {
        auto rules = device_planning(plan.at_create, [&] {
            return container_device_rules(plan.resources.devices, *linux_devices);
        });
        if (!cgroups.v1_dir("devices").empty()) {
            auto device_writes =
                device_planning(plan.at_create, [&] { return plan_v1_device_writes(rules); });
            writes.insert(writes.end(), device_writes.begin(), device_writes.end());
        } else if (!cgroups.v2.empty()) {
            // Hybrid without a v1 devices hierarchy: the v2 filter still applies.
            plan.device_program =
                device_planning(plan.at_create, [&] { return device_filter_program(rules); });
            plan.device_program_dir = cgroups.v2;
        }
    }
    for (auto& w : writes) {
        ResourceField field = resource_field(w);
        std::string dir = cgroups.v1_dir(w.controller);
        if (dir.empty()) {
            std::string message = "setting " + field.description +
                                  ": no cgroup v1 hierarchy has the " + w.controller +
                                  " controller";
            throw plan.at_create ? Error("config.json: " + field.pointer + ": " + message)
                                 : Error(message);
        }
        std::string path = dir + "/" + w.file;
        plan.writes.push_back({path, std::move(w), std::move(field)});
    }
}

void plan_v2(ResourcePlan& plan, const ContainerCgroups& cgroups,
             const std::vector<spec::Device>* linux_devices,
             const std::vector<std::string>& created_dirs) {
    if (cgroups.v2.empty()) throw Error("the container has no cgroup v2 directory");
    enable_v2_controllers(cgroups, v2_controllers_needed(plan.resources), created_dirs);
    V2Capabilities caps;
    for (auto& name : list_dir(cgroups.v2)) caps.files.insert(std::move(name));
    if (auto weight = read_cgroup_file(cgroups.v2 + "/io.bfq.weight"))
        caps.bfq_weight_device = weight->rfind("default", 0) == 0;
    // Planned apart so that the writes of `unified` can be named as such.
    spec::Resources base = plan.resources, unified;
    base.unified.clear();
    unified.unified = plan.resources.unified;
    auto planner = [&](const spec::Resources& r) { return plan_v2_writes(r, caps); };
    auto writes = plan_named(base, plan.at_create, planner);
    auto unified_writes = plan_named(unified, plan.at_create, planner);
    for (auto& w : writes) {
        ResourceField field = resource_field(w);
        plan.writes.push_back({cgroups.v2 + "/" + w.file, std::move(w), std::move(field)});
    }
    for (auto& w : unified_writes) {
        ResourceField field = resource_field(w, true);
        plan.writes.push_back({cgroups.v2 + "/" + w.file, std::move(w), std::move(field)});
    }
    if (needs_memory_usage_check(plan.resources))
        plan.memory_usage_file = cgroups.v2 + "/memory.current";
    if (linux_devices) {
        plan.device_program = device_planning(plan.at_create, [&] {
            return device_filter_program(
                container_device_rules(plan.resources.devices, *linux_devices));
        });
        plan.device_program_dir = cgroups.v2;
    }
}

// runc's wording for a limit below what the container already uses.
std::string memory_usage_note(const PlannedWrite& w) {
    std::string dir = w.path.substr(0, w.path.rfind('/'));
    return " (current usage: " + std::to_string(read_uint(dir + "/memory.usage_in_bytes", 0)) +
           ", peak usage: " + std::to_string(read_uint(dir + "/memory.max_usage_in_bytes", 0)) +
           ")";
}

void write_one(const PlannedWrite& w, bool at_create) {
    UniqueFd fd(::open(w.path.c_str(), O_WRONLY | O_CLOEXEC));
    ssize_t n = fd ? ::write(fd.get(), w.write.value.data(), w.write.value.size()) : -1;
    if (n >= 0) return;
    int err = errno;
    if (err == EINVAL && w.write.einval_retried) return;  // written again after its partner
    std::string message = "setting " + w.field.description + ": " + (fd ? "write " : "open ") +
                          w.write.file + ": " + errno_text(err);
    if (err == EBUSY && w.write.controller == "memory" &&
        w.write.file.find("limit_in_bytes") != std::string::npos)
        message += memory_usage_note(w);
    throw Error(at_create ? "config.json: " + w.field.pointer + ": " + message : message, err);
}

}  // namespace

ResourcePlan plan_resources(const ContainerCgroups& cgroups, const spec::Resources& resources,
                            const std::vector<spec::Device>* linux_devices,
                            const std::vector<std::string>& created_dirs) {
    ResourcePlan plan;
    plan.resources = resources;
    plan.at_create = linux_devices != nullptr;
    switch (cgroups.layout) {
        case CgroupLayout::V2:
            plan_v2(plan, cgroups, linux_devices, created_dirs);
            break;
        case CgroupLayout::V1:
        case CgroupLayout::Hybrid:
            plan_v1(plan, cgroups, linux_devices);
            break;
        case CgroupLayout::None:
            if (asks_for_cgroup_limits(resources))
                throw Error("cannot apply linux.resources: no cgroup hierarchy is mounted");
            break;
    }
    return plan;
}

ResourcePlan plan_container_resources(const spec::Spec& spec, const CgroupSetup& cgroups) {
    static const std::vector<spec::Device> kNoDevices;
    const spec::Resources resources =
        spec.linux && spec.linux->resources ? *spec.linux->resources : spec::Resources{};
    return plan_resources(container_cgroups(cgroups.dirs), resources,
                          spec.linux ? &spec.linux->devices : &kNoDevices, cgroups.created);
}

void apply_resources(const ResourcePlan& plan) {
    if (!plan.memory_usage_file.empty())
        check_memory_usage(plan.resources, read_uint(plan.memory_usage_file, 0));
    for (const auto& w : plan.writes) write_one(w, plan.at_create);
    if (!plan.device_program_dir.empty()) {
        try {
            install_device_program(plan.device_program_dir, plan.device_program);
        } catch (const Error& e) {
            throw e.wrap(plan.at_create ? "config.json: /linux/resources/devices"
                                        : "setting device rules");
        }
    }
}

}  // namespace minirunc::runtime
