#include <gtest/gtest.h>

#include "minirunc/cgroup_resource_fields.hpp"
#include "minirunc/cgroup_resources.hpp"
#include "minirunc/error.hpp"
#include "minirunc/state.hpp"

using namespace minirunc;

namespace {

ResourceField field(const std::string& file, bool unified = false) {
    return resource_field(CgroupWrite{file.substr(0, file.find('.')), file, "1", false}, unified);
}

TEST(ResourceField, NamesTheConfigMemberOfV1Writes) {
    EXPECT_EQ(field("memory.limit_in_bytes").pointer, "/linux/resources/memory/limit");
    EXPECT_EQ(field("memory.limit_in_bytes").description, "memory limit");
    EXPECT_EQ(field("memory.memsw.limit_in_bytes").pointer, "/linux/resources/memory/swap");
    EXPECT_EQ(field("cpu.cfs_quota_us").pointer, "/linux/resources/cpu/quota");
    EXPECT_EQ(field("cpuset.cpus").pointer, "/linux/resources/cpu/cpus");
    EXPECT_EQ(field("pids.max").pointer, "/linux/resources/pids/limit");
    EXPECT_EQ(field("blkio.bfq.weight").pointer, "/linux/resources/blockIO/weight");
    EXPECT_EQ(field("blkio.throttle.read_bps_device").pointer,
              "/linux/resources/blockIO/throttleReadBpsDevice");
    EXPECT_EQ(field("hugetlb.2MB.limit_in_bytes").pointer, "/linux/resources/hugepageLimits");
    EXPECT_EQ(field("devices.allow").pointer, "/linux/resources/devices");
}

TEST(ResourceField, NamesTheConfigMemberOfV2Writes) {
    EXPECT_EQ(field("memory.max").pointer, "/linux/resources/memory/limit");
    EXPECT_EQ(field("memory.swap.max").pointer, "/linux/resources/memory/swap");
    EXPECT_EQ(field("cpu.max").pointer, "/linux/resources/cpu/quota");
    EXPECT_EQ(field("cpu.weight").pointer, "/linux/resources/cpu/shares");
    EXPECT_EQ(field("hugetlb.2MB.rsvd.max").pointer, "/linux/resources/hugepageLimits");
}

TEST(ResourceField, UnifiedWritesNameTheirKey) {
    EXPECT_EQ(field("memory.max", true).pointer, "/linux/resources/unified/memory.max");
    EXPECT_EQ(field("memory.max", true).description, "unified resource memory.max");
}

TEST(ResourceSections, OneSectionPerMemberPresent) {
    spec::Resources r;
    r.memory.emplace();
    r.pids.emplace();
    r.unified["memory.high"] = "1";
    auto sections = resource_sections(r);
    ASSERT_EQ(sections.size(), 3u);
    EXPECT_EQ(sections[0].first, "/linux/resources/memory");
    EXPECT_TRUE(sections[0].second.memory && !sections[0].second.pids);
    EXPECT_EQ(sections[1].first, "/linux/resources/pids");
    EXPECT_EQ(sections[2].first, "/linux/resources/unified");
    EXPECT_TRUE(sections[2].second.unified.count("memory.high"));
    EXPECT_FALSE(sections[2].second.memory);
}

TEST(ResourceSections, PlanningThemOneByOneFindsTheFaultyMember) {
    spec::Resources r;
    r.pids.emplace();
    r.pids->limit = 5;
    r.memory.emplace();
    r.memory->limit = 100;
    r.memory->swap = 50;  // below the limit
    std::string faulty;
    for (const auto& [pointer, part] : resource_sections(r)) {
        try {
            plan_v1_writes(part, V1Capabilities{{"memory.memsw.limit_in_bytes"}});
        } catch (const Error&) {
            faulty = pointer;
            break;
        }
    }
    EXPECT_EQ(faulty, "/linux/resources/memory");
}

TEST(V2ControllersNeeded, FromTheMembersPresent) {
    spec::Resources r;
    EXPECT_TRUE(v2_controllers_needed(r).empty());
    r.memory.emplace();
    r.cpu.emplace();
    r.cpu->cpus = "0";
    r.unified["io.max"] = "8:0 rbps=1";
    r.unified["cgroup.max.depth"] = "2";
    EXPECT_EQ(v2_controllers_needed(r), (std::set<std::string>{"cpuset", "io", "memory"}));
    r.cpu->shares = 512;
    EXPECT_TRUE(v2_controllers_needed(r).count("cpu"));
}

TEST(ContainerStateResources, RoundTripAndAbsentInOlderStateFiles) {
    ContainerState s;
    s.id = "c";
    s.resources = {{"memory", {{"limit", 1024}}}};
    auto doc = to_json(s);
    EXPECT_EQ(state_from_json(doc).resources, s.resources);
    doc.erase("resources");
    EXPECT_TRUE(state_from_json(doc).resources.is_null());
    EXPECT_FALSE(to_json(state_from_json(doc)).contains("resources"));
}

TEST(ResourcesJson, SerialisesBackToTheSpecFormat) {
    spec::Resources r;
    r.memory.emplace();
    r.memory->limit = 64;
    r.pids.emplace();
    r.pids->limit = 3;
    auto doc = spec::to_json(r);
    EXPECT_EQ(doc.dump(), R"({"memory":{"limit":64},"pids":{"limit":3}})");
    EXPECT_EQ(spec::to_json(spec::parse_resources(doc, "")).dump(), doc.dump());
}

}  // namespace
