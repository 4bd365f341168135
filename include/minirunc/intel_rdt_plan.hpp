// linux.intelRdt as resctrl directory work (runtime-spec 1.3 config-linux.md
// "IntelRdt"): which CLOS directory the container joins, whether it may be
// created, which schemata lines go in (or must already be there), and the
// monitoring group. Pure: src/runtime/intel_rdt.cpp executes it.
#pragma once

#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

struct IntelRdtPlan {
    std::string clos_dir;  // absolute: the resctrl root itself for closID "/"
    // closID unset: the container's own CLOS, named after its id, made if
    // absent and then removed at delete. closID set with schemata: made if
    // absent. closID set without schemata: must exist.
    bool may_create = false;
    bool remove_if_created = false;
    // l3CacheSchema, memBwSchema, then schemata, in the spec's order: written
    // into a CLOS we create, compared with the file of one that exists.
    std::vector<std::string> schemata;
    std::string mon_dir;  // enableMonitoring: <clos_dir>/mon_groups/<id>; else empty
};

// Throws Error("config.json: /linux/intelRdt/...: why") for values the spec
// forbids (a newline in a schema, memBwSchema without "MB:", a bad closID).
IntelRdtPlan plan_intel_rdt(const spec::IntelRdt& rdt, const std::string& container_id,
                            const std::string& resctrl_root);

// Whether every wanted line is in force in a schemata file's text: same
// resource, and each "domain=value" equal once hex values lose leading zeros
// (the kernel prints "L3:0=00ff" for "L3:0=ff").
bool schemata_in_force(const std::string& file_text, const std::vector<std::string>& wanted);

// The mount point of the resctrl filesystem in a /proc/self/mountinfo text;
// empty when none is mounted.
std::string resctrl_mount_point(const std::string& mountinfo);

}  // namespace minirunc
