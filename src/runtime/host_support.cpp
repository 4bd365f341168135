#include "host_support.hpp"

#include <unistd.h>

#include "intel_rdt.hpp"
#include "minirunc/error.hpp"
#include "minirunc/process_attributes.hpp"
#include "runtime.hpp"

namespace minirunc::runtime {
namespace {

// set_mempolicy only says EINVAL for a node the host lacks: say which.
void check_numa_nodes(const spec::MemoryPolicy& policy) {
    for (unsigned node : plan_memory_policy(policy).nodes.ids()) {
        std::string dir = "/sys/devices/system/node/node" + std::to_string(node);
        if (::access(dir.c_str(), F_OK))
            throw Error("config.json: /linux/memoryPolicy/nodes: NUMA node " +
                            std::to_string(node) + " does not exist on this host (" + dir + ")",
                        ENOENT);
    }
}

}  // namespace

void check_host_support(const Runtime& runtime, const spec::Spec& spec) {
    if (!spec.linux) return;
    const spec::Linux& l = *spec.linux;
    if (l.memory_policy) check_numa_nodes(*l.memory_policy);
    // runtime-spec: without a mounted resctrl the runtime MUST generate an error.
    if (l.intel_rdt && host_resctrl_root().empty())
        throw Error(
            "config.json: /linux/intelRdt: Intel RDT is not available: no resctrl "
            "filesystem is mounted on this host");
    if (l.personality && !l.personality->flags.empty()) {
        std::string flags;
        for (const auto& flag : l.personality->flags) flags += (flags.empty() ? "" : ", ") + flag;
        log_message(
            runtime, "warning",
            "ignoring unsupported personality flags: " + flags + " (runtime-spec defines none)");
    }
}

}  // namespace minirunc::runtime
