#include "minirunc/seccomp_enosys.hpp"

#include <cerrno>
#include <cstring>

#include "minirunc/error.hpp"
#include "minirunc/seccomp_names.hpp"

namespace minirunc {
namespace {

// Classic BPF opcodes (linux/filter.h, linux/bpf_common.h) and seccomp's.
constexpr uint16_t kLoadWordAbs = 0x00 | 0x00 | 0x20;  // BPF_LD | BPF_W | BPF_ABS
constexpr uint16_t kJumpAlways = 0x05 | 0x00;          // BPF_JMP | BPF_JA
constexpr uint16_t kJumpEq = 0x05 | 0x10;              // BPF_JMP | BPF_JEQ | BPF_K
constexpr uint16_t kJumpGt = 0x05 | 0x20;              // BPF_JMP | BPF_JGT | BPF_K
constexpr uint16_t kJumpGe = 0x05 | 0x30;              // BPF_JMP | BPF_JGE | BPF_K
constexpr uint16_t kJumpSet = 0x05 | 0x40;             // BPF_JMP | BPF_JSET | BPF_K
constexpr uint16_t kReturn = 0x06 | 0x00;              // BPF_RET | BPF_K
constexpr uint32_t kRetErrno = 0x00050000;             // SECCOMP_RET_ERRNO
constexpr uint32_t kOffsetNr = 0;                      // offsetof(seccomp_data, nr)
constexpr uint32_t kOffsetArch = 4;                    // offsetof(seccomp_data, arch)

// A tiny assembler: jumps name labels, resolved to forward offsets at the end.
class Stub {
  public:
    int label() {
        positions_.push_back(-1);
        return static_cast<int>(positions_.size()) - 1;
    }
    void place(int label) { positions_[label] = static_cast<int>(code_.size()); }
    void load(uint32_t offset) { code_.push_back({kLoadWordAbs, offset, -1, -1, -1}); }
    void jump(int target) { code_.push_back({kJumpAlways, 0, -1, -1, target}); }
    void branch(uint16_t op, uint32_t k, int if_true, int if_false) {
        code_.push_back({op, k, if_true, if_false, -1});
    }
    void ret(uint32_t value) { code_.push_back({kReturn, value, -1, -1, -1}); }

    std::string assemble() const {
        std::string out;
        for (size_t pc = 0; pc < code_.size(); ++pc) {
            const Insn& insn = code_[pc];
            uint8_t jt = offset_to(insn.jt, pc), jf = offset_to(insn.jf, pc);
            uint32_t k = insn.ja < 0 ? insn.k : offset_to(insn.ja, pc);
            char bytes[8];
            std::memcpy(bytes, &insn.code, 2);
            bytes[2] = static_cast<char>(jt);
            bytes[3] = static_cast<char>(jf);
            std::memcpy(bytes + 4, &k, 4);
            out.append(bytes, sizeof bytes);
        }
        return out;
    }

  private:
    struct Insn {
        uint16_t code;
        uint32_t k;
        int jt, jf, ja;  // labels, -1: none (the next instruction)
    };
    uint8_t offset_to(int label, size_t pc) const {
        if (label < 0) return 0;
        int offset = positions_.at(label) - static_cast<int>(pc) - 1;
        // Every jump is forward, within a stub of a few instructions per architecture.
        if (offset < 0 || offset > 255) throw Error("seccomp ENOSYS stub: jump out of range");
        return static_cast<uint8_t>(offset);
    }
    std::vector<Insn> code_;
    std::vector<int> positions_;
};

}  // namespace

bool seccomp_wants_enosys_stub(const std::string& default_action,
                               std::optional<uint32_t> default_errno_ret) {
    switch (parse_seccomp_action(default_action)) {
        case SeccompAction::allow:
        case SeccompAction::log:
        case SeccompAction::notify:
            return false;
        case SeccompAction::errno_ret:
            return default_errno_ret.value_or(EPERM) != ENOSYS;
        default:
            return true;
    }
}

std::string seccomp_enosys_stub(const std::vector<SeccompArchLimit>& limits) {
    std::vector<const SeccompArchLimit*> used;
    for (const auto& limit : limits)
        if (limit.last || limit.last_x32) used.push_back(&limit);
    if (used.empty()) return "";
    Stub stub;
    const int enosys = stub.label(), filter = stub.label();
    std::vector<int> blocks;
    stub.load(kOffsetArch);
    for (const auto* limit : used) {
        blocks.push_back(stub.label());
        stub.branch(kJumpEq, limit->audit_arch, blocks.back(), -1);
    }
    stub.jump(filter);  // an architecture the profile does not cover: the filter decides
    for (size_t i = 0; i < used.size(); ++i) {
        const SeccompArchLimit& limit = *used[i];
        stub.place(blocks[i]);
        stub.load(kOffsetNr);
        if (limit.audit_arch == kAuditArchX86_64) {
            int x32 = limit.last_x32 ? stub.label() : filter;
            int native = limit.last ? -1 : filter;
            stub.branch(kJumpSet, kX32SyscallBit, x32, native);
            if (limit.last) stub.branch(kJumpGt, *limit.last, enosys, filter);
            if (limit.last_x32) {
                stub.place(x32);
                stub.branch(kJumpGt, *limit.last_x32, enosys, filter);
            }
            continue;
        }
        if (!limit.last) {
            stub.jump(filter);
            continue;
        }
        if (limit.audit_arch == kAuditArchArm)
            stub.branch(kJumpGe, kArmPrivateSyscallBase, filter, -1);
        stub.branch(kJumpGt, *limit.last, enosys, filter);
    }
    stub.place(enosys);
    stub.ret(kRetErrno | ENOSYS);
    stub.place(filter);
    return stub.assemble();
}

}  // namespace minirunc
