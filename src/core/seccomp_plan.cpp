#include "minirunc/seccomp_plan.hpp"

#include "minirunc/seccomp_names.hpp"

namespace minirunc {

SeccompLoadPoint seccomp_load_point(bool notify) {
    return notify ? SeccompLoadPoint::before_ready : SeccompLoadPoint::before_exec;
}

bool seccomp_needs_held_sys_admin(bool no_new_privileges, bool keeps_sys_admin) {
    return !no_new_privileges && !keeps_sys_admin;
}

bool seccomp_uses_notify(const spec::Seccomp& seccomp) {
    for (const auto& syscall : seccomp.syscalls)
        if (syscall.action == "SCMP_ACT_NOTIFY") return true;
    return false;
}

unsigned long seccomp_load_flags(const std::vector<std::string>& flag_names, bool notify) {
    unsigned long flags = 0;
    for (const auto& name : flag_names) flags |= seccomp_flag_value(name);
    if (notify) return (flags | kSeccompFlagNewListener) & ~kSeccompFlagTsync;
    return flags & ~kSeccompFlagWaitKillableRecv;
}

const std::vector<std::string>& seccomp_notify_forbidden_syscalls() {
    // The listener fd travels to the runtime in one sendmsg on the sync channel.
    static const std::vector<std::string> names = {"sendmsg"};
    return names;
}

nlohmann::json container_process_state(const ContainerState& container, Status status,
                                       pid_t process_pid, const std::string& metadata) {
    nlohmann::json state = {{"ociVersion", "1.3.0"},
                            {"id", container.id},
                            {"status", to_string(status)},
                            {"pid", container.pid},
                            {"bundle", container.bundle}};
    if (!container.annotations.empty()) state["annotations"] = container.annotations;
    nlohmann::json doc = {
        {"ociVersion", "1.3.0"}, {"fds", {"seccompFd"}}, {"pid", process_pid}, {"state", state}};
    if (!metadata.empty()) doc["metadata"] = metadata;
    return doc;
}

}  // namespace minirunc
