#include <gtest/gtest.h>

#include "minirunc/default_spec.hpp"
#include "minirunc/spec.hpp"
#include "spec_example.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;

TEST(SpecSerialize, FullConfigRoundTripsExactly) {
    const json doc = testing::full_example_config();
    EXPECT_EQ(to_json(parse(doc)), doc) << to_json(parse(doc)).dump(2);
}

TEST(SpecSerialize, ParseOfSerialisedModelGivesTheSameModel) {
    const Spec once = parse(testing::full_example_config());
    const Spec twice = parse(to_json(once));
    EXPECT_EQ(to_json(twice), to_json(once));
}

TEST(SpecSerialize, DefaultSpecsRoundTrip) {
    for (const json& doc : {default_spec(false), default_spec(true, 1000, 100)})
        EXPECT_EQ(to_json(parse(doc)), doc);
}

TEST(SpecSerialize, OmitsAbsentOptionalsAndEmptyValues) {
    Spec s;
    s.oci_version = "1.3.0";
    s.process = Process{};
    s.process->cwd = "/";
    const json expected = {{"ociVersion", "1.3.0"},
                           {"process", {{"user", {{"uid", 0}, {"gid", 0}}}, {"cwd", "/"}}}};
    EXPECT_EQ(to_json(s), expected);
}

TEST(SpecSerialize, KeepsPresentButEmptyOrZeroPointerMembers) {
    Process p;
    p.capabilities = Capabilities{};
    p.capabilities->ambient = std::vector<std::string>{};
    p.oom_score_adj = 0;
    p.user.umask = 0;
    const json j = to_json(p);
    EXPECT_EQ(j["capabilities"], (json{{"ambient", json::array()}}));
    EXPECT_EQ(j["oomScoreAdj"], 0);
    EXPECT_EQ(j["user"]["umask"], 0);
    EXPECT_EQ(to_json(parse_process(j)), j);
}

TEST(SpecSerialize, AlwaysWritesDeviceNumbers) {
    // Go's omitempty drops a 0 minor (/dev/tty is 5:0); we keep it explicit.
    Spec s;
    s.oci_version = "1.3.0";
    s.linux = Linux{};
    s.linux->devices.push_back(
        Device{"c", "/dev/tty", 5, 0, std::nullopt, std::nullopt, std::nullopt});
    const json j = to_json(s);
    EXPECT_EQ(j["linux"]["devices"][0],
              (json{{"type", "c"}, {"path", "/dev/tty"}, {"major", 5}, {"minor", 0}}));
}

TEST(SpecSerialize, WritesEmptySectionsThatArePresent) {
    Spec s;
    s.oci_version = "1.0.0";
    s.linux = Linux{};
    s.hooks = Hooks{};
    s.linux->resources = Resources{};
    s.linux->resources->memory = MemoryResources{};
    const json j = to_json(s);
    EXPECT_EQ(j["hooks"], json::object());
    EXPECT_EQ(j["linux"], (json{{"resources", {{"memory", json::object()}}}}));
    const Spec back = parse(j);
    EXPECT_TRUE(back.hooks);
    EXPECT_TRUE(back.linux->resources->memory);
}

TEST(SpecSerialize, ProcessAloneMatchesItsPartOfTheSpec) {
    const json doc = testing::full_example_config();
    EXPECT_EQ(to_json(parse_process(doc["process"])), doc["process"]);
}

}  // namespace
}  // namespace minirunc::spec
