// Naming a planned cgroup write in errors: the linux.resources member it
// comes from ("/linux/resources/memory/limit") and what it sets ("memory
// limit"), and which members a v2 cgroup needs controllers for. Pure.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "minirunc/cgroup_resources.hpp"
#include "minirunc/spec.hpp"

namespace minirunc {

struct ResourceField {
    std::string pointer;      // "/linux/resources/memory/limit"
    std::string description;  // "memory limit"
};

// The field of a write the planners (v1 or v2, devices included) produce.
// `unified`: the write comes from linux.resources.unified.
ResourceField resource_field(const CgroupWrite& write, bool unified = false);

// linux.resources split by member ("memory", "cpu", ..., "unified", "devices"),
// each part holding only that member: planning the parts one by one tells
// which member a planner error is about.
std::vector<std::pair<std::string, spec::Resources>> resource_sections(
    const spec::Resources& resources);

// The v2 controllers the resources write to (cpu, cpuset, memory, pids, io,
// hugetlb, rdma, and the prefixes of `unified` keys other than "cgroup").
std::set<std::string> v2_controllers_needed(const spec::Resources& resources);

}  // namespace minirunc
