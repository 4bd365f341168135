// libFuzzer target: command lines (NUL-separated arguments).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "minirunc/cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> argv = {"minirunc"};
    std::string current;
    for (size_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            argv.push_back(current);
            current.clear();
        } else {
            current.push_back(static_cast<char>(data[i]));
        }
    }
    argv.push_back(current);
    try {
        (void)minirunc::cli::parse(argv);
    } catch (const std::exception&) {
    }
    return 0;
}
