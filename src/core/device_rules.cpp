// Device cgroup rules: runc's defaults, its emulator of the v1 kernel logic
// (devices_emulator.go), v1 writes and the v2 BPF program (devicefilter.go).
#include "minirunc/device_rules.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

DeviceRule char_rule(int64_t major, int64_t minor, const char* access = "rwm") {
    return DeviceRule{'c', major, minor, access, true};
}

int64_t checked_number(const std::optional<int64_t>& value, const char* what,
                       const std::string& at) {
    if (!value || *value == DeviceRule::kAny) return DeviceRule::kAny;
    if (*value < 0 || *value > std::numeric_limits<uint32_t>::max())
        throw Error(at + ": invalid " + what + " " + std::to_string(*value));
    return *value;
}

// --- BPF instruction helpers (the kernel's filter.h macros, as functions) ---

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}
bpf_insn load_word(uint8_t dst, uint8_t src, int16_t off) {
    return insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
    return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
    return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn jne_imm(uint8_t dst, int32_t imm, int16_t off) {
    return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm);
}
bpf_insn jeq_imm(uint8_t dst, int32_t imm, int16_t off) {
    return insn(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm);
}
bpf_insn jne_reg(uint8_t dst, uint8_t src, int16_t off) {
    return insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, off, 0);
}
bpf_insn exit_insn() {
    return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

void emit_return(std::vector<bpf_insn>& out, bool allow) {
    out.push_back(alu32_imm(BPF_MOV, BPF_REG_0, allow ? 1 : 0));
    out.push_back(exit_insn());
}

int32_t access_mask(const std::string& access) {
    int32_t mask = 0;
    for (char c : access) {
        if (c == 'r') mask |= BPF_DEVCG_ACC_READ;
        if (c == 'w') mask |= BPF_DEVCG_ACC_WRITE;
        if (c == 'm') mask |= BPF_DEVCG_ACC_MKNOD;
    }
    return mask;
}

// Numbers up to UINT32_MAX go in as the bits of a 32-bit immediate. The jump
// compares 64 bits with the immediate sign-extended, so one above INT32_MAX
// never matches; neither does any device (majors have 12 bits, minors 20).
int32_t imm32(int64_t value) {
    return static_cast<int32_t>(static_cast<uint32_t>(value));
}

std::string access_string(int32_t mask) {
    std::string s;
    if (mask & BPF_DEVCG_ACC_READ) s += 'r';
    if (mask & BPF_DEVCG_ACC_WRITE) s += 'w';
    if (mask & BPF_DEVCG_ACC_MKNOD) s += 'm';
    return s;
}

// One exception: fall through to the next block unless type, access, major and
// minor match, else return the exception's verdict. R2 type, R3 access, R4
// major, R5 minor. An allow must cover the whole request, a deny only overlap it.
void emit_block(std::vector<bpf_insn>& out, const DeviceRule& rule) {
    if (rule.major > std::numeric_limits<uint32_t>::max() ||
        rule.minor > std::numeric_limits<uint32_t>::max())
        throw Error("invalid device number in rule \"" + device_rule_string(rule) + "\"");
    const int32_t mask = access_mask(rule.access);
    const bool has_access =
        mask != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
    const bool has_major = rule.major >= 0;
    const bool has_minor = rule.minor >= 0;
    const std::size_t end = out.size() + 1 + (has_access ? 3 : 0) + has_major + has_minor + 2;
    auto to_end = [&] { return static_cast<int16_t>(end - (out.size() + 1)); };

    const int32_t type = rule.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
    out.push_back(jne_imm(BPF_REG_2, type, to_end()));
    if (has_access) {
        out.push_back(mov32_reg(BPF_REG_1, BPF_REG_3));
        out.push_back(alu32_imm(BPF_AND, BPF_REG_1, mask));
        if (rule.allow)
            out.push_back(jne_reg(BPF_REG_1, BPF_REG_3, to_end()));  // (R3 & mask) != R3
        else
            out.push_back(jeq_imm(BPF_REG_1, 0, to_end()));  // (R3 & mask) == 0
    }
    if (has_major) out.push_back(jne_imm(BPF_REG_4, imm32(rule.major), to_end()));
    if (has_minor) out.push_back(jne_imm(BPF_REG_5, imm32(rule.minor), to_end()));
    emit_return(out, rule.allow);
}

}  // namespace

DeviceRule device_rule_from_spec(const spec::DeviceCgroupRule& rule, std::size_t index) {
    const std::string at = "linux.resources.devices[" + std::to_string(index) + "]";
    DeviceRule out;
    out.allow = rule.allow;
    if (rule.type.empty() || rule.type == "a") {
        out.type = 'a';
    } else if (rule.type == "c" || rule.type == "b") {
        out.type = rule.type[0];
    } else {
        throw Error(at + ": invalid cgroup device type \"" + rule.type + "\"");
    }
    if (rule.access.empty()) throw Error(at + ": device access cannot be empty");
    std::string access;
    for (char c : std::string("rwm")) {
        if (rule.access.find(c) != std::string::npos) access += c;
    }
    bool valid = rule.access.find_first_not_of("rwm") == std::string::npos;
    for (char c : access) valid = valid && rule.access.find(c) == rule.access.rfind(c);
    if (!valid) throw Error(at + ": invalid device access \"" + rule.access + "\"");
    out.access = access;
    out.major = checked_number(rule.major, "major", at);
    out.minor = checked_number(rule.minor, "minor", at);
    if (out.type == 'a') {
        out.major = out.minor = DeviceRule::kAny;
        out.access = "rwm";
    }
    return out;
}

const std::vector<DefaultDeviceRule>& default_device_rules() {
    const int64_t any = DeviceRule::kAny;
    // clang-format off
    static const std::vector<DefaultDeviceRule> rules = {
        {"", char_rule(any, any, "m")},  // mknod of any device
        {"", DeviceRule{'b', any, any, "m", true}},
        {"/dev/null", char_rule(1, 3)},
        {"/dev/random", char_rule(1, 8)},
        {"/dev/full", char_rule(1, 7)},
        {"/dev/tty", char_rule(5, 0)},
        {"/dev/zero", char_rule(1, 5)},
        {"/dev/urandom", char_rule(1, 9)},
        {"", char_rule(136, any)},  // /dev/pts/*
        {"", char_rule(5, 2)},      // /dev/ptmx
        {"", char_rule(10, 200)},   // /dev/net/tun, kept by runc for compatibility
    };
    // clang-format on
    return rules;
}

std::vector<DeviceRule> container_device_rules(const std::vector<spec::DeviceCgroupRule>& rules,
                                               const std::vector<spec::Device>& linux_devices) {
    std::vector<DeviceRule> out{DeviceRule{}};
    for (std::size_t i = 0; i < rules.size(); ++i)
        out.push_back(device_rule_from_spec(rules[i], i));
    for (const auto& d : default_device_rules()) {
        bool redefined = false;
        for (const auto& dev : linux_devices)
            redefined = redefined || (!d.path.empty() && dev.path == d.path);
        if (!redefined) out.push_back(d.rule);
    }
    return out;
}

std::string device_rule_string(const DeviceRule& rule) {
    auto number = [](int64_t n) {
        return n == DeviceRule::kAny ? std::string("*") : std::to_string(n);
    };
    return std::string(1, rule.type) + " " + number(rule.major) + ":" + number(rule.minor) + " " +
           rule.access;
}

DeviceRuleSet reduce_device_rules(const std::vector<DeviceRule>& rules) {
    // Keyed (major, minor, type): runc's order, wildcards first.
    std::map<std::tuple<int64_t, int64_t, char>, int32_t> exceptions;
    DeviceRuleSet set;
    for (const DeviceRule& rule : rules) {
        if (rule.type != 'a' && rule.type != 'b' && rule.type != 'c')
            throw Error("invalid device type '" + std::string(1, rule.type) + "'");
        if (rule.type == 'a') {
            set.default_allow = rule.allow;
            exceptions.clear();
            continue;
        }
        const auto key = std::make_tuple(rule.major, rule.minor, rule.type);
        const int32_t mask = access_mask(rule.access);
        if (rule.allow != set.default_allow) {
            exceptions[key] |= mask;
            continue;
        }
        // v1 only removes the exception with exactly this pattern; one that a
        // wildcard exception still grants would silently stay granted.
        for (const auto& wider : {std::make_tuple(DeviceRule::kAny, rule.minor, rule.type),
                                  std::make_tuple(rule.major, DeviceRule::kAny, rule.type),
                                  std::make_tuple(DeviceRule::kAny, DeviceRule::kAny, rule.type)}) {
            const auto it = exceptions.find(wider);
            if (wider == key || it == exceptions.end() || (it->second & mask) == 0) continue;
            const DeviceRule hole{rule.type, std::get<0>(wider), std::get<1>(wider),
                                  access_string(it->second), !rule.allow};
            throw Error("device rule \"" + device_rule_string(rule) +
                        "\" is not supported by the devices cgroup: it would punch a hole in \"" +
                        device_rule_string(hole) + "\"");
        }
        if (const auto it = exceptions.find(key); it != exceptions.end()) {
            it->second &= ~mask;
            if (it->second == 0) exceptions.erase(it);
        }
    }
    for (const auto& [key, mask] : exceptions) {
        const auto& [major, minor, type] = key;
        set.exceptions.push_back(
            DeviceRule{type, major, minor, access_string(mask), !set.default_allow});
    }
    return set;
}

std::vector<CgroupWrite> plan_v1_device_writes(const std::vector<DeviceRule>& rules) {
    const DeviceRuleSet set = reduce_device_rules(rules);
    std::vector<CgroupWrite> out{
        CgroupWrite{"devices", set.default_allow ? "devices.allow" : "devices.deny", "a *:* rwm"}};
    for (const DeviceRule& r : set.exceptions)
        out.push_back(CgroupWrite{"devices", r.allow ? "devices.allow" : "devices.deny",
                                  device_rule_string(r)});
    return out;
}

std::vector<bpf_insn> device_filter_program(const std::vector<DeviceRule>& rules) {
    const DeviceRuleSet set = reduce_device_rules(rules);
    std::vector<bpf_insn> out;
    // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }
    out.push_back(load_word(BPF_REG_2, BPF_REG_1, 0));  // type: low 16 bits of access_type
    out.push_back(alu32_imm(BPF_AND, BPF_REG_2, 0xFFFF));
    out.push_back(load_word(BPF_REG_3, BPF_REG_1, 0));  // access: high 16 bits
    out.push_back(alu32_imm(BPF_RSH, BPF_REG_3, 16));
    out.push_back(load_word(BPF_REG_4, BPF_REG_1, 4));
    out.push_back(load_word(BPF_REG_5, BPF_REG_1, 8));
    for (const DeviceRule& r : set.exceptions) emit_block(out, r);
    emit_return(out, set.default_allow);
    return out;
}

}  // namespace minirunc
