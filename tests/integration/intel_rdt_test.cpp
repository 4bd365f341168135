// linux.intelRdt: on a host without a mounted resctrl, any intelRdt config is
// refused (runtime-spec: the runtime MUST generate an error) naming the
// field, with nothing left behind. Where resctrl is mounted the CLOS work is
// the planner's (tests/unit/intel_rdt_plan_test.cpp); not exercised here.
#include <cstdio>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class IntelRdt : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        for (const auto& m : hostMounts())
            if (m.fsType == "resctrl")
                GTEST_SKIP() << "resctrl is mounted at " << m.mountPoint
                             << ": the refusal does not apply on this host";
    }

    void expectRefused(const std::string& what, const json& rdt) {
        SCOPED_TRACE(what);
        auto id = newId();
        json cfg = config({"probe", "exit", "0"});
        cfg["linux"]["intelRdt"] = rdt;
        Result r = rt({"run", "--bundle", makeBundle(id, cfg), id});
        EXPECT_NE(r.status, 0) << r;
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(r.err, "config.json: /linux/intelRdt: ")) << r;
            EXPECT_TRUE(contains(r.err, "resctrl")) << r;
        }
        EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
    }
};

TEST_F(IntelRdt, AnyConfigIsRefusedWithoutResctrl) {
    expectRefused("a named CLOS with schemata",
                  {{"closID", "gold"}, {"l3CacheSchema", "L3:0=f"}, {"schemata", {"MB:0=50"}}});
    expectRefused("the default CLOS", {{"closID", "/"}});
    // runc 1.1.5 refuses only a config with a schema, and runs these two.
    if (runtimeName() != "minirunc") {
        std::printf("runc: intelRdt without a schema is accepted without resctrl (not checked)\n");
        return;
    }
    expectRefused("monitoring only", {{"enableMonitoring", true}});
    expectRefused("empty object", json::object());
}

}  // namespace
}  // namespace minirunc::test
