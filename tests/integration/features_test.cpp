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

// Whether the keys of `object`, in the text's order, follow `order` (a key
// that `order` does not name, or one missing, is not a failure: runtimes
// know different fields).
bool keysFollow(const nlohmann::ordered_json& object, const std::vector<std::string>& order) {
    size_t last = 0;
    for (const auto& item : object.items()) {
        auto at = std::find(order.begin(), order.end(), item.key());
        if (at == order.end()) continue;
        size_t index = static_cast<size_t>(at - order.begin());
        if (index < last) return false;
        last = index;
    }
    return true;
}

TEST_F(Features, DocumentKeepsTheSpecsKeyOrder) {
    // runc prints runtime-spec's Features struct in field order, maps sorted.
    Result r = rt({"features"});
    ASSERT_TRUE(r.ok()) << r;
    auto doc = nlohmann::ordered_json::parse(r.out, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << r;
    EXPECT_TRUE(keysFollow(doc, {"ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux",
                                 "annotations", "potentiallyUnsafeConfigAnnotations"}))
        << r.out;
    EXPECT_EQ(doc.begin().key(), "ociVersionMin");
    EXPECT_TRUE(
        keysFollow(doc["linux"], {"namespaces", "capabilities", "cgroup", "seccomp", "apparmor",
                                  "selinux", "intelRdt", "mountExtensions", "netDevices"}))
        << doc["linux"].dump();
    EXPECT_TRUE(keysFollow(doc["linux"]["cgroup"], {"v1", "v2", "systemd", "systemdUser", "rdma"}));
    EXPECT_TRUE(keysFollow(doc["linux"]["seccomp"], {"enabled", "actions", "operators", "archs",
                                                     "knownFlags", "supportedFlags"}));
    std::vector<std::string> annotations;
    for (const auto& item : doc["annotations"].items()) annotations.push_back(item.key());
    EXPECT_TRUE(std::is_sorted(annotations.begin(), annotations.end()))
        << doc["annotations"].dump();
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
