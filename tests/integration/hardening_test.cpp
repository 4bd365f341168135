// Past container-runtime escapes, each reproduced against the runtime. Every
// test says what a naive runtime does and why the test then fails. Escapes
// covered elsewhere (see README.md here): symlinked mount destinations and
// /proc or /sys symlinks (path_safety_test.cpp), a /dev/console symlink
// (console_test.cpp), host fds in run/create/exec (Run.WorkloadGetsOnlyStdioFds,
// Exec.NoHostFdReachesTheProcess), read-only cgroup mounts (cgroups_test.cpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

class Hardening : public RuntimeTest {
  protected:
    // A config over a private writable copy of the test rootfs.
    json writableConfig(const std::vector<std::string>& args) {
        if (rootfs_.empty()) rootfs_ = copyRootfs();
        json cfg = config(args);
        cfg["root"] = {{"path", rootfs_}, {"readonly", false}};
        return cfg;
    }
    static void withoutDevTmpfs(json& cfg) {
        auto& mounts = cfg["mounts"];
        mounts.erase(std::remove_if(mounts.begin(), mounts.end(),
                                    [](const json& m) { return m["destination"] == "/dev"; }),
                     mounts.end());
    }
    // Runs `script` (a file in the rootfs) as a startContainer hook: pid 1 of
    // the container is then still the runtime's init, blocked until the hook
    // returns. The workload waits for the script's background part to write
    // /attack.done and prints /attack.log.
    Result runHookAttack(const std::string& script) {
        json cfg = writableConfig(
            {"sh", "-c",
             "i=0; while [ ! -e /attack.done ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); "
             "done; cat /attack.log"});
        writeFile(rootfs_ + "/attack.sh", script);
        cfg["hooks"]["startContainer"] = {
            {{"path", "/bin/sh"}, {"args", {"sh", "/attack.sh"}}, {"timeout", 20}}};
        return runProbe(cfg);
    }
    std::string rootfs_;
};

// The binaries of the runtime that a container process could see as some
// /proc/<pid>/exe: the runtime and, next to it, its init.
std::vector<std::string> runtimeBinaries() {
    std::vector<std::string> files = {runtimePath()};
    std::string init = runtimePath().substr(0, runtimePath().rfind('/') + 1) + "minirunc-init";
    if (exists(init)) files.push_back(init);
    return files;
}

// CVE-2019-5736: a container process opens /proc/<init>/exe while the
// runtime's init runs in the container, waits for it to execute the
// workload, then reopens the held fd for writing and overwrites the host's
// binary. A naive init (executed from the file on disk, dumpable) lets the
// open succeed and the write land in the host binary; minirunc's init is a
// sealed memfd copy and not dumpable, so /proc/1/exe cannot even be opened.
TEST_F(Hardening, InitBinaryCannotBeOverwrittenThroughProcExe) {
    std::vector<std::string> before;
    for (const auto& file : runtimeBinaries()) before.push_back(readFile(file));
    // The hook opens /proc/1/exe while pid 1 is still the init (it waits for
    // the open), then, in the background, writes once pid 1 runs the workload.
    Result r = runHookAttack(R"SH(
first=$(readlink /proc/1/exe)
(
  sh -c '
    echo held=yes >/attack.held
    i=0
    while [ "$(readlink /proc/1/exe)" = "$0" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
    if echo pwned >> /proc/self/fd/3; then echo wrote=yes; else echo wrote=no; fi
  ' "$first" 3</proc/1/exe || echo held=no >/attack.held
  cat /attack.held
  echo done
) >/attack.log 2>&1 </dev/null &
while [ ! -e /attack.held ]; do sleep 0.01; done
( while ! grep -q done /attack.log 2>/dev/null; do sleep 0.05; done; touch /attack.done ) \
  >/dev/null 2>&1 </dev/null &
)SH");
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_FALSE(contains(r.out, "wrote=yes")) << r.out;
    if (runtimeName() == "minirunc") {
        EXPECT_TRUE(contains(r.out, "held=no")) << r.out;
    }
    auto files = runtimeBinaries();
    for (size_t i = 0; i < files.size(); ++i)
        EXPECT_TRUE(readFile(files[i]) == before[i]) << files[i] << " was modified";
}

// CVE-2019-5736 with the dumpable check out of the way: even a process that
// holds /proc/<init>/exe (here the host's root, which may open it) cannot
// write through it once the init has executed the workload. The init must run
// from something no writer reaches: a sealed memfd or a read-only mount.
TEST_F(Hardening, InitExecutableIsNotWritableEvenWhenHeld) {
    std::vector<std::string> before;
    for (const auto& file : runtimeBinaries()) before.push_back(readFile(file));
    std::string id = newId();
    std::string bundle = makeBundle(id, config({"probe", "sleep", kUntilEnded}));
    Result r = rt({"create", "--bundle", bundle, id});
    ASSERT_TRUE(r.ok()) << r;
    std::string exe = "/proc/" + std::to_string(state(id).value("pid", 0)) + "/exe";
    int held = ::open(exe.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(held, 0) << exe << ": " << strerror(errno);
    ASSERT_TRUE(rt({"start", id}).ok());
    std::string again = "/proc/self/fd/" + std::to_string(held);
    int writable = ::open(again.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    ssize_t wrote = writable >= 0 ? ::write(writable, "pwned", 5) : -1;
    if (writable >= 0) ::close(writable);
    ::close(held);
    EXPECT_LT(wrote, 0) << "wrote through the init's executable";
    auto files = runtimeBinaries();
    for (size_t i = 0; i < files.size(); ++i)
        EXPECT_TRUE(readFile(files[i]) == before[i]) << files[i] << " was modified";
    rt({"delete", "--force", id});
}

// CVE-2016-9962: while the init sets the container up, a container process
// reads its fds through /proc/1/fd (runc's held a host directory). A naive,
// dumpable init lists them; minirunc's init is not dumpable until execve.
TEST_F(Hardening, InitFdsAreNotReachableThroughProc) {
    // The fd numbers show (the directory is the owner's); their targets must not.
    Result r = runHookAttack(R"SH(
n=0
for f in /proc/1/fd/*; do readlink "$f" >/dev/null 2>&1 && n=$((n+1)); done
echo "fd targets readable: $n" >/attack.log
if ls /proc/1/root/ >/dev/null 2>&1; then echo root=visible; else echo root=hidden; fi >>/attack.log
if cat /proc/1/environ >/dev/null 2>&1; then echo environ=visible; else echo environ=hidden; fi >>/attack.log
touch /attack.done
)SH");
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(r.out, "fd targets readable: 0")) << r.out;
    EXPECT_TRUE(contains(r.out, "root=hidden")) << r.out;
    EXPECT_TRUE(contains(r.out, "environ=hidden")) << r.out;
}

// CVE-2024-21626: process.cwd "/proc/self/fd/N" resolved by the init names
// one of its own fds; a naive init chdirs there and the workload starts with
// a cwd outside the container (here: a procfs without the container's
// masked and read-only paths, from which host sysctls are writable). The
// container must either be refused or get a cwd inside its root.
TEST_F(Hardening, CwdThroughAnInheritedFdNeverLeavesTheRootfs) {
    for (int fd = 3; fd <= 15; ++fd) {
        SCOPED_TRACE("cwd /proc/self/fd/" + std::to_string(fd));
        json cfg = config({"probe", "cwd"});
        cfg["process"]["cwd"] = "/proc/self/fd/" + std::to_string(fd);
        Result r = runProbe(cfg);
        if (r.ok()) {
            EXPECT_EQ(r.out.substr(0, 1), "/") << r;
        } else {
            // Refused by the runtime, not a workload with an unreachable cwd.
            EXPECT_FALSE(contains(r.err, "probe:")) << r;
        }
    }
}

TEST_F(Hardening, ExecCwdThroughAnInheritedFdNeverLeavesTheRootfs) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded}))));
    for (int fd = 3; fd <= 15; ++fd) {
        SCOPED_TRACE("exec --cwd /proc/self/fd/" + std::to_string(fd));
        Result r = rt({"exec", "--cwd", "/proc/self/fd/" + std::to_string(fd), id, "probe", "cwd"});
        if (r.ok()) {
            EXPECT_EQ(r.out.substr(0, 1), "/") << r;
        } else {
            EXPECT_FALSE(contains(r.err, "probe:")) << r;
        }
    }
}

// CVE-2016-3697: a numeric user given as a string was looked up as a name in
// the image's /etc/passwd, where "1000" can be an account with uid 0. The
// runtime-spec uid is a number: a naive runtime that resolves it through the
// image's passwd runs this workload as root.
TEST_F(Hardening, NumericUidIsNeverResolvedThroughTheImagesPasswd) {
    json cfg = writableConfig({"probe", "ids"});
    std::string passwd = readFile(rootfs_ + "/etc/passwd");
    writeFile(rootfs_ + "/etc/passwd", "1000:x:0:0:evil:/:/bin/sh\n" + passwd);
    writeFile(rootfs_ + "/etc/group", "1000:x:0:\n" + readFile(rootfs_ + "/etc/group"));
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    json ids = parseJson(trim(r.out));
    for (const char* key : {"uid", "euid", "suid", "gid", "egid", "sgid"})
        EXPECT_EQ(ids.value(key, -1), 1000) << key << " in " << ids;
}

// CVE-2025-31133: the image's /dev/null (no /dev tmpfs) is a symlink to a
// file of the container, a directory or a regular file. A naive runtime
// bind-mounts that over each masked path: the masked file then shows, and
// writes reach, whatever /dev/null points to. Masks must be the real null
// device; a refusal is safe too, and the target never changes. (Replacing
// the image's /dev/null by the real device node is fine.)
TEST_F(Hardening, MaskedPathsNeverUseTheImagesDevNull) {
    for (const std::string kind : {"symlink", "directory", "file"}) {
        SCOPED_TRACE(kind);
        rootfs_.clear();
        json cfg = writableConfig(
            {"sh", "-c", "probe stat /secret; probe read /secret | wc -c; echo x > /secret"});
        rootfs_ = cfg["root"]["path"];
        withoutDevTmpfs(cfg);
        cfg["linux"]["maskedPaths"].push_back("/secret");
        writeFile(rootfs_ + "/secret", "secret\n");
        writeFile(rootfs_ + "/marker", "precious\n");
        std::string null = rootfs_ + "/dev/null";
        unlink(null.c_str());
        if (kind == "symlink") {
            ASSERT_EQ(symlink("/marker", null.c_str()), 0);
        } else if (kind == "directory") {
            ASSERT_EQ(mkdir(null.c_str(), 0755), 0);
            writeFile(null + "/inside", "data\n");
        } else {
            writeFile(null, "not a device\n");
        }
        Result r = runProbe(cfg);
        if (r.ok()) {
            auto lines = splitLines(r.out);
            ASSERT_EQ(lines.size(), 2u) << r;
            json st = parseJson(lines[0]);
            EXPECT_EQ(st.value("type", ""), "char") << st;
            EXPECT_EQ(st.value("major", -1), 1) << st;
            EXPECT_EQ(st.value("minor", -1), 3) << st;
            EXPECT_EQ(trim(lines[1]), "0") << r;
        }
        EXPECT_EQ(readFile(rootfs_ + "/marker"), "precious\n");
        EXPECT_EQ(readFile(rootfs_ + "/secret"), "secret\n");
        ASSERT_TRUE(run({"rm", "-rf", rootfs_}).ok());
    }
}

// CVE-2025-31133 class: the image's /dev (no /dev tmpfs in the config) has a
// regular file, or a symlink to a host path, where /dev/null goes. A naive
// runtime truncates, replaces or follows it; the image's bytes and the host
// file must stay as they were, and the container still gets the null device.
TEST_F(Hardening, ImageEntryAtDevNullIsNeverWrittenFollowedOrRemoved) {
    std::string hostFile = tmp_ + "/host-file";
    for (const std::string kind : {"file", "symlink"}) {
        SCOPED_TRACE(kind);
        rootfs_.clear();
        json cfg =
            writableConfig({"sh", "-c", "echo overwritten > /dev/null; probe stat /dev/null"});
        withoutDevTmpfs(cfg);
        writeFile(hostFile, "host bytes\n");
        std::string null = rootfs_ + "/dev/null";
        unlink(null.c_str());
        if (kind == "file")
            writeFile(null, "image bytes\n");
        else
            ASSERT_EQ(symlink(hostFile.c_str(), null.c_str()), 0);
        Result r = runProbe(cfg);
        if (kind == "file" || r.ok()) {
            ASSERT_TRUE(r.ok()) << r;
            json st = parseJson(trim(r.out));
            if (runtimeName() != "runc") {  // runc leaves the image's entry in place
                EXPECT_EQ(st.value("type", ""), "char") << st;
                EXPECT_EQ(st.value("major", -1), 1) << st;
                EXPECT_EQ(st.value("minor", -1), 3) << st;
            }
        } else {
            EXPECT_TRUE(contains(r.err, "/dev/null is a symlink")) << r;
        }
        struct stat st;
        ASSERT_EQ(lstat(null.c_str(), &st), 0);
        if (kind == "file") {
            EXPECT_TRUE(S_ISREG(st.st_mode));
            EXPECT_EQ(readFile(null), "image bytes\n");
        } else {
            EXPECT_TRUE(S_ISLNK(st.st_mode));
        }
        EXPECT_EQ(readFile(hostFile), "host bytes\n");
        ASSERT_TRUE(run({"rm", "-rf", rootfs_}).ok());
    }
}

// CVE-2025-52881: a mount over a file in /proc/sys redirects the runtime's
// sysctl writes. A naive runtime writes net.ipv4.ip_forward through the
// container's /proc after its mounts, i.e. into the bind-mounted file; the
// write must go to the container's own network namespace (or be refused),
// never to the covering file, and never to the host's value.
TEST_F(Hardening, SysctlWritesAreNotRedirectedByMountsOverProcSys) {
    const std::string key = "/proc/sys/net/ipv4/ip_forward";
    std::string host_value = readFile(key);
    std::string value = trim(host_value) == "1" ? "0" : "1";
    json cfg = writableConfig({"probe", "exit", "0"});
    writeFile(rootfs_ + "/decoy", "sentinel\n");
    cfg["mounts"].push_back({{"destination", "/proc/sys/net/ipv4/ip_forward"},
                             {"type", "bind"},
                             {"source", rootfs_ + "/decoy"},
                             {"options", {"bind", "rw"}}});
    cfg["linux"]["sysctl"] = {{"net.ipv4.ip_forward", value}};
    Result r = runProbe(cfg);
    SCOPED_TRACE(::testing::Message() << r);
    EXPECT_EQ(readFile(rootfs_ + "/decoy"), "sentinel\n");
    EXPECT_EQ(readFile(key), host_value);
}

// CVE-2021-30465 / CVE-2024-45310: a container that shares a volume with
// another swaps a directory of it for a symlink to a host path while the
// other container's mounts are set up. A naive runtime checks the path,
// then mounts by path, and the swapped symlink sends the mount (and the
// mount point it creates) to the host. Every target must resolve inside the
// rootfs whatever the timing: the host directory stays empty and unmounted.
TEST_F(Hardening, MountDestinationSwappedByARacingContainerStaysInside) {
    std::string shared = tmp_ + "/shared", outside = tmp_ + "/outside";
    ASSERT_EQ(mkdir(shared.c_str(), 0777), 0);
    ASSERT_EQ(mkdir(outside.c_str(), 0755), 0);
    json swapper = config({"sh", "-c",
                           "while :; do rm -rf /shared/d; mkdir /shared/d; rm -rf /shared/d; "
                           "ln -s " +
                               outside + " /shared/d; done"});
    swapper["mounts"].push_back({{"destination", "/shared"},
                                 {"type", "bind"},
                                 {"source", shared},
                                 {"options", {"rbind", "rw"}}});
    auto racer = newId();
    ASSERT_TRUE(createAndStart(racer, makeBundle(racer, swapper)));

    json victim = writableConfig({"probe", "exit", "0"});
    victim["root"]["readonly"] = true;
    victim["mounts"].push_back({{"destination", "/shared"},
                                {"type", "bind"},
                                {"source", shared},
                                {"options", {"rbind", "rw"}}});
    victim["mounts"].push_back(
        {{"destination", "/shared/d/x"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    for (int i = 0; i < 20; ++i) {
        Result r = runProbe(victim);  // succeeding or failing are both fine
        SCOPED_TRACE(::testing::Message() << "attempt " << i << ": " << r);
        ASSERT_TRUE(listDir(outside).empty()) << ::testing::PrintToString(listDir(outside));
        for (const auto& m : hostMounts()) ASSERT_FALSE(startsWithPath(m.mountPoint, outside));
    }
    ASSERT_TRUE(rt({"delete", "--force", racer}).ok());
}

}  // namespace
}  // namespace minirunc::test
