#include "minirunc/exec_plan.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

namespace {

using Strings = std::vector<std::string>;

spec::Process containerProcess() {
    spec::Process p;
    p.args = {"sh"};
    p.cwd = "/";
    p.env = {"PATH=/usr/bin:/bin", "TERM=xterm", "A=1"};
    p.user.uid = 10;
    p.user.gid = 20;
    p.user.additional_gids = {30};
    p.no_new_privileges = true;
    p.apparmor_profile = "container-profile";
    spec::Capabilities caps;
    caps.bounding = Strings{"CAP_CHOWN", "CAP_KILL"};
    caps.effective = Strings{"CAP_CHOWN", "CAP_KILL"};
    caps.permitted = Strings{"CAP_CHOWN", "CAP_KILL"};
    p.capabilities = caps;
    p.rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
    p.oom_score_adj = 100;
    return p;
}

ExecFlags command(Strings args) {
    ExecFlags flags;
    flags.args = std::move(args);
    return flags;
}

void expectError(const spec::Process& base, const ExecFlags& flags, const std::string& text) {
    try {
        merge_exec_process(base, flags);
        ADD_FAILURE() << "no error, expected one containing \"" << text << "\"";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(MergeExecProcess, ContainerSettingsAreTheDefaults) {
    spec::Process base = containerProcess();
    spec::Process p = merge_exec_process(base, command({"ls", "-l"}));
    EXPECT_EQ(p.args, (Strings{"ls", "-l"}));
    EXPECT_EQ(p.cwd, "/");
    EXPECT_EQ(p.env, base.env);
    EXPECT_EQ(p.user.uid, 10u);
    EXPECT_EQ(p.user.gid, 20u);
    EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{30}));
    EXPECT_TRUE(p.no_new_privileges);
    EXPECT_EQ(p.apparmor_profile, "container-profile");
    ASSERT_TRUE(p.capabilities);
    EXPECT_EQ(p.capabilities->bounding, base.capabilities->bounding);
    ASSERT_EQ(p.rlimits.size(), 1u);
    EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
    EXPECT_EQ(p.oom_score_adj, 100);
}

TEST(MergeExecProcess, EmptyCommandIsAnError) {
    expectError(containerProcess(), command({}), "exec args cannot be empty");
}

TEST(MergeExecProcess, TerminalComesOnlyFromTheTtyFlag) {
    spec::Process base = containerProcess();
    base.terminal = true;
    base.console_size = spec::ConsoleSize{24, 80};
    spec::Process p = merge_exec_process(base, command({"sh"}));
    EXPECT_FALSE(p.terminal);
    EXPECT_FALSE(p.console_size);
    ExecFlags tty = command({"sh"});
    tty.tty = true;
    EXPECT_TRUE(merge_exec_process(containerProcess(), tty).terminal);
}

TEST(MergeExecProcess, EnvIsAddedAndKeepsPath) {
    ExecFlags flags = command({"env"});
    flags.env = {"NEW=x", "WITH_EQUALS=a=b", "EMPTY="};
    spec::Process p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.env, (Strings{"PATH=/usr/bin:/bin", "TERM=xterm", "A=1", "NEW=x", "WITH_EQUALS=a=b",
                              "EMPTY="}));
}

TEST(MergeExecProcess, EnvGivenAgainOverridesTheContainersValue) {
    ExecFlags flags = command({"env"});
    flags.env = {"A=2", "PATH=/opt/bin", "B=1", "B=2"};
    spec::Process p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.env, (Strings{"TERM=xterm", "A=2", "PATH=/opt/bin", "B=2"}));
}

TEST(MergeExecProcess, EnvWithoutEqualsOrNameIsAnError) {
    ExecFlags flags = command({"env"});
    flags.env = {"JUSTANAME"};
    expectError(containerProcess(), flags, "missing '='");
    flags.env = {"=value"};
    expectError(containerProcess(), flags, "name cannot be empty");
}

TEST(MergeExecProcess, CwdFlagReplacesTheContainersAndMustBeAbsolute) {
    ExecFlags flags = command({"pwd"});
    flags.cwd = "/tmp";
    EXPECT_EQ(merge_exec_process(containerProcess(), flags).cwd, "/tmp");
    flags.cwd = "";
    EXPECT_EQ(merge_exec_process(containerProcess(), flags).cwd, "/");
    flags.cwd = "relative/dir";
    expectError(containerProcess(), flags, "must be an absolute path");
}

TEST(MergeExecProcess, UserFlagSetsUidAndOptionallyGid) {
    ExecFlags flags = command({"id"});
    flags.user = "1000";
    spec::Process p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.user.uid, 1000u);
    EXPECT_EQ(p.user.gid, 20u);  // the container's
    flags.user = "1000:2000";
    p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.user.uid, 1000u);
    EXPECT_EQ(p.user.gid, 2000u);
    flags.user = "0:0";
    p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.user.uid, 0u);
    EXPECT_EQ(p.user.gid, 0u);
    flags.user = "4294967295";
    EXPECT_EQ(merge_exec_process(containerProcess(), flags).user.uid, 4294967295u);
}

TEST(MergeExecProcess, MalformedUserIsAnError) {
    for (const char* bad : {"root", "1000:", ":1000", "10:20:30", "-1", "1000:staff", "4294967296",
                            "1 000", "0x10"}) {
        SCOPED_TRACE(bad);
        ExecFlags flags = command({"id"});
        flags.user = bad;
        EXPECT_THROW(merge_exec_process(containerProcess(), flags), Error);
    }
}

TEST(MergeExecProcess, AdditionalGidsAreAddedToTheContainers) {
    ExecFlags flags = command({"id"});
    flags.additional_gids = {"40", "30", "50"};
    spec::Process p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{30, 40, 50}));
}

TEST(MergeExecProcess, MalformedAdditionalGidIsAnError) {
    ExecFlags flags = command({"id"});
    flags.additional_gids = {"wheel"};
    expectError(containerProcess(), flags, "additional gid");
}

TEST(MergeExecProcess, NoNewPrivsFlagOverridesBothWays) {
    spec::Process base = containerProcess();
    base.no_new_privileges = false;
    ExecFlags flags = command({"sh"});
    EXPECT_FALSE(merge_exec_process(base, flags).no_new_privileges);
    flags.no_new_privs = true;
    EXPECT_TRUE(merge_exec_process(base, flags).no_new_privileges);
    base.no_new_privileges = true;
    flags.no_new_privs = false;
    EXPECT_FALSE(merge_exec_process(base, flags).no_new_privileges);
}

TEST(MergeExecProcess, LabelsReplaceTheContainersWhenGiven) {
    ExecFlags flags = command({"sh"});
    flags.apparmor = "";
    flags.process_label = "";
    spec::Process p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.apparmor_profile, "container-profile");
    flags.apparmor = "other";
    flags.process_label = "system_u:system_r:container_t:s0";
    p = merge_exec_process(containerProcess(), flags);
    EXPECT_EQ(p.apparmor_profile, "other");
    EXPECT_EQ(p.selinux_label, "system_u:system_r:container_t:s0");
}

TEST(MergeExecProcess, CapsAreAddedToBoundingEffectiveAndPermitted) {
    ExecFlags flags = command({"sh"});
    flags.caps = {"CAP_NET_ADMIN", "CAP_KILL"};
    spec::Process p = merge_exec_process(containerProcess(), flags);
    ASSERT_TRUE(p.capabilities);
    const Strings expected = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN"};
    EXPECT_EQ(p.capabilities->bounding, expected);
    EXPECT_EQ(p.capabilities->effective, expected);
    EXPECT_EQ(p.capabilities->permitted, expected);
    EXPECT_FALSE(p.capabilities->inheritable);
    EXPECT_FALSE(p.capabilities->ambient);
}

TEST(MergeExecProcess, CapsBecomeAmbientOnlyWhenInheritableIsPresent) {
    spec::Process base = containerProcess();
    base.capabilities->inheritable = Strings{"CAP_CHOWN"};
    base.capabilities->ambient = Strings{"CAP_CHOWN"};
    ExecFlags flags = command({"sh"});
    flags.caps = {"CAP_NET_ADMIN"};
    spec::Process p = merge_exec_process(base, flags);
    EXPECT_EQ(p.capabilities->ambient, (Strings{"CAP_CHOWN", "CAP_NET_ADMIN"}));
    EXPECT_EQ(p.capabilities->inheritable, (Strings{"CAP_CHOWN"}));  // never added to
}

TEST(MergeExecProcess, CapsOnAContainerWithoutCapabilitiesCreateTheSets) {
    spec::Process base = containerProcess();
    base.capabilities.reset();
    ExecFlags flags = command({"sh"});
    flags.caps = {"CAP_SYS_ADMIN"};
    spec::Process p = merge_exec_process(base, flags);
    ASSERT_TRUE(p.capabilities);
    EXPECT_EQ(p.capabilities->bounding, (Strings{"CAP_SYS_ADMIN"}));
    EXPECT_EQ(p.capabilities->effective, (Strings{"CAP_SYS_ADMIN"}));
    EXPECT_EQ(p.capabilities->permitted, (Strings{"CAP_SYS_ADMIN"}));
    EXPECT_FALSE(p.capabilities->ambient);
}

TEST(CompleteProcessFile, WhatTheFileLeavesOutComesFromTheContainer) {
    spec::Process container = containerProcess();
    container.selinux_label = "container-label";
    container.user.umask = 027;
    spec::Process file;
    file.args = {"ls"};
    file.cwd = "/tmp";
    file.env = {"ONLY=file"};
    spec::Process p = complete_process_file(file, container);
    ASSERT_TRUE(p.capabilities);
    EXPECT_EQ(p.capabilities->bounding, container.capabilities->bounding);
    ASSERT_EQ(p.rlimits.size(), 1u);
    EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
    EXPECT_EQ(p.apparmor_profile, "container-profile");
    EXPECT_EQ(p.selinux_label, "container-label");
    EXPECT_EQ(p.oom_score_adj, 100);
    EXPECT_EQ(p.user.umask, 027u);
    // The file's own: args, cwd, env, user, noNewPrivileges.
    EXPECT_EQ(p.args, (Strings{"ls"}));
    EXPECT_EQ(p.cwd, "/tmp");
    EXPECT_EQ(p.env, (Strings{"ONLY=file"}));
    EXPECT_EQ(p.user.uid, 0u);
    EXPECT_TRUE(p.user.additional_gids.empty());
    EXPECT_FALSE(p.no_new_privileges);
}

TEST(CompleteProcessFile, WhatTheFileSaysIsKept) {
    spec::Process file;
    file.args = {"ls"};
    file.cwd = "/";
    file.capabilities = spec::Capabilities{};
    file.capabilities->bounding = Strings{"CAP_SYS_ADMIN"};
    file.rlimits = {{"RLIMIT_CORE", 0, 0}};
    file.apparmor_profile = "file-profile";
    file.oom_score_adj = -5;
    file.user.umask = 077;
    spec::Process p = complete_process_file(file, containerProcess());
    EXPECT_EQ(p.capabilities->bounding, (Strings{"CAP_SYS_ADMIN"}));
    EXPECT_FALSE(p.capabilities->effective);
    ASSERT_EQ(p.rlimits.size(), 1u);
    EXPECT_EQ(p.rlimits[0].type, "RLIMIT_CORE");
    EXPECT_EQ(p.apparmor_profile, "file-profile");
    EXPECT_EQ(p.oom_score_adj, -5);
    EXPECT_EQ(p.user.umask, 077u);
}

TEST(CompleteProcessFile, SchedulerIoPriorityAndAffinityComeFromTheContainerUnlessSet) {
    spec::Process container = containerProcess();
    container.scheduler = spec::Scheduler{"SCHED_BATCH", 7, {}, {}, {}, {}, {}};
    container.io_priority = spec::IoPriority{"IOPRIO_CLASS_BE", 6};
    container.exec_cpu_affinity = spec::ExecCpuAffinity{"0", "1"};
    spec::Process file;
    file.args = {"ls"};
    file.cwd = "/";
    spec::Process p = complete_process_file(file, container);
    ASSERT_TRUE(p.scheduler && p.io_priority && p.exec_cpu_affinity);
    EXPECT_EQ(p.scheduler->policy, "SCHED_BATCH");
    EXPECT_EQ(p.io_priority->priority, 6);
    EXPECT_EQ(p.exec_cpu_affinity->final_cpus, "1");
    file.scheduler = spec::Scheduler{"SCHED_IDLE", {}, {}, {}, {}, {}, {}};
    file.io_priority = spec::IoPriority{"IOPRIO_CLASS_IDLE", 0};
    file.exec_cpu_affinity = spec::ExecCpuAffinity{"", "0"};
    p = complete_process_file(file, container);
    EXPECT_EQ(p.scheduler->policy, "SCHED_IDLE");
    EXPECT_EQ(p.io_priority->io_class, "IOPRIO_CLASS_IDLE");
    EXPECT_EQ(p.exec_cpu_affinity->final_cpus, "0");
}

TEST(ValidateExecProcess, AcceptsAWellFormedProcess) {
    EXPECT_NO_THROW(validate_exec_process(containerProcess()));
}

TEST(ValidateExecProcess, RefusesWhatRuncRefuses) {
    spec::Process p = containerProcess();
    p.args.clear();
    EXPECT_THROW(validate_exec_process(p), Error);
    p = containerProcess();
    p.cwd = "";
    EXPECT_THROW(validate_exec_process(p), Error);
    p.cwd = "tmp";
    EXPECT_THROW(validate_exec_process(p), Error);
    p = containerProcess();
    p.env.push_back("NOVALUE");
    EXPECT_THROW(validate_exec_process(p), Error);
}

TEST(ExecNamespaces, EveryContainerNamespaceIsJoinedThroughTheInitsProc) {
    std::vector<spec::Namespace> container = {{"pid", ""},    {"network", ""}, {"mount", ""},
                                              {"ipc", ""},    {"uts", ""},     {"user", ""},
                                              {"cgroup", ""}, {"time", ""}};
    auto joins = exec_namespaces(container, 4242);
    ASSERT_EQ(joins.size(), container.size());
    const Strings expected = {"/proc/4242/ns/pid",    "/proc/4242/ns/net", "/proc/4242/ns/mnt",
                              "/proc/4242/ns/ipc",    "/proc/4242/ns/uts", "/proc/4242/ns/user",
                              "/proc/4242/ns/cgroup", "/proc/4242/ns/time"};
    for (size_t i = 0; i < joins.size(); ++i) {
        EXPECT_EQ(joins[i].type, container[i].type);
        EXPECT_EQ(joins[i].path, expected[i]);
    }
}

TEST(ExecNamespaces, NamespacesJoinedAtCreateAreJoinedThroughTheInitToo) {
    auto joins = exec_namespaces({{"network", "/var/run/netns/x"}, {"mount", ""}}, 7);
    ASSERT_EQ(joins.size(), 2u);
    EXPECT_EQ(joins[0].path, "/proc/7/ns/net");
    EXPECT_EQ(joins[1].path, "/proc/7/ns/mnt");
}

TEST(ExecNamespaces, HostNamespacesStayUnlisted) {
    EXPECT_TRUE(exec_namespaces({}, 7).empty());
}

namespace {

const Strings kDirs = {"/sys/fs/cgroup/memory/c", "/sys/fs/cgroup/cpu,cpuacct/c",
                       "/sys/fs/cgroup/systemd/c", "/sys/fs/cgroup/unified/c"};
const Strings kNames = {"memory", "cpu,cpuacct", "systemd", "unified"};

void expectCgroupError(const Strings& requests, const std::string& text) {
    try {
        exec_cgroup_dirs(kDirs, kNames, requests);
        ADD_FAILURE() << "no error, expected one containing \"" << text << "\"";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(ExecCgroupDirs, NoRequestIsTheContainersCgroup) {
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {}), kDirs);
}

TEST(ExecCgroupDirs, PathWithoutControllerAppliesToEveryHierarchy) {
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {"sub/leaf"}),
              (Strings{"/sys/fs/cgroup/memory/c/sub/leaf", "/sys/fs/cgroup/cpu,cpuacct/c/sub/leaf",
                       "/sys/fs/cgroup/systemd/c/sub/leaf", "/sys/fs/cgroup/unified/c/sub/leaf"}));
}

TEST(ExecCgroupDirs, PathIsCleaned) {
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {"/a/./b//c/../d/"})[0],
              "/sys/fs/cgroup/memory/c/a/b/d");
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {"a..b"})[0], "/sys/fs/cgroup/memory/c/a..b");
}

TEST(ExecCgroupDirs, ControllerPrefixAppliesToItsHierarchyOnly) {
    Strings dirs = exec_cgroup_dirs(kDirs, kNames, {"memory:m", "cpuacct:c"});
    EXPECT_EQ(dirs, (Strings{"/sys/fs/cgroup/memory/c/m", "/sys/fs/cgroup/cpu,cpuacct/c/c",
                             "/sys/fs/cgroup/systemd/c", "/sys/fs/cgroup/unified/c"}));
}

TEST(ExecCgroupDirs, SeveralControllersShareOnePath) {
    Strings dirs = exec_cgroup_dirs(kDirs, kNames, {"memory,name=systemd:s"});
    EXPECT_EQ(dirs, (Strings{"/sys/fs/cgroup/memory/c/s", "/sys/fs/cgroup/cpu,cpuacct/c",
                             "/sys/fs/cgroup/systemd/c/s", "/sys/fs/cgroup/unified/c"}));
}

TEST(ExecCgroupDirs, ControllerOnNoV1HierarchyMeansTheUnifiedOne) {
    Strings v2 = {"/sys/fs/cgroup/c"};
    EXPECT_EQ(exec_cgroup_dirs(v2, {"unified"}, {"memory:sub"}), (Strings{"/sys/fs/cgroup/c/sub"}));
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {"io:x"})[3], "/sys/fs/cgroup/unified/c/x");
}

TEST(ExecCgroupDirs, PathsEscapingTheContainersCgroupAreRefused) {
    for (const char* bad : {"../x", "..", "a/../../x", "/../x", "memory:../x", "memory:a/../.."}) {
        SCOPED_TRACE(bad);
        expectCgroupError({bad}, "is not a sub cgroup path");
    }
}

TEST(ExecCgroupDirs, MalformedRequestsAreRefused) {
    expectCgroupError({"a:b:c"}, "invalid --cgroup argument");
    expectCgroupError({":x"}, "empty <controller> prefix");
    expectCgroupError({"memory,:x"}, "empty <controller> prefix");
    expectCgroupError({"x", "memory:y"}, "missing <controller>: prefix");
    expectCgroupError({"memory:a", "memory:b"}, "specified multiple times");
    expectCgroupError({"cpu:a", "cpuacct:b"}, "conflicting");
}

TEST(ExecCgroupDirs, UnknownControllerWithoutUnifiedHierarchyIsRefused) {
    try {
        exec_cgroup_dirs({"/sys/fs/cgroup/memory/c"}, {"memory"}, {"blkio:x"});
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("blkio"), std::string::npos) << e.what();
    }
}

// runc's suite: "exec --cgroup sub-cgroups [v1]" (`whaaat:/`). A name no
// kernel has is a typo, not a controller of the unified hierarchy.
TEST(ExecCgroupDirs, UnknownControllerIsRefusedInRuncsWords) {
    expectCgroupError({"whaaat:/"}, "unknown controller whaaat");
    EXPECT_EQ(exec_cgroup_dirs(kDirs, kNames, {"hugetlb:h"})[3], "/sys/fs/cgroup/unified/c/h");
}
