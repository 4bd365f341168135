// libFuzzer target: mount option lists (one option per line of the input).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "minirunc/mount_options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::vector<std::string> options;
    for (std::string line; std::getline(in, line);) options.push_back(line);
    try {
        (void)minirunc::parse_mount_options(options);
        if (!options.empty()) (void)minirunc::propagation_flags(options.front());
    } catch (const std::exception&) {
    }
    return 0;
}
