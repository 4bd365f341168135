#include "harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#ifndef MINIRUNC_TEST_DEFAULT_BIN
#error "MINIRUNC_TEST_DEFAULT_BIN must be defined by the build"
#endif
#ifndef MINIRUNC_TEST_ROOTFS
#error "MINIRUNC_TEST_ROOTFS must be defined by the build"
#endif
#ifndef MINIRUNC_TEST_BUNDLES_DIR
#error "MINIRUNC_TEST_BUNDLES_DIR must be defined by the build"
#endif

namespace minirunc::test {
namespace {

// Shared by all test processes (ctest may run them in parallel): each test holds it
// shared while it runs; whoever gets it exclusively at the end may remove the
// "/minirunc-test" cgroup parents that the suite created.
constexpr const char* kSuiteLock = "/run/minirunc-it.lock";
// Lists the cgroup hierarchies in which the suite created "/minirunc-test".
constexpr const char* kParentMarker = "/run/minirunc-it.cgroup-parents";
constexpr const char* kCgroupParent = "/minirunc-test";

// The watchdog's deadline: $MINIRUNC_TEST_DEADLINE seconds (tests/CMakeLists.txt
// sets it below ctest's TIMEOUT), else a deadline for a run by hand.
std::chrono::seconds testDeadline() {
    const char* text = getenv("MINIRUNC_TEST_DEADLINE");
    long seconds = text ? strtol(text, nullptr, 10) : 0;
    return std::chrono::seconds(seconds > 0 ? seconds : 600);
}

std::string currentTestName() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
}

std::string errnoText(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

// The runtime's default spec, generated once per process with `<runtime> spec`.
const json& defaultSpec(const std::string& scratch) {
    static json spec;
    if (spec.is_null()) {
        mkdir(scratch.c_str(), 0755);
        Result r = run({runtimePath(), "spec", "--bundle", scratch});
        EXPECT_TRUE(r.ok()) << "cannot get the default spec: " << r;
        if (r.ok()) spec = parseJson(readFile(scratch + "/config.json"));
        removeTree(scratch);
    }
    return spec;
}

}  // namespace

std::string runtimePath() {
    const char* env = std::getenv("MINIRUNC_BIN");
    return env && *env ? env : MINIRUNC_TEST_DEFAULT_BIN;
}

std::string runtimeName() {
    std::string path = runtimePath();
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string testRootfs() {
    return MINIRUNC_TEST_ROOTFS;
}
std::string bundlesDir() {
    return MINIRUNC_TEST_BUNDLES_DIR;
}

// ---------------------------------------------------------------------------------
// RuntimeTest

void RuntimeTest::SetUp() {
    if (geteuid() != 0) {
        skipped_ = true;
        GTEST_SKIP() << "integration tests need root";
    }
    fdsAtStart_ = openFds();
    ASSERT_EQ(access(runtimePath().c_str(), X_OK), 0)
        << "runtime " << runtimePath() << " is not executable (build it, or set MINIRUNC_BIN)";
    ASSERT_TRUE(exists(testRootfs() + "/bin/probe"))
        << "test rootfs " << testRootfs() << " is missing: build the test_rootfs target";

    char tmpl[] = "/tmp/minirunc-it.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr) << errnoText("mkdtemp");
    tmp_ = tmpl;
    chmod(tmp_.c_str(), 0755);
    stateRoot_ = tmp_ + "/state";
    ASSERT_EQ(mkdir(stateRoot_.c_str(), 0700), 0) << errnoText("mkdir " + stateRoot_);
    watchdog_ = std::make_unique<Watchdog>(testDeadline(), currentTestName(),
                                           [this] { cleanUpAfterDeadline(); });

    suiteLockFd_ = open(kSuiteLock, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    ASSERT_GE(suiteLockFd_, 0) << errnoText(kSuiteLock);
    ASSERT_EQ(flock(suiteLockFd_, LOCK_SH), 0) << errnoText("flock");
    // Remember the hierarchies where the cgroup parent is about to be created by us.
    for (const auto& h : cgroupHierarchies()) {
        if (!exists(h + kCgroupParent)) {
            int fd = open(kParentMarker, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (fd >= 0) {
                std::string line = h + "\n";
                EXPECT_EQ(write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
                close(fd);
            }
        }
    }
}

void RuntimeTest::TearDown() {
    if (skipped_) return;
    watchdog_.reset();
    for (pid_t pid : helpers_) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    helpers_.clear();
    if (!tmp_.empty()) {
        cleanUpContainers();
        checkNoLeaks();
        // Only after a leak was reported: detach what is left so the directory can go.
        for (const auto& m : hostMounts()) {
            if (startsWithPath(m.mountPoint, tmp_)) umount2(m.mountPoint.c_str(), MNT_DETACH);
        }
        removeTree(tmp_);
    }
    if (suiteLockFd_ >= 0) {
        // Last test running: remove the cgroup parents the suite created, if empty.
        if (flock(suiteLockFd_, LOCK_EX | LOCK_NB) == 0 && exists(kParentMarker)) {
            for (const auto& h : splitLines(readFile(kParentMarker))) {
                if (!h.empty()) rmdir((h + kCgroupParent).c_str());
            }
            unlink(kParentMarker);
        }
        close(suiteLockFd_);
        suiteLockFd_ = -1;
    }
    // By number: an inherited fd's target may be renamed meanwhile (ctest renames
    // its LastTest.log.tmp while the last tests still run).
    auto fds = openFds();
    auto numbers = [](const std::map<int, std::string>& m) {
        std::vector<int> keys;
        for (const auto& [fd, target] : m) keys.push_back(fd);
        return keys;
    };
    EXPECT_EQ(numbers(fds), numbers(fdsAtStart_))
        << "the test process leaked file descriptors: now " << ::testing::PrintToString(fds)
        << ", at start " << ::testing::PrintToString(fdsAtStart_);
}

void RuntimeTest::cleanUpAfterDeadline() {
    for (const auto& id : listDir(stateRoot_)) {
        Result d = run({runtimePath(), "--root", stateRoot_, "delete", "--force", id},
                       {.timeout = std::chrono::seconds(30)});
        std::fprintf(stderr, "[ WATCHDOG ] delete --force %s: exit %d\n", id.c_str(), d.status);
    }
    for (const auto& m : hostMounts()) {
        if (startsWithPath(m.mountPoint, tmp_)) umount2(m.mountPoint.c_str(), MNT_DETACH);
    }
    removeTree(tmp_);
}

void RuntimeTest::cleanUpContainers() {
    // Remember the container processes to check that delete really got rid of them.
    struct Proc {
        pid_t pid;
        unsigned long long startTime;
    };
    std::vector<Proc> procs;
    for (const auto& id : ids_) {
        Result s = rt({"state", id});
        if (!s.ok() && !exists(stateRoot_ + "/" + id)) continue;  // never created, or deleted
        if (s.ok()) {
            try {
                auto pid = json::parse(s.out).value("pid", 0);
                if (pid > 0) {
                    if (auto st = procStat(pid)) procs.push_back({pid, st->startTime});
                }
            } catch (const json::exception&) {
            }
        }
        Result d = rt({"delete", "--force", id});
        EXPECT_TRUE(d.ok()) << "cleanup: force delete failed" << d;
    }
    bool gone = waitUntil(
        [&] {
            for (const auto& p : procs) {
                auto st = procStat(p.pid);
                if (st && st->startTime == p.startTime && st->state != 'Z') return false;
            }
            return true;
        },
        3s);
    EXPECT_TRUE(gone) << "container processes survived delete --force";
    for (const auto& p : procs) {
        auto st = procStat(p.pid);
        if (st && st->startTime == p.startTime) kill(p.pid, SIGKILL);
    }
}

void RuntimeTest::checkNoLeaks() {
    const std::string rootfs = testRootfs();

    auto left = listDir(stateRoot_);
    EXPECT_TRUE(left.empty()) << "state directory " << stateRoot_
                              << " still holds: " << ::testing::PrintToString(left);

    for (const auto& m : hostMounts()) {
        EXPECT_FALSE(startsWithPath(m.mountPoint, tmp_) || startsWithPath(m.mountPoint, rootfs))
            << "leaked mount on the host: " << m.mountPoint << " (" << m.fsType << ")";
    }

    for (const auto& h : cgroupHierarchies()) {
        for (const auto& cg : cgroupPaths_) {
            EXPECT_FALSE(exists(h + cg)) << "leaked cgroup " << h + cg;
        }
    }

    // Processes rooted in our directories or still in one of our cgroups.
    const pid_t self = getpid();
    auto offenders = [&] {
        std::vector<std::string> found;
        for (pid_t pid : allPids()) {
            if (pid == self) continue;
            std::string base = "/proc/" + std::to_string(pid);
            auto st = procStat(pid);
            if (!st || st->state == 'Z') continue;
            for (const char* link : {"/root", "/cwd"}) {
                std::string target = readLink(base + link);
                if (startsWithPath(target, tmp_) || startsWithPath(target, rootfs)) {
                    found.push_back(base + link + " -> " + target);
                }
            }
            for (const auto& line : splitLines(readFile(base + "/cgroup"))) {
                auto colon = line.find(':', line.find(':') + 1);
                if (colon == std::string::npos) continue;
                std::string path = line.substr(colon + 1);
                for (const auto& cg : cgroupPaths_) {
                    if (startsWithPath(path, cg)) found.push_back(base + " in cgroup " + line);
                }
            }
        }
        return found;
    };
    std::vector<std::string> found;
    waitUntil(
        [&] {
            found = offenders();
            return found.empty();
        },
        2s);
    EXPECT_TRUE(found.empty()) << "leaked processes: " << ::testing::PrintToString(found);

    // Children of the test process: all must have been waited for.
    std::vector<pid_t> children;
    for (pid_t pid : allPids()) {
        auto st = procStat(pid);
        if (st && st->ppid == self) children.push_back(pid);
    }
    EXPECT_TRUE(children.empty()) << "the test left child processes (zombies or running): "
                                  << ::testing::PrintToString(children);
    for (pid_t pid : children) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
}

std::string RuntimeTest::newId() {
    static int counter = 0;
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string prefix;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (prefix.size() >= 20) break;
    }
    std::string id = prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    ids_.push_back(id);
    return id;
}

json RuntimeTest::config(const std::vector<std::string>& args) {
    json cfg = defaultSpec(tmp_ + "/.spec");
    cfg["process"]["terminal"] = false;
    cfg["process"]["args"] = args;
    cfg["root"] = {{"path", testRootfs()}, {"readonly", true}};
    return cfg;
}

std::string RuntimeTest::makeBundle(const std::string& id, json cfg) {
    std::string dir = tmp_ + "/" + id;
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
        ADD_FAILURE() << errnoText("mkdir " + dir);
    }
    if (!cfg["linux"].contains("cgroupsPath")) cfg["linux"]["cgroupsPath"] = cgroupPathFor(id);
    cgroupPaths_.insert(cfg["linux"]["cgroupsPath"].get<std::string>());
    writeFile(dir + "/config.json", cfg.dump(2));
    return dir;
}

std::string RuntimeTest::copyRootfs(const std::string& name) {
    std::string dest = tmp_ + "/" + name;
    Result r = run({"cp", "-a", testRootfs(), dest});
    EXPECT_TRUE(r.ok()) << r;
    return dest;
}

std::string RuntimeTest::rootfsForMappedUsers() {
    std::string rootfs = testRootfs();
    for (std::string dir = rootfs; dir.size() > 1; dir = dir.substr(0, dir.rfind('/'))) {
        struct stat st;
        if (stat(dir.c_str(), &st) != 0 || !(st.st_mode & S_IXOTH))
            return copyRootfs("mapped-users-rootfs");
        if (dir.rfind('/') == 0) break;
    }
    return rootfs;
}

Result RuntimeTest::rt(const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv = {runtimePath(), "--root", stateRoot_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, options);
}

Result RuntimeTest::rtBare(const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv = {runtimePath()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, options);
}

json RuntimeTest::state(const std::string& id) {
    Result r = rt({"state", id});
    if (!r.ok()) {
        ADD_FAILURE() << "state failed" << r;
        return json::object();
    }
    return parseJson(r.out);
}

bool RuntimeTest::waitForStatus(const std::string& id, const std::string& status,
                                std::chrono::milliseconds timeout) {
    std::string last;
    bool ok = waitUntil(
        [&] {
            Result r = rt({"state", id});
            if (!r.ok()) return false;
            try {
                last = json::parse(r.out).value("status", "");
            } catch (const json::exception&) {
                return false;
            }
            return last == status;
        },
        timeout);
    if (!ok) ADD_FAILURE() << "container " << id << " status is '" << last << "', not " << status;
    return ok;
}

bool RuntimeTest::waitForFile(const std::string& path, const std::string& text,
                              std::chrono::milliseconds timeout) {
    bool ok = waitUntil([&] { return contains(readFile(path), text); }, timeout);
    if (!ok) ADD_FAILURE() << path << " never contained '" << text << "': " << readFile(path);
    return ok;
}

bool RuntimeTest::createAndStart(const std::string& id, const std::string& bundle,
                                 const std::string& stdout_path) {
    RunOptions options;
    options.stdout_path = stdout_path;
    Result c = rt({"create", "--bundle", bundle, id}, options);
    if (!c.ok()) {
        ADD_FAILURE() << "create failed" << c;
        return false;
    }
    Result s = rt({"start", id});
    if (!s.ok()) {
        ADD_FAILURE() << "start failed" << s;
        return false;
    }
    return true;
}

Result RuntimeTest::runContainer(const std::string& id, const std::string& bundle,
                                 const RunOptions& options) {
    return rt({"run", "--bundle", bundle, id}, options);
}

Result RuntimeTest::runProbe(json cfg, const RunOptions& options) {
    std::string id = newId();
    return runContainer(id, makeBundle(id, std::move(cfg)), options);
}

pid_t RuntimeTest::spawnHelper(const std::vector<std::string>& argv,
                               const std::string& output_path) {
    pid_t pid = spawn(argv, output_path);
    if (pid > 0) helpers_.push_back(pid);
    return pid;
}

void RuntimeTest::stopHelper(pid_t pid) {
    auto it = std::find(helpers_.begin(), helpers_.end(), pid);
    if (it == helpers_.end()) return;
    helpers_.erase(it);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

}  // namespace minirunc::test
