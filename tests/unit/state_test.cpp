#include "minirunc/state.hpp"

#include <ctime>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using nlohmann::json;

namespace {

ContainerState full_state() {
    ContainerState s;
    s.id = "abc";
    s.pid = 4242;
    s.pid_start_time = 123456789012ULL;
    s.bundle = "/run/bundles/abc";
    s.rootfs = "/run/bundles/abc/rootfs";
    s.created = "2026-11-21T12:00:00.123456789Z";
    s.owner = "root";
    s.annotations = {{"org.example/key", "value"}, {"io.kubernetes.cri.container-type", "sandbox"}};
    s.cgroup_dirs = {"/sys/fs/cgroup/memory/abc", "/sys/fs/cgroup/pids/abc"};
    s.created_cgroup_dirs = {"/sys/fs/cgroup/memory/abc"};
    s.freezer_dir = "/sys/fs/cgroup/freezer/abc";
    s.freezer_v2 = false;
    s.namespace_paths = {{"network", "/proc/4242/ns/net"}, {"pid", "/proc/4242/ns/pid"}};
    return s;
}

void expect_same(const ContainerState& a, const ContainerState& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.pid, b.pid);
    EXPECT_EQ(a.pid_start_time, b.pid_start_time);
    EXPECT_EQ(a.bundle, b.bundle);
    EXPECT_EQ(a.rootfs, b.rootfs);
    EXPECT_EQ(a.created, b.created);
    EXPECT_EQ(a.owner, b.owner);
    EXPECT_EQ(a.annotations, b.annotations);
    EXPECT_EQ(a.cgroup_dirs, b.cgroup_dirs);
    EXPECT_EQ(a.created_cgroup_dirs, b.created_cgroup_dirs);
    EXPECT_EQ(a.freezer_dir, b.freezer_dir);
    EXPECT_EQ(a.freezer_v2, b.freezer_v2);
    EXPECT_EQ(a.namespace_paths, b.namespace_paths);
}

json minimal_doc() {
    return {{"id", "abc"},    {"pid", 1},         {"pid_start_time", 2},
            {"bundle", "/b"}, {"rootfs", "/b/r"}, {"created", "2026-01-01T00:00:00Z"}};
}

std::string from_json_error(const json& doc) {
    try {
        state_from_json(doc);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// ---- state.json ----

TEST(StateJson, RoundTripKeepsEveryField) {
    auto original = full_state();
    expect_same(state_from_json(to_json(original)), original);
}

TEST(StateJson, RoundTripThroughText) {
    auto original = full_state();
    original.freezer_v2 = true;
    auto text = to_json(original).dump();
    expect_same(state_from_json(json::parse(text)), original);
}

TEST(StateJson, RoundTripOfADefaultState) {
    ContainerState empty;
    expect_same(state_from_json(to_json(empty)), empty);
}

TEST(StateJson, LargeStartTimeSurvives) {
    auto s = full_state();
    s.pid_start_time = UINT64_MAX;
    EXPECT_EQ(state_from_json(json::parse(to_json(s).dump())).pid_start_time, UINT64_MAX);
}

TEST(StateJson, WritesTheExpectedKeys) {
    auto doc = to_json(full_state());
    for (const char* key :
         {"id", "pid", "pid_start_time", "bundle", "rootfs", "created", "owner", "annotations",
          "cgroup_dirs", "created_cgroup_dirs", "freezer_dir", "freezer_v2", "namespace_paths"})
        EXPECT_TRUE(doc.contains(key)) << key;
    EXPECT_EQ(doc["pid"], 4242);
    EXPECT_EQ(doc["annotations"]["org.example/key"], "value");
}

TEST(StateJson, OptionalFieldsDefaultWhenMissing) {
    auto s = state_from_json(minimal_doc());
    EXPECT_EQ(s.id, "abc");
    EXPECT_EQ(s.pid, 1);
    EXPECT_EQ(s.pid_start_time, 2u);
    EXPECT_EQ(s.owner, "");
    EXPECT_TRUE(s.annotations.empty());
    EXPECT_TRUE(s.cgroup_dirs.empty());
    EXPECT_TRUE(s.created_cgroup_dirs.empty());
    EXPECT_EQ(s.freezer_dir, "");
    EXPECT_FALSE(s.freezer_v2);
    EXPECT_TRUE(s.namespace_paths.empty());
}

TEST(StateJson, MissingRequiredFieldIsAnErrorMentioningStateJson) {
    for (const char* key : {"id", "pid", "pid_start_time", "bundle", "rootfs", "created"}) {
        auto doc = minimal_doc();
        doc.erase(key);
        auto message = from_json_error(doc);
        EXPECT_EQ(message.rfind("state.json", 0), 0u) << key << ": " << message;
        EXPECT_NE(message.find(key), std::string::npos) << key << ": " << message;
    }
}

TEST(StateJson, WrongTypeIsAnErrorMentioningStateJson) {
    auto doc = minimal_doc();
    doc["pid"] = "not a number";
    EXPECT_EQ(from_json_error(doc).rfind("state.json", 0), 0u);
    doc = minimal_doc();
    doc["cgroup_dirs"] = 5;
    EXPECT_EQ(from_json_error(doc).rfind("state.json", 0), 0u);
    doc = minimal_doc();
    doc["annotations"] = {{"k", 1}};
    EXPECT_EQ(from_json_error(doc).rfind("state.json", 0), 0u);
}

TEST(StateJson, NonObjectIsAnError) {
    for (const json& doc : {json::array(), json(nullptr), json("text"), json(3)}) {
        auto message = from_json_error(doc);
        EXPECT_EQ(message.rfind("state.json", 0), 0u) << doc.dump() << ": " << message;
    }
}

TEST(StateJson, UnknownKeysAreIgnored) {
    auto doc = minimal_doc();
    doc["future_field"] = {1, 2, 3};
    EXPECT_EQ(state_from_json(doc).id, "abc");
}

// ---- derived status ----

TEST(StatusDerivation, Table) {
    struct Row {
        bool alive, fifo, frozen;
        Status expected;
    };
    const Row rows[] = {
        {false, false, false, Status::Stopped}, {false, true, false, Status::Stopped},
        {true, true, false, Status::Created},   {true, false, false, Status::Running},
        {true, false, true, Status::Paused},
    };
    for (const auto& r : rows) {
        EXPECT_EQ(derive_status(r.alive, r.fifo, r.frozen), r.expected)
            << "alive=" << r.alive << " fifo=" << r.fifo << " frozen=" << r.frozen;
    }
}

TEST(StatusDerivation, DeadInitIsStoppedWhateverElse) {
    EXPECT_EQ(derive_status(false, false, true), Status::Stopped);
    EXPECT_EQ(derive_status(false, true, true), Status::Stopped);
}

TEST(StatusDerivation, FrozenCreatedContainerIsPaused) {
    EXPECT_EQ(derive_status(true, true, true), Status::Paused);
}

TEST(StatusNames, AreRuncs) {
    EXPECT_EQ(to_string(Status::Creating), "creating");
    EXPECT_EQ(to_string(Status::Created), "created");
    EXPECT_EQ(to_string(Status::Running), "running");
    EXPECT_EQ(to_string(Status::Paused), "paused");
    EXPECT_EQ(to_string(Status::Stopped), "stopped");
}

// ---- the `state` document ----

TEST(OciState, RunningHasEveryField) {
    auto doc = oci_state(full_state(), Status::Running);
    EXPECT_EQ(doc["ociVersion"], "1.3.0");
    EXPECT_EQ(doc["id"], "abc");
    EXPECT_EQ(doc["pid"], 4242);
    EXPECT_EQ(doc["status"], "running");
    EXPECT_EQ(doc["bundle"], "/run/bundles/abc");
    EXPECT_EQ(doc["rootfs"], "/run/bundles/abc/rootfs");
    EXPECT_EQ(doc["created"], "2026-11-21T12:00:00.123456789Z");
    EXPECT_EQ(doc["owner"], "root");
    ASSERT_TRUE(doc.contains("annotations"));
    EXPECT_EQ(doc["annotations"]["io.kubernetes.cri.container-type"], "sandbox");
}

TEST(OciState, OciVersionIsASemver) {
    auto version = oci_state(full_state(), Status::Created)["ociVersion"].get<std::string>();
    EXPECT_TRUE(std::regex_match(version, std::regex(R"(1\.\d+\.\d+)"))) << version;
}

TEST(OciState, PidIsZeroWhenStopped) {
    auto doc = oci_state(full_state(), Status::Stopped);
    EXPECT_EQ(doc["pid"], 0);
    EXPECT_EQ(doc["status"], "stopped");
}

TEST(OciState, PidIsKeptWhenCreatedOrPaused) {
    EXPECT_EQ(oci_state(full_state(), Status::Created)["pid"], 4242);
    EXPECT_EQ(oci_state(full_state(), Status::Paused)["pid"], 4242);
    EXPECT_EQ(oci_state(full_state(), Status::Paused)["status"], "paused");
    EXPECT_EQ(oci_state(full_state(), Status::Created)["status"], "created");
}

TEST(OciState, AnnotationsOnlyWhenNonEmpty) {
    auto s = full_state();
    s.annotations.clear();
    auto doc = oci_state(s, Status::Running);
    EXPECT_FALSE(doc.contains("annotations"));
}

TEST(OciState, HasNoInternalFields) {
    auto doc = oci_state(full_state(), Status::Running);
    for (const char* key :
         {"pid_start_time", "cgroup_dirs", "created_cgroup_dirs", "freezer_dir", "namespace_paths"})
        EXPECT_FALSE(doc.contains(key)) << key;
    EXPECT_EQ(doc.size(), 9u);
}

TEST(OciState, OwnerIsPresentEvenWhenEmpty) {
    auto s = full_state();
    s.owner = "";
    auto doc = oci_state(s, Status::Running);
    ASSERT_TRUE(doc.contains("owner"));
    EXPECT_EQ(doc["owner"], "");
}

// ---- RFC 3339 ----

TEST(Rfc3339, EpochWithNanos) {
    EXPECT_EQ(rfc3339(0, 5, true), "1970-01-01T00:00:00.000000005Z");
    EXPECT_EQ(rfc3339(0, 0, true), "1970-01-01T00:00:00.000000000Z");
}

TEST(Rfc3339, EpochWithoutNanos) {
    EXPECT_EQ(rfc3339(0, 5, false), "1970-01-01T00:00:00Z");
}

TEST(Rfc3339, KnownInstant) {
    // 2009-02-13T23:31:30Z is Unix time 1234567890.
    EXPECT_EQ(rfc3339(1234567890, 123456789, true), "2009-02-13T23:31:30.123456789Z");
    EXPECT_EQ(rfc3339(1234567890, 999999999, false), "2009-02-13T23:31:30Z");
}

TEST(Rfc3339, LeapDayAndYear2038) {
    EXPECT_EQ(rfc3339(951782400, 0, false), "2000-02-29T00:00:00Z");
    EXPECT_EQ(rfc3339(2147483648LL, 1, true), "2038-01-19T03:14:08.000000001Z");
}

TEST(Rfc3339, NowHasTheFormatAndIsCurrent) {
    auto before = std::time(nullptr);
    auto now = rfc3339_now();
    auto after = std::time(nullptr);
    EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z)")))
        << now;
    auto prefix = now.substr(0, 19) + "Z";
    EXPECT_TRUE(prefix == rfc3339(before, 0, false) || prefix == rfc3339(after, 0, false)) << now;
}
