// Rootless mode: minirunc run by an unprivileged user (a dedicated test user
// made here), with its state under $XDG_RUNTIME_DIR and no cgroups delegated.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <sstream>

#include "cgroup_util.hpp"
#include "harness.hpp"

namespace minirunc::test {
namespace {

constexpr const char* kUser = "minirunc-rootless-test";
// The test user's subordinate id range: far from real users' usual 100000+ ranges.
constexpr unsigned kSubordinateStart = 1500000;

// Why unprivileged user namespaces are unusable here, or "" when they work.
std::string userNamespacesForbidden() {
    if (trim(readFile("/proc/sys/kernel/unprivileged_userns_clone")) == "0")
        return "kernel.unprivileged_userns_clone is 0";
    if (trim(readFile("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")) == "1")
        return "AppArmor restricts unprivileged user namespaces";
    if (trim(readFile("/proc/sys/user/max_user_namespaces")) == "0")
        return "user.max_user_namespaces is 0";
    return "";
}

class Rootless : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (runtimeName() != "minirunc") GTEST_SKIP() << "rootless suite runs minirunc";
        // ctest runs each test in its own process, two at a time: the test
        // user and its /etc/subuid and /etc/subgid lines are shared, so the
        // tests of this suite take turns (other suites still run beside them).
        lockFd_ = ::open(kSuiteLockFile, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        ASSERT_GE(lockFd_, 0) << kSuiteLockFile << ": " << strerror(errno);
        ASSERT_EQ(::flock(lockFd_, LOCK_EX), 0) << strerror(errno);
        std::string why = userNamespacesForbidden();
        if (!why.empty()) GTEST_SKIP() << why;
        if (!run({"id", "-u", kUser}).ok()) {
            Result r = run(
                {"useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", kUser});
            ASSERT_TRUE(r.ok()) << r;
        }
        uid_ = static_cast<unsigned>(std::stoul(trim(run({"id", "-u", kUser}).out)));
        gid_ = static_cast<unsigned>(std::stoul(trim(run({"id", "-g", kUser}).out)));
        // A private world-traversable directory: the user's binaries, bundle, state.
        char pattern[] = "/tmp/minirunc-rootless.XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
        std::string bin = runtimePath();
        std::string init = bin.substr(0, bin.rfind('/')) + "/minirunc-init";
        ASSERT_TRUE(run({"cp", bin, init, dir_ + "/"}).ok());
        ASSERT_TRUE(run({"mkdir", "-p", dir_ + "/bundle", dir_ + "/xdg", dir_ + "/data"}).ok());
        ASSERT_TRUE(run({"cp", "-a", testRootfs(), dir_ + "/bundle/rootfs"}).ok());
        std::string owner = std::to_string(uid_) + ":" + std::to_string(gid_);
        for (const char* sub : {"/bundle", "/xdg", "/data"})
            ASSERT_TRUE(run({"chown", "-R", owner, dir_ + sub}).ok());
        ASSERT_EQ(::chmod((dir_ + "/xdg").c_str(), 0700), 0);
        Result r = asUser({"spec", "--rootless", "--bundle", dir_ + "/bundle"});
        ASSERT_TRUE(r.ok()) << r;
        if (!asUser({"--help"}).ok()) GTEST_SKIP() << "cannot run the runtime as " << kUser;
    }

    void TearDown() override {
        for (const auto& id : created_) asUser({"delete", "--force", id});
        for (const auto& dir : delegated_dirs_) ::rmdir(dir.c_str());
        if (!dir_.empty()) removeTree(dir_);
        revokeSubordinateIds();
        // The user goes with each test, while the test still holds the lock.
        if (lockFd_ >= 0) {
            if (run({"id", "-u", kUser}).ok()) run({"userdel", kUser});
            ::close(lockFd_);
            lockFd_ = -1;
        }
        RuntimeTest::TearDown();
    }

    static constexpr const char* kSuiteLockFile = "/run/minirunc-rootless-test.lock";
    int lockFd_ = -1;

    // The runtime as the test user, in its own XDG_RUNTIME_DIR.
    Result asUser(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {
            "setpriv",      "--reuid",         kUser, "--regid",
            kUser,          "--init-groups",   "env", "XDG_RUNTIME_DIR=" + dir_ + "/xdg",
            "HOME=" + dir_, dir_ + "/minirunc"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv);
    }

    // The runtime as uid 0 of a user namespace of the test user's own (as
    // rootless podman runs it): `script` is run by sh there, with $M the
    // runtime and $B the bundle.
    Result inUserNamespace(const std::string& script) {
        return run({"setpriv", "--reuid", kUser, "--regid", kUser, "--init-groups", "env",
                    "XDG_RUNTIME_DIR=" + dir_ + "/xdg", "HOME=" + dir_, "M=" + dir_ + "/minirunc",
                    "B=" + dir_ + "/bundle", "unshare", "--user", "--map-root-user", "sh", "-c",
                    script});
    }

    // The user's config with these args; edit() may change more.
    void writeConfig(const std::vector<std::string>& args,
                     const std::function<void(json&)>& edit = {}) {
        json cfg = parseJson(readFile(dir_ + "/bundle/config.json"));
        cfg["process"]["terminal"] = false;
        cfg["process"]["args"] = args;
        if (edit) edit(cfg);
        writeFile(dir_ + "/bundle/config.json", cfg.dump());
    }

    static std::string subordinateEntry() {
        return std::string(kUser) + ":" + std::to_string(kSubordinateStart) + ":65536";
    }

    // Removes what grantSubordinateIds added (the test leaves the host's files as they were).
    static void revokeSubordinateIds() {
        for (const char* file : {"/etc/subuid", "/etc/subgid"})
            if (contains(readFile(file), subordinateEntry()))
                run({"sed", "-i", "\\|^" + subordinateEntry() + "$|d", file});
    }

    // The test user's subordinate ids (/etc/subuid, /etc/subgid), until TearDown.
    void grantSubordinateIds() {
        for (const char* file : {"/etc/subuid", "/etc/subgid"}) {
            std::string entry =
                std::string(kUser) + ":" + std::to_string(kSubordinateStart) + ":65536";
            if (contains(readFile(file), entry)) continue;
            Result r = run({"sh", "-c", "echo '" + entry + "' >> " + file});
            ASSERT_TRUE(r.ok()) << r;
        }
    }

    std::string userId() {
        std::string id = newId();
        created_.push_back(id);
        return id;
    }

    unsigned uid_ = 0, gid_ = 0;
    std::string dir_;
    std::vector<std::string> created_;
    std::vector<std::string> delegated_dirs_;  // made and removed by the test (root)
};

TEST_F(Rootless, CreateStartExecKillDeleteAsAnUnprivilegedUser) {
    writeConfig({"probe", "sleep", kUntilEnded});
    std::string id = userId();
    Result r = asUser({"create", "--bundle", dir_ + "/bundle", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(exists(dir_ + "/xdg/minirunc/" + id)) << "state under $XDG_RUNTIME_DIR/minirunc";
    ASSERT_TRUE(asUser({"start", id}).ok());
    r = asUser({"state", id});
    ASSERT_TRUE(r.ok()) << r;
    json st = parseJson(r.out);
    EXPECT_EQ(st.value("status", ""), "running") << st;
    std::string status = readFile("/proc/" + std::to_string(st.value("pid", 0)) + "/status");
    EXPECT_TRUE(contains(status, "\nUid:\t" + std::to_string(uid_) + "\t")) << status;

    r = asUser({"exec", id, "probe", "ids"});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(parseJson(r.out).value("uid", -1), 0) << "root inside: " << r.out;

    ASSERT_TRUE(asUser({"kill", id, "KILL"}).ok());
    bool stopped = false;
    for (int i = 0; i < 100 && !stopped; ++i) {
        stopped = contains(asUser({"state", id}).out, "\"stopped\"");
        if (!stopped) ::usleep(20000);
    }
    EXPECT_TRUE(stopped);
    r = asUser({"delete", id});
    EXPECT_TRUE(r.ok()) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id));
}

// runc and crun print nothing about cgroups they could not make when the
// config asks for no limit: the container's output is all there is.
TEST_F(Rootless, RunWithoutLimitsPrintsOnlyTheContainersOutput) {
    writeConfig({"sh", "-c", "echo to-stdout; echo to-stderr >&2"});
    Result r = asUser({"run", "--bundle", dir_ + "/bundle", userId()});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "to-stdout\n") << r;
    EXPECT_EQ(r.err, "to-stderr\n") << r;
    // What was left out is still told, at debug level.
    r = asUser({"--debug", "run", "--bundle", dir_ + "/bundle", userId()});
    ASSERT_TRUE(r.ok()) << r;
    // A hierarchy whose root the user may not write: the container's cgroup is left out there.
    bool some_not_delegated =
        run({"setpriv", "--reuid", kUser, "--regid", kUser, "--init-groups", "sh", "-c",
             "for d in /sys/fs/cgroup/ /sys/fs/cgroup/*/; do test -w $d || exit 0; done; exit 1"})
            .ok();
    if (some_not_delegated) {
        EXPECT_TRUE(contains(r.err, "rootless: running without a cgroup where none is delegated"))
            << r;
    }
}

// Rootless podman runs the runtime as uid 0 of the user's namespace, with a
// config without a user namespace of its own: rootless all the same (state
// under $XDG_RUNTIME_DIR, no cgroup where none is delegated, devices bound
// since nobody may mknod there), and quiet.
TEST_F(Rootless, RunsAsRootOfTheUsersNamespaceAsUnderRootlessPodman) {
    writeConfig({"sh", "-c", "test -c /dev/null && test -c /dev/urandom && id -u"}, [](json& cfg) {
        auto& ns = cfg["linux"]["namespaces"];
        for (auto it = ns.begin(); it != ns.end();)
            it = (*it)["type"] == "user" ? ns.erase(it) : it + 1;
        cfg["linux"].erase("uidMappings");
        cfg["linux"].erase("gidMappings");
    });
    std::string id = userId();
    Result r = inUserNamespace(
        "set -e; $M create --bundle $B " + id + "; test -d \"$XDG_RUNTIME_DIR/minirunc/" + id +
        "\" && echo state-in-xdg; $M delete --force " + id + "; $M run --bundle $B " + id);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "state-in-xdg\n0\n") << r;
    EXPECT_EQ(r.err, "") << "nothing about cgroups: " << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id)) << "nothing left behind";
    EXPECT_FALSE(exists("/run/minirunc/" + id));
}

// Without a delegated cgroup the container's processes are found through its
// pid namespace: ps lists them and kill --all reaches them (it did nothing).
TEST_F(Rootless, PsAndKillAllFindTheProcessesWithoutACgroup) {
    writeConfig({"probe", "sleep", "1000"});
    std::string id = userId();
    Result r = asUser({"--debug", "create", "--bundle", dir_ + "/bundle", id});
    ASSERT_TRUE(r.ok()) << r;
    if (!contains(r.err, "none is delegated")) GTEST_SKIP() << "a cgroup is delegated here";
    ASSERT_TRUE(asUser({"start", id}).ok());
    r = asUser({"exec", "--detach", id, "probe", "sleep", "1000"});
    ASSERT_TRUE(r.ok()) << r;
    r = asUser({"ps", "--format", "json", id});
    ASSERT_TRUE(r.ok()) << r;
    json pids = parseJson(r.out);
    int init = parseJson(asUser({"state", id}).out).value("pid", 0);
    ASSERT_EQ(pids.size(), 2u) << "the init and the exec'd process: " << r.out;
    EXPECT_EQ(pids[0].get<int>(), init);
    pid_t other = pids[1].get<int>();
    r = asUser({"ps", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "sleep 1000")) << r;

    r = asUser({"kill", "--all", id, "KILL"});
    ASSERT_TRUE(r.ok()) << r;
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
        gone = contains(asUser({"state", id}).out, "\"stopped\"") &&
               !exists("/proc/" + std::to_string(other) + "/ns");
        if (!gone) ::usleep(20000);
    }
    EXPECT_TRUE(gone) << "kill --all reached every process";
    r = asUser({"delete", id});
    EXPECT_TRUE(r.ok()) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id));
}

TEST_F(Rootless, DeleteForceOfARunningContainerLeavesNothing) {
    writeConfig({"probe", "sleep", "1000"});
    std::string id = userId();
    ASSERT_TRUE(asUser({"create", "--bundle", dir_ + "/bundle", id}).ok());
    ASSERT_TRUE(asUser({"start", id}).ok());
    ASSERT_TRUE(asUser({"exec", "--detach", id, "probe", "sleep", "1000"}).ok());
    int init = parseJson(asUser({"state", id}).out).value("pid", 0);
    ASSERT_GT(init, 0);
    Result r = asUser({"delete", "--force", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id));
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
        gone = !exists("/proc/" + std::to_string(init) + "/ns");
        if (!gone) ::usleep(20000);
    }
    EXPECT_TRUE(gone) << "the container's init is gone";
    r = asUser({"list", "-q"});
    EXPECT_FALSE(contains(r.out, id)) << r;
}

// Bad input: a state root the user may not write.
TEST_F(Rootless, ARootTheUserCannotWriteIsAClearError) {
    writeConfig({"true"});
    std::string id = userId();
    Result r = asUser(
        {"--root", "/run/minirunc-rootless-test-no", "run", "--bundle", dir_ + "/bundle", id});
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "/run/minirunc-rootless-test-no")) << r;
    EXPECT_TRUE(contains(r.err, "permission denied")) << r;
    EXPECT_FALSE(exists("/run/minirunc-rootless-test-no"));
}

// Bad input: several mappings from a user without subordinate ranges.
TEST_F(Rootless, MappingMoreThanItsOwnIdWithoutSubordinateRangesIsRefused) {
    if (!exists("/usr/bin/newuidmap")) GTEST_SKIP() << "uidmap not installed";
    for (const char* file : {"/etc/subuid", "/etc/subgid"})
        if (contains(readFile(file), std::string(kUser) + ":"))
            GTEST_SKIP() << kUser << " has ranges in " << file << " (left by another test)";
    writeConfig({"true"}, [&](json& cfg) {
        cfg["linux"]["uidMappings"] =
            json::array({{{"containerID", 0}, {"hostID", uid_}, {"size", 1}},
                         {{"containerID", 1}, {"hostID", kSubordinateStart}, {"size", 1000}}});
    });
    std::string id = userId();
    Result r = asUser({"run", "--bundle", dir_ + "/bundle", id});
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "newuidmap refused the mappings")) << r;
    EXPECT_TRUE(contains(r.err, "/etc/subuid")) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id)) << "nothing left behind";
}

TEST_F(Rootless, FilesWrittenThroughABindMountBelongToTheCallingUser) {
    writeConfig({"probe", "write", "/data/by-container", "x"}, [&](json& cfg) {
        cfg["mounts"].push_back({{"destination", "/data"},
                                 {"type", "bind"},
                                 {"source", dir_ + "/data"},
                                 {"options", {"rbind", "rw"}}});
    });
    Result r = asUser({"run", "--bundle", dir_ + "/bundle", userId()});
    ASSERT_TRUE(r.ok()) << r;
    struct stat st;
    ASSERT_EQ(::lstat((dir_ + "/data/by-container").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, uid_);
    EXPECT_EQ(st.st_gid, gid_);
}

TEST_F(Rootless, HostCgroupTreeIsReadOnlyInside) {
    // CVE-2023-25809: the rootless spec binds the host's /sys; nothing of the
    // host's cgroup tree may be writable in the container.
    writeConfig({"sh", "-c", "grep ' /sys/fs/cgroup' /proc/self/mountinfo"});
    Result r = asUser({"run", "--bundle", dir_ + "/bundle", userId()});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_FALSE(lines.empty()) << r;
    for (const auto& line : lines) {
        std::istringstream in(line);
        std::string field, options;
        for (int i = 0; i < 6 && in >> field; ++i) options = field;  // 6th: mount options
        EXPECT_EQ(options.rfind("ro", 0), 0u) << line;
    }
}

// Several mappings: the runtime cannot write them itself and goes through the
// setuid newuidmap/newgidmap, which check /etc/subuid and /etc/subgid.
TEST_F(Rootless, SeveralMappingsGoThroughNewuidmapAndNewgidmap) {
    if (!exists("/usr/bin/newuidmap") || !exists("/usr/bin/newgidmap"))
        GTEST_SKIP() << "uidmap (newuidmap/newgidmap) not installed";
    ASSERT_NO_FATAL_FAILURE(grantSubordinateIds());
    writeConfig(
        {"sh", "-c",
         "cat /proc/self/uid_map /proc/self/gid_map; "
         "chown 1000:2000 /data/by-subordinate && echo chowned"},
        [&](json& cfg) {
            for (const char* set : {"bounding", "effective", "permitted"})
                cfg["process"]["capabilities"][set].push_back("CAP_CHOWN");
            cfg["linux"]["uidMappings"] =
                json::array({{{"containerID", 0}, {"hostID", uid_}, {"size", 1}},
                             {{"containerID", 1}, {"hostID", kSubordinateStart}, {"size", 65536}}});
            cfg["linux"]["gidMappings"] =
                json::array({{{"containerID", 0}, {"hostID", gid_}, {"size", 1}},
                             {{"containerID", 1}, {"hostID", kSubordinateStart}, {"size", 65536}}});
            cfg["mounts"].push_back({{"destination", "/data"},
                                     {"type", "bind"},
                                     {"source", dir_ + "/data"},
                                     {"options", {"rbind", "rw"}}});
        });
    writeFile(dir_ + "/data/by-subordinate", "x");
    ASSERT_TRUE(run({"chown", std::to_string(uid_) + ":" + std::to_string(gid_),
                     dir_ + "/data/by-subordinate"})
                    .ok());
    Result r = asUser({"run", "--bundle", dir_ + "/bundle", userId()});
    ASSERT_TRUE(r.ok()) << r;
    // Both maps have the two ranges, and a chown to a subordinate id lands on
    // the host as the subordinate range's id.
    std::string expected_second = std::to_string(kSubordinateStart);
    EXPECT_TRUE(contains(r.out, "chowned")) << r;
    std::size_t rows = 0;
    for (const auto& line : splitLines(r.out))
        if (contains(line, " " + expected_second + " ")) ++rows;
    EXPECT_EQ(rows, 2u) << "uid_map and gid_map each map 1.. to the subordinate range: " << r.out;
    struct stat st;
    ASSERT_EQ(::lstat((dir_ + "/data/by-subordinate").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, kSubordinateStart + 999);
    EXPECT_EQ(st.st_gid, kSubordinateStart + 1999);
}

TEST_F(Rootless, SeveralMappingsOutsideTheSubordinateRangesAreRefusedClearly) {
    if (!exists("/usr/bin/newuidmap")) GTEST_SKIP() << "uidmap not installed";
    ASSERT_NO_FATAL_FAILURE(grantSubordinateIds());
    writeConfig({"true"}, [&](json& cfg) {
        // 100..199 on the host belong to nobody's subordinate range.
        cfg["linux"]["uidMappings"] =
            json::array({{{"containerID", 0}, {"hostID", uid_}, {"size", 1}},
                         {{"containerID", 1}, {"hostID", 100}, {"size", 100}}});
    });
    std::string id = userId();
    Result r = asUser({"create", "--bundle", dir_ + "/bundle", id});
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "newuidmap refused the mappings")) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id)) << "nothing left behind";
}

TEST_F(Rootless, NetDevicesAreRefusedWithoutTouchingTheDevice) {
    // Moving a host device needs CAP_NET_ADMIN in the host's namespace (runc refuses too).
    writeConfig({"true"}, [](json& cfg) {
        cfg["linux"]["netDevices"] = {{"lo", json::object()}};
        bool has_netns = false;  // runc's rootless spec has none: a config error of its own
        for (const auto& ns : cfg["linux"]["namespaces"]) has_netns |= ns["type"] == "network";
        if (!has_netns) cfg["linux"]["namespaces"].push_back({{"type", "network"}});
    });
    std::string id = userId();
    Result r = asUser({"create", "--bundle", dir_ + "/bundle", id});
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err,
                         "config.json: /linux/netDevices: network devices are not "
                         "supported for rootless containers"))
        << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id)) << "nothing left behind";
}

TEST_F(Rootless, ResourceLimitsWithoutADelegatedCgroupAreAClearError) {
    writeConfig({"probe", "sleep", "1"}, [](json& cfg) {
        cfg["linux"]["resources"] = {{"pids", {{"limit", 10}}}};
    });
    std::string id = userId();
    Result r = asUser({"create", "--bundle", dir_ + "/bundle", id});
    if (r.ok()) GTEST_SKIP() << "a cgroup is delegated to the test user on this host";
    EXPECT_TRUE(contains(r.err, "config.json: /linux/resources")) << r;
    EXPECT_TRUE(contains(r.err, "delegated to this user")) << r;
    EXPECT_FALSE(exists(dir_ + "/xdg/minirunc/" + id)) << "nothing left behind";
}

TEST_F(Rootless, PauseAndUpdateWithoutADelegatedCgroupSayWhy) {
    writeConfig({"probe", "sleep", kUntilEnded});
    std::string id = userId();
    Result r = asUser({"--debug", "create", "--bundle", dir_ + "/bundle", id});
    ASSERT_TRUE(r.ok()) << r;
    if (!contains(r.err, "none is delegated")) GTEST_SKIP() << "a cgroup is delegated here";
    r = asUser({"pause", id});
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(contains(r.err, "cannot pause the container: it has no freezer cgroup (rootless"))
        << r;
    r = asUser({"update", "--pids-limit", "5", id});
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(contains(r.err, "cannot update resources: the container has no cgroup (rootless"))
        << r;
    EXPECT_TRUE(asUser({"delete", "--force", id}).ok());
}

// A v1 cgroup delegated to the user (directory, cgroup.procs and tasks
// chowned, as an administrator would): the container's cgroup is made below
// it and its limit applies; hierarchies not delegated are left out quietly.
TEST_F(Rootless, LimitsApplyInACgroupDelegatedToTheUser) {
    const std::string pids = v1Mount("pids");
    if (pids.empty()) GTEST_SKIP() << "no v1 pids hierarchy";
    std::string id = userId();
    std::string delegated = "/minirunc-test/rootless-" + id;
    std::string host_dir = pids + delegated;
    ASSERT_TRUE(run({"mkdir", "-p", host_dir}).ok());
    delegated_dirs_.push_back(host_dir);
    std::string owner = std::to_string(uid_) + ":" + std::to_string(gid_);
    ASSERT_TRUE(
        run({"chown", owner, host_dir, host_dir + "/cgroup.procs", host_dir + "/tasks"}).ok());
    writeConfig({"probe", "sleep", kUntilEnded}, [&](json& cfg) {
        cfg["linux"]["cgroupsPath"] = delegated + "/ctr";
        cfg["linux"]["resources"] = {{"pids", {{"limit", 10}}}};
    });
    Result r = asUser({"create", "--bundle", dir_ + "/bundle", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_FALSE(contains(r.err, "rootless"))
        << "the others, not delegated, are left quietly: " << r;
    EXPECT_EQ(trim(readFile(host_dir + "/ctr/pids.max")), "10");
    json st = parseJson(asUser({"state", id}).out);
    EXPECT_EQ(trim(readFile(host_dir + "/ctr/cgroup.procs")), std::to_string(st.value("pid", 0)));
    r = asUser({"delete", "--force", id});
    EXPECT_TRUE(r.ok()) << r;
    EXPECT_FALSE(exists(host_dir + "/ctr")) << "the container's cgroup is removed";
}

}  // namespace
}  // namespace minirunc::test
