// The workload's scheduling, I/O priority, CPU affinity, execution domain and
// NUMA memory policy (the plans: src/core/process_attributes.cpp). Applied
// after the process joined the container's cgroups (so the kernel clamps the
// affinity to its cpuset), while it still has the capabilities a real-time
// policy or a raised priority needs, and before any seccomp filter is loaded,
// so no profile has to allow these syscalls.
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.hpp"
#include "minirunc/error.hpp"
#include "minirunc/process_attributes.hpp"

namespace minirunc::init {
namespace {

constexpr int kIoprioWhoProcess = 1;

void fail(const std::string& field, const char* syscall_name) {
    int err = errno;
    throw Error("config.json: " + field + ": " + syscall_name + ": " + errno_text(err), err);
}

void apply_scheduler(const spec::Scheduler& scheduler) {
    SchedAttr attr = plan_scheduler(scheduler);
    if (::syscall(SYS_sched_setattr, 0, &attr, 0)) fail("/process/scheduler", "sched_setattr");
}

void apply_io_priority(const spec::IoPriority& priority) {
    // Inherited by every process the workload starts (as runc: the caller).
    if (::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, io_priority_value(priority)))
        fail("/process/ioPriority", "ioprio_set");
}

void apply_affinity(const Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    AffinityPlan plan =
        plan_final_affinity(ctx.bootstrap.mode == "exec", process.exec_cpu_affinity);
    if (plan.keep) return;
    int rc = ::sched_setaffinity(0, plan.cpus.bytes(),
                                 reinterpret_cast<const cpu_set_t*>(plan.cpus.words.data()));
    // Without execCPUAffinity this is a reset: best effort, as runc.
    bool configured = ctx.bootstrap.mode == "exec" && process.exec_cpu_affinity &&
                      !process.exec_cpu_affinity->final_cpus.empty();
    if (rc && configured) fail("/process/execCPUAffinity/final", "sched_setaffinity");
}

void apply_personality(const spec::Personality& personality) {
    if (::personality(static_cast<unsigned long>(personality_value(personality))) < 0)
        fail("/linux/personality", "personality");
}

void apply_memory_policy(const spec::MemoryPolicy& policy) {
    MemoryPolicyPlan plan = plan_memory_policy(policy);
    // One zero word past the nodes: the kernel reads maxnode - 1 bits.
    std::vector<unsigned long> mask = plan.nodes.words;
    unsigned long maxnode = 0;
    if (!mask.empty()) {
        maxnode = mask.size() * sizeof(unsigned long) * 8 + 1;
        mask.push_back(0);
    }
    if (::syscall(SYS_set_mempolicy, plan.mode, mask.empty() ? nullptr : mask.data(), maxnode))
        fail("/linux/memoryPolicy", "set_mempolicy");
}

}  // namespace

void apply_process_attributes(const Context& ctx) {
    const spec::Process& process = *ctx.spec.process;
    // Affinity first: SCHED_DEADLINE refuses a later change of it.
    apply_affinity(ctx);
    if (process.scheduler) apply_scheduler(*process.scheduler);
    if (process.io_priority) apply_io_priority(*process.io_priority);
    if (ctx.spec.linux && ctx.spec.linux->personality)
        apply_personality(*ctx.spec.linux->personality);
    if (ctx.spec.linux && ctx.spec.linux->memory_policy)
        apply_memory_policy(*ctx.spec.linux->memory_policy);
}

}  // namespace minirunc::init
