// linux.intelRdt on the host's resctrl filesystem (the plan:
// include/minirunc/intel_rdt_plan.hpp): the container's CLOS and monitoring
// group made or joined at create, joined by every exec, removed at delete
// only when create made them. What create did is kept in the container's
// state directory (intel_rdt.json).
#pragma once

#include <sys/types.h>

#include <string>

#include "minirunc/spec.hpp"

namespace minirunc::runtime {

struct IntelRdtGroups {
    std::string clos_dir;  // empty: the container has no intelRdt
    std::string mon_dir;   // the monitoring group create made, if any
    bool remove_clos = false;
};

// Where resctrl is mounted in our mount namespace; empty when it is not.
std::string host_resctrl_root();

// Creates or joins the CLOS (and monitoring group) for `pid`. On failure
// removes what it made and throws Error naming /linux/intelRdt.
IntelRdtGroups join_intel_rdt(const spec::IntelRdt& rdt, const std::string& id, pid_t pid);
void save_intel_rdt(const std::string& container_dir, const IntelRdtGroups& groups);
IntelRdtGroups load_intel_rdt(const std::string& container_dir);
// An exec'd process joins the container's CLOS and monitoring group.
void add_to_intel_rdt(const IntelRdtGroups& groups, pid_t pid);
// The monitoring group, and the CLOS when create made it; best effort.
void remove_intel_rdt(const IntelRdtGroups& groups) noexcept;

}  // namespace minirunc::runtime
