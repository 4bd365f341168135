// ENOSYS for syscalls newer than a profile. A profile written before a
// syscall existed does not name it, so its default action (EPERM, say) hits
// it, and libc, which falls back only on ENOSYS (clone3 -> clone,
// close_range -> a loop, faccessat2 -> faccessat), fails instead. As runc
// does, a syscall numbered above every syscall the profile names for its
// architecture is answered ENOSYS, as a kernel without it would. The
// runtime resolves the names (libseccomp); this builds the BPF stub that
// runs before the compiled filter. Pure: unit-tested without a kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minirunc {

// seccomp_data.arch values (linux/audit.h) with a numbering of their own.
constexpr uint32_t kAuditArchX86_64 = 0xc000003e;
constexpr uint32_t kAuditArchArm = 0x40000028;
// x32 syscalls arrive as AUDIT_ARCH_X86_64 with this bit in the number.
constexpr uint32_t kX32SyscallBit = 0x40000000;
// ARM's private syscalls (cacheflush, set_tls...) start here, far above the table.
constexpr uint32_t kArmPrivateSyscallBase = 0x0f0000;

// The largest syscall number a profile names, for one architecture as the
// kernel reports it in seccomp_data.arch.
struct SeccompArchLimit {
    uint32_t audit_arch = 0;
    std::optional<uint32_t> last;      // native numbering; none: nothing named
    std::optional<uint32_t> last_x32;  // x86_64 only: x32 numbering (bit 30 set)
};

// Whether a profile with this default action gets the stub: only a deny
// (errno, kill, trap, trace); allow and log already let new syscalls through,
// and an errno that is ENOSYS already says it.
bool seccomp_wants_enosys_stub(const std::string& default_action,
                               std::optional<uint32_t> default_errno_ret);

// The stub, as struct sock_filter[] bytes, to put in front of a program:
// for each architecture with a limit, a syscall number above it returns
// ERRNO(ENOSYS); everything else (other architectures, x32 calls when only
// x86_64 is named, ARM's private range) falls through to the program.
std::string seccomp_enosys_stub(const std::vector<SeccompArchLimit>& limits);

}  // namespace minirunc
