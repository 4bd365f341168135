// The seccomp vocabulary of config.json (linux.seccomp): action, operator,
// architecture and filter-flag names. Pure string tables; the runtime maps
// them onto libseccomp, so the core needs no libseccomp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace minirunc {

enum class SeccompAction {
    kill,
    kill_process,
    kill_thread,
    trap,
    errno_ret,
    trace,
    allow,
    log,
    notify
};

enum class SeccompOperator { ne, lt, le, eq, ge, gt, masked_eq };

// "SCMP_ACT_ERRNO" -> SeccompAction::errno_ret; throws runc's
// Error("string X is not a valid action for seccomp").
SeccompAction parse_seccomp_action(const std::string& name);
std::string seccomp_action_name(SeccompAction action);

// "SCMP_CMP_MASKED_EQ" -> SeccompOperator::masked_eq; throws
// Error("string X is not a valid operator for seccomp").
SeccompOperator parse_seccomp_operator(const std::string& name);
std::string seccomp_operator_name(SeccompOperator op);

// "SCMP_ARCH_X86_64" -> "x86_64", the name seccomp_arch_resolve_name()
// takes; throws Error("string X is not a valid arch for seccomp").
std::string seccomp_arch_libseccomp_name(const std::string& name);

// "SECCOMP_FILTER_FLAG_LOG" -> the seccomp(2) flag bit; throws
// Error("seccomp flag \"X\" is not known").
unsigned long seccomp_flag_value(const std::string& name);

// Every known name of each kind, sorted (for `features`).
const std::vector<std::string>& seccomp_action_names();
const std::vector<std::string>& seccomp_operator_names();
const std::vector<std::string>& seccomp_arch_names();
const std::vector<std::string>& seccomp_flag_names();

}  // namespace minirunc
