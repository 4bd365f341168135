// The devices cgroup: linux.resources.devices plus runc's default set, as v1
// devices.allow/devices.deny writes or as a v2 BPF_PROG_TYPE_CGROUP_DEVICE
// program. Pure; the applier writes the files or loads and attaches the program.
//
// Both versions get the kernel's v1 semantics, reduced first by runc's
// emulator: an 'a' rule resets to allow-all or deny-all (whatever its numbers
// and access); a rule with the opposite action adds an exception, merged per
// device pattern; one with the default's action removes access from the
// exception with exactly its pattern, and is refused where v1 would silently
// ignore it (a hole in a wildcard exception). In deny-all mode a request needs
// one exception covering all its access; in allow-all mode any overlap with an
// exception denies.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <string>
#include <vector>

#include "minirunc/cgroup_resources.hpp"
#include "minirunc/spec.hpp"

namespace minirunc {

struct DeviceRule {
    static constexpr int64_t kAny = -1;

    char type = 'a';             // 'a' (all devices), 'c' or 'b'
    int64_t major = kAny;        // kAny: any major
    int64_t minor = kAny;        // kAny: any minor
    std::string access = "rwm";  // a non-empty subset of "rwm", in that order
    bool allow = false;

    bool operator==(const DeviceRule&) const = default;
};

// Validates and normalises one linux.resources.devices entry (index for the
// error message): empty type is 'a', absent numbers are kAny, an 'a' rule
// becomes "a *:* rwm" (which is what the kernel makes of it).
DeviceRule device_rule_from_spec(const spec::DeviceCgroupRule& rule, std::size_t index);

// runc's default allowed devices (mknod of anything, null, random, full, tty,
// zero, urandom, pts, ptmx, net/tun), each with the /dev path it belongs to
// (empty for rules that are not one node).
struct DefaultDeviceRule {
    std::string path;
    DeviceRule rule;
};
const std::vector<DefaultDeviceRule>& default_device_rules();

// The container's complete list, in runc's order: deny all, the config's rules,
// then the defaults, minus defaults whose path linux.devices redefines.
std::vector<DeviceRule> container_device_rules(const std::vector<spec::DeviceCgroupRule>& rules,
                                               const std::vector<spec::Device>& linux_devices);

// "c 1:3 rwm", "b 8:* r", "a *:* rwm".
std::string device_rule_string(const DeviceRule& rule);

// The rules reduced to what is in force: a default (deny all until an 'a'
// rule says otherwise) and exceptions to it, each with the opposite action,
// sorted by major, minor and type as runc sorts them. Throws Error for a hole
// in a wildcard exception.
struct DeviceRuleSet {
    bool default_allow = false;
    std::vector<DeviceRule> exceptions;
};
DeviceRuleSet reduce_device_rules(const std::vector<DeviceRule>& rules);

// v1: the reset ("a *:* rwm" to devices.allow or devices.deny), then one write
// per exception. A new v1 cgroup inherits its parent's rules, so the reset is
// always written.
std::vector<CgroupWrite> plan_v1_device_writes(const std::vector<DeviceRule>& rules);

// v2: a BPF_PROG_TYPE_CGROUP_DEVICE program returning 1 (allow) or 0 (deny),
// one block per exception, then the default. Throws Error as the reduction
// does, and for device numbers beyond 32 bits.
std::vector<bpf_insn> device_filter_program(const std::vector<DeviceRule>& rules);

}  // namespace minirunc
