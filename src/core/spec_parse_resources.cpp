// Reads linux.resources (also the whole of an `update --resources` document).
#include "core/spec_parse_internal.hpp"

namespace minirunc::spec {
namespace detail {
namespace {

DeviceCgroupRule parse_device_rule(const Reader& r) {
    DeviceCgroupRule d;
    r.read("allow", d.allow);
    r.read("type", d.type);
    r.read("major", d.major);
    r.read("minor", d.minor);
    r.read("access", d.access);
    return d;
}

MemoryResources parse_memory(const Reader& r) {
    MemoryResources m;
    r.read("limit", m.limit);
    r.read("reservation", m.reservation);
    r.read("swap", m.swap);
    r.read("kernel", m.kernel);
    r.read("kernelTCP", m.kernel_tcp);
    r.read("swappiness", m.swappiness);
    r.read("disableOOMKiller", m.disable_oom_killer);
    r.read("useHierarchy", m.use_hierarchy);
    r.read("checkBeforeUpdate", m.check_before_update);
    return m;
}

CpuResources parse_cpu(const Reader& r) {
    CpuResources c;
    r.read("shares", c.shares);
    r.read("quota", c.quota);
    r.read("burst", c.burst);
    r.read("period", c.period);
    r.read("realtimeRuntime", c.realtime_runtime);
    r.read("realtimePeriod", c.realtime_period);
    r.read("cpus", c.cpus);
    r.read("mems", c.mems);
    r.read("idle", c.idle);
    return c;
}

PidsResources parse_pids(const Reader& r) {
    PidsResources p;
    r.read("limit", p.limit);
    return p;
}

WeightDevice parse_weight_device(const Reader& r) {
    WeightDevice d;
    r.read("major", d.major);
    r.read("minor", d.minor);
    r.read("weight", d.weight);
    r.read("leafWeight", d.leaf_weight);
    return d;
}

ThrottleDevice parse_throttle_device(const Reader& r) {
    ThrottleDevice d;
    r.read("major", d.major);
    r.read("minor", d.minor);
    r.read("rate", d.rate);
    return d;
}

BlockIoResources parse_block_io(const Reader& r) {
    BlockIoResources b;
    r.read("weight", b.weight);
    r.read("leafWeight", b.leaf_weight);
    r.read_list("weightDevice", b.weight_device, parse_weight_device);
    r.read_list("throttleReadBpsDevice", b.throttle_read_bps_device, parse_throttle_device);
    r.read_list("throttleWriteBpsDevice", b.throttle_write_bps_device, parse_throttle_device);
    r.read_list("throttleReadIOPSDevice", b.throttle_read_iops_device, parse_throttle_device);
    r.read_list("throttleWriteIOPSDevice", b.throttle_write_iops_device, parse_throttle_device);
    return b;
}

HugepageLimit parse_hugepage_limit(const Reader& r) {
    HugepageLimit h;
    r.read("pageSize", h.page_size);
    r.read("limit", h.limit);
    return h;
}

InterfacePriority parse_interface_priority(const Reader& r) {
    InterfacePriority p;
    r.read("name", p.name);
    r.read("priority", p.priority);
    return p;
}

NetworkResources parse_network(const Reader& r) {
    NetworkResources n;
    r.read("classID", n.class_id);
    r.read_list("priorities", n.priorities, parse_interface_priority);
    return n;
}

RdmaLimit parse_rdma(const Reader& r) {
    RdmaLimit l;
    r.read("hcaHandles", l.hca_handles);
    r.read("hcaObjects", l.hca_objects);
    return l;
}

}  // namespace

Resources parse_resources_object(const Reader& r) {
    r.require_object();
    Resources res;
    r.read_list("devices", res.devices, parse_device_rule);
    r.read_object("memory", res.memory, parse_memory);
    r.read_object("cpu", res.cpu, parse_cpu);
    r.read_object("pids", res.pids, parse_pids);
    r.read_object("blockIO", res.block_io, parse_block_io);
    r.read_list("hugepageLimits", res.hugepage_limits, parse_hugepage_limit);
    r.read_object("network", res.network, parse_network);
    r.read_map("rdma", res.rdma, parse_rdma);
    r.read("unified", res.unified);
    return res;
}

}  // namespace detail

Resources parse_resources(const nlohmann::json& doc, const std::string& pointer) {
    return detail::parse_resources_object(detail::Reader(doc, pointer));
}

}  // namespace minirunc::spec
