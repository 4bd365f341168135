#include "minirunc/bootstrap.hpp"

#include <string>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using nlohmann::json;

namespace {

Bootstrap sample() {
    Bootstrap b;
    b.mode = "exec";
    b.id = "abc";
    b.config = {{"ociVersion", "1.3.0"},
                {"process", {{"args", {"sh", "-c", "echo hi"}}, {"cwd", "/"}}},
                {"root", {{"path", "rootfs"}, {"readonly", true}}}};
    b.bundle = "/run/bundles/abc";
    b.rootfs = "/run/bundles/abc/rootfs";
    b.exec_fifo = "/run/minirunc/abc/exec.fifo";
    b.no_pivot = true;
    b.no_new_keyring = true;
    b.preserve_fds = 3;
    b.in_user_namespace = true;
    b.cgroups = {
        {"memory", "/sys/fs/cgroup/memory/abc", false, "memory"},
        {"systemd", "/sys/fs/cgroup/systemd/abc", false, "none,name=systemd"},
        {"unified", "/sys/fs/cgroup/unified/abc", true, ""},
    };
    return b;
}

std::string from_json_error(const json& doc) {
    try {
        bootstrap_from_json(doc);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(BootstrapJson, RoundTripKeepsEveryField) {
    auto original = sample();
    auto copy = bootstrap_from_json(to_json(original));
    EXPECT_EQ(copy.mode, "exec");
    EXPECT_EQ(copy.id, original.id);
    EXPECT_EQ(copy.config, original.config);
    EXPECT_EQ(copy.bundle, original.bundle);
    EXPECT_EQ(copy.rootfs, original.rootfs);
    EXPECT_EQ(copy.exec_fifo, original.exec_fifo);
    EXPECT_TRUE(copy.no_pivot);
    EXPECT_TRUE(copy.no_new_keyring);
    EXPECT_EQ(copy.preserve_fds, 3);
    EXPECT_TRUE(copy.in_user_namespace);
    ASSERT_EQ(copy.cgroups.size(), 3u);
    for (size_t i = 0; i < copy.cgroups.size(); ++i) {
        EXPECT_EQ(copy.cgroups[i].name, original.cgroups[i].name);
        EXPECT_EQ(copy.cgroups[i].host_dir, original.cgroups[i].host_dir);
        EXPECT_EQ(copy.cgroups[i].v2, original.cgroups[i].v2);
        EXPECT_EQ(copy.cgroups[i].fs_options, original.cgroups[i].fs_options);
    }
}

TEST(BootstrapJson, RoundTripThroughText) {
    auto original = sample();
    auto copy = bootstrap_from_json(json::parse(to_json(original).dump()));
    EXPECT_EQ(copy.config, original.config);
    EXPECT_EQ(copy.cgroups.size(), 3u);
    EXPECT_EQ(copy.cgroups[1].fs_options, "none,name=systemd");
}

TEST(BootstrapJson, RoundTripOfADefaultBootstrap) {
    Bootstrap empty;
    EXPECT_EQ(empty.mode, "create");
    auto copy = bootstrap_from_json(to_json(empty));
    EXPECT_EQ(copy.mode, "create");
    EXPECT_EQ(copy.id, "");
    EXPECT_TRUE(copy.config.is_null());
    EXPECT_FALSE(copy.no_pivot);
    EXPECT_FALSE(copy.no_new_keyring);
    EXPECT_EQ(copy.preserve_fds, 0);
    EXPECT_FALSE(copy.in_user_namespace);
    EXPECT_TRUE(copy.cgroups.empty());
}

TEST(BootstrapJson, IsTypedAsABootstrapMessage) {
    auto doc = to_json(sample());
    EXPECT_EQ(doc["type"], "bootstrap");
    EXPECT_TRUE(doc["cgroups"].is_array());
    EXPECT_TRUE(to_json(Bootstrap{})["cgroups"].is_array());
}

TEST(BootstrapJson, MissingFieldIsAnError) {
    for (const char* key : {"id", "config", "bundle", "rootfs", "exec_fifo", "no_pivot",
                            "no_new_keyring", "preserve_fds", "cgroups"}) {
        auto doc = to_json(sample());
        doc.erase(key);
        auto message = from_json_error(doc);
        EXPECT_EQ(message.rfind("malformed bootstrap message", 0), 0u) << key << ": " << message;
    }
}

TEST(BootstrapJson, WrongTypeIsAnError) {
    auto doc = to_json(sample());
    doc["preserve_fds"] = "three";
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
    doc = to_json(sample());
    doc["no_pivot"] = 1;
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
    doc = to_json(sample());
    doc["id"] = nullptr;
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
}

TEST(BootstrapJson, MalformedCgroupEntryIsAnError) {
    auto doc = to_json(sample());
    doc["cgroups"][0].erase("host_dir");
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
    doc = to_json(sample());
    doc["cgroups"][2]["v2"] = "yes";
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
    doc = to_json(sample());
    doc["cgroups"] = json::array({"memory"});
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
}

TEST(BootstrapJson, NonObjectIsAnError) {
    for (const json& doc : {json(nullptr), json::array(), json("bootstrap"), json(7)}) {
        auto message = from_json_error(doc);
        EXPECT_EQ(message.rfind("malformed bootstrap message", 0), 0u)
            << doc.dump() << ": " << message;
    }
}

TEST(BootstrapJson, EmptyObjectIsAnError) {
    EXPECT_THROW(bootstrap_from_json(json::object()), Error);
}

TEST(BootstrapJson, SeccompProgramRoundTripsAsBinary) {
    Bootstrap original = sample();
    std::string bpf("\x20\x00\x00\x00\x04\x00\x00\x00\x15\x00\x00\x01\x3e\x00\x00\xc0", 16);
    original.seccomp = SeccompProgram{bpf, 0x9, true};
    auto copy = bootstrap_from_json(json::parse(to_json(original).dump()));
    ASSERT_TRUE(copy.seccomp);
    EXPECT_EQ(copy.seccomp->bpf, bpf);
    EXPECT_EQ(copy.seccomp->flags, 0x9u);
    EXPECT_TRUE(copy.seccomp->notify);
    EXPECT_FALSE(bootstrap_from_json(to_json(sample())).seccomp);
}

TEST(BootstrapJson, MalformedSeccompProgramIsAnError) {
    Bootstrap original = sample();
    original.seccomp = SeccompProgram{"12345678", 0, false};
    auto doc = to_json(original);
    doc["seccomp"]["bpf"] = "not base64!";
    EXPECT_EQ(from_json_error(doc).rfind("malformed bootstrap message", 0), 0u);
}
