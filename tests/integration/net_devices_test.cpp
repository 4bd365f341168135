// linux.netDevices (runtime-spec 1.3): a host veth end moved into the
// container's network namespace, renamed, with its global addresses; bad
// configs refused with the device left where it was. Each test makes its own
// network namespace and veth pair (no dummy module needed) and removes them.
#include <unistd.h>

#include "harness.hpp"
#include "host.hpp"

namespace minirunc::test {
namespace {

class NetDevices : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (runtimeName() == "runc")
            GTEST_SKIP() << "runc before 1.3 (Debian's 1.1.5) has no linux.netDevices";
        if (!run({"ip", "-V"}).ok()) GTEST_SKIP() << "no iproute2 (ip)";
        json features = parseJson(rtBare({"features"}).out);
        if (features["linux"]["netDevices"].value("enabled", false) != true)
            GTEST_SKIP() << "built without libmnl: features reports netDevices disabled";
        // Unique per test process: interface names have at most 15 characters.
        const std::string tag = std::to_string(::getpid());
        netns_ = "minirunc-it-" + tag;
        host_ = "mrnd" + tag + "h";
        peer_ = "mrnd" + tag + "p";
        // An address no real network uses (RFC 2544 benchmarking), as a /32
        // so that the host gets no route through the test's device.
        address_ = "198.18." + std::to_string(::getpid() % 250) + ".1/32";
        Result r = run({"ip", "netns", "add", netns_});
        ASSERT_TRUE(r.ok()) << r;
        madeNetns_ = true;
        r = run(
            {"ip", "link", "add", host_, "type", "veth", "peer", "name", peer_, "netns", netns_});
        if (!r.ok()) GTEST_SKIP() << "cannot create a veth pair: " << r.err;
        ASSERT_TRUE(ip({"addr", "add", address_, "dev", host_}).ok());
        // Not global: must stay behind.
        ASSERT_TRUE(ip({"addr", "add", "169.254.77.7/32", "dev", host_, "scope", "link"}).ok());
        ASSERT_TRUE(ip({"link", "set", host_, "up"}).ok());
        ASSERT_TRUE(run({"ip", "-n", netns_, "link", "set", peer_, "up"}).ok());
    }

    void TearDown() override {
        RuntimeTest::TearDown();  // containers first: their namespaces go away
        if (!madeNetns_) return;
        run({"ip", "link", "del", host_});  // still on the host when a test refused it
        EXPECT_TRUE(run({"ip", "netns", "del", netns_}).ok());
        EXPECT_FALSE(ip({"link", "show", host_}).ok()) << "veth left on the host";
        EXPECT_FALSE(exists("/run/netns/" + netns_)) << "network namespace left";
    }

    Result ip(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {"ip"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    }

    json withNetDevices(json cfg, const json& devices) {
        cfg["linux"]["netDevices"] = devices;
        return cfg;
    }

    // The device is on the host as the test set it up: up, with both addresses.
    void expectUntouched() {
        Result r = ip({"-o", "addr", "show", "dev", host_});
        ASSERT_TRUE(r.ok()) << "device left the host: " << r;
        EXPECT_TRUE(contains(r.out, address_)) << r.out;
        EXPECT_TRUE(contains(r.out, "169.254.77.7/32")) << r.out;
        r = ip({"link", "show", host_});
        EXPECT_TRUE(contains(r.out, ",UP")) << "left down: " << r.out;
    }

    // Looks at eth9 from inside: sysfs, its addresses (busybox ip), its state.
    static constexpr const char* kLookInside =
        "ls /sys/class/net; ip -o addr show dev eth9; cat /sys/class/net/eth9/flags";

    std::string netns_, host_, peer_, address_;
    bool madeNetns_ = false;
};

TEST_F(NetDevices, HostVethMovesInRenamedWithItsGlobalAddressAndUp) {
    Result r =
        runProbe(withNetDevices(config({"sh", "-c", kLookInside}), {{host_, {{"name", "eth9"}}}}));
    ASSERT_TRUE(r.ok()) << r;
    std::vector<std::string> names;
    for (const auto& line : splitLines(r.out))
        if (line.find(' ') == std::string::npos && line.rfind("0x", 0) != 0) names.push_back(line);
    EXPECT_EQ(names, (std::vector<std::string>{"eth9", "lo"})) << r.out;
    EXPECT_TRUE(contains(r.out, "inet " + address_)) << "global address kept: " << r.out;
    EXPECT_FALSE(contains(r.out, "169.254.77.7")) << "link-scope address moved: " << r.out;
    // IFF_UP (0x1) set: the spec brings it up inside.
    std::string flags = splitLines(trim(r.out)).back();
    EXPECT_TRUE(std::stoul(flags, nullptr, 16) & 1) << flags;
    // Gone from the host; the container's namespace is gone too, and with
    // it the virtual device (and so its peer): the kernel destroys a veth,
    // in its netns cleanup work, a moment after the last process left.
    EXPECT_FALSE(ip({"link", "show", host_}).ok());
    EXPECT_TRUE(waitUntil([&] {
        return !run({"ip", "-n", netns_, "link", "show", peer_}).ok();
    })) << "the peer outlived the container's network namespace";
}

TEST_F(NetDevices, MovesIntoANetworkNamespaceJoinedByPathAndStaysThere) {
    json cfg = config({"sh", "-c", kLookInside});
    for (auto& ns : cfg["linux"]["namespaces"])
        if (ns["type"] == "network") ns["path"] = "/run/netns/" + netns_;
    Result r = runProbe(withNetDevices(cfg, {{host_, {{"name", "eth9"}}}}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, peer_)) << "inside the joined namespace: " << r.out;
    EXPECT_TRUE(contains(r.out, "inet " + address_)) << r.out;
    // The namespace outlives the container, and the device stays in it.
    r = run({"ip", "-n", netns_, "-o", "addr", "show", "dev", "eth9"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, address_)) << r.out;
}

TEST_F(NetDevices, KeepsItsNameWithoutOne) {
    Result r = runProbe(withNetDevices(config({"sh", "-c", "ip -o addr show dev " + host_}),
                                       {{host_, json::object()}}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "inet " + address_)) << r.out;
}

TEST_F(NetDevices, TemplateNameLetsTheKernelNumberIt) {
    Result r = runProbe(withNetDevices(config({"sh", "-c", "ip -o addr show dev net0"}),
                                       {{host_, {{"name", "net%d"}}}}));
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "inet " + address_)) << r.out;
}

TEST_F(NetDevices, FailureAfterAMovePutsTheMovedDeviceBack) {
    // A bridge cannot leave its namespace (NETIF_F_NETNS_LOCAL): the kernel
    // refuses the second move, after the veth (first by name) went in.
    const std::string bridge = "mrnd" + std::to_string(::getpid()) + "z";
    if (!ip({"link", "add", bridge, "type", "bridge"}).ok()) GTEST_SKIP() << "no bridge module";
    Result r = runProbe(
        withNetDevices(config({"true"}), {{host_, {{"name", "eth9"}}}, {bridge, json::object()}}));
    ip({"link", "del", bridge});
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "/linux/netDevices/" + bridge + ": moving network device"))
        << r.err;
    expectUntouched();  // back under its name, with its address, up
}

TEST_F(NetDevices, MissingDeviceIsRefused) {
    const std::string missing = "mrnd" + std::to_string(::getpid()) + "x";
    Result r = runProbe(
        withNetDevices(config({"true"}), {{host_, {{"name", "eth9"}}}, {missing, json::object()}}));
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "/linux/netDevices/" + missing)) << r.err;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r.err;
    expectUntouched();  // checked before the other one moved
}

TEST_F(NetDevices, NameTakenInsideIsRefusedAndTheDeviceStays) {
    Result r = runProbe(withNetDevices(config({"true"}), {{host_, {{"name", "lo"}}}}));
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "/linux/netDevices/" + host_ + "/name")) << r.err;
    EXPECT_TRUE(contains(r.err, "already exists")) << r.err;
    expectUntouched();
}

TEST_F(NetDevices, RefusedWithoutANetworkNamespace) {
    json cfg = config({"true"});
    auto& namespaces = cfg["linux"]["namespaces"];
    for (auto it = namespaces.begin(); it != namespaces.end(); ++it)
        if ((*it)["type"] == "network") {
            namespaces.erase(it);
            break;
        }
    Result r = runProbe(withNetDevices(cfg, {{host_, {{"name", "eth9"}}}}));
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "/linux/netDevices")) << r.err;
    EXPECT_TRUE(contains(r.err, "network namespace")) << r.err;
    expectUntouched();
}

}  // namespace
}  // namespace minirunc::test
