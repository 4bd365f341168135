// linux.resources translated into cgroup file writes, by runc's rules
// (libcontainer/cgroups/fs for v1, fs2 for v2). Pure: what the kernel has is
// passed in, the applier performs the writes in the order given. Absent and 0
// mean "leave unchanged" throughout (runc's convention, which `update` relies on).
// Device rules are planned separately (device_rules.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "minirunc/spec.hpp"

namespace minirunc {

struct CgroupWrite {
    std::string controller;  // v1: the hierarchy of the file ("memory"); v2: the file's prefix
    std::string file;        // "memory.limit_in_bytes"
    std::string value;       // one write(2)
    // The kernel may refuse this value (EINVAL) because of the old value of a partner
    // file (cfs period vs quota, burst vs quota); the plan writes it again after the
    // partner, so the applier ignores EINVAL here. runc's retry order.
    bool einval_retried = false;

    bool operator==(const CgroupWrite&) const = default;
};

// What the container's v1 cgroups look like now, read by the applier.
struct V1Capabilities {
    // Names of the files in the container's v1 cgroup directories (all hierarchies).
    std::set<std::string> files;
    // Current values that decide a safe write order; the defaults are a new cgroup's.
    uint64_t memory_limit = std::numeric_limits<uint64_t>::max();  // memory.limit_in_bytes
    int64_t rt_period = 1000000;                                   // cpu.rt_period_us
    int64_t rt_runtime = 0;                                        // cpu.rt_runtime_us

    bool has(const std::string& file) const { return files.count(file) != 0; }
};

// What the container's v2 cgroup has.
struct V2Capabilities {
    // Names of the files in the container's cgroup directory: picks among
    // alternatives (io.bfq.weight or io.weight, hugetlb.*.rsvd.max) and checks
    // `unified` keys and optional knobs (memory.swap.max, cpu.max.burst, cpu.idle).
    std::set<std::string> files;
    // io.bfq.weight takes "major:minor weight" lines (newer kernels read back a
    // "default N" table instead of a bare number).
    bool bfq_weight_device = false;

    bool has(const std::string& file) const { return files.count(file) != 0; }
};

// The writes for a v1 host, in runc's order (cpuset, memory, cpu, pids, blkio,
// hugetlb, net_cls, net_prio, rdma). Throws Error for what v1 cannot do
// (`unified`, a swap limit without swap accounting, swappiness > 100, ...).
std::vector<CgroupWrite> plan_v1_writes(const spec::Resources& resources,
                                        const V1Capabilities& caps);

// Whether the config asks for anything a cgroup file holds, whatever the
// layout: a limit v1 cannot express (a swap limit, `unified`) counts too.
// Never throws; the layout's planner says what cannot be applied.
bool asks_for_cgroup_limits(const spec::Resources& resources);

// What plan_v1_writes leaves out that the config asked for, one warning each:
// `kernel` (deprecated), and `kernelTCP` where the kernel has no
// memory.kmem.tcp.limit_in_bytes. Not errors: runc ignores both.
std::vector<std::string> v1_ignored_settings(const spec::Resources& resources,
                                             const V1Capabilities& caps);

// The writes for a v2 host, in runc's order (pids, memory, io, cpu, cpuset,
// hugetlb, rdma, then `unified`, which overrides). v1-only knobs that runc
// ignores on v2 (swappiness, disableOOMKiller, kernel*, network, leaf weights)
// are ignored; realtime limits, which v2 cannot enforce, throw.
std::vector<CgroupWrite> plan_v2_writes(const spec::Resources& resources,
                                        const V2Capabilities& caps);

// memory.limit_in_bytes and memory.memsw.limit_in_bytes in the order the kernel
// accepts given the current limit (memsw may never be below the limit): swap
// first when raising past the current limit or unlimiting. A limit of -1 with
// no swap unlimits swap too.
std::vector<CgroupWrite> plan_v1_memory_limits(int64_t limit, int64_t swap, uint64_t current_limit,
                                               bool has_memsw);

// cpu.rt_period_us and cpu.rt_runtime_us in the order that keeps the group's
// runtime/period ratio within its parent's at each step.
std::vector<CgroupWrite> plan_v1_rt_limits(uint64_t period, int64_t runtime, int64_t current_period,
                                           int64_t current_runtime);

// cpu.shares (2..262144) to cpu.weight (1..10000); 0 stays 0 (unset).
uint64_t cpu_shares_to_weight(uint64_t shares);
// blkio.weight (10..1000) to io.weight (1..10000); 0 stays 0 (unset).
uint64_t blkio_weight_to_io_weight(uint16_t weight);
// The spec's swap (memory+swap) to memory.swap.max (swap only); -1 is "max",
// 0 unset. Throws Error with runc's messages for impossible combinations.
int64_t memory_swap_to_v2(int64_t swap, int64_t limit);

// checkBeforeUpdate: whether the applier must read the memory usage
// (memory.current on v2) before writing, and the check itself, which throws
// Error("rejecting memory limit L <= usage U") as runc does. On v1 the kernel
// itself refuses a limit below the usage (EBUSY).
bool needs_memory_usage_check(const spec::Resources& resources);
void check_memory_usage(const spec::Resources& resources, uint64_t usage);

// Throws Error unless `key` may be passed through `unified`: a file name of the
// form <controller>.<knob>, not one of the files the runtime manages
// (cgroup.procs, cgroup.freeze, ...), present in the container's cgroup.
void check_unified_key(const std::string& key, const V2Capabilities& caps);

// "mlx5_1 hca_handle=2 hca_object=3" for rdma.max (both versions).
std::string rdma_max_line(const std::string& device, const spec::RdmaLimit& limit);
// Throws Error unless `size` looks like a hugepage size ("2MB", "64KB", "1GB").
void check_hugepage_size(const std::string& size);

}  // namespace minirunc
