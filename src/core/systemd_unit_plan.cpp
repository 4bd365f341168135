#include "minirunc/systemd_unit_plan.hpp"
#include "core/text.hpp"

#include <limits>
#include <sstream>

#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"

namespace minirunc {
namespace {

constexpr uint64_t kInfinity = std::numeric_limits<uint64_t>::max();  // systemd's "infinity"
constexpr uint64_t kDefaultPeriod = 100000;                           // the kernel's, in us
constexpr int kQuotaPeriodSince = 242;                                // CPUQuotaPeriodUSec
constexpr int kCpusetSince = 244;  // AllowedCPUs, AllowedMemoryNodes

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

uint64_t parse_u64(const std::string& text, const std::string& what) {
    try {
        size_t used = 0;
        if (!text.empty() && text[0] != '-') {
            uint64_t v = std::stoull(text, &used);
            if (used == text.size()) return v;
        }
    } catch (const std::exception&) {
    }
    throw Error(what + ": invalid number \"" + text + "\"");
}

// runc's addCpuQuota.
void add_cpu_quota(std::vector<UnitProperty>& out, int64_t quota, uint64_t period) {
    if (period != 0) out.push_back({"CPUQuotaPeriodUSec", period, kQuotaPeriodSince});
    if (quota != 0 || period != 0)
        out.push_back({"CPUQuotaPerSecUSec", cpu_quota_per_sec_usec(quota, period)});
}

void add_cpuset(std::vector<UnitProperty>& out, const std::string& cpus, const std::string& mems) {
    if (!cpus.empty()) {
        try {
            out.push_back({"AllowedCPUs", range_to_bits(cpus), kCpusetSince});
        } catch (const Error& e) {
            throw e.wrap("resources.CPU.Cpus=\"" + cpus + "\" conversion error");
        }
    }
    if (!mems.empty()) {
        try {
            out.push_back({"AllowedMemoryNodes", range_to_bits(mems), kCpusetSince});
        } catch (const Error& e) {
            throw e.wrap("resources.CPU.Mems=\"" + mems + "\" conversion error");
        }
    }
}

// The device group /proc/devices names for a major ("char-pts"), or empty.
std::string device_group(char type, int64_t major, const std::string& proc_devices) {
    const std::string section = type == 'c' ? "Character devices:" : "Block devices:";
    bool in_section = false;
    std::istringstream in(proc_devices);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            in_section = false;
            continue;
        }
        if (line.back() == ':') {
            in_section = line == section;
            continue;
        }
        if (!in_section) continue;
        std::istringstream fields(line);
        int64_t number;
        std::string name;
        if (fields >> number >> name && number == major)
            return (type == 'c' ? "char-" : "block-") + name;
    }
    return "";
}

// runc's systemd devices properties: DevicePolicy=strict with one DeviceAllow
// per allowed pattern systemd can express; the runtime's own rules (v1 files,
// v2 program) do the rest, as runc's do.
void add_devices(std::vector<UnitProperty>& out, const std::vector<DeviceRule>& rules,
                 const std::string& proc_devices) {
    const DeviceRuleSet set = reduce_device_rules(rules);
    if (set.default_allow) {
        if (set.exceptions.empty()) {
            out.push_back({"DevicePolicy", std::string("auto")});
            out.push_back({"DeviceAllow", std::vector<DeviceAllowEntry>{}});
            return;
        }
        // systemd has no deny list: deny all for now, like runc.
        out.push_back({"DeviceAllow", std::vector<DeviceAllowEntry>{}});
        out.push_back({"DevicePolicy", std::string("strict")});
        return;
    }
    // An empty DeviceAllow first clears what an existing unit had.
    out.push_back({"DeviceAllow", std::vector<DeviceAllowEntry>{}});
    out.push_back({"DevicePolicy", std::string("strict")});
    std::vector<DeviceAllowEntry> allow;
    for (const DeviceRule& r : set.exceptions) {
        const std::string kind = r.type == 'b' ? "block" : "char";
        std::string path;
        if (r.major == DeviceRule::kAny) {
            if (r.minor != DeviceRule::kAny) continue;  // "*:n" has no systemd form
            path = kind + "-*";
        } else if (r.minor == DeviceRule::kAny) {
            path = device_group(r.type, r.major, proc_devices);
            if (path.empty()) continue;
        } else {
            path = "/dev/" + kind + "/" + std::to_string(r.major) + ":" + std::to_string(r.minor);
        }
        allow.push_back({path, r.access});
    }
    out.push_back({"DeviceAllow", std::move(allow)});
}

// runc's unifiedResToSystemdProps: the keys systemd has a property for.
void add_unified(std::vector<UnitProperty>& out,
                 const std::map<std::string, std::string>& unified) {
    static const std::map<std::string, std::string> memory = {{"memory.high", "MemoryHigh"},
                                                              {"memory.low", "MemoryLow"},
                                                              {"memory.min", "MemoryMin"},
                                                              {"memory.max", "MemoryMax"},
                                                              {"memory.swap.max", "MemorySwapMax"}};
    for (const auto& [key, raw] : unified) {
        const std::string q = "unified resource \"" + key + "\"";
        if (key.find('/') != std::string::npos)
            throw Error(q + " must be a file name (no slashes)");
        if (key.find('.') == std::string::npos)
            throw Error(q + " must be in the form CONTROLLER.PARAMETER");
        const std::string v = text::trim(raw, " \t\n");
        if (key == "cpu.max") {
            std::istringstream in(v);
            std::vector<std::string> fields;
            for (std::string f; in >> f;) fields.push_back(f);
            if (fields.empty() || fields.size() > 2)
                throw Error(q + " value invalid: \"" + v + "\"");
            int64_t quota = 0;
            if (fields[0] != "max") {
                uint64_t n = parse_u64(fields[0], q + " quota value conversion error");
                if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                    throw Error(q + " quota value conversion error: out of range");
                quota = static_cast<int64_t>(n);
            }
            uint64_t period = fields.size() == 2
                                  ? parse_u64(fields[1], q + " period value conversion error")
                                  : kDefaultPeriod;
            add_cpu_quota(out, quota, period);
        } else if (key == "cpu.weight") {
            out.push_back({"CPUWeight", parse_u64(v, q + " value conversion error")});
        } else if (key == "cpuset.cpus" || key == "cpuset.mems") {
            try {
                out.push_back({key == "cpuset.cpus" ? "AllowedCPUs" : "AllowedMemoryNodes",
                               range_to_bits(v), kCpusetSince});
            } catch (const Error& e) {
                throw e.wrap(q + "=\"" + v + "\" conversion error");
            }
        } else if (auto it = memory.find(key); it != memory.end()) {
            out.push_back(
                {it->second, v == "max" ? kInfinity : parse_u64(v, q + " value conversion error")});
        } else if (key == "pids.max") {
            out.push_back(
                {"TasksMax", v == "max" ? kInfinity : parse_u64(v, q + " value conversion error")});
        }
        // Anything else only goes to the cgroup file.
    }
}

}  // namespace

bool SystemdUnit::is_slice() const {
    return ends_with(name, ".slice");
}

std::string expand_slice(const std::string& slice) {
    const std::string suffix = ".slice";
    if (slice.size() <= suffix.size() || !ends_with(slice, suffix) ||
        slice.find('/') != std::string::npos)
        throw Error("invalid slice name: " + slice);
    const std::string base = slice.substr(0, slice.size() - suffix.size());
    if (base == "-") return "/";
    std::string path, prefix;
    for (const auto& component : text::split(base, '-')) {
        if (component.empty()) throw Error("invalid slice name: " + slice);
        path += "/" + prefix + component + suffix;
        prefix += component + "-";
    }
    return path;
}

SystemdUnit systemd_unit_for(const std::string& cgroups_path, const std::string& id,
                             const std::string& default_prefix) {
    std::string slice, prefix = default_prefix, name = id;
    if (!cgroups_path.empty()) {
        auto parts = text::split(cgroups_path, ':');
        if (parts.size() != 3)
            throw Error(
                "config.json: /linux/cgroupsPath: expected cgroupsPath to be of format "
                "\"slice:prefix:name\" for systemd cgroups, got \"" +
                cgroups_path + "\" instead");
        slice = parts[0];
        prefix = parts[1];
        name = parts[2];
    }
    if (name.empty())
        throw Error("config.json: /linux/cgroupsPath: the name part of \"" + cgroups_path +
                    "\" is empty");
    SystemdUnit unit;
    unit.slice = slice.empty() ? "system.slice" : slice;
    unit.container = name;
    unit.name = ends_with(name, ".slice") ? name : prefix + "-" + name + ".scope";
    if (unit.name.find('/') != std::string::npos)
        throw Error("config.json: /linux/cgroupsPath: invalid unit name \"" + unit.name + "\"");
    std::string parent;
    try {
        parent = expand_slice(unit.slice);
    } catch (const Error& e) {
        throw e.wrap("config.json: /linux/cgroupsPath");
    }
    if (unit.is_slice()) {
        // A slice's cgroup is its own expansion, not a child of the parent's.
        try {
            unit.cgroup_path = expand_slice(unit.name);
        } catch (const Error& e) {
            throw e.wrap("config.json: /linux/cgroupsPath");
        }
    } else {
        unit.cgroup_path = (parent == "/" ? "" : parent) + "/" + unit.name;
    }
    return unit;
}

std::vector<UnitProperty> unit_start_properties(const SystemdUnit& unit, pid_t pid, bool v2,
                                                const std::vector<UnitProperty>& extra) {
    std::vector<UnitProperty> out;
    out.push_back({"Description", "minirunc container " + unit.container});
    if (unit.is_slice()) {
        out.push_back({"Wants", std::vector<std::string>{unit.slice}});
    } else {
        out.push_back({"Slice", unit.slice});
        // The container manages its own cgroup (subtree, freezer, devices).
        out.push_back({"Delegate", true});
    }
    if (pid > 0) out.push_back({"PIDs", std::vector<uint32_t>{static_cast<uint32_t>(pid)}});
    // Accounting on for every controller, as the fs driver would use them.
    out.push_back({"MemoryAccounting", true});
    out.push_back({"CPUAccounting", true});
    out.push_back({v2 ? "IOAccounting" : "BlockIOAccounting", true});
    out.push_back({"TasksAccounting", true});
    // Not ordered against shutdown.target etc.: the container's lifetime is ours.
    out.push_back({"DefaultDependencies", false});
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

std::vector<UnitProperty> unit_resource_properties(const spec::Resources& r, bool v2,
                                                   const std::vector<DeviceRule>* device_rules,
                                                   const std::string& proc_devices) {
    std::vector<UnitProperty> out;
    if (device_rules) add_devices(out, *device_rules, proc_devices);
    const int64_t limit = r.memory ? r.memory->limit.value_or(0) : 0;
    const int64_t swap = r.memory ? r.memory->swap.value_or(0) : 0;
    const int64_t reservation = r.memory ? r.memory->reservation.value_or(0) : 0;
    // -1 (unlimited) is systemd's infinity as a uint64.
    if (limit != 0) out.push_back({v2 ? "MemoryMax" : "MemoryLimit", static_cast<uint64_t>(limit)});
    if (v2) {
        if (reservation != 0) out.push_back({"MemoryLow", static_cast<uint64_t>(reservation)});
        if (int64_t v2_swap = memory_swap_to_v2(swap, limit); v2_swap != 0)
            out.push_back({"MemorySwapMax", static_cast<uint64_t>(v2_swap)});
    }
    const uint64_t shares = r.cpu ? r.cpu->shares.value_or(0) : 0;
    if (shares != 0) {
        if (v2)
            out.push_back({"CPUWeight", cpu_shares_to_weight(shares)});
        else
            out.push_back({"CPUShares", shares});
    }
    if (r.cpu) add_cpu_quota(out, r.cpu->quota.value_or(0), r.cpu->period.value_or(0));
    if (r.block_io && r.block_io->weight.value_or(0) != 0) {
        // systemd writes its own default weight when it has none.
        if (v2)
            out.push_back({"IOWeight", blkio_weight_to_io_weight(*r.block_io->weight)});
        else
            out.push_back({"BlockIOWeight", static_cast<uint64_t>(*r.block_io->weight)});
    }
    if (r.pids && r.pids->limit) {
        const int64_t pids = *r.pids->limit;
        // 0 is 1 as in the cgroup file: systemd has no "0 tasks".
        out.push_back({"TasksMax", pids > 0    ? static_cast<uint64_t>(pids)
                                   : pids == 0 ? uint64_t{1}
                                               : kInfinity});
    }
    if (r.cpu) add_cpuset(out, r.cpu->cpus, r.cpu->mems);
    if (v2) add_unified(out, r.unified);
    return out;
}

std::vector<uint8_t> range_to_bits(const std::string& list) {
    std::vector<uint8_t> bytes;
    auto set_bit = [&](uint64_t bit) {
        if (bytes.size() <= bit / 8) bytes.resize(bit / 8 + 1, 0);
        bytes[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
    };
    // runc takes any uint32, but a mask of 2^32 bits would be 512 MiB: a
    // million CPUs or memory nodes is beyond any machine.
    constexpr uint64_t kMaxBits = 1u << 20;
    for (const auto& raw : text::split(list, ',')) {
        const std::string r = text::trim(raw, " \t\n");
        if (r.empty()) continue;  // extra commas are allowed
        const size_t dash = r.find('-');
        if (dash == std::string::npos) {
            uint64_t v = parse_u64(r, "cpuset");
            if (v >= kMaxBits) throw Error("cpuset: " + r + " out of range");
            set_bit(v);
            continue;
        }
        uint64_t start = parse_u64(r.substr(0, dash), "cpuset");
        uint64_t end = parse_u64(r.substr(dash + 1), "cpuset");
        if (start > end || end >= kMaxBits) throw Error("invalid range: " + r);
        for (uint64_t i = start; i <= end; ++i) set_bit(i);
    }
    if (bytes.empty()) throw Error("empty value");
    return bytes;
}

uint64_t cpu_quota_per_sec_usec(int64_t quota, uint64_t period) {
    if (quota <= 0) return kInfinity;
    if (period == 0) period = kDefaultPeriod;
    // systemd keeps whole percents of a CPU: round up so the cgroup's cpu.max
    // is never below what the config asked for.
    uint64_t per_sec = static_cast<uint64_t>(quota) * 1000000 / period;
    if (per_sec % 10000 != 0) per_sec = (per_sec / 10000 + 1) * 10000;
    return per_sec;
}

}  // namespace minirunc
