// Validation of the mount options idmap/ridmap.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;

json config_with_mount(json mount, bool userns) {
    json doc = json::parse(R"({
      "ociVersion": "1.2.0",
      "process": {"args": ["sh"], "cwd": "/"},
      "root": {"path": "rootfs"},
      "linux": {"namespaces": [{"type": "mount"}]}
    })");
    doc["mounts"] = json::array({mount});
    if (userns) {
        doc["linux"]["namespaces"].push_back({{"type", "user"}});
        json map = json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
        doc["linux"]["uidMappings"] = map;
        doc["linux"]["gidMappings"] = map;
    }
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

json bind(const std::string& option) {
    return {{"destination", "/data"},
            {"type", "bind"},
            {"source", "/src"},
            {"options", {"rbind", option}}};
}

json with_mappings(json mount) {
    json map = json::array({{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}});
    mount["uidMappings"] = map;
    mount["gidMappings"] = map;
    return mount;
}

TEST(SpecValidateIdmappedMounts, AcceptsIdmapWithTheMountsOwnMappings) {
    EXPECT_EQ(validation_error(config_with_mount(with_mappings(bind("idmap")), false)), "");
    EXPECT_EQ(validation_error(config_with_mount(with_mappings(bind("ridmap")), false)), "");
}

TEST(SpecValidateIdmappedMounts, AcceptsIdmapWithoutMappingsInAUserNamespace) {
    EXPECT_EQ(validation_error(config_with_mount(bind("idmap"), true)), "");
}

TEST(SpecValidateIdmappedMounts, RejectsIdmapWithoutMappingsOrUserNamespace) {
    EXPECT_EQ(validation_error(config_with_mount(bind("ridmap"), false)),
              "config.json: /mounts/0/options: idmap needs uidMappings and gidMappings, or a "
              "user namespace");
}

TEST(SpecValidateIdmappedMounts, RejectsIdmapOnANonBindMount) {
    json tmpfs = {
        {"destination", "/data"}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", {"idmap"}}};
    EXPECT_EQ(validation_error(config_with_mount(tmpfs, true)),
              "config.json: /mounts/0/options: idmap is only supported for bind mounts");
}

}  // namespace
}  // namespace minirunc::spec
