#include "minirunc/criu_plan.hpp"

#include <sched.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using criu::ExtMount;

namespace {

cli::ParsedFlags command_flags(std::vector<std::string> args) {
    args.insert(args.begin(), "minirunc");
    args.push_back("ctr");
    return cli::parse(args).flags;
}

std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

spec::Spec config_with_mounts() {
    return spec::parse_text(R"({
        "ociVersion": "1.0.2",
        "root": {"path": "rootfs"},
        "process": {"args": ["sh"], "cwd": "/"},
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind"]},
            {"destination": "/etc/hosts", "type": "none", "source": "hosts", "options": ["bind", "ro"]}
        ],
        "linux": {
            "namespaces": [{"type": "mount"}, {"type": "network", "path": "/run/netns/x"},
                           {"type": "pid"}],
            "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229}],
            "maskedPaths": ["/proc/kcore", "/proc/acpi"]
        }
    })");
}

}  // namespace

TEST(CriuOptions, CheckpointDefaultsToCheckpointDirUnderCwd) {
    auto options = criu::checkpoint_options(command_flags({"checkpoint"}), "/work/b");
    EXPECT_EQ(options.image_path, "/work/b/checkpoint");
    EXPECT_EQ(options.work_path, "/work/b/checkpoint");
    EXPECT_FALSE(options.leave_running);
    EXPECT_FALSE(options.pre_dump);
    EXPECT_FALSE(options.cgroup_mode.has_value());
    EXPECT_EQ(options.empty_ns, 0u);
}

TEST(CriuOptions, CheckpointParsesEveryImplementedFlag) {
    auto options = criu::checkpoint_options(
        command_flags({"checkpoint", "--image-path", "img", "--work-path=/w", "--parent-path",
                       "../pre", "--leave-running", "--pre-dump", "--tcp-established",
                       "--ext-unix-sk", "--shell-job", "--file-locks", "--auto-dedup",
                       "--manage-cgroups-mode", "strict", "--empty-ns", "network"}),
        "/b");
    EXPECT_EQ(options.image_path, "/b/img");
    EXPECT_EQ(options.work_path, "/w");
    EXPECT_EQ(options.parent_path, "../pre");
    EXPECT_TRUE(options.leave_running);
    EXPECT_TRUE(options.pre_dump);
    EXPECT_TRUE(options.tcp_established);
    EXPECT_TRUE(options.ext_unix_sk);
    EXPECT_TRUE(options.shell_job);
    EXPECT_TRUE(options.file_locks);
    EXPECT_TRUE(options.auto_dedup);
    EXPECT_EQ(options.cgroup_mode, criu::CgroupMode::Strict);
    EXPECT_EQ(options.empty_ns, static_cast<uint32_t>(CLONE_NEWNET));
}

TEST(CriuOptions, ManageCgroupsModeOutsideTheChoicesIsRefused) {
    EXPECT_EQ(error_of([] {
                  criu::checkpoint_options(
                      command_flags({"checkpoint", "--manage-cgroups-mode", "props"}), "/");
              }),
              "invalid --manage-cgroups-mode value \"props\"");
}

TEST(CriuOptions, UnknownEmptyNamespaceIsRefused) {
    EXPECT_EQ(
        error_of([] {
            criu::checkpoint_options(command_flags({"checkpoint", "--empty-ns", "bogus"}), "/");
        }),
        "namespace \"bogus\" is not supported (--empty-ns)");
}

TEST(CriuOptions, FlagsNotBuiltYetAreRefusedByName) {
    for (auto args :
         std::vector<std::vector<std::string>>{{"checkpoint", "--page-server", "1.2.3.4:5"},
                                               {"checkpoint", "--lazy-pages"},
                                               {"checkpoint", "--status-fd", "3"}}) {
        std::string flag = args[1].substr(0, args[1].find('='));
        EXPECT_EQ(error_of([&] { criu::checkpoint_options(command_flags(args), "/"); }),
                  flag + " is not supported yet");
    }
    for (auto args :
         std::vector<std::vector<std::string>>{{"restore", "--console-socket", "/s"},
                                               {"restore", "--no-pivot"},
                                               {"restore", "--lsm-profile", "selinux:x"},
                                               {"restore", "--lsm-mount-context", "x"},
                                               {"restore", "--lazy-pages"}}) {
        EXPECT_EQ(error_of([&] { criu::restore_options(command_flags(args), "/"); }),
                  args[1] + " is not supported yet");
    }
}

TEST(CriuOptions, RestoreParsesBundleDetachAndPidFile) {
    auto line = cli::parse({"minirunc", "restore", "-b", "/bundle", "-d", "--pid-file", "p",
                            "--image-path", "/img", "--no-subreaper", "ctr"});
    EXPECT_EQ(line.flags.get("bundle"), "/bundle");
    EXPECT_TRUE(line.flags.flag("detach"));
    EXPECT_TRUE(line.flags.flag("no-subreaper"));
    EXPECT_EQ(line.flags.get("pid-file"), "p");
    auto options = criu::restore_options(line.flags, "/cwd");
    EXPECT_EQ(options.image_path, "/img");
    EXPECT_EQ(options.work_path, "/img");
}

TEST(CriuPlan, DumpNamesBindMountsDevicesAndMaskedFiles) {
    auto plan = criu::plan_dump(config_with_mounts(),
                                [](const std::string& p) { return p == "/proc/acpi"; }, {});
    EXPECT_EQ(plan.ext_mounts, (std::vector<ExtMount>{{"/data", "/data"},
                                                      {"/etc/hosts", "/etc/hosts"},
                                                      {"/dev/fuse", "/dev/fuse"},
                                                      {"/proc/kcore", "/dev/null"}}));
}

TEST(CriuPlan, RestoreMapsEachNameToItsHostSource) {
    auto plan = criu::plan_restore(config_with_mounts(), "/bundle", {});
    EXPECT_EQ(plan.ext_mounts, (std::vector<ExtMount>{{"/data", "/srv/data"},
                                                      {"/etc/hosts", "/bundle/hosts"},
                                                      {"/dev/fuse", "/dev/fuse"},
                                                      {"/dev/null", "/dev/null"}}));
}

TEST(CriuPlan, NamespacesJoinedByPathAreExternal) {
    auto plan = criu::plan_dump(config_with_mounts(), [](const std::string&) { return false; }, {});
    ASSERT_EQ(plan.external_namespaces.size(), 1u);
    EXPECT_EQ(plan.external_namespaces[0].path, "/run/netns/x");
    EXPECT_EQ(criu::external_namespace_entry(plan.external_namespaces[0], 4026532000),
              "net[4026532000]:extRootNetNS");
}

TEST(CriuPlan, OnlyPipesAreInherited) {
    auto fds = criu::plan_inherit_fds({"/dev/null", "pipe:[123]", "pipe:[456]"});
    EXPECT_EQ(fds, (std::vector<criu::InheritFd>{{"pipe:[123]", 1}, {"pipe:[456]", 2}}));
}

TEST(CriuPlan, TerminalContainersAreNotRestorableYet) {
    auto spec = config_with_mounts();
    spec.process->terminal = true;
    EXPECT_EQ(error_of([&] { criu::check_restorable(spec); }),
              "config.json: /process/terminal: restoring a container with a terminal is not "
              "supported yet");
}

TEST(CriuPlan, CgroupMountWithoutCgroupNamespaceIsTheContainersCgroupBoundIn) {
    auto spec = config_with_mounts();
    spec.mounts.push_back({"/sys/fs/cgroup", "cgroup", "cgroup", {"ro"}, {}, {}});
    std::vector<CgroupMountSource> v2 = {{"", "/sys/fs/cgroup/test/new", true, ""}};
    auto no_dir = [](const std::string&) { return false; };
    EXPECT_EQ(criu::plan_dump(spec, no_dir, v2).ext_mounts[2],
              (ExtMount{"/sys/fs/cgroup", "/sys/fs/cgroup"}));
    EXPECT_EQ(criu::plan_restore(spec, "/b", v2).ext_mounts[2],
              (ExtMount{"/sys/fs/cgroup", "/sys/fs/cgroup/test/new"}));
    std::vector<CgroupMountSource> v1 = {
        {"memory", "/sys/fs/cgroup/memory/t", false, "memory"},
        {"cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/t", false, ""}};
    auto restore = criu::plan_restore(spec, "/b", v1).ext_mounts;
    EXPECT_EQ(restore[2], (ExtMount{"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/t"}));
    EXPECT_EQ(restore[3], (ExtMount{"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/t"}));
    // In a cgroup namespace it is a real cgroup mount, which CRIU dumps itself.
    spec.linux->namespaces.push_back({"cgroup", ""});
    EXPECT_EQ(criu::plan_dump(spec, no_dir, v2).ext_mounts.size(), 5u);  // no cgroup entry
}

TEST(CriuPlan, CgroupRootsAreTheDirsRelativeToTheirHierarchy) {
    EXPECT_EQ(criu::cgroup_roots({"/sys/fs/cgroup/minirunc/ctr"}, "/sys/fs/cgroup/minirunc/ctr"),
              (std::vector<criu::CgroupRoot>{{"", "/minirunc/ctr"}}));
    EXPECT_EQ(
        criu::cgroup_roots({"/sys/fs/cgroup/memory/m/c", "/sys/fs/cgroup/cpu,cpuacct/m/c",
                            "/sys/fs/cgroup/unified/m/c"},
                           "/sys/fs/cgroup/unified/m/c"),
        (std::vector<criu::CgroupRoot>{{"memory", "/m/c"}, {"cpu,cpuacct", "/m/c"}, {"", "/m/c"}}));
}

TEST(CriuPlan, CgroupMountSourcesFollowTheHierarchies) {
    auto v2 = criu::cgroup_mount_sources({"/sys/fs/cgroup/m/c"}, true);
    ASSERT_EQ(v2.size(), 1u);
    EXPECT_EQ(v2[0].name, "");
    EXPECT_TRUE(v2[0].v2);
    auto v1 = criu::cgroup_mount_sources(
        {"/sys/fs/cgroup/memory/m/c", "/sys/fs/cgroup/unified/m/c"}, false);
    ASSERT_EQ(v1.size(), 2u);
    EXPECT_EQ(v1[0].name, "memory");
    EXPECT_EQ(v1[0].host_dir, "/sys/fs/cgroup/memory/m/c");
    EXPECT_EQ(v1[1].name, "unified");
    EXPECT_TRUE(v1[1].v2);
}
