// `update` flags (runc's update.go, docker/go-units, Go's strconv and flag
// error texts) and the merge of an update into the current resources.
#include "minirunc/cgroup_update_flags.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "core/cgroup_values.hpp"
#include "minirunc/error.hpp"

namespace minirunc {
namespace {

using cgroup_values::value_or_zero;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Go's strconv.ParseUint(s, 10, 64): digits only. Empty on success, else the reason.
std::string parse_decimal(const std::string& s, uint64_t& out) {
    if (s.empty()) return "invalid syntax";
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return "invalid syntax";
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return "value out of range";
        v = v * 10 + d;
    }
    out = v;
    return "";
}

std::string strconv_error(const char* fn, const std::string& s, const std::string& why) {
    return std::string("strconv.") + fn + ": parsing \"" + s + "\": " + why;
}

uint64_t parse_uint(const std::string& flag, const std::string& s) {
    uint64_t v = 0;
    if (std::string why = parse_decimal(s, v); !why.empty())
        throw Error("invalid value for " + flag + ": " + strconv_error("ParseUint", s, why));
    return v;
}

int64_t parse_int(const std::string& flag, const std::string& s) {
    const bool negative = !s.empty() && s[0] == '-';
    const std::string digits = !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
    uint64_t v = 0;
    std::string why = parse_decimal(digits, v);
    const uint64_t max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (why.empty() && v > max + (negative ? 1 : 0)) why = "value out of range";
    if (!why.empty())
        throw Error("invalid value for " + flag + ": " + strconv_error("ParseInt", s, why));
    return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

// A cli.IntFlag: Go's flag package, strconv.ParseInt(s, 0, 64) (0x, 0o, 0b, 0 prefixes).
int64_t parse_int_flag(const std::string& flag, const std::string& s) {
    const std::string bad = "invalid value \"" + s + "\" for flag -" + flag + ": ";
    std::string body = s;
    const bool negative = !body.empty() && body[0] == '-';
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.erase(0, 1);
    uint64_t base = 10;
    const std::string prefix = lower(body.substr(0, 2));
    if (prefix == "0x" || prefix == "0o" || prefix == "0b") {
        base = prefix == "0x" ? 16 : prefix == "0o" ? 8 : 2;
        body.erase(0, 2);
    } else if (body.size() > 1 && body[0] == '0') {
        base = 8;
        body.erase(0, 1);
    }
    if (body.empty()) throw Error(bad + "parse error");
    // Magnitudes up to 2^63 (the most negative value); the sign is checked after.
    const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
    uint64_t v = 0;
    for (char c : body) {
        const unsigned char u = static_cast<unsigned char>(c);
        const uint64_t d = std::isdigit(u)    ? static_cast<uint64_t>(c - '0')
                           : std::isxdigit(u) ? static_cast<uint64_t>(std::tolower(u) - 'a' + 10)
                                              : 99;
        if (d >= base) throw Error(bad + "parse error");
        if (v > (limit - d) / base) throw Error(bad + "value out of range");
        v = v * base + d;
    }
    if (!negative && v == limit) throw Error(bad + "value out of range");
    return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

int64_t parse_memory(const std::string& flag, const std::string& s) {
    if (s == "-1") return -1;
    try {
        return ram_in_bytes(s);
    } catch (const Error& e) {
        throw e.wrap("invalid value for " + flag);
    }
}

// Absent or zero in the update keeps the current value.
template <typename T>
void keep_unless_zero(std::optional<T>& current, const std::optional<T>& update) {
    if (value_or_zero(update) != T{}) current = update;
}

template <typename T>
T& ensure(std::optional<T>& v) {
    if (!v) v.emplace();
    return *v;
}

void upsert_weight_devices(spec::BlockIoResources& b, const spec::BlockIoResources& u) {
    for (const auto& wd : u.weight_device) {
        auto it = b.weight_device.rbegin();  // the last duplicate is the one in force
        while (it != b.weight_device.rend() && (it->major != wd.major || it->minor != wd.minor))
            ++it;
        if (it == b.weight_device.rend()) {
            b.weight_device.push_back(wd);
            continue;
        }
        if (wd.weight) it->weight = wd.weight;
        if (wd.leaf_weight) it->leaf_weight = wd.leaf_weight;
    }
}

void upsert_throttles(std::vector<spec::ThrottleDevice>& current,
                      const std::vector<spec::ThrottleDevice>& update) {
    for (const auto& td : update) {
        auto it = current.rbegin();
        while (it != current.rend() && (it->major != td.major || it->minor != td.minor)) ++it;
        if (it == current.rend())
            current.push_back(td);
        else
            it->rate = td.rate;
    }
}

void merge_memory(spec::Resources& out, const spec::Resources& update) {
    if (!update.memory) {
        if (out.memory) out.memory->check_before_update.reset();
        return;
    }
    spec::MemoryResources& m = ensure(out.memory);
    const spec::MemoryResources& u = *update.memory;
    keep_unless_zero(m.limit, u.limit);
    keep_unless_zero(m.reservation, u.reservation);
    keep_unless_zero(m.swap, u.swap);
    // Unlimited memory without a swap value: unlimited swap (a limited one would
    // now be below the limit).
    if (value_or_zero(u.limit) == -1 && value_or_zero(u.swap) == 0) m.swap.reset();
    m.check_before_update = u.check_before_update;
}

void merge_cpu(spec::Resources& out, const spec::Resources& update) {
    if (!update.cpu) return;
    spec::CpuResources& c = ensure(out.cpu);
    const spec::CpuResources& u = *update.cpu;
    keep_unless_zero(c.shares, u.shares);
    keep_unless_zero(c.quota, u.quota);
    keep_unless_zero(c.period, u.period);
    keep_unless_zero(c.realtime_runtime, u.realtime_runtime);
    keep_unless_zero(c.realtime_period, u.realtime_period);
    if (!u.cpus.empty()) c.cpus = u.cpus;
    if (!u.mems.empty()) c.mems = u.mems;
    if (u.burst) c.burst = u.burst;
    if (u.idle) {
        c.idle = u.idle;
        if (value_or_zero(u.shares) == 0) c.shares.reset();
    }
}

void merge_block_io(spec::Resources& out, const spec::Resources& update) {
    if (!update.block_io) return;
    spec::BlockIoResources& b = ensure(out.block_io);
    const spec::BlockIoResources& u = *update.block_io;
    keep_unless_zero(b.weight, u.weight);
    keep_unless_zero(b.leaf_weight, u.leaf_weight);
    upsert_weight_devices(b, u);
    upsert_throttles(b.throttle_read_bps_device, u.throttle_read_bps_device);
    upsert_throttles(b.throttle_write_bps_device, u.throttle_write_bps_device);
    upsert_throttles(b.throttle_read_iops_device, u.throttle_read_iops_device);
    upsert_throttles(b.throttle_write_iops_device, u.throttle_write_iops_device);
}

}  // namespace

int64_t ram_in_bytes(const std::string& size) {
    const std::string invalid = "invalid size: '" + size + "'";
    const std::size_t sep = size.find_last_of("0123456789. ");
    if (sep == std::string::npos) throw Error(invalid);
    // A single space may separate the number from its unit.
    const std::string num = size[sep] == ' ' ? size.substr(0, sep) : size.substr(0, sep + 1);
    std::string suffix = lower(size.substr(sep + 1));
    // strtod would also take hex, "inf" and "nan"; Go's ParseFloat here takes none.
    if (num.empty() || num.find_first_not_of("0123456789.eE+-") != std::string::npos)
        throw Error(invalid);
    char* end = nullptr;
    double value = std::strtod(num.c_str(), &end);
    if (end != num.c_str() + num.size() || !std::isfinite(value) || value < 0) throw Error(invalid);
    static const std::string kUnits = "kmgtp";
    if (!suffix.empty()) {
        const std::string bad = "invalid suffix: '" + suffix + "'";
        const std::size_t unit = kUnits.find(suffix[0]);
        if (suffix.size() > 3) throw Error(bad);
        if (suffix[0] == 'b') {
            if (suffix.size() > 1) throw Error(bad);
        } else if (unit == std::string::npos || (suffix.size() == 2 && suffix[1] != 'b') ||
                   (suffix.size() == 3 && suffix.substr(1) != "ib")) {
            throw Error(bad);
        } else {
            value *= std::pow(1024.0, static_cast<double>(unit + 1));
        }
    }
    if (value >= 9223372036854775808.0) throw Error(invalid);
    return static_cast<int64_t>(value);
}

spec::Resources resources_from_update_flags(const std::map<std::string, std::string>& flags) {
    using Setter = void (*)(spec::Resources&, const std::string& flag, const std::string& value);
    // runc's string flags; an empty one counts as not given.
    static const std::map<std::string, Setter> kFlags = {
        {"cpu-period", [](auto& r, auto& f, auto& v) { ensure(r.cpu).period = parse_uint(f, v); }},
        {"cpu-quota", [](auto& r, auto& f, auto& v) { ensure(r.cpu).quota = parse_int(f, v); }},
        {"cpu-burst", [](auto& r, auto& f, auto& v) { ensure(r.cpu).burst = parse_uint(f, v); }},
        {"cpu-share", [](auto& r, auto& f, auto& v) { ensure(r.cpu).shares = parse_uint(f, v); }},
        {"cpu-rt-period",
         [](auto& r, auto& f, auto& v) { ensure(r.cpu).realtime_period = parse_uint(f, v); }},
        {"cpu-rt-runtime",
         [](auto& r, auto& f, auto& v) { ensure(r.cpu).realtime_runtime = parse_int(f, v); }},
        {"cpu-idle", [](auto& r, auto& f, auto& v) { ensure(r.cpu).idle = parse_int(f, v); }},
        {"cpuset-cpus", [](auto& r, auto&, auto& v) { ensure(r.cpu).cpus = v; }},
        {"cpuset-mems", [](auto& r, auto&, auto& v) { ensure(r.cpu).mems = v; }},
        {"memory", [](auto& r, auto& f, auto& v) { ensure(r.memory).limit = parse_memory(f, v); }},
        {"memory-swap",
         [](auto& r, auto& f, auto& v) { ensure(r.memory).swap = parse_memory(f, v); }},
        {"memory-reservation",
         [](auto& r, auto& f, auto& v) { ensure(r.memory).reservation = parse_memory(f, v); }},
        // Obsolete: parsed as runc does, then ignored by the planners.
        {"kernel-memory",
         [](auto& r, auto& f, auto& v) { ensure(r.memory).kernel = parse_memory(f, v); }},
        {"kernel-memory-tcp",
         [](auto& r, auto& f, auto& v) { ensure(r.memory).kernel_tcp = parse_memory(f, v); }},
    };
    spec::Resources r;
    for (const auto& [raw_name, value] : flags) {
        const std::size_t dashes = std::min(raw_name.find_first_not_of('-'), raw_name.size());
        const std::string name = raw_name.substr(dashes);
        if (name == "blkio-weight") {
            const int64_t w = parse_int_flag(name, value);
            if (w == 0) continue;
            if (w < 0 || w > std::numeric_limits<uint16_t>::max())
                throw Error("invalid value for blkio-weight: " + value + " is out of range");
            ensure(r.block_io).weight = static_cast<uint16_t>(w);
        } else if (name == "pids-limit") {
            // An IntFlag: set whenever given, even as 0.
            ensure(r.pids).limit = parse_int_flag(name, value);
        } else if (auto it = kFlags.find(name); it != kFlags.end()) {
            if (!value.empty()) it->second(r, name, value);
        } else {
            throw Error("flag provided but not defined: -" + name);
        }
    }
    return r;
}

spec::Resources merge_update(const spec::Resources& current, const spec::Resources& update) {
    spec::Resources out = current;
    merge_memory(out, update);
    merge_cpu(out, update);
    if (update.pids && value_or_zero(update.pids->limit) != 0) out.pids = update.pids;
    merge_block_io(out, update);
    for (const auto& [key, value] : update.unified) out.unified[key] = value;
    return out;
}

}  // namespace minirunc
