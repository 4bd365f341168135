// The init's own syscalls never meet the container's seccomp profile: it
// does all its work first and loads the filter right before execve (the
// profile is the workload's, not the runtime's). Profiles that know nothing
// of the init's needs (an allow-list from before close_range, one denying
// getcwd, a minimal one for a static binary) run, with and without
// no_new_privs; syscalls newer than the profile get ENOSYS (libc falls
// back); startContainer hooks run under the workload's confinement.
#include <sys/stat.h>
#include <sys/syscall.h>

#include <algorithm>
#include <set>

#include "harness.hpp"
#include "seccomp_profile.hpp"

namespace minirunc::test {
namespace {

json fixture(const std::string& name) {
    return parseJson(readFile(std::string(MINIRUNC_TEST_FIXTURES) + "/" + name));
}

std::string nr(long number) {
    return std::to_string(number);
}

const std::string kEnosys = R"({"ret":-1,"errno":38})";
const std::string kEperm = R"({"ret":-1,"errno":1})";

// Syscalls Linux gained from 5.1 (2019) on: an allow-list written before
// them (as docker's and many recorded profiles were) names none of them.
const std::set<std::string> kSince2019 = {"pidfd_send_signal",
                                          "io_uring_setup",
                                          "io_uring_enter",
                                          "io_uring_register",
                                          "open_tree",
                                          "move_mount",
                                          "fsopen",
                                          "fsconfig",
                                          "fsmount",
                                          "fspick",
                                          "pidfd_open",
                                          "clone3",
                                          "close_range",
                                          "openat2",
                                          "pidfd_getfd",
                                          "faccessat2",
                                          "process_madvise",
                                          "epoll_pwait2",
                                          "mount_setattr",
                                          "quotactl_fd",
                                          "landlock_create_ruleset",
                                          "landlock_add_rule",
                                          "landlock_restrict_self",
                                          "memfd_secret",
                                          "process_mrelease",
                                          "futex_waitv",
                                          "set_mempolicy_home_node",
                                          "cachestat",
                                          "fchmodat2",
                                          "map_shadow_stack",
                                          "futex_wake",
                                          "futex_wait",
                                          "futex_requeue",
                                          "statmount",
                                          "listmount",
                                          "lsm_get_self_attr",
                                          "lsm_set_self_attr",
                                          "lsm_list_modules",
                                          "mseal",
                                          "setxattrat",
                                          "getxattrat",
                                          "listxattrat",
                                          "removexattrat",
                                          "open_tree_attr",
                                          "uretprobe"};

class SeccompOrder : public RuntimeTest {
  protected:
    // docker's default profile as the engine hands it over for cfg, with every
    // syscall newer than 2019 taken out: an allow-list (default EPERM) from
    // before close_range, clone3, faccessat2 and openat2.
    json profileFrom2019(const json& cfg) {
        json profile = engine_seccomp_profile(
            fixture("docker-default-seccomp.json"),
            cfg["process"]["capabilities"]["bounding"].get<std::vector<std::string>>());
        json rules = json::array();
        for (json rule : profile["syscalls"]) {
            json names = json::array();
            for (const auto& name : rule["names"])
                if (!kSince2019.count(name.get<std::string>())) names.push_back(name);
            if (names.empty()) continue;
            rule["names"] = names;
            rules.push_back(rule);
        }
        profile["syscalls"] = rules;
        return profile;
    }
    static json allowAllBut(std::vector<json> rules) {
        return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", json(rules)}};
    }
    // A writable directory at /out of the container, for any user.
    json withOut(json cfg) {
        out_ = tmp_ + "/out";
        mkdir(out_.c_str(), 0777);
        chmod(out_.c_str(), 0777);
        cfg["mounts"].push_back({{"destination", "/out"},
                                 {"type", "bind"},
                                 {"source", out_},
                                 {"options", {"rbind", "rw"}}});
        return cfg;
    }
    std::string out_;
};

TEST_F(SeccompOrder, AllowListFrom2019RunsWithAndWithoutNoNewPrivileges) {
    for (bool nnp : {false, true}) {
        for (int uid : {0, 1000}) {
            SCOPED_TRACE("noNewPrivileges " + std::to_string(nnp) + ", uid " + std::to_string(uid));
            json cfg = config({"sh", "-c", "echo hello | cat; probe ids"});
            cfg["process"]["noNewPrivileges"] = nnp;
            cfg["process"]["user"] = {{"uid", uid}, {"gid", uid}};
            cfg["linux"]["seccomp"] = profileFrom2019(cfg);
            Result r = runProbe(cfg);
            ASSERT_TRUE(r.ok()) << r;
            auto lines = splitLines(r.out);
            ASSERT_EQ(lines.size(), 2u) << r;
            EXPECT_EQ(lines[0], "hello");
            EXPECT_EQ(parseJson(lines[1]).value("uid", -1), uid) << r;
        }
    }
}

// As runc: what the profile does not name and is newer than all it names is
// answered as a kernel without it would (libc then uses the older call);
// older syscalls it does not allow keep the default errno.
TEST_F(SeccompOrder, SyscallsNewerThanTheProfileGetEnosysSoLibcFallsBack) {
    json cfg = config();
    cfg["linux"]["seccomp"] = profileFrom2019(cfg);
    cfg["process"]["args"] = {
        "sh", "-c",
        "probe syscall " + nr(SYS_clone3) + " 0 0; probe syscall " + nr(SYS_close_range) +
            " 1000 999 0; probe syscall " + nr(SYS_faccessat2) + " -100 0 0 0; probe syscall " +
            nr(SYS_openat2) + " -100 0 0 0; probe syscall " + nr(SYS_reboot) + " 0 0 0 0"};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(splitLines(r.out),
              (std::vector<std::string>{kEnosys, kEnosys, kEnosys, kEnosys, kEperm}))
        << r;
}

TEST_F(SeccompOrder, DefaultAllowProfileGetsNoEnosysStub) {
    json cfg = config({"probe", "syscall", nr(SYS_close_range), "1000", "999", "0"});
    cfg["linux"]["seccomp"] =
        allowAllBut({{{"names", {"kexec_load"}}, {"action", "SCMP_ACT_ERRNO"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(trim(r.out), R"({"ret":-1,"errno":22})") << "close_range's own EINVAL";
}

TEST_F(SeccompOrder, ProfileDenyingGetcwdDoesNotBreakCreate) {
    if (runtimeName() == "runc")
        GTEST_SKIP() << "runc 1.1.5 (Debian's CVE-2024-21626 fix) checks its cwd with getcwd under "
                        "the filter: \"failed to verify if current working directory is safe\"";
    for (bool nnp : {false, true}) {
        SCOPED_TRACE("noNewPrivileges " + std::to_string(nnp));
        json cfg = config({"probe", "syscall", nr(SYS_getcwd), "0", "0"});
        cfg["process"]["noNewPrivileges"] = nnp;
        cfg["process"]["cwd"] = "/bin";
        cfg["linux"]["seccomp"] =
            allowAllBut({{{"names", {"getcwd"}}, {"action", "SCMP_ACT_ERRNO"}}});
        Result r = runProbe(cfg);
        ASSERT_TRUE(r.ok()) << r;
        EXPECT_EQ(trim(r.out), kEperm) << "the workload's own getcwd is still denied";
    }
}

// Only what the static probe needs from its execve to its exit: the init
// may make no syscall of its own after loading the filter but the execve.
TEST_F(SeccompOrder, MinimalAllowListForAStaticWorkloadRuns) {
    if (runtimeName() != "minirunc")
        GTEST_SKIP() << runtimeName() << "'s init makes its own syscalls under the filter";
    json profile = {{"defaultAction", "SCMP_ACT_ERRNO"},
                    {"syscalls",
                     {{{"names",
                        {"execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list",
                         "rseq", "prlimit64", "readlink", "getrandom", "mprotect", "newfstatat",
                         "fstat", "write", "exit_group", "mmap", "munmap"}},
                       {"action", "SCMP_ACT_ALLOW"}}}}};
    for (bool nnp : {false, true}) {
        for (int uid : {0, 1000}) {
            SCOPED_TRACE("noNewPrivileges " + std::to_string(nnp) + ", uid " + std::to_string(uid));
            json cfg = config({"probe", "syscall", nr(SYS_getppid)});
            cfg["process"]["noNewPrivileges"] = nnp;
            cfg["process"]["user"] = {{"uid", uid}, {"gid", uid}};
            cfg["linux"]["seccomp"] = profile;
            Result r = runProbe(cfg);
            ASSERT_TRUE(r.ok()) << r;
            EXPECT_EQ(trim(r.out), kEperm) << r;
        }
    }
}

TEST_F(SeccompOrder, DockerAndPodmanDefaultsRunWithAndWithoutNoNewPrivileges) {
    for (const char* file : {"docker-default-seccomp.json", "podman-default-seccomp.json"}) {
        for (bool nnp : {false, true}) {
            SCOPED_TRACE(std::string(file) + ", noNewPrivileges " + std::to_string(nnp));
            json cfg = config({"sh", "-c", "echo hello | cat; probe syscall " + nr(SYS_add_key)});
            cfg["process"]["noNewPrivileges"] = nnp;
            cfg["linux"]["seccomp"] = engine_seccomp_profile(
                fixture(file),
                cfg["process"]["capabilities"]["bounding"].get<std::vector<std::string>>());
            Result r = runProbe(cfg);
            ASSERT_TRUE(r.ok()) << r;
            auto lines = splitLines(r.out);
            ASSERT_EQ(lines.size(), 2u) << r;
            EXPECT_EQ(lines[0], "hello");
            EXPECT_EQ(parseJson(lines[1]).value("ret", 0), -1) << "add_key is denied";
        }
    }
}

// Without no_new_privs the init holds CAP_SYS_ADMIN to load the filter
// after its identity switch: the workload must not get it.
TEST_F(SeccompOrder, CapabilityHeldToLoadTheFilterNeverReachesTheWorkload) {
    for (int uid : {0, 1000}) {
        SCOPED_TRACE("uid " + std::to_string(uid));
        json plain = config({"probe", "caps"});
        plain["process"]["noNewPrivileges"] = false;
        plain["process"]["user"] = {{"uid", uid}, {"gid", uid}};
        json filtered = plain;
        filtered["linux"]["seccomp"] =
            allowAllBut({{{"names", {"kexec_load"}}, {"action", "SCMP_ACT_ERRNO"}}});
        Result a = runProbe(plain), b = runProbe(filtered);
        ASSERT_TRUE(a.ok()) << a;
        ASSERT_TRUE(b.ok()) << b;
        json without = parseJson(trim(a.out)), with = parseJson(trim(b.out));
        EXPECT_EQ(with.value("Seccomp", ""), "2") << b;
        without.erase("Seccomp");
        with.erase("Seccomp");
        EXPECT_EQ(with, without);
    }
}

// runc's order: startContainer hooks are the image's code and run confined
// as the workload is: the same seccomp filter, capabilities and no_new_privs.
TEST_F(SeccompOrder, StartContainerHookRunsWithTheWorkloadsConfinement) {
    for (bool nnp : {false, true}) {
        for (int uid : {0, 1000}) {
            SCOPED_TRACE("noNewPrivileges " + std::to_string(nnp) + ", uid " + std::to_string(uid));
            json cfg = withOut(config({"probe", "caps"}));
            std::string name = "hook-" + std::to_string(nnp) + "-" + std::to_string(uid);
            cfg["process"]["noNewPrivileges"] = nnp;
            cfg["process"]["user"] = {{"uid", uid}, {"gid", uid}};
            cfg["linux"]["seccomp"] =
                allowAllBut({{{"names", {"kexec_load"}}, {"action", "SCMP_ACT_ERRNO"}}});
            cfg["hooks"]["startContainer"] = {
                {{"path", "/bin/sh"}, {"args", {"sh", "-c", "probe caps > /out/" + name}}}};
            Result r = runProbe(cfg);
            ASSERT_TRUE(r.ok()) << r;
            json hook = parseJson(trim(readFile(out_ + "/" + name)));
            EXPECT_EQ(hook.value("Seccomp", ""), "2") << hook;
            EXPECT_EQ(hook, parseJson(trim(r.out)));
        }
    }
}

TEST_F(SeccompOrder, KillRuleKillsTheStartContainerHooksSyscall) {
    std::string rootfs = copyRootfs();
    json cfg = config({"probe", "exit", "0"});
    cfg["root"] = {{"path", rootfs}, {"readonly", false}};
    cfg["linux"]["seccomp"] =
        allowAllBut({{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_KILL"}}});
    cfg["hooks"]["startContainer"] = {
        {{"path", "/bin/sh"}, {"args", {"sh", "-c", "mkdir /hook-made-this"}}}};
    Result r = runProbe(cfg);
    EXPECT_NE(r.status, 0) << r;
    EXPECT_FALSE(exists(rootfs + "/hook-made-this")) << "the hook's mkdir went through";
}

}  // namespace
}  // namespace minirunc::test
