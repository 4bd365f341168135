// libFuzzer target: the sync-protocol bootstrap message decoder.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "minirunc/bootstrap.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto doc = nlohmann::json::parse(data, data + size, nullptr, false);
    if (doc.is_discarded()) return 0;
    try {
        auto bootstrap = minirunc::bootstrap_from_json(doc);
        (void)minirunc::to_json(bootstrap).dump();
    } catch (const std::exception&) {
    }
    return 0;
}
