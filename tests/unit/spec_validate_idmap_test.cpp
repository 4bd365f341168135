// Validation of linux.uidMappings/gidMappings against the kernel's limits.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;

// A config with a new user namespace and `count` single-id mappings of each kind.
json config_with_mappings(size_t uid_count, size_t gid_count) {
    json doc = json::parse(R"({
      "ociVersion": "1.0.2",
      "process": {"args": ["sh"], "cwd": "/"},
      "root": {"path": "rootfs"},
      "linux": {"namespaces": [{"type": "user"}, {"type": "mount"}]}
    })");
    auto mappings = [](size_t count) {
        json list = json::array();
        for (size_t i = 0; i < count; ++i)
            list.push_back({{"containerID", i}, {"hostID", 100000 + i}, {"size", 1}});
        return list;
    };
    doc["linux"]["uidMappings"] = mappings(uid_count);
    doc["linux"]["gidMappings"] = mappings(gid_count);
    return doc;
}

std::string validation_error(const json& doc) {
    try {
        validate(parse(doc));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SpecValidateIdMappings, AcceptsUpToTheKernelLimitOf340Lines) {
    EXPECT_EQ(validation_error(config_with_mappings(340, 340)), "");
}

TEST(SpecValidateIdMappings, RejectsMoreUidMappingsThanTheKernelAccepts) {
    EXPECT_EQ(validation_error(config_with_mappings(341, 1)),
              "config.json: /linux/uidMappings: at most 340 mappings (the kernel's limit)");
}

TEST(SpecValidateIdMappings, RejectsMoreGidMappingsThanTheKernelAccepts) {
    EXPECT_EQ(validation_error(config_with_mappings(1, 341)),
              "config.json: /linux/gidMappings: at most 340 mappings (the kernel's limit)");
}

TEST(SpecValidateIdMappings, RejectsAnEmptyRange) {
    json doc = config_with_mappings(1, 1);
    doc["linux"]["uidMappings"][0]["size"] = 0;
    EXPECT_EQ(validation_error(doc),
              "config.json: /linux/uidMappings/0/size: must be greater than 0");
}

}  // namespace
}  // namespace minirunc::spec
