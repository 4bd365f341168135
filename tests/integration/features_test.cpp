// `features`: the runtime-spec features document, and that what it advertises
// really works.
#include <algorithm>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

class Features : public RuntimeTest {
  protected:
    json features() {
        Result r = rt({"features"});
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(r.out) : json::object();
    }
};

bool listed(const json& list, const std::string& name) {
    return list.is_array() && std::find(list.begin(), list.end(), name) != list.end();
}

TEST_F(Features, DocumentHasTheSpecShape) {
    json doc = features();
    ASSERT_TRUE(doc.is_object()) << doc;
    EXPECT_EQ(doc.value("ociVersionMin", "").substr(0, 2), "1.") << doc;
    EXPECT_EQ(doc.value("ociVersionMax", "").substr(0, 2), "1.") << doc;
    for (const char* hook : {"prestart", "createRuntime", "createContainer", "startContainer",
                             "poststart", "poststop"})
        EXPECT_TRUE(listed(doc["hooks"], hook)) << hook;
    for (const char* ns : {"pid", "network", "mount", "ipc", "uts", "user", "cgroup"})
        EXPECT_TRUE(listed(doc["linux"]["namespaces"], ns)) << ns;
    EXPECT_TRUE(listed(doc["linux"]["capabilities"], "CAP_SYS_ADMIN"));
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(listed(doc["linux"]["namespaces"], "time"));
        EXPECT_EQ(doc["linux"]["mountExtensions"]["idmap"]["enabled"], true);
        EXPECT_TRUE(listed(doc["mountOptions"], "idmap"));
        EXPECT_TRUE(listed(doc["mountOptions"], "ridmap"));
        // Moved by the minirunc-netdev helper (net_devices_test.cpp).
        EXPECT_EQ(doc["linux"]["netDevices"]["enabled"], true);
    }
}

TEST_F(Features, EveryAdvertisedMountOptionWorksOnABindMount) {
    json options = features()["mountOptions"];
    ASSERT_TRUE(options.is_array() && !options.empty()) << options;
    std::string source = tmp_ + "/source";
    ASSERT_TRUE(run({"mkdir", "-p", source}).ok());
    std::string rootfs = copyRootfs();
    json cfg = config({"probe", "mounts"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    for (const auto& option : options) {
        std::string name = option.get<std::string>();
        if (name == "idmap" || name == "ridmap") continue;  // need mappings: userns_idmap_test
        cfg["mounts"].push_back({{"destination", "/mnt/" + name},
                                 {"type", "bind"},
                                 {"source", source},
                                 {"options", {"rbind", name}}});
    }
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    for (const auto& option : options) {
        std::string target = "/mnt/" + option.get<std::string>();
        if (target == "/mnt/idmap" || target == "/mnt/ridmap") continue;
        EXPECT_EQ(mountAt(r.out, target).mountPoint, target) << "no mount for " << target;
    }
}

}  // namespace
}  // namespace minirunc::test
