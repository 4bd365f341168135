#include "minirunc/rlimits.hpp"

#include <sys/resource.h>

#include "minirunc/error.hpp"

namespace minirunc {

const std::vector<std::pair<std::string, int>>& rlimit_table() {
    static const std::vector<std::pair<std::string, int>> table = {
        {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_CORE", RLIMIT_CORE},
        {"RLIMIT_CPU", RLIMIT_CPU},
        {"RLIMIT_DATA", RLIMIT_DATA},
        {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
        {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_NPROC", RLIMIT_NPROC},
        {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
        {"RLIMIT_RTTIME", RLIMIT_RTTIME},
        {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_STACK", RLIMIT_STACK},
    };
    return table;
}

int rlimit_resource(const std::string& name) {
    for (const auto& [known, resource] : rlimit_table()) {
        if (known == name) return resource;
    }
    throw Error("unknown rlimit type \"" + name + "\"");
}

}  // namespace minirunc
