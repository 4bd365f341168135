// The ENOSYS stub, run by a small classic-BPF interpreter (only the
// instructions the stub uses): which syscalls it answers and which it hands
// to the filter behind it.
#include "minirunc/seccomp_enosys.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

using namespace minirunc;

namespace {

constexpr uint32_t kAuditArchI386 = 0x40000003;
constexpr uint32_t kAuditArchAarch64 = 0xc00000b7;
constexpr uint32_t kEnosys = 0x00050000 | ENOSYS;
constexpr uint32_t kToFilter = 0xffffffff;  // fell off the stub's end: the filter decides

struct Insn {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};

uint32_t run(const std::string& stub, uint32_t arch, uint32_t nr) {
    std::vector<Insn> code(stub.size() / 8);
    std::memcpy(code.data(), stub.data(), stub.size());
    uint32_t acc = 0;
    size_t pc = 0;
    while (pc < code.size()) {
        const Insn& i = code[pc++];
        switch (i.code) {
            case 0x20:
                acc = i.k == 0 ? nr : i.k == 4 ? arch : 0xdeadbeef;
                break;
            case 0x05:
                pc += i.k;
                break;
            case 0x15:
                pc += acc == i.k ? i.jt : i.jf;
                break;
            case 0x25:
                pc += acc > i.k ? i.jt : i.jf;
                break;
            case 0x35:
                pc += acc >= i.k ? i.jt : i.jf;
                break;
            case 0x45:
                pc += (acc & i.k) ? i.jt : i.jf;
                break;
            case 0x06:
                return i.k;
            default:
                ADD_FAILURE() << "unexpected opcode " << i.code;
                return 0;
        }
    }
    EXPECT_EQ(pc, code.size()) << "a jump past the stub's end";
    return kToFilter;
}

}  // namespace

TEST(SeccompEnosys, OnlyADenyingDefaultGetsTheStub) {
    EXPECT_TRUE(seccomp_wants_enosys_stub("SCMP_ACT_ERRNO", std::nullopt));
    EXPECT_TRUE(seccomp_wants_enosys_stub("SCMP_ACT_ERRNO", EPERM));
    EXPECT_TRUE(seccomp_wants_enosys_stub("SCMP_ACT_KILL", std::nullopt));
    EXPECT_TRUE(seccomp_wants_enosys_stub("SCMP_ACT_KILL_PROCESS", std::nullopt));
    EXPECT_TRUE(seccomp_wants_enosys_stub("SCMP_ACT_TRAP", std::nullopt));
    EXPECT_FALSE(seccomp_wants_enosys_stub("SCMP_ACT_ERRNO", ENOSYS));
    EXPECT_FALSE(seccomp_wants_enosys_stub("SCMP_ACT_ALLOW", std::nullopt));
    EXPECT_FALSE(seccomp_wants_enosys_stub("SCMP_ACT_LOG", std::nullopt));
}

TEST(SeccompEnosys, SyscallsAboveTheLastNamedOneGetEnosys) {
    std::string stub = seccomp_enosys_stub({{kAuditArchX86_64, 334, std::nullopt}});
    EXPECT_EQ(run(stub, kAuditArchX86_64, 435), kEnosys);  // clone3
    EXPECT_EQ(run(stub, kAuditArchX86_64, 436), kEnosys);  // close_range
    EXPECT_EQ(run(stub, kAuditArchX86_64, 334), kToFilter);
    EXPECT_EQ(run(stub, kAuditArchX86_64, 0), kToFilter);
}

TEST(SeccompEnosys, OtherArchitecturesAndX32CallsGoToTheFilter) {
    std::string stub = seccomp_enosys_stub({{kAuditArchX86_64, 334, std::nullopt}});
    EXPECT_EQ(run(stub, kAuditArchI386, 1000), kToFilter);
    EXPECT_EQ(run(stub, kAuditArchX86_64, kX32SyscallBit | 436), kToFilter);
}

TEST(SeccompEnosys, EachArchitectureHasItsOwnLimit) {
    std::string stub = seccomp_enosys_stub({{kAuditArchX86_64, 334, kX32SyscallBit | 300},
                                            {kAuditArchI386, 386, std::nullopt},
                                            {kAuditArchAarch64, std::nullopt, std::nullopt}});
    EXPECT_EQ(run(stub, kAuditArchX86_64, 335), kEnosys);
    EXPECT_EQ(run(stub, kAuditArchX86_64, kX32SyscallBit | 300), kToFilter);
    EXPECT_EQ(run(stub, kAuditArchX86_64, kX32SyscallBit | 301), kEnosys);
    EXPECT_EQ(run(stub, kAuditArchI386, 386), kToFilter);
    EXPECT_EQ(run(stub, kAuditArchI386, 387), kEnosys);
    // Nothing named for aarch64: no limit, the filter decides everything.
    EXPECT_EQ(run(stub, kAuditArchAarch64, 5000), kToFilter);
}

TEST(SeccompEnosys, ArmPrivateSyscallsAreLeftToTheFilter) {
    std::string stub = seccomp_enosys_stub({{kAuditArchArm, 400, std::nullopt}});
    EXPECT_EQ(run(stub, kAuditArchArm, 401), kEnosys);
    EXPECT_EQ(run(stub, kAuditArchArm, kArmPrivateSyscallBase + 5), kToFilter);  // set_tls
}

TEST(SeccompEnosys, NoLimitsNoStub) {
    EXPECT_EQ(seccomp_enosys_stub({}), "");
    EXPECT_EQ(seccomp_enosys_stub({{kAuditArchX86_64, std::nullopt, std::nullopt}}), "");
}
