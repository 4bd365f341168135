#include "minirunc/cgroup_resource_fields.hpp"

#include <map>

namespace minirunc {
namespace {

const std::string kResourcesPointer = "/linux/resources";

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

}  // namespace

ResourceField resource_field(const CgroupWrite& write, bool unified) {
    const std::string& f = write.file;
    if (unified) return {kResourcesPointer + "/unified/" + f, "unified resource " + f};
    static const std::map<std::string, ResourceField> kFiles = {
        // v1
        {"cpuset.cpus", {"/cpu/cpus", "cpuset cpus"}},
        {"cpuset.mems", {"/cpu/mems", "cpuset mems"}},
        {"memory.limit_in_bytes", {"/memory/limit", "memory limit"}},
        {"memory.memsw.limit_in_bytes", {"/memory/swap", "memory+swap limit"}},
        {"memory.soft_limit_in_bytes", {"/memory/reservation", "memory reservation"}},
        {"memory.oom_control", {"/memory/disableOOMKiller", "OOM killer"}},
        {"memory.use_hierarchy", {"/memory/useHierarchy", "memory hierarchy"}},
        {"memory.swappiness", {"/memory/swappiness", "memory swappiness"}},
        {"memory.kmem.tcp.limit_in_bytes", {"/memory/kernelTCP", "kernel TCP memory limit"}},
        {"cpu.shares", {"/cpu/shares", "cpu shares"}},
        {"cpu.cfs_period_us", {"/cpu/period", "cpu period"}},
        {"cpu.cfs_quota_us", {"/cpu/quota", "cpu quota"}},
        {"cpu.cfs_burst_us", {"/cpu/burst", "cpu burst"}},
        {"cpu.idle", {"/cpu/idle", "cpu idle"}},
        {"cpu.rt_period_us", {"/cpu/realtimePeriod", "cpu realtime period"}},
        {"cpu.rt_runtime_us", {"/cpu/realtimeRuntime", "cpu realtime runtime"}},
        {"pids.max", {"/pids/limit", "pids limit"}},
        {"blkio.weight", {"/blockIO/weight", "blkio weight"}},
        {"blkio.bfq.weight", {"/blockIO/weight", "blkio weight"}},
        {"blkio.leaf_weight", {"/blockIO/leafWeight", "blkio leaf weight"}},
        {"blkio.weight_device", {"/blockIO/weightDevice", "blkio weight device"}},
        {"blkio.bfq.weight_device", {"/blockIO/weightDevice", "blkio weight device"}},
        {"blkio.leaf_weight_device", {"/blockIO/weightDevice", "blkio leaf weight device"}},
        {"blkio.throttle.read_bps_device",
         {"/blockIO/throttleReadBpsDevice", "blkio read bps limit"}},
        {"blkio.throttle.write_bps_device",
         {"/blockIO/throttleWriteBpsDevice", "blkio write bps limit"}},
        {"blkio.throttle.read_iops_device",
         {"/blockIO/throttleReadIOPSDevice", "blkio read iops limit"}},
        {"blkio.throttle.write_iops_device",
         {"/blockIO/throttleWriteIOPSDevice", "blkio write iops limit"}},
        {"net_cls.classid", {"/network/classID", "net_cls classid"}},
        {"net_prio.ifpriomap", {"/network/priorities", "net_prio priority"}},
        {"rdma.max", {"/rdma", "rdma limit"}},
        {"devices.allow", {"/devices", "device rules"}},
        {"devices.deny", {"/devices", "device rules"}},
        // v2
        {"memory.max", {"/memory/limit", "memory limit"}},
        {"memory.swap.max", {"/memory/swap", "swap limit"}},
        {"memory.low", {"/memory/reservation", "memory reservation"}},
        {"cpu.weight", {"/cpu/shares", "cpu weight"}},
        {"cpu.max", {"/cpu/quota", "cpu quota and period"}},
        {"cpu.max.burst", {"/cpu/burst", "cpu burst"}},
        {"io.weight", {"/blockIO/weight", "io weight"}},
        {"io.bfq.weight", {"/blockIO/weight", "io weight"}},
        {"io.max", {"/blockIO", "io limit"}},
    };
    if (auto it = kFiles.find(f); it != kFiles.end())
        return {kResourcesPointer + it->second.pointer, it->second.description};
    if (starts_with(f, "hugetlb."))
        return {kResourcesPointer + "/hugepageLimits", "hugepage limit"};
    return {kResourcesPointer, f};
}

std::vector<std::pair<std::string, spec::Resources>> resource_sections(const spec::Resources& r) {
    std::vector<std::pair<std::string, spec::Resources>> out;
    auto part = [&](const char* name, auto fill) {
        spec::Resources s;
        fill(s);
        out.emplace_back(kResourcesPointer + "/" + name, std::move(s));
    };
    if (!r.devices.empty()) part("devices", [&](auto& s) { s.devices = r.devices; });
    if (r.memory) part("memory", [&](auto& s) { s.memory = r.memory; });
    if (r.cpu) part("cpu", [&](auto& s) { s.cpu = r.cpu; });
    if (r.pids) part("pids", [&](auto& s) { s.pids = r.pids; });
    if (r.block_io) part("blockIO", [&](auto& s) { s.block_io = r.block_io; });
    if (!r.hugepage_limits.empty())
        part("hugepageLimits", [&](auto& s) { s.hugepage_limits = r.hugepage_limits; });
    if (r.network) part("network", [&](auto& s) { s.network = r.network; });
    if (!r.rdma.empty()) part("rdma", [&](auto& s) { s.rdma = r.rdma; });
    if (!r.unified.empty()) part("unified", [&](auto& s) { s.unified = r.unified; });
    return out;
}

std::set<std::string> v2_controllers_needed(const spec::Resources& r) {
    std::set<std::string> out;
    if (r.memory) out.insert("memory");
    if (r.cpu) {
        const auto& c = *r.cpu;
        if (c.shares || c.quota || c.period || c.burst || c.idle || c.realtime_period ||
            c.realtime_runtime)
            out.insert("cpu");
        if (!c.cpus.empty() || !c.mems.empty()) out.insert("cpuset");
    }
    if (r.pids) out.insert("pids");
    if (r.block_io) out.insert("io");
    if (!r.hugepage_limits.empty()) out.insert("hugetlb");
    if (!r.rdma.empty()) out.insert("rdma");
    for (const auto& [key, value] : r.unified) {
        std::string controller = key.substr(0, key.find('.'));
        if (!controller.empty() && controller != "cgroup") out.insert(controller);
    }
    return out;
}

}  // namespace minirunc
