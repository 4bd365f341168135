// config.json `process` settings, observed from inside the container with the probe.
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class ProcessConfig : public RuntimeTest {
  protected:
    // Runs cfg and parses the probe's one-line JSON output.
    json probeJson(const json& cfg) {
        Result r = runProbe(cfg);
        EXPECT_TRUE(r.ok()) << r;
        return r.ok() ? parseJson(trim(r.out)) : json::object();
    }
};

// The hex mask /proc/self/status shows for a set of capability numbers.
std::string capMask(std::initializer_list<int> caps) {
    uint64_t mask = 0;
    for (int c : caps) mask |= uint64_t{1} << c;
    char buf[17];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(mask));
    return buf;
}

constexpr int kCapChown = 0;
constexpr int kCapKill = 5;
constexpr int kCapNetBindService = 10;

TEST_F(ProcessConfig, UserIdsAdditionalGidsAndUmaskAreApplied) {
    json cfg = config({"probe", "ids"});
    cfg["process"]["user"] = {
        {"uid", 1000}, {"gid", 1000}, {"additionalGids", {10, 20}}, {"umask", 027}};
    json ids = probeJson(cfg);
    for (const char* k : {"uid", "euid", "suid", "gid", "egid", "sgid"}) {
        EXPECT_EQ(ids.value(k, -1), 1000) << k << " in " << ids;
    }
    EXPECT_EQ(ids["groups"], json::array({10, 20})) << ids;
    EXPECT_EQ(ids.value("umask", -1), 027) << ids;
}

TEST_F(ProcessConfig, NumericUidGetsNoGroupsFromTheGroupFile) {
    // probeuser (uid 1000) is a member of probegroup (4242) in the rootfs /etc/group.
    json cfg = config({"probe", "ids"});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    json ids = probeJson(cfg);
    EXPECT_EQ(ids.value("uid", -1), 1000);
    EXPECT_EQ(ids.value("gid", -1), 1000);
    for (const auto& g : ids["groups"]) EXPECT_NE(g.get<int>(), 4242) << ids;
}

TEST_F(ProcessConfig, RootUserKeepsRootIds) {
    json ids = probeJson(config({"probe", "ids"}));
    EXPECT_EQ(ids.value("uid", -1), 0);
    EXPECT_EQ(ids.value("gid", -1), 0);
    EXPECT_EQ(ids["groups"], json::array()) << ids;
}

TEST_F(ProcessConfig, CwdIsApplied) {
    json cfg = config({"probe", "cwd"});
    cfg["process"]["cwd"] = "/etc";
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "/etc\n");
}

TEST_F(ProcessConfig, EnvIsExactlyTheConfiguredOne) {
    json cfg = config({"probe", "env"});
    std::vector<std::string> env = {"PATH=/bin", "A=1", "B=two words", "EMPTY="};
    cfg["process"]["env"] = env;
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    for (const auto& e : env) {
        EXPECT_NE(std::find(lines.begin(), lines.end(), e), lines.end()) << e << " in " << r.out;
    }
    // runc adds HOME from /etc/passwd when the config has none; nothing else may appear.
    for (const auto& l : lines) {
        bool expected =
            std::find(env.begin(), env.end(), l) != env.end() || l.rfind("HOME=", 0) == 0;
        EXPECT_TRUE(expected) << "unexpected variable " << l;
    }
}

TEST_F(ProcessConfig, ArgsArePassedVerbatim) {
    Result r =
        runProbe(config({"sh", "-c", "printf '[%s]' \"$@\"", "sh", "a b", "", "$HOME", "*"}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "[a b][][$HOME][*]");
}

TEST_F(ProcessConfig, RlimitSoftLimitsAreLowered) {
    struct rlimit nproc, msgqueue;
    ASSERT_EQ(getrlimit(RLIMIT_NPROC, &nproc), 0);
    ASSERT_EQ(getrlimit(RLIMIT_MSGQUEUE, &msgqueue), 0);
    auto asJson = [](rlim_t v) { return json(static_cast<uint64_t>(v)); };
    json cfg = config({"probe", "rlimits"});
    // Raising a hard limit needs CAP_SYS_RESOURCE, which root may lack: lower soft limits only.
    cfg["process"]["rlimits"] = json::array({
        {{"type", "RLIMIT_NOFILE"}, {"soft", 256}, {"hard", 512}},
        {{"type", "RLIMIT_NPROC"}, {"soft", 100}, {"hard", asJson(nproc.rlim_max)}},
        {{"type", "RLIMIT_MSGQUEUE"}, {"soft", 4096}, {"hard", asJson(msgqueue.rlim_max)}},
        {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}},
    });
    json limits = probeJson(cfg);
    auto hard = [](rlim_t v) { return v == RLIM_INFINITY ? -1LL : static_cast<long long>(v); };
    EXPECT_EQ(limits["RLIMIT_NOFILE"], json({{"soft", 256}, {"hard", 512}})) << limits;
    EXPECT_EQ(limits["RLIMIT_NPROC"], json({{"soft", 100}, {"hard", hard(nproc.rlim_max)}}));
    EXPECT_EQ(limits["RLIMIT_MSGQUEUE"], json({{"soft", 4096}, {"hard", hard(msgqueue.rlim_max)}}));
    EXPECT_EQ(limits["RLIMIT_CORE"], json({{"soft", 0}, {"hard", 0}}));
}

TEST_F(ProcessConfig, RootCapabilitiesAreExactlyTheConfiguredSets) {
    json cfg = config({"probe", "caps"});
    json set = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    cfg["process"]["capabilities"] = {{"bounding", set},
                                      {"effective", set},
                                      {"permitted", set},
                                      {"inheritable", json::array()},
                                      {"ambient", json::array()}};
    json caps = probeJson(cfg);
    std::string mask = capMask({kCapChown, kCapKill, kCapNetBindService});
    EXPECT_EQ(caps.value("CapBnd", ""), mask) << caps;
    EXPECT_EQ(caps.value("CapPrm", ""), mask) << caps;
    EXPECT_EQ(caps.value("CapEff", ""), mask) << caps;
    EXPECT_EQ(caps.value("CapInh", ""), capMask({})) << caps;
    EXPECT_EQ(caps.value("CapAmb", ""), capMask({})) << caps;
}

TEST_F(ProcessConfig, NonRootUserKeepsAmbientCapabilitiesAcrossExec) {
    json cfg = config({"probe", "caps"});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    json kept = {"CAP_KILL", "CAP_NET_BIND_SERVICE"};
    cfg["process"]["capabilities"] = {
        {"bounding", {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"}},
        {"effective", kept},
        {"permitted", kept},
        {"inheritable", kept},
        {"ambient", kept}};
    json caps = probeJson(cfg);
    std::string keptMask = capMask({kCapKill, kCapNetBindService});
    EXPECT_EQ(caps.value("CapBnd", ""), capMask({kCapChown, kCapKill, kCapNetBindService})) << caps;
    EXPECT_EQ(caps.value("CapInh", ""), keptMask) << caps;
    EXPECT_EQ(caps.value("CapAmb", ""), keptMask) << caps;
    EXPECT_EQ(caps.value("CapPrm", ""), keptMask) << caps;
    EXPECT_EQ(caps.value("CapEff", ""), keptMask) << caps;
}

TEST_F(ProcessConfig, NonRootUserWithoutAmbientCapabilitiesHasNone) {
    json cfg = config({"probe", "caps"});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    json set = {"CAP_CHOWN", "CAP_KILL"};
    cfg["process"]["capabilities"] = {{"bounding", set}, {"effective", set}, {"permitted", set}};
    json caps = probeJson(cfg);
    EXPECT_EQ(caps.value("CapBnd", ""), capMask({kCapChown, kCapKill})) << caps;
    EXPECT_EQ(caps.value("CapPrm", ""), capMask({})) << caps;
    EXPECT_EQ(caps.value("CapEff", ""), capMask({})) << caps;
    EXPECT_EQ(caps.value("CapInh", ""), capMask({})) << caps;
    EXPECT_EQ(caps.value("CapAmb", ""), capMask({})) << caps;
}

TEST_F(ProcessConfig, NoNewPrivilegesIsSetOnlyWhenRequested) {
    for (bool nnp : {true, false}) {
        SCOPED_TRACE(nnp ? "noNewPrivileges: true" : "noNewPrivileges: false");
        json cfg = config({"probe", "caps"});
        cfg["process"]["noNewPrivileges"] = nnp;
        json caps = probeJson(cfg);
        EXPECT_EQ(caps.value("NoNewPrivs", ""), nnp ? "1" : "0") << caps;
    }
}

TEST_F(ProcessConfig, NoSeccompFilterWithoutSeccompConfig) {
    json cfg = config({"probe", "caps"});
    cfg["linux"].erase("seccomp");
    EXPECT_EQ(probeJson(cfg).value("Seccomp", ""), "0");
}

TEST_F(ProcessConfig, OomScoreAdjIsApplied) {
    json cfg = config({"probe", "oom"});
    cfg["process"]["oomScoreAdj"] = 500;
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), "500");
}

}  // namespace
}  // namespace minirunc::test
