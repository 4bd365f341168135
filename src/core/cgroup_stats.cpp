// runc's stats document (types.Stats) from cgroup file contents: v1 as
// libcontainer/cgroups/fs reads it, v2 as fs2 does.
#include "minirunc/cgroup_stats.hpp"

#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

using ojson = nlohmann::ordered_json;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// A single number; "max" is unlimited; anything else unreadable is 0.
uint64_t number(const std::optional<std::string>& text) {
    if (!text) return 0;
    std::istringstream in(*text);
    std::string word;
    in >> word;
    if (word == "max") return kMax;
    try {
        size_t used = 0;
        uint64_t v = std::stoull(word, &used);
        return used == word.size() ? v : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

int64_t signed_number(const std::optional<std::string>& text) {
    if (!text) return 0;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return 0;
    }
}

std::map<std::string, uint64_t> keyed(const std::optional<std::string>& text) {
    std::map<std::string, uint64_t> out;
    if (text)
        for (const auto& [k, v] : parse_flat_keyed(*text)) out[k] = v;
    return out;
}

uint64_t value_of(const std::map<std::string, uint64_t>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
}

std::vector<uint64_t> numbers(const std::optional<std::string>& text) {
    std::vector<uint64_t> out;
    if (!text) return out;
    std::istringstream in(*text);
    uint64_t v;
    while (in >> v) out.push_back(v);
    return out;
}

// Go's omitempty for numbers and slices.
template <typename T>
void put_nonzero(ojson& j, const char* key, T v) {
    if (v != T{}) j[key] = v;
}
template <typename T>
void put_nonempty(ojson& j, const char* key, const std::vector<T>& v) {
    if (!v.empty()) j[key] = v;
}

ojson memory_entry(uint64_t limit, uint64_t usage, uint64_t max, uint64_t failcnt) {
    ojson j = {{"limit", limit}};
    put_nonzero(j, "usage", usage);
    put_nonzero(j, "max", max);
    j["failcnt"] = failcnt;
    return j;
}

ojson raw_map(const std::map<std::string, uint64_t>& raw) {
    ojson j = ojson::object();
    for (const auto& [k, v] : raw) j[k] = v;  // Go sorts map keys, as std::map does
    return j;
}

// "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" lines.
std::optional<ojson> psi(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    ojson out = ojson::object();
    std::istringstream lines(*text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream in(line);
        std::string kind, field;
        in >> kind;
        if (kind != "some" && kind != "full") continue;
        ojson data = {{"avg10", 0.0}, {"avg60", 0.0}, {"avg300", 0.0}, {"total", 0}};
        while (in >> field) {
            auto eq = field.find('=');
            if (eq == std::string::npos) continue;
            std::string key = field.substr(0, eq), value = field.substr(eq + 1);
            try {
                if (key == "total")
                    data["total"] = std::stoull(value);
                else if (data.contains(key))
                    data[key] = std::stod(value);
            } catch (const std::exception&) {
            }
        }
        out[kind] = data;
    }
    return out;
}

ojson base_document() {
    return {
        {"cpu", {{"usage", {{"kernel", 0}, {"user", 0}}}, {"throttling", ojson::object()}}},
        {"cpuset", ojson::object()},
        {"memory", ojson::object()},
        {"pids", ojson::object()},
        {"blkio", ojson::object()},
        {"hugetlb", ojson::object()},
        {"intel_rdt", ojson::object()},
        {"network_interfaces", nullptr},
    };
}

ojson throttling(uint64_t periods, uint64_t throttled, uint64_t time_ns) {
    ojson j = ojson::object();
    put_nonzero(j, "periods", periods);
    put_nonzero(j, "throttledPeriods", throttled);
    put_nonzero(j, "throttledTime", time_ns);
    return j;
}

// ---- v1 ----

ojson cpu_v1(const CgroupFileReader& read) {
    // cpuacct.stat counts USER_HZ ticks.
    constexpr uint64_t kNanosPerTick = 1000000000ULL / 100;
    auto stat = keyed(read("cpuacct", "cpuacct.stat"));
    ojson usage = ojson::object();
    put_nonzero(usage, "total", number(read("cpuacct", "cpuacct.usage")));
    put_nonempty(usage, "percpu", numbers(read("cpuacct", "cpuacct.usage_percpu")));
    // "cpu user system" then one line per cpu.
    std::vector<uint64_t> kernel, user;
    if (auto all = read("cpuacct", "cpuacct.usage_all")) {
        std::istringstream lines(*all);
        std::string line;
        std::getline(lines, line);
        while (std::getline(lines, line)) {
            std::istringstream in(line);
            uint64_t cpu, u, s;
            if (in >> cpu >> u >> s) {
                user.push_back(u);
                kernel.push_back(s);
            }
        }
    }
    put_nonempty(usage, "percpu_kernel", kernel);
    put_nonempty(usage, "percpu_user", user);
    usage["kernel"] = value_of(stat, "system") * kNanosPerTick;
    usage["user"] = value_of(stat, "user") * kNanosPerTick;
    auto cpu_stat = keyed(read("cpu", "cpu.stat"));
    return {{"usage", usage},
            {"throttling",
             throttling(value_of(cpu_stat, "nr_periods"), value_of(cpu_stat, "nr_throttled"),
                        value_of(cpu_stat, "throttled_time"))}};
}

ojson cpuset_v1(const CgroupFileReader& read) {
    auto n = [&](const char* file) {
        return number(read("cpuset", std::string("cpuset.") + file));
    };
    ojson j = ojson::object();
    put_nonempty(j, "cpus", parse_cpu_list(read("cpuset", "cpuset.cpus").value_or("")));
    j["cpu_exclusive"] = n("cpu_exclusive");
    put_nonempty(j, "mems", parse_cpu_list(read("cpuset", "cpuset.mems").value_or("")));
    j["mem_hardwall"] = n("mem_hardwall");
    j["mem_exclusive"] = n("mem_exclusive");
    j["memory_migrate"] = n("memory_migrate");
    j["memory_spread_page"] = n("memory_spread_page");
    j["memory_spread_slab"] = n("memory_spread_slab");
    j["memory_pressure"] = n("memory_pressure");
    j["sched_load_balance"] = n("sched_load_balance");
    j["sched_relax_domain_level"] =
        signed_number(read("cpuset", "cpuset.sched_relax_domain_level"));
    return j;
}

ojson memory_v1(const CgroupFileReader& read) {
    auto entry = [&](const std::string& prefix) {
        auto n = [&](const char* file) { return number(read("memory", prefix + file)); };
        return memory_entry(n("limit_in_bytes"), n("usage_in_bytes"), n("max_usage_in_bytes"),
                            n("failcnt"));
    };
    auto raw = keyed(read("memory", "memory.stat"));
    ojson j = ojson::object();
    put_nonzero(j, "cache", value_of(raw, "cache"));
    j["usage"] = entry("memory.");
    j["swap"] = entry("memory.memsw.");
    j["kernel"] = entry("memory.kmem.");
    j["kernelTCP"] = entry("memory.kmem.tcp.");
    if (!raw.empty()) j["raw"] = raw_map(raw);
    return j;
}

ojson pids(const std::optional<std::string>& current, const std::optional<std::string>& max) {
    ojson j = ojson::object();
    put_nonzero(j, "current", number(current));
    uint64_t limit = number(max);
    put_nonzero(j, "limit", limit == kMax ? 0 : limit);
    return j;
}

// "8:0 Read 123", "8:0 123" (sectors, time); the "Total" line is skipped.
ojson blkio_entries(const std::string& text) {
    ojson out = ojson::array();
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream in(line);
        std::string device, second, third;
        if (!(in >> device >> second)) continue;
        auto colon = device.find(':');
        if (colon == std::string::npos) continue;
        ojson e = ojson::object();
        try {
            put_nonzero(e, "major", std::stoull(device.substr(0, colon)));
            put_nonzero(e, "minor", std::stoull(device.substr(colon + 1)));
            if (in >> third) {
                e["op"] = second;
                put_nonzero(e, "value", std::stoull(third));
            } else {
                put_nonzero(e, "value", std::stoull(second));
            }
        } catch (const std::exception&) {
            continue;
        }
        out.push_back(e);
    }
    return out;
}

ojson blkio_v1(const CgroupFileReader& read) {
    using Family = std::vector<std::pair<const char*, const char*>>;  // file, JSON key
    // runc's order: BFQ with debug stats, BFQ, CFQ, recursive throttle, throttle.
    static const std::vector<Family> kFamilies = {
        {{"blkio.bfq.sectors_recursive", "sectorsRecursive"},
         {"blkio.bfq.io_service_time_recursive", "ioServiceTimeRecursive"},
         {"blkio.bfq.io_wait_time_recursive", "ioWaitTimeRecursive"},
         {"blkio.bfq.io_merged_recursive", "ioMergedRecursive"},
         {"blkio.bfq.io_queued_recursive", "ioQueueRecursive"},
         {"blkio.bfq.time_recursive", "ioTimeRecursive"},
         {"blkio.bfq.io_serviced_recursive", "ioServicedRecursive"},
         {"blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"}},
        {{"blkio.bfq.io_serviced_recursive", "ioServicedRecursive"},
         {"blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"}},
        {{"blkio.sectors_recursive", "sectorsRecursive"},
         {"blkio.io_service_time_recursive", "ioServiceTimeRecursive"},
         {"blkio.io_wait_time_recursive", "ioWaitTimeRecursive"},
         {"blkio.io_merged_recursive", "ioMergedRecursive"},
         {"blkio.io_queued_recursive", "ioQueueRecursive"},
         {"blkio.time_recursive", "ioTimeRecursive"},
         {"blkio.io_serviced_recursive", "ioServicedRecursive"},
         {"blkio.io_service_bytes_recursive", "ioServiceBytesRecursive"}},
        {{"blkio.throttle.io_serviced_recursive", "ioServicedRecursive"},
         {"blkio.throttle.io_service_bytes_recursive", "ioServiceBytesRecursive"}},
        {{"blkio.throttle.io_serviced", "ioServicedRecursive"},
         {"blkio.throttle.io_service_bytes", "ioServiceBytesRecursive"}},
    };
    for (const auto& family : kFamilies) {
        std::vector<std::pair<const char*, std::string>> texts;
        for (const auto& [file, key] : family) {
            auto text = read("blkio", file);
            if (!text) break;
            texts.emplace_back(key, *text);
        }
        if (texts.size() != family.size()) continue;
        std::map<std::string, ojson> by_key;
        for (const auto& [key, text] : texts) {
            ojson entries = blkio_entries(text);
            if (!entries.empty()) by_key[key] = entries;
        }
        // Emitted in runc's member order.
        ojson j = ojson::object();
        for (const char* key : {"ioServiceBytesRecursive", "ioServicedRecursive",
                                "ioQueueRecursive", "ioServiceTimeRecursive", "ioWaitTimeRecursive",
                                "ioMergedRecursive", "ioTimeRecursive", "sectorsRecursive"})
            if (by_key.count(key)) j[key] = by_key[key];
        return j;
    }
    return ojson::object();
}

ojson hugetlb_entry(uint64_t usage, uint64_t max, uint64_t failcnt) {
    ojson j = ojson::object();
    put_nonzero(j, "usage", usage);
    put_nonzero(j, "max", max);
    j["failcnt"] = failcnt;
    return j;
}

// ---- v2 ----

ojson io_v2(const CgroupFileReader& read) {
    ojson bytes = ojson::array(), serviced = ojson::array();
    if (auto text = read("io", "io.stat")) {
        std::istringstream lines(*text);
        std::string line;
        while (std::getline(lines, line)) {
            std::istringstream in(line);
            std::string device, field;
            if (!(in >> device)) continue;
            auto colon = device.find(':');
            if (colon == std::string::npos) continue;
            uint64_t major = 0, minor = 0;
            try {
                major = std::stoull(device.substr(0, colon));
                minor = std::stoull(device.substr(colon + 1));
            } catch (const std::exception&) {
                continue;
            }
            while (in >> field) {
                auto eq = field.find('=');
                if (eq == std::string::npos) continue;
                std::string key = field.substr(0, eq);
                static const std::map<std::string, std::pair<const char*, bool>> kOps = {
                    {"rbytes", {"Read", true}},    {"wbytes", {"Write", true}},
                    {"dbytes", {"Discard", true}}, {"rios", {"Read", false}},
                    {"wios", {"Write", false}},    {"dios", {"Discard", false}},
                };
                auto op = kOps.find(key);
                if (op == kOps.end()) continue;
                ojson e = ojson::object();
                put_nonzero(e, "major", major);
                put_nonzero(e, "minor", minor);
                e["op"] = op->second.first;
                put_nonzero(e, "value", number(field.substr(eq + 1)));
                (op->second.second ? bytes : serviced).push_back(e);
            }
        }
    }
    ojson j = ojson::object();
    if (!bytes.empty()) j["ioServiceBytesRecursive"] = bytes;
    if (!serviced.empty()) j["ioServicedRecursive"] = serviced;
    if (auto p = psi(read("io", "io.pressure"))) j["psi"] = *p;
    return j;
}

ojson memory_v2(const CgroupFileReader& read) {
    auto raw = keyed(read("memory", "memory.stat"));
    auto events = keyed(read("memory", "memory.events"));
    uint64_t limit = number(read("memory", "memory.max"));
    uint64_t usage = number(read("memory", "memory.current"));
    // v1 reported swap as memory+swap: so does runc on v2.
    uint64_t swap_limit = number(read("memory", "memory.swap.max"));
    if (swap_limit != kMax) swap_limit += limit;
    ojson j = ojson::object();
    put_nonzero(j, "cache", value_of(raw, "file"));
    j["usage"] =
        memory_entry(limit, usage, number(read("memory", "memory.peak")), value_of(events, "max"));
    j["swap"] = memory_entry(swap_limit, number(read("memory", "memory.swap.current")) + usage,
                             number(read("memory", "memory.swap.peak")), 0);
    j["kernel"] = memory_entry(0, 0, 0, 0);
    j["kernelTCP"] = memory_entry(0, 0, 0, 0);
    if (!raw.empty()) j["raw"] = raw_map(raw);
    if (auto p = psi(read("memory", "memory.pressure"))) j["psi"] = *p;
    return j;
}

}  // namespace

std::vector<std::pair<std::string, uint64_t>> parse_flat_keyed(const std::string& text) {
    std::vector<std::pair<std::string, uint64_t>> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream in(line);
        std::string key, value, extra;
        if (!(in >> key >> value) || (in >> extra)) continue;
        try {
            size_t used = 0;
            uint64_t v = std::stoull(value, &used);
            if (used == value.size() && value[0] != '-') out.emplace_back(key, v);
        } catch (const std::exception&) {
        }
    }
    return out;
}

std::vector<uint16_t> parse_cpu_list(const std::string& text) {
    std::vector<uint16_t> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
            item.pop_back();
        if (item.empty()) continue;
        try {
            auto dash = item.find('-');
            size_t used = 0;
            unsigned long first = std::stoul(item.substr(0, dash), &used);
            if (used != item.substr(0, dash).size()) return {};
            unsigned long last = first;
            if (dash != std::string::npos) {
                std::string rest = item.substr(dash + 1);
                last = std::stoul(rest, &used);
                if (used != rest.size()) return {};
            }
            if (last < first || last > std::numeric_limits<uint16_t>::max()) return {};
            for (unsigned long c = first; c <= last; ++c) out.push_back(static_cast<uint16_t>(c));
        } catch (const std::exception&) {
            return {};
        }
    }
    return out;
}

std::vector<std::string> hugepage_sizes(const std::vector<std::string>& sysfs_entries) {
    std::vector<std::string> out;
    for (const auto& entry : sysfs_entries) {
        const std::string prefix = "hugepages-";
        if (entry.rfind(prefix, 0) != 0 || entry.size() < prefix.size() + 3) continue;
        if (entry.compare(entry.size() - 2, 2, "kB") != 0) continue;
        uint64_t kb = 0;
        try {
            kb = std::stoull(entry.substr(prefix.size(), entry.size() - prefix.size() - 2));
        } catch (const std::exception&) {
            continue;
        }
        // The kernel's names: the largest unit that divides the size.
        const char* units[] = {"KB", "MB", "GB", "TB"};
        int unit = 0;
        while (unit < 3 && kb % 1024 == 0 && kb >= 1024) {
            kb /= 1024;
            ++unit;
        }
        out.push_back(std::to_string(kb) + units[unit]);
    }
    return out;
}

nlohmann::ordered_json cgroup_stats_v1(const CgroupFileReader& read,
                                       const std::vector<std::string>& hugepage_sizes) {
    ojson doc = base_document();
    doc["cpu"] = cpu_v1(read);
    doc["cpuset"] = cpuset_v1(read);
    doc["memory"] = memory_v1(read);
    doc["pids"] = pids(read("pids", "pids.current"), read("pids", "pids.max"));
    doc["blkio"] = blkio_v1(read);
    for (const auto& size : hugepage_sizes) {
        const std::string prefix = "hugetlb." + size + ".";
        auto usage = read("hugetlb", prefix + "usage_in_bytes");
        if (!usage) continue;
        doc["hugetlb"][size] =
            hugetlb_entry(number(usage), number(read("hugetlb", prefix + "max_usage_in_bytes")),
                          number(read("hugetlb", prefix + "failcnt")));
    }
    return doc;
}

nlohmann::ordered_json cgroup_stats_v2(const CgroupFileReader& read,
                                       const std::vector<std::string>& hugepage_sizes) {
    ojson doc = base_document();
    auto stat = keyed(read("cpu", "cpu.stat"));
    ojson usage = ojson::object();
    put_nonzero(usage, "total", value_of(stat, "usage_usec") * 1000);
    usage["kernel"] = value_of(stat, "system_usec") * 1000;
    usage["user"] = value_of(stat, "user_usec") * 1000;
    doc["cpu"] = {
        {"usage", usage},
        {"throttling", throttling(value_of(stat, "nr_periods"), value_of(stat, "nr_throttled"),
                                  value_of(stat, "throttled_usec") * 1000)}};
    if (auto p = psi(read("cpu", "cpu.pressure"))) doc["cpu"]["psi"] = *p;
    ojson cpuset = ojson::object();
    put_nonempty(cpuset, "cpus",
                 parse_cpu_list(read("cpuset", "cpuset.cpus.effective").value_or("")));
    put_nonempty(cpuset, "mems",
                 parse_cpu_list(read("cpuset", "cpuset.mems.effective").value_or("")));
    doc["cpuset"] = cpuset;
    doc["memory"] = memory_v2(read);
    doc["pids"] = pids(read("pids", "pids.current"), read("pids", "pids.max"));
    doc["blkio"] = io_v2(read);
    for (const auto& size : hugepage_sizes) {
        const std::string prefix = "hugetlb." + size + ".";
        auto usage = read("hugetlb", prefix + "current");
        if (!usage) continue;
        auto events = keyed(read("hugetlb", prefix + "events"));
        doc["hugetlb"][size] = hugetlb_entry(number(usage), 0, value_of(events, "max"));
    }
    return doc;
}

int64_t parse_go_duration(const std::string& text, const std::string& flag) {
    const Error bad("invalid value \"" + text + "\" for flag -" + flag + ": parse error");
    std::string s = text;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.erase(0, 1);
    }
    if (s == "0") return 0;
    if (s.empty()) throw bad;
    static const std::vector<std::pair<std::string, double>> kUnits = {
        {"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
        {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9},
    };
    double total = 0;
    size_t i = 0;
    while (i < s.size()) {
        size_t start = i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
        std::string num = s.substr(start, i - start);
        if (num.empty() || num == "." || num.find('.') != num.rfind('.')) throw bad;
        size_t unit_start = i;
        while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
        std::string unit = s.substr(unit_start, i - unit_start);
        double scale = 0;
        for (const auto& [name, factor] : kUnits)
            if (unit == name) scale = factor;
        if (scale == 0) throw bad;
        total += std::stod(num) * scale;
    }
    if (total > 9.2e18) throw bad;
    return static_cast<int64_t>(std::llround(negative ? -total : total));
}

}  // namespace minirunc
