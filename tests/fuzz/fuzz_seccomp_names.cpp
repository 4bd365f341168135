// libFuzzer target: seccomp name tables (actions, operators, arches, flags).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "minirunc/seccomp_names.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string name(reinterpret_cast<const char*>(data), size);
    try {
        (void)minirunc::seccomp_action_name(minirunc::parse_seccomp_action(name));
    } catch (const std::exception&) {
    }
    try {
        (void)minirunc::seccomp_operator_name(minirunc::parse_seccomp_operator(name));
    } catch (const std::exception&) {
    }
    try {
        (void)minirunc::seccomp_arch_libseccomp_name(name);
        (void)minirunc::seccomp_flag_value(name);
    } catch (const std::exception&) {
    }
    return 0;
}
