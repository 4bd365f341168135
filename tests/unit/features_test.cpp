#include "minirunc/features.hpp"
#include "minirunc/build_info.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "minirunc/capabilities.hpp"
#include "minirunc/mount_options.hpp"
#include "minirunc/seccomp_names.hpp"

using namespace minirunc;
using nlohmann::json;

namespace {

std::vector<std::string> strings(const json& j) {
    return j.get<std::vector<std::string>>();
}

}  // namespace

TEST(Features, TopLevelShape) {
    json doc = features_document();
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["ociVersionMin"], "1.0.0");
    EXPECT_EQ(doc["ociVersionMax"], "1.3.0");
    EXPECT_EQ(strings(doc["hooks"]),
              (std::vector<std::string>{"prestart", "createRuntime", "createContainer",
                                        "startContainer", "poststart", "poststop"}));
    EXPECT_TRUE(doc["linux"].is_object());
    EXPECT_TRUE(doc["annotations"].is_object());
    // Only members of the runtime-spec features schema.
    for (const auto& [key, value] : doc.items()) {
        EXPECT_TRUE(key == "ociVersionMin" || key == "ociVersionMax" || key == "hooks" ||
                    key == "mountOptions" || key == "linux" || key == "annotations" ||
                    key == "potentiallyUnsafeConfigAnnotations")
            << key;
    }
}

TEST(Features, MountOptionsComeFromTheParser) {
    json doc = features_document();
    std::vector<std::string> expected;
    for (const auto& option : known_mount_options())
        if (option != "idmap" && option != "ridmap") expected.push_back(option);
    EXPECT_EQ(strings(doc["mountOptions"]), expected);
}

TEST(Features, IdmappedMountsAreListedOnlyWhenSupported) {
    json without = features_document();
    EXPECT_EQ(without["linux"]["mountExtensions"], json::parse(R"({"idmap":{"enabled":false}})"));
    FeatureSwitches switches;
    switches.idmap_mounts = true;
    json with = features_document(switches);
    EXPECT_EQ(with["linux"]["mountExtensions"], json::parse(R"({"idmap":{"enabled":true}})"));
    EXPECT_EQ(strings(with["mountOptions"]), known_mount_options());
}

TEST(Features, LinuxSection) {
    json linux_doc = features_document()["linux"];
    EXPECT_EQ(strings(linux_doc["namespaces"]),
              (std::vector<std::string>{"cgroup", "ipc", "mount", "network", "pid", "time", "user",
                                        "uts"}));
    EXPECT_EQ(strings(linux_doc["capabilities"]), all_capability_names());
    EXPECT_EQ(linux_doc["cgroup"], json({{"v1", true},
                                         {"v2", true},
                                         {"systemd", false},
                                         {"systemdUser", false},
                                         {"rdma", true}}));
    EXPECT_EQ(linux_doc["apparmor"], json({{"enabled", false}}));
    EXPECT_EQ(linux_doc["selinux"], json({{"enabled", false}}));
    EXPECT_EQ(linux_doc["intelRdt"],
              json({{"enabled", true}, {"schemata", true}, {"monitoring", true}}));
    EXPECT_EQ(linux_doc["memoryPolicy"]["modes"].size(), 7u);
    EXPECT_EQ(linux_doc["memoryPolicy"]["flags"].size(), 3u);
    EXPECT_EQ(linux_doc["mountExtensions"], json::parse(R"({"idmap":{"enabled":false}})"));
    EXPECT_EQ(linux_doc["netDevices"], json({{"enabled", false}}));
    for (const auto& [key, value] : linux_doc.items()) {
        EXPECT_TRUE(key == "namespaces" || key == "capabilities" || key == "cgroup" ||
                    key == "seccomp" || key == "apparmor" || key == "selinux" ||
                    key == "intelRdt" || key == "mountExtensions" || key == "netDevices" ||
                    key == "memoryPolicy")
            << key;
    }
}

TEST(Features, SeccompSectionComesFromTheNameTables) {
    json seccomp = features_document()["linux"]["seccomp"];
    EXPECT_EQ(seccomp["enabled"], true);
    EXPECT_EQ(strings(seccomp["actions"]), seccomp_action_names());
    EXPECT_EQ(strings(seccomp["operators"]), seccomp_operator_names());
    EXPECT_EQ(strings(seccomp["archs"]), seccomp_arch_names());
    EXPECT_EQ(strings(seccomp["knownFlags"]), seccomp_flag_names());
    EXPECT_EQ(strings(seccomp["supportedFlags"]), seccomp_flag_names());
    EXPECT_EQ(
        strings(seccomp["actions"]),
        (std::vector<std::string>{"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                                  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
                                  "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"}));
    EXPECT_EQ(strings(seccomp["operators"]),
              (std::vector<std::string>{"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                                        "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}));
}

TEST(Features, SwitchesReachTheDocument) {
    FeatureSwitches switches;
    switches.apparmor = true;
    switches.selinux = true;
    switches.cgroup_v2 = false;
    switches.systemd = true;
    switches.net_devices = true;
    switches.seccomp_supported_flags = std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"};
    json linux_doc = features_document(switches)["linux"];
    EXPECT_EQ(linux_doc["apparmor"]["enabled"], true);
    EXPECT_EQ(linux_doc["selinux"]["enabled"], true);
    EXPECT_EQ(linux_doc["cgroup"]["v2"], false);
    EXPECT_EQ(linux_doc["cgroup"]["v1"], true);
    EXPECT_EQ(linux_doc["cgroup"]["systemd"], true);
    EXPECT_EQ(linux_doc["netDevices"]["enabled"], true);
    EXPECT_EQ(strings(linux_doc["seccomp"]["supportedFlags"]),
              std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"});
    EXPECT_EQ(strings(linux_doc["seccomp"]["knownFlags"]), seccomp_flag_names());
}

TEST(Features, Annotations) {
    json annotations = features_document()["annotations"];
    EXPECT_EQ(annotations["io.github.minirunc.version"], MINIRUNC_VERSION);
    EXPECT_EQ(annotations["io.github.minirunc.commit"], build_commit());
    for (const auto& [key, value] : annotations.items()) EXPECT_TRUE(value.is_string()) << key;
}

TEST(Features, SerialisesAsOneJsonObject) {
    std::string text = features_document().dump(2);
    json back = json::parse(text);
    EXPECT_EQ(back, json(features_document()));
}

TEST(Features, CheckpointSupportIsRuncsAnnotation) {
    EXPECT_FALSE(
        features_document()["annotations"].contains("org.opencontainers.runc.checkpoint.enabled"));
    FeatureSwitches switches;
    switches.checkpoint = true;
    auto doc = features_document(switches);
    EXPECT_EQ(doc["annotations"]["org.opencontainers.runc.checkpoint.enabled"], "true");
    // Go's key order: sorted.
    std::vector<std::string> keys;
    for (const auto& [key, value] : doc["annotations"].items()) keys.push_back(key);
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}
