#include <gtest/gtest.h>

#include <limits>

#include "minirunc/error.hpp"
#include "minirunc/spec.hpp"
#include "spec_example.hpp"

namespace minirunc::spec {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

// The message parse() throws for `doc`, or "" when it parses.
std::string parse_error(const json& doc) {
    try {
        parse(doc);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

std::string parse_text_error(const std::string& text) {
    try {
        parse_text(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// {"ociVersion":"1.0.0"} with `value` placed at `pointer`.
json with(const std::string& pointer, const json& value) {
    json doc = {{"ociVersion", "1.0.0"}};
    doc[json::json_pointer(pointer)] = value;
    return doc;
}

TEST(SpecParse, ReadsTopLevelMembers) {
    const Spec s = parse(testing::full_example_config());
    EXPECT_EQ(s.oci_version, "1.3.0");
    ASSERT_TRUE(s.root);
    EXPECT_EQ(s.root->path, "/bundle/rootfs");
    EXPECT_TRUE(s.root->readonly);
    EXPECT_EQ(s.hostname, "box");
    EXPECT_EQ(s.domainname, "example.org");
    EXPECT_EQ(s.annotations,
              (std::map<std::string, std::string>{{"org.example/key", "value"}, {"other", ""}}));
}

TEST(SpecParse, ReadsProcess) {
    const Spec s = parse(testing::full_example_config());
    ASSERT_TRUE(s.process);
    const Process& p = *s.process;
    EXPECT_TRUE(p.terminal);
    ASSERT_TRUE(p.console_size);
    EXPECT_EQ(p.console_size->height, 25u);
    EXPECT_EQ(p.console_size->width, 80u);
    EXPECT_EQ(p.user.uid, 1000u);
    EXPECT_EQ(p.user.gid, 1001u);
    EXPECT_EQ(p.user.umask, 18u);
    EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{5, 4294967295u}));
    EXPECT_EQ(p.user.username, "alice");
    EXPECT_EQ(p.args, (Strings{"/bin/sh", "-c", "echo hi"}));
    EXPECT_EQ(p.command_line, "cmd.exe /c echo");
    EXPECT_EQ(p.env, (Strings{"PATH=/bin", "TERM=xterm"}));
    EXPECT_EQ(p.cwd, "/work");
    ASSERT_TRUE(p.capabilities);
    EXPECT_EQ(p.capabilities->bounding, (Strings{"CAP_KILL", "CAP_NET_RAW"}));
    EXPECT_EQ(p.capabilities->effective, (Strings{"CAP_KILL"}));
    EXPECT_EQ(p.capabilities->inheritable, Strings{});
    EXPECT_EQ(p.capabilities->permitted, (Strings{"CAP_KILL", "CAP_CHOWN"}));
    EXPECT_EQ(p.capabilities->ambient, (Strings{"CAP_NET_BIND_SERVICE"}));
    ASSERT_EQ(p.rlimits.size(), 2u);
    EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
    EXPECT_EQ(p.rlimits[0].hard, std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(p.rlimits[0].soft, 1024u);
    EXPECT_EQ(p.rlimits[1].type, "RLIMIT_CORE");
    EXPECT_TRUE(p.no_new_privileges);
    EXPECT_EQ(p.apparmor_profile, "docker-default");
    EXPECT_EQ(p.oom_score_adj, -999);
    ASSERT_TRUE(p.scheduler);
    EXPECT_EQ(p.scheduler->policy, "SCHED_DEADLINE");
    EXPECT_EQ(p.scheduler->nice, -5);
    EXPECT_EQ(p.scheduler->priority, 3);
    EXPECT_EQ(p.scheduler->flags, (Strings{"SCHED_FLAG_RESET_ON_FORK"}));
    EXPECT_EQ(p.scheduler->runtime, 10u);
    EXPECT_EQ(p.scheduler->deadline, 20u);
    EXPECT_EQ(p.scheduler->period, 30u);
    EXPECT_EQ(p.selinux_label, "system_u:system_r:container_t:s0");
    ASSERT_TRUE(p.io_priority);
    EXPECT_EQ(p.io_priority->io_class, "IOPRIO_CLASS_BE");
    EXPECT_EQ(p.io_priority->priority, 4);
    ASSERT_TRUE(p.exec_cpu_affinity);
    EXPECT_EQ(p.exec_cpu_affinity->initial, "0-1");
    EXPECT_EQ(p.exec_cpu_affinity->final_cpus, "2,3");
}

TEST(SpecParse, ReadsMountsWithIdMappings) {
    const Spec s = parse(testing::full_example_config());
    ASSERT_EQ(s.mounts.size(), 2u);
    EXPECT_EQ(s.mounts[0].destination, "/proc");
    EXPECT_EQ(s.mounts[0].type, "proc");
    EXPECT_EQ(s.mounts[0].source, "proc");
    EXPECT_TRUE(s.mounts[0].options.empty());
    const Mount& m = s.mounts[1];
    EXPECT_EQ(m.options, (Strings{"rbind", "ro"}));
    ASSERT_EQ(m.uid_mappings.size(), 1u);
    EXPECT_EQ(m.uid_mappings[0].container_id, 0u);
    EXPECT_EQ(m.uid_mappings[0].host_id, 100000u);
    EXPECT_EQ(m.uid_mappings[0].size, 65536u);
    ASSERT_EQ(m.gid_mappings.size(), 1u);
    EXPECT_EQ(m.gid_mappings[0].host_id, 200000u);
}

TEST(SpecParse, ReadsAllHookKinds) {
    const Spec s = parse(testing::full_example_config());
    ASSERT_TRUE(s.hooks);
    const Hooks& h = *s.hooks;
    ASSERT_EQ(h.prestart.size(), 1u);
    EXPECT_EQ(h.prestart[0].path, "/usr/bin/prestart");
    EXPECT_EQ(h.prestart[0].args, (Strings{"prestart", "-v"}));
    EXPECT_EQ(h.prestart[0].env, (Strings{"A=1"}));
    EXPECT_EQ(h.prestart[0].timeout, 5);
    ASSERT_EQ(h.create_runtime.size(), 1u);
    EXPECT_EQ(h.create_runtime[0].path, "/hooks/create-runtime");
    EXPECT_FALSE(h.create_runtime[0].timeout);
    ASSERT_EQ(h.create_container.size(), 1u);
    EXPECT_EQ(h.create_container[0].path, "/hooks/create-container");
    ASSERT_EQ(h.start_container.size(), 1u);
    EXPECT_EQ(h.start_container[0].path, "/hooks/start-container");
    ASSERT_EQ(h.poststart.size(), 1u);
    EXPECT_EQ(h.poststart[0].path, "/hooks/poststart");
    ASSERT_EQ(h.poststop.size(), 1u);
    EXPECT_EQ(h.poststop[0].timeout, 1);
}

TEST(SpecParse, ReadsLinuxIdentityAndNamespaces) {
    const Spec s = parse(testing::full_example_config());
    ASSERT_TRUE(s.linux);
    const Linux& l = *s.linux;
    ASSERT_EQ(l.uid_mappings.size(), 1u);
    EXPECT_EQ(l.uid_mappings[0].host_id, 1000u);
    ASSERT_EQ(l.gid_mappings.size(), 1u);
    EXPECT_EQ(l.gid_mappings[0].container_id, 1u);
    EXPECT_EQ(l.gid_mappings[0].host_id, 2000u);
    EXPECT_EQ(l.gid_mappings[0].size, 2u);
    ASSERT_EQ(l.time_offsets.size(), 2u);
    EXPECT_EQ(l.time_offsets.at("monotonic").secs, -86400);
    EXPECT_EQ(l.time_offsets.at("monotonic").nanosecs, 5u);
    EXPECT_EQ(l.time_offsets.at("boottime").secs, 3600);
    EXPECT_EQ(l.time_offsets.at("boottime").nanosecs, 0u);
    EXPECT_EQ(l.sysctl, (std::map<std::string, std::string>{{"net.ipv4.ip_forward", "1"},
                                                            {"kernel.shmmax", "1024"}}));
    EXPECT_EQ(l.cgroups_path, "/myRuntime/myContainer");
    ASSERT_EQ(l.namespaces.size(), 8u);
    EXPECT_EQ(l.namespaces[0].type, "pid");
    EXPECT_EQ(l.namespaces[0].path, "");
    EXPECT_EQ(l.namespaces[1].type, "network");
    EXPECT_EQ(l.namespaces[1].path, "/var/run/netns/n1");
    EXPECT_EQ(l.namespaces[7].type, "time");
    EXPECT_EQ(l.rootfs_propagation, "rslave");
    EXPECT_EQ(l.masked_paths, (Strings{"/proc/kcore", "/sys/firmware"}));
    EXPECT_EQ(l.readonly_paths, (Strings{"/proc/sys"}));
    EXPECT_EQ(l.mount_label, "system_u:object_r:container_file_t:s0");
}

TEST(SpecParse, ReadsLinuxDevices) {
    const Linux l = *parse(testing::full_example_config()).linux;
    ASSERT_EQ(l.devices.size(), 2u);
    const Device& d = l.devices[0];
    EXPECT_EQ(d.type, "c");
    EXPECT_EQ(d.path, "/dev/fuse");
    EXPECT_EQ(d.major, 10);
    EXPECT_EQ(d.minor, 229);
    EXPECT_EQ(d.file_mode, 0666u);
    EXPECT_EQ(d.uid, 0u);
    EXPECT_EQ(d.gid, 0u);
    EXPECT_EQ(l.devices[1].type, "p");
    EXPECT_FALSE(l.devices[1].file_mode);
}

TEST(SpecParse, ReadsSeccomp) {
    const Linux l = *parse(testing::full_example_config()).linux;
    ASSERT_TRUE(l.seccomp);
    const Seccomp& sc = *l.seccomp;
    EXPECT_EQ(sc.default_action, "SCMP_ACT_ERRNO");
    EXPECT_EQ(sc.default_errno_ret, 1u);
    EXPECT_EQ(sc.architectures, (Strings{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}));
    EXPECT_EQ(sc.flags, (Strings{"SECCOMP_FILTER_FLAG_LOG"}));
    EXPECT_EQ(sc.listener_path, "/run/seccomp-agent.sock");
    EXPECT_EQ(sc.listener_metadata, "meta");
    ASSERT_EQ(sc.syscalls.size(), 2u);
    EXPECT_EQ(sc.syscalls[0].names, (Strings{"read", "write"}));
    EXPECT_EQ(sc.syscalls[0].action, "SCMP_ACT_ALLOW");
    EXPECT_FALSE(sc.syscalls[0].errno_ret);
    const SeccompSyscall& p = sc.syscalls[1];
    EXPECT_EQ(p.errno_ret, 38u);
    ASSERT_EQ(p.args.size(), 2u);
    EXPECT_EQ(p.args[0].index, 0u);
    EXPECT_EQ(p.args[0].value, 8u);
    EXPECT_EQ(p.args[0].value_two, 0u);
    EXPECT_EQ(p.args[0].op, "SCMP_CMP_EQ");
    EXPECT_EQ(p.args[1].index, 1u);
    EXPECT_EQ(p.args[1].value_two, 2u);
    EXPECT_EQ(p.args[1].op, "SCMP_CMP_MASKED_EQ");
}

TEST(SpecParse, ReadsLinuxExtras) {
    const Linux l = *parse(testing::full_example_config()).linux;
    ASSERT_TRUE(l.intel_rdt);
    EXPECT_EQ(l.intel_rdt->clos_id, "guaranteed");
    EXPECT_EQ(l.intel_rdt->l3_cache_schema, "L3:0=7f0");
    EXPECT_EQ(l.intel_rdt->mem_bw_schema, "MB:0=20");
    EXPECT_EQ(l.intel_rdt->schemata, (Strings{"L2:0=ff"}));
    EXPECT_EQ(l.intel_rdt->enable_cmt, true);
    EXPECT_EQ(l.intel_rdt->enable_mbm, false);
    ASSERT_TRUE(l.personality);
    EXPECT_EQ(l.personality->domain, "LINUX32");
    EXPECT_EQ(l.personality->flags, (Strings{"ADDR_NO_RANDOMIZE"}));
    ASSERT_TRUE(l.memory_policy);
    EXPECT_EQ(l.memory_policy->mode, "MPOL_INTERLEAVE");
    EXPECT_EQ(l.memory_policy->nodes, "0-1");
    EXPECT_EQ(l.memory_policy->flags, (Strings{"MPOL_F_STATIC_NODES"}));
    ASSERT_EQ(l.net_devices.size(), 2u);
    EXPECT_EQ(l.net_devices.at("eth1").name, "ctr1");
    EXPECT_EQ(l.net_devices.at("eth2").name, "");
}

TEST(SpecParse, ReadsResourceDevicesMemoryCpuPids) {
    const Resources r = *parse(testing::full_example_config()).linux->resources;
    ASSERT_EQ(r.devices.size(), 2u);
    EXPECT_FALSE(r.devices[0].allow);
    EXPECT_EQ(r.devices[0].type, "");
    EXPECT_FALSE(r.devices[0].major);
    EXPECT_EQ(r.devices[0].access, "rwm");
    EXPECT_TRUE(r.devices[1].allow);
    EXPECT_EQ(r.devices[1].type, "c");
    EXPECT_EQ(r.devices[1].major, 1);
    EXPECT_EQ(r.devices[1].minor, -1);
    ASSERT_TRUE(r.memory);
    EXPECT_EQ(r.memory->limit, -1);
    EXPECT_EQ(r.memory->reservation, 1048576);
    EXPECT_EQ(r.memory->swap, 2097152);
    EXPECT_EQ(r.memory->kernel, 0);
    EXPECT_EQ(r.memory->kernel_tcp, 4096);
    EXPECT_EQ(r.memory->swappiness, 60u);
    EXPECT_EQ(r.memory->disable_oom_killer, true);
    EXPECT_EQ(r.memory->use_hierarchy, false);
    EXPECT_EQ(r.memory->check_before_update, true);
    ASSERT_TRUE(r.cpu);
    EXPECT_EQ(r.cpu->shares, 1024u);
    EXPECT_EQ(r.cpu->quota, -1);
    EXPECT_EQ(r.cpu->burst, 1000u);
    EXPECT_EQ(r.cpu->period, 100000u);
    EXPECT_EQ(r.cpu->realtime_runtime, 950000);
    EXPECT_EQ(r.cpu->realtime_period, 1000000u);
    EXPECT_EQ(r.cpu->cpus, "0-3");
    EXPECT_EQ(r.cpu->mems, "0");
    EXPECT_EQ(r.cpu->idle, 1);
    ASSERT_TRUE(r.pids);
    EXPECT_EQ(r.pids->limit, 64);
}

TEST(SpecParse, ReadsResourceBlockIoHugepagesNetworkRdmaUnified) {
    const Resources r = *parse(testing::full_example_config()).linux->resources;
    ASSERT_TRUE(r.block_io);
    const BlockIoResources& b = *r.block_io;
    EXPECT_EQ(b.weight, 500);
    EXPECT_EQ(b.leaf_weight, 300);
    ASSERT_EQ(b.weight_device.size(), 2u);
    EXPECT_EQ(b.weight_device[0].major, 8);
    EXPECT_EQ(b.weight_device[0].minor, 0);
    EXPECT_EQ(b.weight_device[0].weight, 600);
    EXPECT_EQ(b.weight_device[0].leaf_weight, 200);
    EXPECT_FALSE(b.weight_device[1].weight);
    ASSERT_EQ(b.throttle_read_bps_device.size(), 1u);
    EXPECT_EQ(b.throttle_read_bps_device[0].rate, 1000u);
    ASSERT_EQ(b.throttle_write_bps_device.size(), 1u);
    EXPECT_EQ(b.throttle_write_bps_device[0].minor, 1);
    EXPECT_EQ(b.throttle_write_bps_device[0].rate, 2000u);
    ASSERT_EQ(b.throttle_read_iops_device.size(), 1u);
    EXPECT_EQ(b.throttle_read_iops_device[0].rate, 3000u);
    ASSERT_EQ(b.throttle_write_iops_device.size(), 1u);
    EXPECT_EQ(b.throttle_write_iops_device[0].rate, 4000u);
    ASSERT_EQ(r.hugepage_limits.size(), 1u);
    EXPECT_EQ(r.hugepage_limits[0].page_size, "2MB");
    EXPECT_EQ(r.hugepage_limits[0].limit, 209715200u);
    ASSERT_TRUE(r.network);
    EXPECT_EQ(r.network->class_id, 1048577u);
    ASSERT_EQ(r.network->priorities.size(), 1u);
    EXPECT_EQ(r.network->priorities[0].name, "eth0");
    EXPECT_EQ(r.network->priorities[0].priority, 500u);
    ASSERT_EQ(r.rdma.size(), 2u);
    EXPECT_EQ(r.rdma.at("mlx5_1").hca_handles, 3u);
    EXPECT_EQ(r.rdma.at("mlx5_1").hca_objects, 10000u);
    EXPECT_FALSE(r.rdma.at("mlx4_0").hca_handles);
    EXPECT_EQ(r.unified,
              (std::map<std::string, std::string>{{"memory.high", "max"}, {"io.weight", "100"}}));
}

TEST(SpecParse, MinimalDocumentLeavesEverythingAbsent) {
    const Spec s = parse(json{{"ociVersion", "1.0.0"}});
    EXPECT_EQ(s.oci_version, "1.0.0");
    EXPECT_FALSE(s.process);
    EXPECT_FALSE(s.root);
    EXPECT_TRUE(s.mounts.empty());
    EXPECT_FALSE(s.hooks);
    EXPECT_FALSE(s.linux);
}

TEST(SpecParse, NullMembersAreAbsent) {
    const json doc = {{"ociVersion", "1.0.0"},
                      {"process", {{"args", nullptr}, {"oomScoreAdj", nullptr}, {"cwd", "/"}}},
                      {"root", nullptr},
                      {"mounts", nullptr},
                      {"linux", {{"resources", nullptr}, {"namespaces", nullptr}}}};
    const Spec s = parse(doc);
    ASSERT_TRUE(s.process);
    EXPECT_TRUE(s.process->args.empty());
    EXPECT_FALSE(s.process->oom_score_adj);
    EXPECT_FALSE(s.root);
    ASSERT_TRUE(s.linux);
    EXPECT_FALSE(s.linux->resources);
}

TEST(SpecParse, UnknownMembersAreIgnored) {
    const json doc = {{"ociVersion", "1.0.0"},
                      {"windows", {{"layerFolders", {"x"}}}},
                      {"process", {{"cwd", "/"}, {"futureField", 42}}}};
    EXPECT_EQ(parse(doc).process->cwd, "/");
}

TEST(SpecParse, AcceptsIntegerLimitsOfEachType) {
    json doc = with("/process/user/uid", 4294967295u);
    doc["process"]["oomScoreAdj"] = -2147483648LL;
    doc["linux"]["resources"]["memory"]["limit"] = std::numeric_limits<int64_t>::min();
    doc["linux"]["resources"]["blockIO"]["weight"] = 65535;
    const Spec s = parse(doc);
    EXPECT_EQ(s.process->user.uid, 4294967295u);
    EXPECT_EQ(s.process->oom_score_adj, std::numeric_limits<int32_t>::min());
    EXPECT_EQ(s.linux->resources->memory->limit, std::numeric_limits<int64_t>::min());
    EXPECT_EQ(s.linux->resources->block_io->weight, 65535);
}

TEST(SpecParse, RejectsNonObjectDocument) {
    EXPECT_EQ(parse_error(json::array()), "config.json: must be a JSON object");
    EXPECT_EQ(parse_text_error("[1, 2]"), "config.json: must be a JSON object");
    EXPECT_EQ(parse_text_error("\"text\""), "config.json: must be a JSON object");
}

TEST(SpecParse, RejectsMalformedJsonWithDetail) {
    const std::string msg = parse_text_error("{\"ociVersion\": ");
    EXPECT_EQ(msg.rfind("config.json: invalid JSON: parse error at line 1", 0), 0u) << msg;
    EXPECT_EQ(msg.find("[json.exception"), std::string::npos) << msg;
    EXPECT_EQ(parse_text_error("").rfind("config.json: invalid JSON: ", 0), 0u);
}

TEST(SpecParse, ParseTextReadsAWholeDocument) {
    const Spec s = parse_text(R"({"ociVersion": "1.2.0", "hostname": "h"})");
    EXPECT_EQ(s.hostname, "h");
}

TEST(SpecParse, RejectsUidOutOfRange) {
    EXPECT_EQ(parse_error(with("/process/user/uid", -1)),
              "config.json: /process/user/uid: must be an unsigned 32-bit integer");
    EXPECT_EQ(parse_error(with("/process/user/uid", 4294967296LL)),
              "config.json: /process/user/uid: must be an unsigned 32-bit integer");
}

TEST(SpecParse, RejectsFractionalAndStringNumbers) {
    EXPECT_EQ(parse_error(with("/process/user/gid", 1.5)),
              "config.json: /process/user/gid: must be an unsigned 32-bit integer");
    EXPECT_EQ(parse_error(with("/process/user/gid", 1.0)),
              "config.json: /process/user/gid: must be an unsigned 32-bit integer");
    EXPECT_EQ(parse_error(with("/process/user/gid", "0")),
              "config.json: /process/user/gid: must be an unsigned 32-bit integer");
    EXPECT_EQ(parse_text_error(R"({"process":{"user":{"uid":1e3}}})"),
              "config.json: /process/user/uid: must be an unsigned 32-bit integer");
}

TEST(SpecParse, RejectsOutOfRangeForEachIntegerWidth) {
    EXPECT_EQ(parse_error(with("/process/oomScoreAdj", 2147483648LL)),
              "config.json: /process/oomScoreAdj: must be a signed 32-bit integer");
    EXPECT_EQ(parse_error(with("/linux/resources/blockIO/weight", 65536)),
              "config.json: /linux/resources/blockIO/weight: must be an unsigned 16-bit integer");
    EXPECT_EQ(parse_error(with("/linux/resources/memory/limit", 9223372036854775808ULL)),
              "config.json: /linux/resources/memory/limit: must be a signed 64-bit integer");
    EXPECT_EQ(parse_error(with("/linux/resources/memory/swappiness", -1)),
              "config.json: /linux/resources/memory/swappiness: must be an unsigned 64-bit "
              "integer");
    EXPECT_EQ(parse_text_error(R"({"process":{"rlimits":[{"hard":18446744073709551616}]}})"),
              "config.json: /process/rlimits/0/hard: must be an unsigned 64-bit integer");
}

TEST(SpecParse, RejectsWrongScalarTypes) {
    EXPECT_EQ(parse_error(json{{"ociVersion", 1}}), "config.json: /ociVersion: must be a string");
    EXPECT_EQ(parse_error(with("/process/terminal", "yes")),
              "config.json: /process/terminal: must be a boolean");
    EXPECT_EQ(parse_error(with("/root/readonly", 1)),
              "config.json: /root/readonly: must be a boolean");
    EXPECT_EQ(parse_error(with("/linux/resources/memory/disableOOMKiller", "true")),
              "config.json: /linux/resources/memory/disableOOMKiller: must be a boolean");
    EXPECT_EQ(parse_error(with("/hostname", json::array())),
              "config.json: /hostname: must be a string");
}

TEST(SpecParse, RejectsBadStringLists) {
    EXPECT_EQ(parse_error(with("/process/args", "sh")),
              "config.json: /process/args: must be an array of strings");
    EXPECT_EQ(parse_error(with("/process/env", json{{"A", "1"}})),
              "config.json: /process/env: must be an array of strings");
    json doc = with("/mounts", json::array({{{"destination", "/a"}},
                                            {{"destination", "/b"}},
                                            {{"destination", "/c"}, {"options", {"ro", 5}}}}));
    EXPECT_EQ(parse_error(doc), "config.json: /mounts/2/options/1: must be a string");
    EXPECT_EQ(parse_error(with("/process/capabilities/bounding", {"CAP_KILL", nullptr})),
              "config.json: /process/capabilities/bounding/1: must be a string");
}

TEST(SpecParse, RejectsBadIntegerLists) {
    EXPECT_EQ(parse_error(with("/process/user/additionalGids", 5)),
              "config.json: /process/user/additionalGids: must be an array");
    EXPECT_EQ(parse_error(with("/process/user/additionalGids", {1, -2})),
              "config.json: /process/user/additionalGids/1: must be an unsigned 32-bit integer");
}

TEST(SpecParse, RejectsNonObjectSections) {
    EXPECT_EQ(parse_error(with("/process", "x")), "config.json: /process: must be an object");
    EXPECT_EQ(parse_error(with("/root", json::array())), "config.json: /root: must be an object");
    EXPECT_EQ(parse_error(with("/linux", 1)), "config.json: /linux: must be an object");
    EXPECT_EQ(parse_error(with("/hooks/poststop", json::array({"x"}))),
              "config.json: /hooks/poststop/0: must be an object");
    EXPECT_EQ(parse_error(with("/linux/resources/cpu", true)),
              "config.json: /linux/resources/cpu: must be an object");
}

TEST(SpecParse, RejectsNonArrayLists) {
    EXPECT_EQ(parse_error(with("/mounts", json::object())),
              "config.json: /mounts: must be an array");
    EXPECT_EQ(parse_error(with("/linux/namespaces", "pid")),
              "config.json: /linux/namespaces: must be an array");
    EXPECT_EQ(parse_error(with("/linux/seccomp/syscalls/0/args", 1)),
              "config.json: /linux/seccomp/syscalls/0/args: must be an array");
}

TEST(SpecParse, RejectsBadStringMaps) {
    EXPECT_EQ(parse_error(with("/annotations", json::array())),
              "config.json: /annotations: must be an object of strings");
    EXPECT_EQ(parse_error(with("/linux/sysctl", json{{"net.ipv4.ip_forward", 1}})),
              "config.json: /linux/sysctl/net.ipv4.ip_forward: must be a string");
}

TEST(SpecParse, EscapesMapKeysInPointers) {
    EXPECT_EQ(parse_error(with("/annotations", json{{"a/b~c", 1}})),
              "config.json: /annotations/a~1b~0c: must be a string");
    EXPECT_EQ(parse_error(with("/linux/resources/rdma", json{{"mlx/5", {{"hcaHandles", -1}}}})),
              "config.json: /linux/resources/rdma/mlx~15/hcaHandles: must be an unsigned 32-bit "
              "integer");
}

TEST(SpecParse, ReportsDeepPointers) {
    EXPECT_EQ(parse_error(with("/linux/seccomp/syscalls/0/args/0/index", -1)),
              "config.json: /linux/seccomp/syscalls/0/args/0/index: must be an unsigned 32-bit "
              "integer");
    EXPECT_EQ(parse_error(with("/linux/timeOffsets/boottime/nanosecs", -1)),
              "config.json: /linux/timeOffsets/boottime/nanosecs: must be an unsigned 32-bit "
              "integer");
    EXPECT_EQ(parse_error(with("/linux/netDevices/eth0/name", 0)),
              "config.json: /linux/netDevices/eth0/name: must be a string");
    EXPECT_EQ(parse_error(with("/mounts/0/uidMappings/0/size", "1")),
              "config.json: /mounts/0/uidMappings/0/size: must be an unsigned 32-bit integer");
}

TEST(SpecParse, ParseProcessReadsAStandaloneProcess) {
    const json doc = {{"args", {"ls"}}, {"cwd", "/tmp"}, {"user", {{"uid", 7}}}};
    const Process p = parse_process(doc);
    EXPECT_EQ(p.args, (Strings{"ls"}));
    EXPECT_EQ(p.cwd, "/tmp");
    EXPECT_EQ(p.user.uid, 7u);
}

TEST(SpecParse, ParseProcessErrorsUseTheGivenPointer) {
    try {
        parse_process(json{{"args", 1}}, "");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "config.json: /args: must be an array of strings");
    }
    try {
        parse_process(json::array());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "config.json: /process: must be an object");
    }
}

TEST(SpecParse, ParseResourcesReadsAnUpdateDocument) {
    const json doc = {{"memory", {{"limit", 1024}}}, {"pids", {{"limit", -1}}}};
    const Resources r = parse_resources(doc, "");
    EXPECT_EQ(r.memory->limit, 1024);
    EXPECT_EQ(r.pids->limit, -1);
    try {
        parse_resources(json{{"cpu", {{"shares", -1}}}}, "/linux/resources");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(
            e.what(),
            "config.json: /linux/resources/cpu/shares: must be an unsigned 64-bit integer");
    }
}

}  // namespace
}  // namespace minirunc::spec
