// What the init sets on the workload's process besides its identity: the
// scheduler (sched_setattr), I/O priority (ioprio_set), CPU affinity
// (sched_setaffinity), execution domain (personality) and NUMA memory policy
// (set_mempolicy). Pure translations of the config into syscall arguments;
// the init (init/process_attributes.cpp) only executes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

// The highest CPU or NUMA node id a list may name (runc's bound, so a bogus
// "0-4000000000" cannot make us allocate a huge mask).
constexpr unsigned kMaxCpuOrNodeId = 64 * 1024;

// A set of CPU or node ids as the kernel's bitmask (unsigned long words).
struct IdSet {
    std::vector<unsigned long> words;
    bool has(unsigned id) const;
    unsigned count() const;
    void add(unsigned id);
    // Ids in ascending order.
    std::vector<unsigned> ids() const;
    size_t bytes() const { return words.size() * sizeof(unsigned long); }
};

// A list such as "0-3,7" (spaces around elements and empty elements are
// allowed, as runc reads them). Throws Error("why") for anything else.
IdSet parse_id_list(const std::string& text);

// The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1, as runc passes it;
// the utilization clamps stay 0: the spec has no values for them).
struct SchedAttr {
    uint32_t size = 56;
    uint32_t policy = 0;
    uint64_t flags = 0;
    int32_t nice = 0;
    uint32_t priority = 0;
    uint64_t runtime = 0;
    uint64_t deadline = 0;
    uint64_t period = 0;
    uint32_t util_min = 0;
    uint32_t util_max = 0;
};
static_assert(sizeof(SchedAttr) == 56);

// -1 for a name runtime-spec does not list.
int scheduler_policy(const std::string& name);
int64_t scheduler_flag(const std::string& name);
// process.scheduler, validated (spec::validate), as sched_setattr takes it.
SchedAttr plan_scheduler(const spec::Scheduler& scheduler);

// process.ioPriority as ioprio_set takes it: class << 13 | level; -1 for an
// unknown class.
int io_priority_value(const spec::IoPriority& priority);

// linux.personality.domain for personality(2): PER_LINUX or PER_LINUX32;
// -1 for an unknown domain.
long personality_value(const spec::Personality& personality);

// set_mempolicy(2) arguments: the mode with its flags, and the node mask.
struct MemoryPolicyPlan {
    int mode = 0;
    IdSet nodes;
};
int memory_policy_mode(const std::string& name);  // -1 if unknown
int memory_policy_flag(const std::string& name);  // -1 if unknown
// Throws Error("config.json: /linux/memoryPolicy/<field>: why") with runc's
// rules: a known mode and flags, nodes only and always where the mode wants them.
MemoryPolicyPlan plan_memory_policy(const spec::MemoryPolicy& policy);

// The CPU affinity for the workload after it joined the container's
// cgroups, and before its execve.
struct AffinityPlan {
    // What to ask sched_setaffinity for; the kernel then keeps only the CPUs
    // the process's cpuset allows.
    IdSet cpus;
    // Nothing to do ("initial" alone: the kernel decides after the move).
    bool keep = false;
};
// The container's init always gets every CPU its cpuset allows, never the
// runtime's own affinity (execCPUAffinity is not for the init). An exec'd
// process gets "final"; with "initial" alone it keeps what the kernel gave it,
// and without either, every CPU. `exec_affinity` is validated.
AffinityPlan plan_final_affinity(bool exec, const std::optional<spec::ExecCpuAffinity>& affinity);
// Every CPU the kernel may have (it clamps the mask to what exists).
IdSet all_cpus();

}  // namespace minirunc
