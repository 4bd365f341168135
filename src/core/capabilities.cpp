#include "minirunc/capabilities.hpp"

#include "minirunc/error.hpp"

namespace minirunc {

const std::vector<std::string>& all_capability_names() {
    // Position is the capability number (linux/capability.h).
    static const std::vector<std::string> names = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };
    return names;
}

std::optional<int> find_capability(const std::string& name) {
    const auto& names = all_capability_names();
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) return static_cast<int>(i);
    }
    return std::nullopt;
}

int capability_number(const std::string& name) {
    if (auto number = find_capability(name)) return *number;
    throw Error("unknown capability \"" + name + "\"");
}

std::string capability_name(int number) {
    const auto& names = all_capability_names();
    if (number < 0 || number >= static_cast<int>(names.size())) {
        throw Error("unknown capability number " + std::to_string(number));
    }
    return names[static_cast<size_t>(number)];
}

uint64_t capability_mask(const std::vector<std::string>& names) {
    uint64_t mask = 0;
    for (const auto& name : names) mask |= uint64_t{1} << capability_number(name);
    return mask;
}

}  // namespace minirunc
