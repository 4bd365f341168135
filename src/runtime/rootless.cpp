#include "rootless.hpp"

#include "minirunc/error.hpp"

namespace minirunc::runtime {

void check_skipped_cgroups(const Runtime& runtime, const spec::Spec& spec,
                           const CgroupSetup& cgroups) {
    if (cgroups.skipped.empty()) return;
    std::string reasons;
    for (const auto& reason : cgroups.skipped) reasons += (reasons.empty() ? "" : "; ") + reason;
    if (spec.linux && spec.linux->resources)
        throw Error("rootless: linux.resources needs a cgroup delegated to this user (" + reasons +
                    ")");
    log_message(runtime, "warning",
                "rootless: running without a cgroup where none is delegated (" + reasons + ")");
}

}  // namespace minirunc::runtime
