// cgroup v1 writes (runc's libcontainer/cgroups/fs), plus the pieces both
// versions share.
#include <cctype>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cgroup_values.hpp"
#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"

namespace minirunc {
namespace {

using cgroup_values::device_number;
using cgroup_values::value_or_zero;

using Writes = std::vector<CgroupWrite>;

void add_v1_write(Writes& out, const std::string& controller, const std::string& file,
                  const std::string& value, bool einval_retried = false) {
    out.push_back(CgroupWrite{controller, file, value, einval_retried});
}

void plan_v1_cpuset(const spec::Resources& r, Writes& out) {
    if (!r.cpu) return;
    if (!r.cpu->cpus.empty()) add_v1_write(out, "cpuset", "cpuset.cpus", r.cpu->cpus);
    if (!r.cpu->mems.empty()) add_v1_write(out, "cpuset", "cpuset.mems", r.cpu->mems);
}

void plan_v1_memory(const spec::Resources& r, const V1Capabilities& caps, Writes& out) {
    if (!r.memory) return;
    const spec::MemoryResources& m = *r.memory;
    for (auto& w :
         plan_v1_memory_limits(value_or_zero(m.limit), value_or_zero(m.swap), caps.memory_limit,
                               caps.has("memory.memsw.limit_in_bytes")))
        out.push_back(std::move(w));
    // kernel is ignored, as by runc (the kernel deprecated it, v1_ignored_settings
    // says so). kernelTCP is written where the kernel still has the file, as crun does.
    if (value_or_zero(m.kernel_tcp) != 0 && caps.has("memory.kmem.tcp.limit_in_bytes"))
        add_v1_write(out, "memory", "memory.kmem.tcp.limit_in_bytes",
                     std::to_string(*m.kernel_tcp));
    if (value_or_zero(m.reservation) != 0)
        add_v1_write(out, "memory", "memory.soft_limit_in_bytes", std::to_string(*m.reservation));
    if (value_or_zero(m.disable_oom_killer)) add_v1_write(out, "memory", "memory.oom_control", "1");
    // Newer kernels are always hierarchical and dropped the file.
    if (m.use_hierarchy && caps.has("memory.use_hierarchy"))
        add_v1_write(out, "memory", "memory.use_hierarchy", *m.use_hierarchy ? "1" : "0");
    // -1 (as runc reads it) means "leave as is".
    if (m.swappiness && *m.swappiness != std::numeric_limits<uint64_t>::max()) {
        if (*m.swappiness > 100)
            throw Error("invalid memory swappiness value: " + std::to_string(*m.swappiness) +
                        " (valid range is 0-100)");
        add_v1_write(out, "memory", "memory.swappiness", std::to_string(*m.swappiness));
    }
}

void plan_v1_cpu(const spec::Resources& r, const V1Capabilities& caps, Writes& out) {
    if (!r.cpu) return;
    const spec::CpuResources& c = *r.cpu;
    if (value_or_zero(c.shares) != 0)
        add_v1_write(out, "cpu", "cpu.shares", std::to_string(*c.shares));
    // A new period (or burst) can be refused against the old quota: write it
    // first, and again once the quota is in place.
    const uint64_t period = value_or_zero(c.period);
    const int64_t quota = value_or_zero(c.quota);
    if (period != 0)
        add_v1_write(out, "cpu", "cpu.cfs_period_us", std::to_string(period), quota != 0);
    // Older kernels have no burst knob; runc then ignores the setting.
    const bool burst = c.burst && caps.has("cpu.cfs_burst_us");
    if (burst) add_v1_write(out, "cpu", "cpu.cfs_burst_us", std::to_string(*c.burst), quota != 0);
    if (quota != 0) {
        add_v1_write(out, "cpu", "cpu.cfs_quota_us", std::to_string(quota));
        if (period != 0) add_v1_write(out, "cpu", "cpu.cfs_period_us", std::to_string(period));
        if (burst) add_v1_write(out, "cpu", "cpu.cfs_burst_us", std::to_string(*c.burst));
    }
    if (c.idle) {
        if (caps.has("cpu.idle"))
            add_v1_write(out, "cpu", "cpu.idle", std::to_string(*c.idle));
        else if (*c.idle != 0)
            throw Error("cannot set cpu idle: cpu.idle does not exist (Linux 5.15 or later)");
    }
    for (auto& w :
         plan_v1_rt_limits(value_or_zero(c.realtime_period), value_or_zero(c.realtime_runtime),
                           caps.rt_period, caps.rt_runtime))
        out.push_back(std::move(w));
}

void plan_v1_pids(const spec::Resources& r, Writes& out) {
    if (!r.pids || !r.pids->limit) return;
    const int64_t limit = *r.pids->limit;
    // 0 becomes 1 as in runc, which keeps its fs and systemd drivers alike.
    const std::string value = limit > 0 ? std::to_string(limit) : limit == 0 ? "1" : "max";
    add_v1_write(out, "pids", "pids.max", value);
}

void plan_v1_blkio(const spec::Resources& r, const V1Capabilities& caps, Writes& out) {
    if (!r.block_io) return;
    const spec::BlockIoResources& b = *r.block_io;
    // Kernels without CFQ only have the BFQ files.
    const bool cfq = caps.has("blkio.weight");
    const std::string weight_file = cfq ? "blkio.weight" : "blkio.bfq.weight";
    const std::string weight_device_file = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
    if (value_or_zero(b.weight) != 0)
        add_v1_write(out, "blkio", weight_file, std::to_string(*b.weight));
    if (value_or_zero(b.leaf_weight) != 0)
        add_v1_write(out, "blkio", "blkio.leaf_weight", std::to_string(*b.leaf_weight));
    for (const auto& wd : b.weight_device) {
        const std::string dev = device_number(wd.major, wd.minor);
        if (value_or_zero(wd.weight) != 0)
            add_v1_write(out, "blkio", weight_device_file, dev + " " + std::to_string(*wd.weight));
        if (value_or_zero(wd.leaf_weight) != 0)
            add_v1_write(out, "blkio", "blkio.leaf_weight_device",
                         dev + " " + std::to_string(*wd.leaf_weight));
    }
    const std::pair<const std::vector<spec::ThrottleDevice>*, const char*> throttles[] = {
        {&b.throttle_read_bps_device, "blkio.throttle.read_bps_device"},
        {&b.throttle_write_bps_device, "blkio.throttle.write_bps_device"},
        {&b.throttle_read_iops_device, "blkio.throttle.read_iops_device"},
        {&b.throttle_write_iops_device, "blkio.throttle.write_iops_device"},
    };
    for (const auto& [devices, file] : throttles) {
        for (const auto& td : *devices)
            add_v1_write(out, "blkio", file,
                         device_number(td.major, td.minor) + " " + std::to_string(td.rate));
    }
}

void plan_v1_hugetlb(const spec::Resources& r, const V1Capabilities& caps, Writes& out) {
    for (const auto& h : r.hugepage_limits) {
        check_hugepage_size(h.page_size);
        const std::string prefix = "hugetlb." + h.page_size;
        add_v1_write(out, "hugetlb", prefix + ".limit_in_bytes", std::to_string(h.limit));
        // Reservations (Linux 5.7+) are limited alike so a mapping cannot reserve past it.
        if (caps.has(prefix + ".rsvd.limit_in_bytes"))
            add_v1_write(out, "hugetlb", prefix + ".rsvd.limit_in_bytes", std::to_string(h.limit));
    }
}

void plan_v1_network(const spec::Resources& r, Writes& out) {
    if (!r.network) return;
    if (value_or_zero(r.network->class_id) != 0)
        add_v1_write(out, "net_cls", "net_cls.classid", std::to_string(*r.network->class_id));
    for (const auto& p : r.network->priorities) {
        // One "name priority" entry per write: a blank would smuggle in a second one.
        if (p.name.empty() || p.name.find_first_of(" \t\n\v\f\r") != std::string::npos)
            throw Error("invalid network interface name \"" + p.name + "\"");
        add_v1_write(out, "net_prio", "net_prio.ifpriomap",
                     p.name + " " + std::to_string(p.priority));
    }
}

void plan_v1_rdma(const spec::Resources& r, Writes& out) {
    for (const auto& [device, limit] : r.rdma)
        add_v1_write(out, "rdma", "rdma.max", rdma_max_line(device, limit));
}

}  // namespace

std::vector<CgroupWrite> plan_v1_memory_limits(int64_t limit, int64_t swap, uint64_t current_limit,
                                               bool has_memsw) {
    // "memory -1, swap unset" means both unlimited (runc's v1 compatibility rule).
    if (limit == -1 && swap == 0 && has_memsw) swap = -1;
    if (limit > 0 && swap > 0 && swap < limit)
        throw Error("memory+swap limit should be >= memory limit");
    if (swap != 0 && !has_memsw)
        throw Error(
            "cannot set memory+swap limit: memory.memsw.limit_in_bytes does not exist (swap "
            "accounting is disabled in the kernel)");
    Writes out;
    auto memory = [&] {
        if (limit != 0) add_v1_write(out, "memory", "memory.limit_in_bytes", std::to_string(limit));
    };
    auto memsw = [&] {
        if (swap != 0)
            add_v1_write(out, "memory", "memory.memsw.limit_in_bytes", std::to_string(swap));
    };
    // The kernel keeps memsw >= limit at every step.
    if (limit != 0 && swap != 0 && (swap == -1 || current_limit < static_cast<uint64_t>(swap))) {
        memsw();
        memory();
    } else {
        memory();
        memsw();
    }
    return out;
}

std::vector<CgroupWrite> plan_v1_rt_limits(uint64_t period, int64_t runtime, int64_t current_period,
                                           int64_t current_runtime) {
    Writes out;
    auto write_period = [&] {
        add_v1_write(out, "cpu", "cpu.rt_period_us", std::to_string(period));
    };
    auto write_runtime = [&] {
        add_v1_write(out, "cpu", "cpu.rt_runtime_us", std::to_string(runtime));
    };
    if (period == 0 && runtime == 0) return out;
    if (runtime == 0) {
        write_period();
    } else if (period == 0) {
        write_runtime();
    } else if (static_cast<uint64_t>(current_runtime) * static_cast<uint64_t>(current_period) <
               static_cast<uint64_t>(runtime) * period) {
        // runc's comparison, with Go's wrapping arithmetic: old runtime/new period
        // is the smaller intermediate ratio, so the period goes first.
        write_period();
        write_runtime();
    } else {
        write_runtime();
        write_period();
    }
    return out;
}

bool asks_for_cgroup_limits(const spec::Resources& resources) {
    try {
        return !plan_v1_writes(resources, V1Capabilities{}).empty();
    } catch (const Error&) {
        // Something v1 refuses (no memsw file in an empty V1Capabilities, `unified`): asked all the
        // same.
        return true;
    }
}

std::vector<CgroupWrite> plan_v1_writes(const spec::Resources& resources,
                                        const V1Capabilities& caps) {
    if (!resources.unified.empty())
        throw Error("invalid configuration: cannot use unified on cgroup v1");
    Writes out;
    plan_v1_cpuset(resources, out);
    plan_v1_memory(resources, caps, out);
    plan_v1_cpu(resources, caps, out);
    plan_v1_pids(resources, out);
    plan_v1_blkio(resources, caps, out);
    plan_v1_hugetlb(resources, caps, out);
    plan_v1_network(resources, out);
    plan_v1_rdma(resources, out);
    return out;
}

std::vector<std::string> v1_ignored_settings(const spec::Resources& resources,
                                             const V1Capabilities& caps) {
    std::vector<std::string> notes;
    if (!resources.memory) return notes;
    const spec::MemoryResources& m = *resources.memory;
    if (value_or_zero(m.kernel) != 0)
        notes.push_back(
            "linux.resources.memory.kernel is ignored: kernel memory limits are "
            "deprecated by the kernel");
    if (value_or_zero(m.kernel_tcp) != 0 && !caps.has("memory.kmem.tcp.limit_in_bytes"))
        notes.push_back(
            "linux.resources.memory.kernelTCP is ignored: this kernel has no "
            "memory.kmem.tcp.limit_in_bytes");
    return notes;
}

std::string rdma_max_line(const std::string& device, const spec::RdmaLimit& limit) {
    if (device.empty() || device.find_first_of(" \t\n\v\f\r") != std::string::npos)
        throw Error("invalid rdma device name \"" + device + "\"");
    if (!limit.hca_handles && !limit.hca_objects)
        throw Error("rdma device \"" + device +
                    "\": at least one of hcaHandles and hcaObjects is required");
    std::string line = device;
    if (limit.hca_handles) line += " hca_handle=" + std::to_string(*limit.hca_handles);
    if (limit.hca_objects) line += " hca_object=" + std::to_string(*limit.hca_objects);
    return line;
}

void check_hugepage_size(const std::string& size) {
    // The size becomes part of a file name: digits and a unit, nothing else.
    std::size_t digits = 0;
    while (digits < size.size() && std::isdigit(static_cast<unsigned char>(size[digits]))) ++digits;
    const std::string unit = size.substr(digits);
    if (digits == 0 || size[0] == '0' || (unit != "KB" && unit != "MB" && unit != "GB"))
        throw Error("invalid hugepage size \"" + size + "\"");
}

}  // namespace minirunc
