// linux.resources on the container's cgroups: what the planners
// (cgroup_resources.hpp, device_rules.hpp) make of them given what the
// cgroups have, then the writes (and, on v2, the device filter program).
#pragma once

#include <linux/bpf.h>

#include <string>
#include <vector>

#include "cgroup_view.hpp"
#include "cgroups.hpp"
#include "minirunc/cgroup_resource_fields.hpp"
#include "minirunc/cgroup_resources.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::runtime {

struct PlannedWrite {
    std::string path;  // the cgroup file
    CgroupWrite write;
    ResourceField field;
};

struct ResourcePlan {
    std::vector<PlannedWrite> writes;
    std::string device_program_dir;  // v2: where the device filter goes; empty: none
    std::vector<bpf_insn> device_program;
    std::string memory_usage_file;  // v2 checkBeforeUpdate: read before writing
    spec::Resources resources;
    bool at_create = false;             // errors name the config.json field
    std::vector<std::string> warnings;  // settings left out (v1_ignored_settings): logged
};

// Plans `resources` for the container's cgroups. At create (`linux_devices`
// given) the device rules are planned too: v1 devices.deny/allow when the
// host has the v1 devices controller, otherwise a BPF program for the v2
// cgroup; errors then name the field ("config.json: /linux/resources/memory: ...").
// On a pure v2 host, the controllers the resources use are first enabled in
// the ancestors' cgroup.subtree_control (all available ones in the levels
// listed in `created_dirs`, which create made).
ResourcePlan plan_resources(const ContainerCgroups& cgroups, const spec::Resources& resources,
                            const std::vector<spec::Device>* linux_devices,
                            const std::vector<std::string>& created_dirs = {});

// The plan for a new container: its config's resources and devices on the
// cgroups create_cgroups made.
ResourcePlan plan_container_resources(const spec::Spec& spec, const CgroupSetup& cgroups);

// Performs the plan in order. Throws Error naming what failed ("setting
// memory limit: write memory.limit_in_bytes: device or resource busy ...").
void apply_resources(const ResourcePlan& plan);

}  // namespace minirunc::runtime
