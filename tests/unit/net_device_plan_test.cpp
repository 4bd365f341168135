#include "minirunc/net_device_plan.hpp"

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <nlohmann/json.hpp>

#include "error_text.hpp"
#include "minirunc/spec.hpp"

namespace minirunc {
namespace {

using nlohmann::json;
using test::error_of;

spec::Spec config_with(const json& net_devices, bool network_namespace = true) {
    json doc = {{"ociVersion", "1.3.0"},
                {"process", {{"args", {"sh"}}, {"cwd", "/"}}},
                {"root", {{"path", "rootfs"}}},
                {"linux", {{"namespaces", {{{"type", "mount"}}}}}}};
    if (network_namespace) doc["linux"]["namespaces"].push_back({{"type", "network"}});
    doc["linux"]["netDevices"] = net_devices;
    return spec::parse(doc);
}

TEST(NetDevicePlan, NoDevicesNoMoves) {
    spec::Spec spec = config_with(json::object());
    EXPECT_TRUE(plan_net_device_moves(spec, false).empty());
    // Not even rootless or a missing netns matters then.
    EXPECT_TRUE(plan_net_device_moves(config_with(json::object(), false), true).empty());
}

TEST(NetDevicePlan, KeepsTheHostNameUnlessRenamed) {
    auto moves = plan_net_device_moves(
        config_with({{"veth0", {{"name", "eth9"}}}, {"eth1", json::object()}}), false);
    ASSERT_EQ(moves.size(), 2u);
    EXPECT_EQ(moves[0].host_name, "eth1");
    EXPECT_EQ(moves[0].name, "eth1");
    EXPECT_EQ(moves[0].field, "/linux/netDevices/eth1");
    EXPECT_EQ(moves[0].name_field, "/linux/netDevices/eth1");
    EXPECT_EQ(moves[1].host_name, "veth0");
    EXPECT_EQ(moves[1].name, "eth9");
    EXPECT_EQ(moves[1].name_field, "/linux/netDevices/veth0/name");
    EXPECT_FALSE(moves[1].name_is_template());
}

TEST(NetDevicePlan, RefusedWithoutNetworkNamespace) {
    EXPECT_EQ(error_of([] {
                  plan_net_device_moves(config_with({{"eth1", json::object()}}, false), false);
              }),
              "config.json: /linux/netDevices: requires a network namespace");
}

TEST(NetDevicePlan, RefusedForRootless) {
    EXPECT_EQ(error_of([] {
                  plan_net_device_moves(config_with({{"eth1", json::object()}}), true);
              }),
              "config.json: /linux/netDevices: network devices are not supported for rootless "
              "containers (moving a host device needs CAP_NET_ADMIN in the host's network "
              "namespace)");
}

TEST(NetDevicePlan, RefusesTwoDevicesUnderOneName) {
    EXPECT_EQ(error_of([] {
                  plan_net_device_moves(
                      config_with({{"a", {{"name", "eth9"}}}, {"b", {{"name", "eth9"}}}}), false);
              }),
              "config.json: /linux/netDevices/b/name: the name \"eth9\" is also taken by "
              "/linux/netDevices/a/name inside the container");
    // A device keeping its name clashes with another renamed to it.
    EXPECT_EQ(error_of([] {
                  plan_net_device_moves(
                      config_with({{"a", json::object()}, {"b", {{"name", "a"}}}}), false);
              }),
              "config.json: /linux/netDevices/b/name: the name \"a\" is also taken by "
              "/linux/netDevices/a inside the container");
}

TEST(NetDevicePlan, TemplatesLeaveTheNameToTheKernel) {
    auto moves = plan_net_device_moves(
        config_with({{"a", {{"name", "net%d"}}}, {"b", {{"name", "net%d"}}}}), false);
    ASSERT_EQ(moves.size(), 2u);
    EXPECT_TRUE(moves[0].name_is_template());
    EXPECT_TRUE(moves[1].name_is_template());
}

TEST(NetDevicePlan, OnlyPermanentGlobalAddressesMove) {
    EXPECT_TRUE(address_moves_with_device(IFA_F_PERMANENT, RT_SCOPE_UNIVERSE));
    EXPECT_TRUE(address_moves_with_device(IFA_F_PERMANENT | IFA_F_NODAD, RT_SCOPE_UNIVERSE));
    EXPECT_FALSE(address_moves_with_device(IFA_F_PERMANENT, RT_SCOPE_LINK));  // fe80::/10
    EXPECT_FALSE(address_moves_with_device(IFA_F_PERMANENT, RT_SCOPE_HOST));  // 127.0.0.x
    EXPECT_FALSE(address_moves_with_device(0, RT_SCOPE_UNIVERSE));  // SLAAC, DHCP lifetimes
}

TEST(NetDevicePlan, RequestRoundTrips) {
    auto moves = plan_net_device_moves(config_with({{"a/b", {{"name", "eth9"}}}}), false);
    std::string netns;
    auto back = net_device_moves_from_request(net_device_request("/proc/1/ns/net", moves), netns);
    EXPECT_EQ(netns, "/proc/1/ns/net");
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].host_name, "a/b");
    EXPECT_EQ(back[0].name, "eth9");
    EXPECT_EQ(back[0].field, "/linux/netDevices/a~1b");
    EXPECT_EQ(back[0].name_field, "/linux/netDevices/a~1b/name");
    EXPECT_EQ(error_of([&] { net_device_moves_from_request(json::array(), netns); }),
              "malformed request: expected {\"netns\": ..., \"devices\": [...]}");
}

}  // namespace
}  // namespace minirunc
