#include "seccomp_compile.hpp"

#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>

#include "minirunc/error.hpp"
#include "minirunc/seccomp_enosys.hpp"
#include "minirunc/seccomp_names.hpp"
#include "minirunc/seccomp_plan.hpp"
#include "minirunc/sys/file.hpp"
#include "seccomp_cache.hpp"

namespace minirunc::runtime {
namespace {

constexpr size_t kMaxInstructions = 4096;  // BPF_MAXINSNS: the kernel refuses longer programs
constexpr size_t kInstructionSize = 8;     // sizeof(struct sock_filter)

struct FilterRelease {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Filter = std::unique_ptr<void, FilterRelease>;

uint32_t libseccomp_action(const std::string& name, std::optional<uint32_t> errno_ret) {
    // SCMP_ACT_ERRNO keeps 16 bits; the kernel caps the errno at 4095.
    uint16_t err = static_cast<uint16_t>(errno_ret.value_or(EPERM));
    switch (parse_seccomp_action(name)) {
        case SeccompAction::kill:
        case SeccompAction::kill_thread:
            return SCMP_ACT_KILL_THREAD;
        case SeccompAction::kill_process:
            return SCMP_ACT_KILL_PROCESS;
        case SeccompAction::trap:
            return SCMP_ACT_TRAP;
        case SeccompAction::errno_ret:
            return SCMP_ACT_ERRNO(err);
        case SeccompAction::trace:
            return SCMP_ACT_TRACE(err);
        case SeccompAction::allow:
            return SCMP_ACT_ALLOW;
        case SeccompAction::log:
            return SCMP_ACT_LOG;
        case SeccompAction::notify:
            return SCMP_ACT_NOTIFY;
    }
    throw Error("unhandled seccomp action " + name);
}

scmp_compare libseccomp_operator(const std::string& name) {
    switch (parse_seccomp_operator(name)) {
        case SeccompOperator::ne:
            return SCMP_CMP_NE;
        case SeccompOperator::lt:
            return SCMP_CMP_LT;
        case SeccompOperator::le:
            return SCMP_CMP_LE;
        case SeccompOperator::eq:
            return SCMP_CMP_EQ;
        case SeccompOperator::ge:
            return SCMP_CMP_GE;
        case SeccompOperator::gt:
            return SCMP_CMP_GT;
        case SeccompOperator::masked_eq:
            return SCMP_CMP_MASKED_EQ;
    }
    throw Error("unhandled seccomp operator " + name);
}

void check(int rc, const std::string& what) {
    if (rc < 0) throw Error(what + ": " + errno_text(-rc), -rc);
}

void add_rule(void* ctx, uint32_t action, int nr, const std::vector<scmp_arg_cmp>& conditions,
              const std::string& name) {
    check(seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conditions.size()),
                                 conditions.data()),
          "adding the rule for syscall " + name);
}

void add_syscall_rules(void* ctx, uint32_t default_action, const spec::SeccompSyscall& syscall) {
    uint32_t action = libseccomp_action(syscall.action, syscall.errno_ret);
    // libseccomp refuses a rule with the default action; it changes nothing.
    if (action == default_action) return;
    std::vector<scmp_arg_cmp> conditions;
    std::array<int, 6> per_argument{};
    bool repeated = false;
    for (const auto& arg : syscall.args) {
        if (arg.index >= per_argument.size())
            throw Error("syscall argument index " + std::to_string(arg.index) + " out of range");
        // For MASKED_EQ, libseccomp takes the mask first, then the value.
        conditions.push_back({arg.index, libseccomp_operator(arg.op), arg.value, arg.value_two});
        repeated |= ++per_argument[arg.index] > 1;
    }
    for (const auto& name : syscall.names) {
        int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR) continue;  // unknown here: skipped, as runc does
        if (!repeated) {
            add_rule(ctx, action, nr, conditions, name);
            continue;
        }
        // One argument compared twice: libseccomp cannot AND those; runc
        // adds one rule per condition, so a match of any one applies.
        for (const auto& condition : conditions) add_rule(ctx, action, nr, {condition}, name);
    }
}

// The largest number each architecture of the filter gives a syscall the
// profile names (whatever the rule's action: naming it is knowing it).
std::vector<SeccompArchLimit> last_named_syscalls(const spec::Seccomp& config,
                                                  const std::vector<uint32_t>& arch_tokens) {
    std::vector<SeccompArchLimit> limits;
    for (uint32_t token : arch_tokens) {
        // libseccomp's tokens are the kernel's AUDIT_ARCH values, but for x32,
        // which the kernel reports as x86_64 with bit 30 in the number.
        bool x32 = token == SCMP_ARCH_X32;
        uint32_t audit_arch = x32 ? kAuditArchX86_64 : token;
        auto it = std::find_if(limits.begin(), limits.end(),
                               [&](const auto& l) { return l.audit_arch == audit_arch; });
        if (it == limits.end())
            it = limits.insert(limits.end(),
                               SeccompArchLimit{audit_arch, std::nullopt, std::nullopt});
        std::optional<uint32_t>& last = x32 ? it->last_x32 : it->last;
        for (const auto& syscall : config.syscalls)
            for (const auto& name : syscall.names) {
                int nr = seccomp_syscall_resolve_name_arch(token, name.c_str());
                if (nr < 0) continue;  // unknown, or a multiplexed pseudo-number
                last = std::max(last.value_or(0), static_cast<uint32_t>(nr));
            }
    }
    return limits;
}

std::string export_program(void* ctx, const std::string& stub) {
    UniqueFd memfd(::memfd_create("minirunc-seccomp", MFD_CLOEXEC));
    if (!memfd) throw_errno("memfd_create");
    check(seccomp_export_bpf(ctx, memfd.get()), "exporting the filter");
    if (::lseek(memfd.get(), 0, SEEK_SET) < 0) throw_errno("lseek");
    std::string program = sys::read_fd(memfd.get());
    if (program.empty() || program.size() % kInstructionSize)
        throw Error("libseccomp exported a malformed program");
    // In front: its jumps are relative, so the program's own stay right.
    program.insert(0, stub);
    size_t instructions = program.size() / kInstructionSize;
    if (instructions > kMaxInstructions)
        throw Error("the filter has " + std::to_string(instructions) +
                    " instructions, more than the kernel accepts (" +
                    std::to_string(kMaxInstructions) + ")");
    return program;
}

}  // namespace

SeccompProgram compile_seccomp(const spec::Seccomp& config) {
    uint32_t default_action = libseccomp_action(config.default_action, config.default_errno_ret);
    Filter filter(seccomp_init(default_action));
    if (!filter) throw Error("seccomp_init failed (invalid default action?)");
    void* ctx = filter.get();
    std::vector<uint32_t> arch_tokens = {seccomp_arch_native()};
    for (const auto& arch : config.architectures) {
        uint32_t token = seccomp_arch_resolve_name(seccomp_arch_libseccomp_name(arch).c_str());
        if (!token) throw Error("architecture " + arch + " is not known to libseccomp");
        int rc = seccomp_arch_add(ctx, token);
        if (rc != -EEXIST) check(rc, "adding architecture " + arch);  // the native one is in
        if (rc != -EEXIST) arch_tokens.push_back(token);
    }
    for (const auto& syscall : config.syscalls) add_syscall_rules(ctx, default_action, syscall);
    std::string stub;
    if (seccomp_wants_enosys_stub(config.default_action, config.default_errno_ret))
        stub = seccomp_enosys_stub(last_named_syscalls(config, arch_tokens));
    SeccompProgram program;
    program.bpf = export_program(ctx, stub);
    program.notify = seccomp_uses_notify(config);
    program.flags = seccomp_load_flags(config.flags, program.notify);
    return program;
}

void attach_seccomp(Bootstrap& bootstrap, const spec::Spec& spec, const std::string& cache_dir) {
    if (!spec.linux || !spec.linux->seccomp) return;
    std::string key = bootstrap.config.contains("linux")
                          ? bootstrap.config["linux"].value("seccomp", nlohmann::json()).dump()
                          : std::string();
    bootstrap.seccomp = with_context("seccomp", [&] {
        return cache_dir.empty() || key.empty()
                   ? compile_seccomp(*spec.linux->seccomp)
                   : compile_seccomp_cached(cache_dir, key, *spec.linux->seccomp);
    });
    if (bootstrap.config.contains("linux")) bootstrap.config["linux"].erase("seccomp");
}

}  // namespace minirunc::runtime
