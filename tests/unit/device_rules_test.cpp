#include "minirunc/device_rules.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

constexpr int64_t kAny = DeviceRule::kAny;

spec::DeviceCgroupRule spec_rule(bool allow, std::string type, std::optional<int64_t> major,
                                 std::optional<int64_t> minor, std::string access) {
    return spec::DeviceCgroupRule{allow, std::move(type), major, minor, std::move(access)};
}

Strings strings(const std::vector<DeviceRule>& rules) {
    Strings out;
    for (const auto& r : rules)
        out.push_back((r.allow ? "allow " : "deny ") + device_rule_string(r));
    return out;
}

Strings lines(const std::vector<CgroupWrite>& writes) {
    Strings out;
    for (const auto& w : writes) out.push_back(w.controller + "/" + w.file + "=" + w.value);
    return out;
}

std::string error_of(const spec::DeviceCgroupRule& rule) {
    try {
        device_rule_from_spec(rule, 3);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// --- A small interpreter for the BPF subset the generator uses, with the
// kernel's semantics (64-bit registers, 32-bit ALU ops zero-extend, K operands
// of 64-bit jumps sign-extended). It fails the test on anything else.

struct Request {
    char type;  // 'c' or 'b'
    uint32_t major;
    uint32_t minor;
    std::string access;  // subset of "rwm"
};

int run(const std::vector<bpf_insn>& prog, const Request& req) {
    uint32_t access = 0;
    for (char c : req.access)
        access |= c == 'r'   ? BPF_DEVCG_ACC_READ
                  : c == 'w' ? BPF_DEVCG_ACC_WRITE
                             : BPF_DEVCG_ACC_MKNOD;
    const uint32_t type = req.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
    const uint32_t ctx[3] = {type | (access << 16), req.major, req.minor};
    uint64_t reg[11] = {};
    bool ctx_in_r1 = true;
    bool r0_set = false;
    for (std::size_t pc = 0, steps = 0; pc < prog.size() && steps < 100000; ++steps) {
        const bpf_insn& i = prog[pc++];
        const uint8_t op = BPF_OP(i.code);
        const bool k = BPF_SRC(i.code) == BPF_K;
        switch (BPF_CLASS(i.code)) {
            case BPF_LDX:
                if (BPF_MODE(i.code) != BPF_MEM || BPF_SIZE(i.code) != BPF_W || i.src_reg != 1 ||
                    !ctx_in_r1 || i.off < 0 || i.off > 8 || i.off % 4 != 0) {
                    ADD_FAILURE() << "bad load at " << pc - 1;
                    return -1;
                }
                reg[i.dst_reg] = ctx[i.off / 4];
                break;
            case BPF_ALU: {
                const uint32_t src =
                    k ? static_cast<uint32_t>(i.imm) : static_cast<uint32_t>(reg[i.src_reg]);
                const uint32_t dst = static_cast<uint32_t>(reg[i.dst_reg]);
                uint32_t result;
                if (op == BPF_AND)
                    result = dst & src;
                else if (op == BPF_RSH)
                    result = dst >> src;
                else if (op == BPF_MOV)
                    result = src;
                else {
                    ADD_FAILURE() << "unexpected ALU op at " << pc - 1;
                    return -1;
                }
                reg[i.dst_reg] = result;
                if (i.dst_reg == 0) r0_set = true;
                break;
            }
            case BPF_JMP:
                if (op == BPF_EXIT) {
                    if (!r0_set) ADD_FAILURE() << "exit without a verdict";
                    return static_cast<int>(reg[0]);
                }
                if ((op != BPF_JNE && op != BPF_JEQ) || i.off < 0) {
                    ADD_FAILURE() << "unexpected jump at " << pc - 1;
                    return -1;
                }
                if ((reg[i.dst_reg] == (k ? static_cast<uint64_t>(static_cast<int64_t>(i.imm))
                                          : reg[i.src_reg])) == (op == BPF_JEQ))
                    pc += static_cast<std::size_t>(i.off);
                break;
            default:
                ADD_FAILURE() << "unexpected instruction class at " << pc - 1;
                return -1;
        }
        if (i.dst_reg == 1 && BPF_CLASS(i.code) != BPF_JMP) ctx_in_r1 = false;
    }
    ADD_FAILURE() << "fell off the program";
    return -1;
}

// The v1 kernel's devices cgroup as written in security/device_cgroup.c: a
// behavior and a list of exceptions; writes add (merging an identical
// pattern) or remove (exact pattern only); checks need one covering exception
// in deny-all mode and deny on any overlapping one in allow-all mode.
struct KernelDevices {
    bool allow_all;
    std::vector<DeviceRule> exceptions;

    void write(bool allow_file, const DeviceRule& r) {
        if (r.type == 'a') {
            allow_all = allow_file;
            exceptions.clear();
            return;
        }
        auto same = [&](const DeviceRule& e) {
            return e.type == r.type && e.major == r.major && e.minor == r.minor;
        };
        if (allow_file != allow_all) {
            for (auto& e : exceptions) {
                if (!same(e)) continue;
                for (char c : r.access)
                    if (e.access.find(c) == std::string::npos) e.access += c;
                return;
            }
            exceptions.push_back(r);
            return;
        }
        for (auto it = exceptions.begin(); it != exceptions.end();) {
            if (same(*it)) {
                for (char c : r.access) {
                    const auto at = it->access.find(c);
                    if (at != std::string::npos) it->access.erase(at, 1);
                }
            }
            it = it->access.empty() ? exceptions.erase(it) : it + 1;
        }
    }

    bool check(const Request& q) const {
        for (const auto& e : exceptions) {
            if (e.type != q.type || (e.major != kAny && e.major != q.major) ||
                (e.minor != kAny && e.minor != q.minor))
                continue;
            bool covered = true, overlap = false;
            for (char c : q.access) {
                const bool has = e.access.find(c) != std::string::npos;
                covered = covered && has;
                overlap = overlap || has;
            }
            if (allow_all && overlap) return false;
            if (!allow_all && covered) return true;
        }
        return allow_all;
    }
};

// runc's starting point: deny all.
bool reference(const std::vector<DeviceRule>& rules, const Request& req) {
    KernelDevices k{false, {}};
    for (const auto& r : rules) k.write(r.allow, r);
    return k.check(req);
}

// What a fresh v1 cgroup (allow all, inherited from the root) ends up with.
bool after_v1_writes(const std::vector<CgroupWrite>& writes, const Request& req) {
    KernelDevices k{true, {}};
    for (const auto& w : writes) {
        DeviceRule r;
        r.type = w.value[0];
        const auto colon = w.value.find(':'), space = w.value.rfind(' ');
        const std::string major = w.value.substr(2, colon - 2);
        const std::string minor = w.value.substr(colon + 1, space - colon - 1);
        r.major = major == "*" ? kAny : std::stoll(major);
        r.minor = minor == "*" ? kAny : std::stoll(minor);
        r.access = w.value.substr(space + 1);
        k.write(w.file == "devices.allow", r);
    }
    return k.check(req);
}

bool allowed(const std::vector<DeviceRule>& rules, const Request& req) {
    return run(device_filter_program(rules), req) == 1;
}

DeviceRule rule(bool allow, char type, int64_t major, int64_t minor, const char* access) {
    return DeviceRule{type, major, minor, access, allow};
}

}  // namespace

TEST(DeviceRules, SpecRulesAreNormalised) {
    EXPECT_EQ(device_rule_from_spec(spec_rule(true, "c", 1, 3, "wr"), 0),
              rule(true, 'c', 1, 3, "rw"));
    EXPECT_EQ(device_rule_from_spec(spec_rule(false, "b", 8, std::nullopt, "m"), 0),
              rule(false, 'b', 8, kAny, "m"));
    EXPECT_EQ(device_rule_from_spec(spec_rule(true, "c", -1, -1, "mrw"), 0),
              rule(true, 'c', kAny, kAny, "rwm"));
    // The kernel reads any 'a' rule as "all devices".
    EXPECT_EQ(device_rule_from_spec(spec_rule(false, "", 1, 3, "r"), 0),
              rule(false, 'a', kAny, kAny, "rwm"));
    EXPECT_EQ(device_rule_from_spec(spec_rule(true, "a", std::nullopt, std::nullopt, "rwm"), 0),
              rule(true, 'a', kAny, kAny, "rwm"));
}

TEST(DeviceRules, InvalidSpecRulesNameTheEntry) {
    EXPECT_EQ(error_of(spec_rule(true, "u", 1, 3, "rwm")),
              "linux.resources.devices[3]: invalid cgroup device type \"u\"");
    EXPECT_EQ(error_of(spec_rule(true, "c", 1, 3, "")),
              "linux.resources.devices[3]: device access cannot be empty");
    EXPECT_EQ(error_of(spec_rule(true, "c", 1, 3, "rx")),
              "linux.resources.devices[3]: invalid device access \"rx\"");
    EXPECT_EQ(error_of(spec_rule(true, "c", 1, 3, "rr")),
              "linux.resources.devices[3]: invalid device access \"rr\"");
    EXPECT_EQ(error_of(spec_rule(true, "c", -2, 3, "r")),
              "linux.resources.devices[3]: invalid major -2");
    EXPECT_EQ(error_of(spec_rule(true, "c", 1, 4294967296, "r")),
              "linux.resources.devices[3]: invalid minor 4294967296");
}

TEST(DeviceRules, CgroupStringUsesStarForAny) {
    EXPECT_EQ(device_rule_string(rule(true, 'c', 1, 3, "rwm")), "c 1:3 rwm");
    EXPECT_EQ(device_rule_string(rule(true, 'b', 8, kAny, "r")), "b 8:* r");
    EXPECT_EQ(device_rule_string(rule(false, 'a', kAny, kAny, "rwm")), "a *:* rwm");
}

TEST(DeviceRules, DefaultsAreRuncs) {
    Strings defaults;
    for (const auto& d : default_device_rules())
        defaults.push_back(d.path + " " + device_rule_string(d.rule) +
                           (d.rule.allow ? "" : " DENY"));
    EXPECT_EQ(defaults,
              (Strings{" c *:* m", " b *:* m", "/dev/null c 1:3 rwm", "/dev/random c 1:8 rwm",
                       "/dev/full c 1:7 rwm", "/dev/tty c 5:0 rwm", "/dev/zero c 1:5 rwm",
                       "/dev/urandom c 1:9 rwm", " c 136:* rwm", " c 5:2 rwm", " c 10:200 rwm"}));
}

TEST(DeviceRules, ContainerListIsDenyAllThenConfigThenDefaults) {
    const auto rules = container_device_rules({spec_rule(true, "c", 10, 229, "rwm")}, {});
    ASSERT_EQ(rules.size(), 13u);
    EXPECT_EQ(strings(rules)[0], "deny a *:* rwm");
    EXPECT_EQ(strings(rules)[1], "allow c 10:229 rwm");
    EXPECT_EQ(strings(rules)[2], "allow c *:* m");
    EXPECT_EQ(strings(rules)[12], "allow c 10:200 rwm");
}

TEST(DeviceRules, DefaultsRedefinedByLinuxDevicesAreDropped) {
    spec::Device null_dev{"c", "/dev/null", 1, 3, 0666, 0, 0};
    const auto rules = container_device_rules({}, {null_dev});
    ASSERT_EQ(rules.size(), 11u);
    for (const auto& s : strings(rules)) EXPECT_NE(s, "allow c 1:3 rwm");
}

TEST(DeviceRules, V1WritesAreTheResetThenTheExceptions) {
    const std::vector<DeviceRule> rules = {
        rule(true, 'c', 1, 3, "rwm"), rule(false, 'a', kAny, kAny, "rwm"),
        rule(true, 'c', 1, 5, "rw"), rule(false, 'c', 1, 5, "w"), rule(true, 'b', kAny, kAny, "m")};
    EXPECT_EQ(lines(plan_v1_device_writes(rules)),
              (Strings{"devices/devices.deny=a *:* rwm", "devices/devices.allow=b *:* m",
                       "devices/devices.allow=c 1:5 r"}));
}

TEST(DeviceRules, V1WritesDenyAllWithoutAReset) {
    EXPECT_EQ(lines(plan_v1_device_writes({rule(true, 'b', 8, kAny, "r")})),
              (Strings{"devices/devices.deny=a *:* rwm", "devices/devices.allow=b 8:* r"}));
    EXPECT_EQ(lines(plan_v1_device_writes({rule(true, 'a', kAny, kAny, "rwm")})),
              Strings{"devices/devices.allow=a *:* rwm"});
    EXPECT_EQ(lines(plan_v1_device_writes(
                  {rule(true, 'a', kAny, kAny, "rwm"), rule(false, 'c', 1, 3, "w")})),
              (Strings{"devices/devices.allow=a *:* rwm", "devices/devices.deny=c 1:3 w"}));
}

TEST(DeviceRules, V1WritesForTheDefaultContainerInRuncsOrder) {
    EXPECT_EQ(lines(plan_v1_device_writes(container_device_rules({}, {}))),
              (Strings{"devices/devices.deny=a *:* rwm", "devices/devices.allow=b *:* m",
                       "devices/devices.allow=c *:* m", "devices/devices.allow=c 1:3 rwm",
                       "devices/devices.allow=c 1:5 rwm", "devices/devices.allow=c 1:7 rwm",
                       "devices/devices.allow=c 1:8 rwm", "devices/devices.allow=c 1:9 rwm",
                       "devices/devices.allow=c 5:0 rwm", "devices/devices.allow=c 5:2 rwm",
                       "devices/devices.allow=c 10:200 rwm", "devices/devices.allow=c 136:* rwm"}));
}

TEST(DeviceRules, ReductionMergesAllowsPerPattern) {
    const DeviceRuleSet set = reduce_device_rules(
        {rule(true, 'c', 1, 3, "r"), rule(true, 'c', 1, 3, "m"), rule(true, 'c', 1, 3, "r")});
    EXPECT_FALSE(set.default_allow);
    EXPECT_EQ(strings(set.exceptions), Strings{"allow c 1:3 rm"});
}

TEST(DeviceRules, ProgramForOneRuleIsExact) {
    const auto prog =
        device_filter_program({rule(false, 'a', kAny, kAny, "rwm"), rule(true, 'c', 1, 3, "rwm")});
    ASSERT_EQ(prog.size(), 13u);
    const uint8_t ldxw = BPF_LDX | BPF_MEM | BPF_W, jnek = BPF_JMP | BPF_JNE | BPF_K;
    const uint8_t mov32k = BPF_ALU | BPF_MOV | BPF_K, exit = BPF_JMP | BPF_EXIT;
    struct Expect {
        uint8_t code, dst, src;
        int16_t off;
        int32_t imm;
    };
    const Expect want[] = {
        {ldxw, 2, 1, 0, 0},
        {BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xFFFF},
        {ldxw, 3, 1, 0, 0},
        {BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16},
        {ldxw, 4, 1, 4, 0},
        {ldxw, 5, 1, 8, 0},
        {jnek, 2, 0, 4, BPF_DEVCG_DEV_CHAR},  // on to the default verdict
        {jnek, 4, 0, 3, 1},
        {jnek, 5, 0, 2, 3},
        {mov32k, 0, 0, 0, 1},
        {exit, 0, 0, 0, 0},
        {mov32k, 0, 0, 0, 0},
        {exit, 0, 0, 0, 0},
    };
    for (std::size_t i = 0; i < prog.size(); ++i) {
        EXPECT_EQ(prog[i].code, want[i].code) << i;
        EXPECT_EQ(prog[i].dst_reg, want[i].dst) << i;
        EXPECT_EQ(prog[i].src_reg, want[i].src) << i;
        EXPECT_EQ(prog[i].off, want[i].off) << i;
        EXPECT_EQ(prog[i].imm, want[i].imm) << i;
    }
}

TEST(DeviceRules, AllowChecksTheRequestIsCoveredDenyThatItOverlaps) {
    const auto allow = device_filter_program({rule(true, 'b', 8, kAny, "r")});
    // prologue 6, type 1, access 3, major 1, verdict 2, default 2
    ASSERT_EQ(allow.size(), 15u);
    EXPECT_EQ(allow[6].off, 6);  // type mismatch: past the block
    EXPECT_EQ(allow[7].code, BPF_ALU | BPF_MOV | BPF_X);
    EXPECT_EQ(allow[8].imm, BPF_DEVCG_ACC_READ);
    EXPECT_EQ(allow[9].code, BPF_JMP | BPF_JNE | BPF_X);
    EXPECT_EQ(allow[9].off, 3);
    const auto deny =
        device_filter_program({rule(true, 'a', kAny, kAny, "rwm"), rule(false, 'c', 1, 3, "w")});
    ASSERT_EQ(deny.size(), 16u);
    EXPECT_EQ(deny[9].code, BPF_JMP | BPF_JEQ | BPF_K);
    EXPECT_EQ(deny[9].imm, 0);
    EXPECT_EQ(deny[13].imm, 0);  // the exception denies
    EXPECT_EQ(deny[14].imm, 1);  // the default allows
}

TEST(DeviceRules, DefaultContainerAllowsOnlyTheSafeSet) {
    const auto rules = container_device_rules({}, {});
    EXPECT_TRUE(allowed(rules, {'c', 1, 3, "rw"}));     // /dev/null
    EXPECT_TRUE(allowed(rules, {'c', 1, 9, "r"}));      // /dev/urandom
    EXPECT_TRUE(allowed(rules, {'c', 136, 7, "rw"}));   // a pty
    EXPECT_TRUE(allowed(rules, {'c', 5, 2, "rw"}));     // ptmx
    EXPECT_TRUE(allowed(rules, {'c', 10, 200, "rw"}));  // tun
    EXPECT_TRUE(allowed(rules, {'b', 8, 0, "m"}));      // mknod of anything
    EXPECT_FALSE(allowed(rules, {'b', 8, 0, "r"}));     // the host's disk
    EXPECT_FALSE(allowed(rules, {'b', 8, 0, "rm"}));
    EXPECT_FALSE(allowed(rules, {'c', 10, 229, "rw"}));  // fuse
    EXPECT_FALSE(allowed(rules, {'c', 1, 1, "r"}));      // /dev/mem
    EXPECT_FALSE(allowed(rules, {'c', 4, 1, "w"}));      // a host tty
}

TEST(DeviceRules, PartialDenyTakesAccessAwayFromAnAllow) {
    const std::vector<DeviceRule> rules = {rule(false, 'a', kAny, kAny, "rwm"),
                                           rule(true, 'c', 1, 3, "rwm"),
                                           rule(false, 'c', 1, 3, "w")};
    EXPECT_TRUE(allowed(rules, {'c', 1, 3, "r"}));
    EXPECT_TRUE(allowed(rules, {'c', 1, 3, "m"}));
    EXPECT_FALSE(allowed(rules, {'c', 1, 3, "w"}));
    // Opening read-write must not get past the denied write.
    EXPECT_FALSE(allowed(rules, {'c', 1, 3, "rw"}));
}

TEST(DeviceRules, AllowsForOnePatternAddUp) {
    EXPECT_TRUE(
        allowed({rule(true, 'c', 1, 3, "r"), rule(true, 'c', 1, 3, "w")}, {'c', 1, 3, "rw"}));
    // Across patterns, one exception must cover the whole request (as in v1).
    EXPECT_FALSE(
        allowed({rule(true, 'c', kAny, kAny, "r"), rule(true, 'c', 1, 3, "w")}, {'c', 1, 3, "rw"}));
}

TEST(DeviceRules, InAllowAllModeAnyOverlapDenies) {
    const std::vector<DeviceRule> rules = {
        rule(true, 'c', 1, 3, "rwm"), rule(true, 'a', kAny, kAny, "rwm"),
        rule(false, 'b', 8, kAny, "rwm"), rule(false, 'c', 1, 3, "w")};
    EXPECT_TRUE(allowed(rules, {'c', 4, 1, "rw"}));
    EXPECT_FALSE(allowed(rules, {'b', 8, 3, "r"}));
    EXPECT_TRUE(allowed(rules, {'b', 7, 0, "r"}));
    EXPECT_TRUE(allowed(rules, {'c', 1, 3, "r"}));
    EXPECT_FALSE(allowed(rules, {'c', 1, 3, "rw"}));
}

TEST(DeviceRules, ResetForgetsEarlierRules) {
    const std::vector<DeviceRule> reset = {rule(true, 'c', 1, 3, "rwm"),
                                           rule(false, 'a', kAny, kAny, "rwm")};
    EXPECT_FALSE(allowed(reset, {'c', 1, 3, "r"}));
    EXPECT_EQ(device_filter_program(reset).size(), 8u);  // prologue and verdict only
    EXPECT_FALSE(allowed({}, {'c', 1, 3, "r"}));
    EXPECT_FALSE(allowed({}, {'b', 8, 0, "m"}));
}

TEST(DeviceRules, DenyingAWildcardKeepsSpecificExceptionsAsV1Does) {
    const std::vector<DeviceRule> rules = {rule(false, 'a', kAny, kAny, "rwm"),
                                           rule(true, 'c', 1, 3, "rwm"),
                                           rule(false, 'c', kAny, kAny, "rwm")};
    EXPECT_TRUE(allowed(rules, {'c', 1, 3, "r"}));
}

TEST(DeviceRules, HolesInWildcardExceptionsAreRefused) {
    try {
        reduce_device_rules({rule(true, 'c', kAny, kAny, "rwm"), rule(false, 'c', 1, 3, "w")});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "device rule \"c 1:3 w\" is not supported by the devices cgroup: it would "
                     "punch a hole in \"c *:* rwm\"");
    }
    EXPECT_THROW(reduce_device_rules({rule(true, 'a', kAny, kAny, "rwm"),
                                      rule(false, 'b', 8, kAny, "r"), rule(true, 'b', 8, 0, "r")}),
                 Error);
    EXPECT_THROW(
        plan_v1_device_writes({rule(true, 'c', kAny, 5, "r"), rule(false, 'c', 1, 5, "r")}), Error);
    // No overlap in access: nothing to punch.
    EXPECT_NO_THROW(
        reduce_device_rules({rule(true, 'c', kAny, kAny, "m"), rule(false, 'c', 1, 3, "w")}));
}

TEST(DeviceRules, NumbersBeyondInt32NeverMatch) {
    // No device has such numbers; the sign-extended immediate keeps it so.
    const std::vector<DeviceRule> rules = {rule(true, 'c', 3000000000, kAny, "rwm")};
    EXPECT_FALSE(allowed(rules, {'c', 3000000000u, 0, "r"}));
    EXPECT_THROW(device_filter_program({rule(true, 'c', 4294967296, kAny, "rwm")}), Error);
    EXPECT_THROW(device_filter_program({rule(true, 'x', 1, 1, "rwm")}), Error);
}

TEST(DeviceRules, ProgramAndV1WritesAgreeWithTheKernelOnRandomRuleSets) {
    std::mt19937 rng(20240601);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const char* accesses[] = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
    int checked = 0;
    for (int round = 0; round < 400; ++round) {
        std::vector<DeviceRule> rules;
        const int n = pick(8);
        for (int i = 0; i < n; ++i) {
            const char type = "acbcb"[pick(5)];
            if (type == 'a') {
                rules.push_back(rule(pick(2) == 1, 'a', kAny, kAny, "rwm"));
                continue;
            }
            rules.push_back(rule(pick(2) == 1, type, pick(3) == 0 ? kAny : pick(3),
                                 pick(3) == 0 ? kAny : pick(3), accesses[pick(7)]));
        }
        std::vector<bpf_insn> prog;
        std::vector<CgroupWrite> writes;
        try {
            prog = device_filter_program(rules);
            writes = plan_v1_device_writes(rules);
        } catch (const Error& e) {
            // v1 would silently ignore these; refusing them is the point.
            ASSERT_NE(std::string(e.what()).find("punch a hole"), std::string::npos) << e.what();
            continue;
        }
        ++checked;
        for (int q = 0; q < 20; ++q) {
            const Request req{pick(2) ? 'c' : 'b', static_cast<uint32_t>(pick(3)),
                              static_cast<uint32_t>(pick(3)), accesses[pick(7)]};
            const bool want = reference(rules, req);
            ASSERT_EQ(run(prog, req) == 1, want) << "round " << round;
            ASSERT_EQ(after_v1_writes(writes, req), want) << "round " << round;
        }
    }
    EXPECT_GT(checked, 200);
}
