// cgroup v2 writes (runc's libcontainer/cgroups/fs2) and the v1 -> v2 value
// conversions.
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

void add_v2_write(Writes& out, const std::string& file, const std::string& value,
                  bool einval_retried = false) {
    out.push_back(CgroupWrite{file.substr(0, file.find('.')), file, value, einval_retried});
}

// fs2's numToStr: 0 is "unset" (empty), -1 is "max".
std::string num_to_str(int64_t value) {
    if (value == 0) return "";
    if (value == -1) return "max";
    return std::to_string(value);
}

void plan_v2_pids(const spec::Resources& r, Writes& out) {
    if (!r.pids || !r.pids->limit) return;
    const int64_t limit = *r.pids->limit;
    // 0 becomes 1 as in runc (systemd cannot express 0 tasks).
    add_v2_write(out, "pids.max", limit > 0 ? std::to_string(limit) : limit == 0 ? "1" : "max");
}

void plan_v2_memory(const spec::Resources& r, const V2Capabilities& caps, Writes& out) {
    if (!r.memory) return;
    const int64_t limit = value_or_zero(r.memory->limit);
    const int64_t swap_cfg = value_or_zero(r.memory->swap);
    const int64_t reservation = value_or_zero(r.memory->reservation);
    if (limit == 0 && swap_cfg == 0 && reservation == 0) return;
    const int64_t swap = memory_swap_to_v2(swap_cfg, limit);
    std::string swap_str = num_to_str(swap);
    // swap == limit: no swap at all (an empty write would mean the same, but never write one).
    if (swap_str.empty() && swap == 0 && swap_cfg > 0) swap_str = "0";
    if (!swap_str.empty()) {
        if (caps.has("memory.swap.max"))
            add_v2_write(out, "memory.swap.max", swap_str);
        else if (swap_str != "max" && swap_str != "0")
            // Without swap accounting only "no limit" and "no swap" can be honoured.
            throw Error(
                "cannot set swap limit: memory.swap.max does not exist (swap accounting is "
                "disabled in the kernel)");
    }
    if (const std::string v = num_to_str(limit); !v.empty()) add_v2_write(out, "memory.max", v);
    if (const std::string v = num_to_str(reservation); !v.empty())
        add_v2_write(out, "memory.low", v);
}

void plan_v2_io(const spec::Resources& r, const V2Capabilities& caps, Writes& out) {
    if (!r.block_io) return;
    const spec::BlockIoResources& b = *r.block_io;
    // BFQ's file takes blkio weights as they are; io.weight needs the conversion.
    const bool bfq = caps.has("io.bfq.weight");
    if (value_or_zero(b.weight) != 0) {
        if (bfq)
            add_v2_write(out, "io.bfq.weight", std::to_string(*b.weight));
        else
            add_v2_write(out, "io.weight", std::to_string(blkio_weight_to_io_weight(*b.weight)));
    }
    if (bfq && caps.bfq_weight_device) {
        for (const auto& wd : b.weight_device) {
            if (value_or_zero(wd.weight) != 0)
                add_v2_write(out, "io.bfq.weight",
                             device_number(wd.major, wd.minor) + " " + std::to_string(*wd.weight));
        }
    }
    const std::pair<const std::vector<spec::ThrottleDevice>*, const char*> throttles[] = {
        {&b.throttle_read_bps_device, "rbps"},
        {&b.throttle_write_bps_device, "wbps"},
        {&b.throttle_read_iops_device, "riops"},
        {&b.throttle_write_iops_device, "wiops"},
    };
    for (const auto& [devices, key] : throttles) {
        for (const auto& td : *devices)
            add_v2_write(
                out, "io.max",
                device_number(td.major, td.minor) + " " + key + "=" + std::to_string(td.rate));
    }
}

void plan_v2_cpu(const spec::Resources& r, const V2Capabilities& caps, Writes& out) {
    if (!r.cpu) return;
    const spec::CpuResources& c = *r.cpu;
    // v2 has no per-group realtime bandwidth: refuse rather than run unlimited.
    if (value_or_zero(c.realtime_period) != 0 || value_or_zero(c.realtime_runtime) != 0)
        throw Error(
            "realtime CPU limits (realtimePeriod, realtimeRuntime) are not supported "
            "on cgroup v2");
    if (c.idle) {
        if (caps.has("cpu.idle"))
            add_v2_write(out, "cpu.idle", std::to_string(*c.idle));
        else if (*c.idle != 0)
            throw Error("cannot set cpu idle: cpu.idle does not exist (Linux 5.15 or later)");
    }
    if (const uint64_t weight = cpu_shares_to_weight(value_or_zero(c.shares)); weight != 0)
        add_v2_write(out, "cpu.weight", std::to_string(weight));
    const int64_t quota = value_or_zero(c.quota);
    const uint64_t period = value_or_zero(c.period);
    bool burst = false;
    if (c.burst) {
        if (caps.has("cpu.max.burst")) {
            // A larger burst can be refused against the old quota: again after cpu.max.
            add_v2_write(out, "cpu.max.burst", std::to_string(*c.burst), quota != 0);
            burst = true;
        } else if (*c.burst != 0) {
            throw Error("cannot set cpu burst: cpu.max.burst does not exist (Linux 5.14 or later)");
        }
    }
    if (quota != 0 || period != 0) {
        // The kernel's default period when the config has none.
        const std::string q = quota > 0 ? std::to_string(quota) : "max";
        add_v2_write(out, "cpu.max", q + " " + std::to_string(period != 0 ? period : 100000));
        if (burst && quota != 0) add_v2_write(out, "cpu.max.burst", std::to_string(*c.burst));
    }
}

void plan_v2_cpuset(const spec::Resources& r, Writes& out) {
    if (!r.cpu) return;
    if (!r.cpu->cpus.empty()) add_v2_write(out, "cpuset.cpus", r.cpu->cpus);
    if (!r.cpu->mems.empty()) add_v2_write(out, "cpuset.mems", r.cpu->mems);
}

void plan_v2_hugetlb(const spec::Resources& r, const V2Capabilities& caps, Writes& out) {
    for (const auto& h : r.hugepage_limits) {
        check_hugepage_size(h.page_size);
        const std::string prefix = "hugetlb." + h.page_size;
        add_v2_write(out, prefix + ".max", std::to_string(h.limit));
        if (caps.has(prefix + ".rsvd.max"))
            add_v2_write(out, prefix + ".rsvd.max", std::to_string(h.limit));
    }
}

void plan_v2_unified(const spec::Resources& r, const V2Capabilities& caps, Writes& out) {
    for (const auto& [key, value] : r.unified) {
        check_unified_key(key, caps);
        // One write per line (runc's WriteFileByLine): multi-entry files like io.max.
        std::string rest = value;
        for (;;) {
            const std::size_t nl = rest.find('\n');
            add_v2_write(out, key, rest.substr(0, nl));
            if (nl == std::string::npos) break;
            rest.erase(0, nl + 1);
            if (rest.empty()) break;
        }
    }
}

bool is_key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

}  // namespace

uint64_t cpu_shares_to_weight(uint64_t shares) {
    if (shares == 0) return 0;
    // Clamped to the kernel's share range, where runc's unsigned formula would wrap.
    if (shares < 2) shares = 2;
    if (shares > 262144) shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_weight_to_io_weight(uint16_t weight) {
    if (weight == 0) return 0;
    uint64_t w = weight;
    if (w < 10) w = 10;
    if (w > 1000) w = 1000;
    return 1 + (w - 10) * 9999 / 990;
}

int64_t memory_swap_to_v2(int64_t swap, int64_t limit) {
    // Unlimited memory with swap unset: both unlimited, as on v1.
    if (limit == -1 && swap == 0) return -1;
    if (swap == -1 || swap == 0) return swap;
    if (limit == -1) return swap;
    if (limit == 0) throw Error("unable to set swap limit without memory limit");
    if (limit < 0) throw Error("invalid memory value: " + std::to_string(limit));
    if (swap < limit) throw Error("memory+swap limit should be >= memory limit");
    return swap - limit;
}

bool needs_memory_usage_check(const spec::Resources& resources) {
    if (!resources.memory || !value_or_zero(resources.memory->check_before_update)) return false;
    return value_or_zero(resources.memory->limit) > 0 || value_or_zero(resources.memory->swap) > 0;
}

void check_memory_usage(const spec::Resources& resources, uint64_t usage) {
    if (!needs_memory_usage_check(resources)) return;
    const int64_t swap = value_or_zero(resources.memory->swap);
    const int64_t limit = value_or_zero(resources.memory->limit);
    if (swap > 0 && static_cast<uint64_t>(swap) <= usage)
        throw Error("rejecting memory+swap limit " + std::to_string(swap) + " <= usage " +
                    std::to_string(usage));
    if (limit > 0 && static_cast<uint64_t>(limit) <= usage)
        throw Error("rejecting memory limit " + std::to_string(limit) + " <= usage " +
                    std::to_string(usage));
}

void check_unified_key(const std::string& key, const V2Capabilities& caps) {
    const std::string q = "unified resource \"" + key + "\"";
    if (key.find('/') != std::string::npos) throw Error(q + " must be a file name (no slashes)");
    const std::size_t dot = key.find('.');
    bool ok = dot != std::string::npos && dot > 0 && dot + 1 < key.size() && key.back() != '.' &&
              key.find("..") == std::string::npos;
    for (char c : key) ok = ok && is_key_char(c);
    if (!ok) throw Error(q + " must be in the form CONTROLLER.PARAMETER");
    const std::string controller = key.substr(0, dot);
    // Of the core files only limits may be set; the rest is the runtime's to manage.
    if (controller == "cgroup" && key != "cgroup.max.depth" && key != "cgroup.max.descendants" &&
        key != "cgroup.pressure")
        throw Error(q + " can't be set: it is managed by the runtime");
    if (caps.has(key)) return;
    bool controller_seen = false;
    for (const auto& f : caps.files)
        controller_seen = controller_seen || f.rfind(controller + ".", 0) == 0;
    if (!controller_seen && controller != "cgroup")
        throw Error(q + " can't be set: controller \"" + controller + "\" not available");
    throw Error(q + " can't be set: no such file in the container's cgroup");
}

std::vector<CgroupWrite> plan_v2_writes(const spec::Resources& resources,
                                        const V2Capabilities& caps) {
    Writes out;
    plan_v2_pids(resources, out);
    plan_v2_memory(resources, caps, out);
    plan_v2_io(resources, caps, out);
    plan_v2_cpu(resources, caps, out);
    plan_v2_cpuset(resources, out);
    plan_v2_hugetlb(resources, caps, out);
    for (const auto& [device, limit] : resources.rdma)
        add_v2_write(out, "rdma.max", rdma_max_line(device, limit));
    plan_v2_unified(resources, caps, out);
    return out;
}

}  // namespace minirunc
