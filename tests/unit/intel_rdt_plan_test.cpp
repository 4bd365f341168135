#include "minirunc/intel_rdt_plan.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "error_text.hpp"

namespace minirunc {
namespace {

using test::error_of;

spec::IntelRdt rdt(std::string clos, std::vector<std::string> schemata = {}) {
    spec::IntelRdt r;
    r.clos_id = std::move(clos);
    r.schemata = std::move(schemata);
    return r;
}

TEST(IntelRdtPlan, WithoutClosIdTheContainerGetsItsOwnClosRemovedAtDelete) {
    spec::IntelRdt r = rdt("");
    r.l3_cache_schema = "L3:0=f0";
    r.mem_bw_schema = "MB:0=50";
    r.schemata = {"L2:0=3"};
    r.enable_cmt = true;
    IntelRdtPlan plan = plan_intel_rdt(r, "ctr", "/sys/fs/resctrl");
    EXPECT_EQ(plan.clos_dir, "/sys/fs/resctrl/ctr");
    EXPECT_TRUE(plan.may_create);
    EXPECT_TRUE(plan.remove_if_created);
    // l3CacheSchema first, memBwSchema, then schemata (the spec's order).
    EXPECT_EQ(plan.schemata, (std::vector<std::string>{"L3:0=f0", "MB:0=50", "L2:0=3"}));
    EXPECT_EQ(plan.mon_dir, "/sys/fs/resctrl/ctr/mon_groups/ctr");
}

TEST(IntelRdtPlan, EnableMonitoringIsRuntimeSpec13sName) {
    nlohmann::json doc = {{"ociVersion", "1.3.0"},
                          {"linux", {{"intelRdt", {{"closID", "/"}, {"enableMonitoring", true}}}}}};
    spec::Spec s = spec::parse(doc);
    ASSERT_TRUE(s.linux && s.linux->intel_rdt);
    EXPECT_EQ(plan_intel_rdt(*s.linux->intel_rdt, "ctr", "/r").mon_dir, "/r/mon_groups/ctr");
}

TEST(IntelRdtPlan, NamedClosIsMadeOnlyWithSchemataAndNeverRemoved) {
    IntelRdtPlan joined = plan_intel_rdt(rdt("gold"), "ctr", "/r");
    EXPECT_EQ(joined.clos_dir, "/r/gold");
    EXPECT_FALSE(joined.may_create);  // must exist
    EXPECT_FALSE(joined.remove_if_created);
    EXPECT_EQ(joined.mon_dir, "");
    IntelRdtPlan made = plan_intel_rdt(rdt("gold", {"L3:0=ff"}), "ctr", "/r");
    EXPECT_TRUE(made.may_create);
    EXPECT_FALSE(made.remove_if_created);
}

TEST(IntelRdtPlan, SlashIsTheDefaultClos) {
    IntelRdtPlan plan = plan_intel_rdt(rdt("/"), "ctr", "/r");
    EXPECT_EQ(plan.clos_dir, "/r");
    EXPECT_FALSE(plan.may_create);
    EXPECT_FALSE(plan.remove_if_created);
}

TEST(IntelRdtPlan, BadValuesAreRefusedNamingTheField) {
    EXPECT_EQ(error_of([] { plan_intel_rdt(rdt(".."), "c", "/r"); }),
              "config.json: /linux/intelRdt/closID: invalid CLOS id \"..\"");
    EXPECT_EQ(error_of([] { plan_intel_rdt(rdt("a/b"), "c", "/r"); }),
              "config.json: /linux/intelRdt/closID: invalid CLOS id \"a/b\"");
    spec::IntelRdt r = rdt("x");
    r.mem_bw_schema = "L3:0=1";
    EXPECT_EQ(error_of([&] { plan_intel_rdt(r, "c", "/r"); }),
              "config.json: /linux/intelRdt/memBwSchema: must start with \"MB:\"");
    r = rdt("x");
    r.l3_cache_schema = "L3:0=1\nMB:0=2";
    EXPECT_EQ(error_of([&] { plan_intel_rdt(r, "c", "/r"); }),
              "config.json: /linux/intelRdt/l3CacheSchema: must not contain newlines");
}

TEST(IntelRdtPlan, SchemataInForceIgnoreLeadingZerosAndOtherResources) {
    const std::string file = "    L3:0=000ff;1=000f0\n    MB:0=100;1=100\n";
    EXPECT_TRUE(schemata_in_force(file, {"L3:0=ff"}));
    EXPECT_TRUE(schemata_in_force(file, {"L3:0=ff;1=f0", "MB:1=100"}));
    EXPECT_FALSE(schemata_in_force(file, {"L3:0=f"}));
    EXPECT_FALSE(schemata_in_force(file, {"L2:0=ff"}));
    EXPECT_FALSE(schemata_in_force(file, {"MB:2=100"}));
}

TEST(IntelRdtPlan, ResctrlMountPointFromMountinfo) {
    const std::string with =
        "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
        "40 22 0:35 / /sys/fs/resctrl rw,relatime shared:20 - resctrl resctrl rw\n";
    EXPECT_EQ(resctrl_mount_point(with), "/sys/fs/resctrl");
    EXPECT_EQ(resctrl_mount_point("22 1 0:21 / /proc rw,nosuid - proc proc rw\n"), "");
}

}  // namespace
}  // namespace minirunc
