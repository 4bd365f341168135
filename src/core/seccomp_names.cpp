#include "minirunc/seccomp_names.hpp"

#include <algorithm>
#include <utility>

#include "minirunc/error.hpp"

namespace minirunc {

namespace {

template <typename T>
using Table = std::vector<std::pair<std::string, T>>;

const Table<SeccompAction>& action_table() {
    static const Table<SeccompAction> table = {
        {"SCMP_ACT_ALLOW", SeccompAction::allow},
        {"SCMP_ACT_ERRNO", SeccompAction::errno_ret},
        {"SCMP_ACT_KILL", SeccompAction::kill},
        {"SCMP_ACT_KILL_PROCESS", SeccompAction::kill_process},
        {"SCMP_ACT_KILL_THREAD", SeccompAction::kill_thread},
        {"SCMP_ACT_LOG", SeccompAction::log},
        {"SCMP_ACT_NOTIFY", SeccompAction::notify},
        {"SCMP_ACT_TRACE", SeccompAction::trace},
        {"SCMP_ACT_TRAP", SeccompAction::trap},
    };
    return table;
}

const Table<SeccompOperator>& operator_table() {
    static const Table<SeccompOperator> table = {
        {"SCMP_CMP_EQ", SeccompOperator::eq}, {"SCMP_CMP_GE", SeccompOperator::ge},
        {"SCMP_CMP_GT", SeccompOperator::gt}, {"SCMP_CMP_LE", SeccompOperator::le},
        {"SCMP_CMP_LT", SeccompOperator::lt}, {"SCMP_CMP_MASKED_EQ", SeccompOperator::masked_eq},
        {"SCMP_CMP_NE", SeccompOperator::ne},
    };
    return table;
}

// The architectures libseccomp 2.5 knows, with its own names for them.
const Table<std::string>& arch_table() {
    static const Table<std::string> table = {
        {"SCMP_ARCH_AARCH64", "aarch64"},
        {"SCMP_ARCH_ARM", "arm"},
        {"SCMP_ARCH_MIPS", "mips"},
        {"SCMP_ARCH_MIPS64", "mips64"},
        {"SCMP_ARCH_MIPS64N32", "mips64n32"},
        {"SCMP_ARCH_MIPSEL", "mipsel"},
        {"SCMP_ARCH_MIPSEL64", "mipsel64"},
        {"SCMP_ARCH_MIPSEL64N32", "mipsel64n32"},
        {"SCMP_ARCH_PARISC", "parisc"},
        {"SCMP_ARCH_PARISC64", "parisc64"},
        {"SCMP_ARCH_PPC", "ppc"},
        {"SCMP_ARCH_PPC64", "ppc64"},
        {"SCMP_ARCH_PPC64LE", "ppc64le"},
        {"SCMP_ARCH_RISCV64", "riscv64"},
        {"SCMP_ARCH_S390", "s390"},
        {"SCMP_ARCH_S390X", "s390x"},
        {"SCMP_ARCH_X32", "x32"},
        {"SCMP_ARCH_X86", "x86"},
        {"SCMP_ARCH_X86_64", "x86_64"},
    };
    return table;
}

// The filter flags the runtime-spec defines, with their seccomp(2) values
// (linux/seccomp.h). Loaded by init with the raw syscall, so they work even
// where libseccomp predates them.
const Table<unsigned long>& flag_table() {
    static const Table<unsigned long> table = {
        {"SECCOMP_FILTER_FLAG_TSYNC", 1UL << 0},
        {"SECCOMP_FILTER_FLAG_LOG", 1UL << 1},
        {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 1UL << 2},
        {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1UL << 5},
    };
    return table;
}

template <typename T>
const T* lookup(const Table<T>& table, const std::string& name) {
    for (const auto& [known, value] : table) {
        if (known == name) return &value;
    }
    return nullptr;
}

template <typename T>
std::string reverse_lookup(const Table<T>& table, T value) {
    for (const auto& [name, known] : table) {
        if (known == value) return name;
    }
    return "";  // unreachable for a valid enum value
}

template <typename T>
std::vector<std::string> sorted_names(const Table<T>& table) {
    std::vector<std::string> names;
    for (const auto& entry : table) names.push_back(entry.first);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

SeccompAction parse_seccomp_action(const std::string& name) {
    if (const auto* action = lookup(action_table(), name)) return *action;
    throw Error("string " + name + " is not a valid action for seccomp");
}

std::string seccomp_action_name(SeccompAction action) {
    return reverse_lookup(action_table(), action);
}

SeccompOperator parse_seccomp_operator(const std::string& name) {
    if (const auto* op = lookup(operator_table(), name)) return *op;
    throw Error("string " + name + " is not a valid operator for seccomp");
}

std::string seccomp_operator_name(SeccompOperator op) {
    return reverse_lookup(operator_table(), op);
}

std::string seccomp_arch_libseccomp_name(const std::string& name) {
    if (const auto* arch = lookup(arch_table(), name)) return *arch;
    throw Error("string " + name + " is not a valid arch for seccomp");
}

unsigned long seccomp_flag_value(const std::string& name) {
    if (const auto* flag = lookup(flag_table(), name)) return *flag;
    throw Error("seccomp flag \"" + name + "\" is not known");
}

const std::vector<std::string>& seccomp_action_names() {
    static const auto names = sorted_names(action_table());
    return names;
}

const std::vector<std::string>& seccomp_operator_names() {
    static const auto names = sorted_names(operator_table());
    return names;
}

const std::vector<std::string>& seccomp_arch_names() {
    static const auto names = sorted_names(arch_table());
    return names;
}

const std::vector<std::string>& seccomp_flag_names() {
    static const auto names = sorted_names(flag_table());
    return names;
}

}  // namespace minirunc
