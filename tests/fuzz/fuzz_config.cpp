// libFuzzer target: config.json text through parse and validate.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "minirunc/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto spec = minirunc::spec::parse_text(text);
        minirunc::spec::validate(spec);
        (void)minirunc::spec::to_json(spec).dump();
    } catch (const std::exception&) {
        // Rejected input is fine; only crashes and sanitizer reports are findings.
    }
    return 0;
}
