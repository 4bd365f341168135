// Static checks of linux.seccomp: every name known, errnoRet only where an
// action takes one, notify only with a listener. What libseccomp itself
// decides (syscall names, rule conflicts) is checked when the runtime
// compiles the filter.
#include <algorithm>

#include "core/json_reader.hpp"
#include "core/spec_validate_internal.hpp"
#include "minirunc/error.hpp"
#include "minirunc/seccomp_names.hpp"
#include "minirunc/seccomp_plan.hpp"

namespace minirunc::spec::detail {
namespace {

constexpr uint32_t kMaxSyscallArgs = 6;

// Runs a name lookup, reporting its error at `pointer`.
template <typename Fn>
auto checked(const std::string& pointer, Fn lookup) {
    try {
        return lookup();
    } catch (const Error& e) {
        config_error(pointer, e.what());
    }
}

bool takes_errno(SeccompAction action) {
    return action == SeccompAction::errno_ret || action == SeccompAction::trace;
}

void validate_syscall(const Seccomp& seccomp, const SeccompSyscall& syscall,
                      const std::string& ptr) {
    if (syscall.names.empty()) config_error(ptr + "/names", "must name at least one syscall");
    for (std::size_t i = 0; i < syscall.names.size(); ++i)
        if (syscall.names[i].empty())
            config_error(ptr + "/names/" + std::to_string(i),
                         "empty string is not a valid syscall");
    SeccompAction action =
        checked(ptr + "/action", [&] { return parse_seccomp_action(syscall.action); });
    if (syscall.errno_ret && !takes_errno(action))
        config_error(ptr + "/errnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
    for (std::size_t i = 0; i < syscall.args.size(); ++i) {
        const SeccompArg& arg = syscall.args[i];
        const std::string arg_ptr = ptr + "/args/" + std::to_string(i);
        if (arg.index >= kMaxSyscallArgs)
            config_error(arg_ptr + "/index", "a syscall has at most 6 arguments (index 0 to 5)");
        checked(arg_ptr + "/op", [&] { return parse_seccomp_operator(arg.op); });
    }
    if (action != SeccompAction::notify) return;
    if (seccomp.listener_path.empty())
        config_error(ptr + "/action", "SCMP_ACT_NOTIFY requires /linux/seccomp/listenerPath");
    for (const auto& name : syscall.names) {
        const auto& forbidden = seccomp_notify_forbidden_syscalls();
        if (std::find(forbidden.begin(), forbidden.end(), name) != forbidden.end())
            config_error(ptr + "/action", "SCMP_ACT_NOTIFY cannot be used for the " + name +
                                              " syscall (the runtime needs it to pass on the "
                                              "listener)");
    }
}

}  // namespace

void validate_seccomp(const Seccomp& seccomp) {
    const std::string ptr = "/linux/seccomp";
    if (seccomp.default_action.empty()) config_error(ptr + "/defaultAction", "is required");
    SeccompAction default_action = checked(
        ptr + "/defaultAction", [&] { return parse_seccomp_action(seccomp.default_action); });
    if (default_action == SeccompAction::notify)
        config_error(ptr + "/defaultAction",
                     "SCMP_ACT_NOTIFY cannot be used as the default action");
    if (seccomp.default_errno_ret && !takes_errno(default_action))
        config_error(ptr + "/defaultErrnoRet",
                     "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
    for (std::size_t i = 0; i < seccomp.architectures.size(); ++i)
        checked(ptr + "/architectures/" + std::to_string(i),
                [&] { return seccomp_arch_libseccomp_name(seccomp.architectures[i]); });
    for (std::size_t i = 0; i < seccomp.flags.size(); ++i)
        checked(ptr + "/flags/" + std::to_string(i),
                [&] { return seccomp_flag_value(seccomp.flags[i]); });
    if (!seccomp.listener_metadata.empty() && seccomp.listener_path.empty())
        config_error(ptr + "/listenerMetadata", "must not be set without listenerPath");
    for (std::size_t i = 0; i < seccomp.syscalls.size(); ++i)
        validate_syscall(seccomp, seccomp.syscalls[i], ptr + "/syscalls/" + std::to_string(i));
}

}  // namespace minirunc::spec::detail
