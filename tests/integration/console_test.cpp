// process.terminal with --console-socket: the pty master reaches the caller,
// the container sees the pty as its controlling terminal and /dev/console.
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "harness.hpp"
#include "pty_util.hpp"

namespace minirunc::test {
namespace {

class Console : public RuntimeTest {
  protected:
    json ttyConfig(const std::vector<std::string>& args) {
        json cfg = config(args);
        cfg["process"]["terminal"] = true;
        return cfg;
    }

    // `create --console-socket` for cfg; returns the pty master the caller got
    // (invalid, with a test failure, if anything went wrong).
    Fd createWithConsole(const std::string& id, const json& cfg, std::string* payload = nullptr) {
        ConsoleListener listener(tmp_ + "/console-" + id + ".sock");
        Result c = rt(
            {"create", "--console-socket", listener.path(), "--bundle", makeBundle(id, cfg), id});
        if (!c.ok()) {
            ADD_FAILURE() << "create failed" << c;
            return Fd();
        }
        // The master was sent during create: accepting only now must work.
        Fd connection = listener.accept();
        if (!connection) return Fd();
        SocketMessage message = receiveMessage(connection.get());
        if (!message.received || message.fds.size() != 1) {
            ADD_FAILURE() << "expected one message with one fd, got " << message.fds.size()
                          << " fds";
            return Fd();
        }
        if (payload) *payload = message.payload;
        EXPECT_FALSE(receiveMessage(connection.get(), 2s).received)
            << "more than one message on the console socket";
        return std::move(message.fds[0]);
    }

    // A container running args on a pty, started; its master.
    Fd startWithConsole(const std::string& id, const json& cfg) {
        Fd master = createWithConsole(id, cfg);
        if (master) {
            Result s = rt({"start", id});
            EXPECT_TRUE(s.ok()) << s;
        }
        return master;
    }

    // No tmpfs on /dev: the image's own /dev is used.
    static void withoutDevTmpfs(json& cfg) {
        auto& mounts = cfg["mounts"];
        mounts.erase(std::remove_if(mounts.begin(), mounts.end(),
                                    [](const json& m) { return m["destination"] == "/dev"; }),
                     mounts.end());
    }
};

TEST_F(Console, SocketGetsOnePtyMasterDuringCreate) {
    auto id = newId();
    std::string payload;
    Fd master = createWithConsole(id, ttyConfig({"tty"}), &payload);
    ASSERT_TRUE(master);
    EXPECT_EQ(payload.rfind("/dev/", 0), 0u) << "payload: " << payload;
    unsigned index = 99;
    EXPECT_EQ(ioctl(master.get(), TIOCGPTN, &index), 0) << "not a pty master";
    EXPECT_EQ(state(id).value("status", ""), "created");
}

TEST_F(Console, TtyIsDevPts0) {
    auto id = newId();
    Fd master = startWithConsole(id, ttyConfig({"sh", "-c", "tty; echo E''ND"}));
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "/dev/pts/0\r\n")) << out;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Console, DevConsoleIsThePty) {
    auto id = newId();
    Fd master = startWithConsole(
        id, ttyConfig({"sh", "-c", "probe stat /dev/console; probe stat /dev/pts/0; echo E''ND"}));
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    auto lines = splitLines(out);
    ASSERT_GE(lines.size(), 2u) << out;
    json console = parseJson(trim(lines[0])), pts = parseJson(trim(lines[1]));
    EXPECT_EQ(console.value("type", ""), "char") << out;
    EXPECT_EQ(console.value("major", -1), pts.value("major", -2)) << out;
    EXPECT_EQ(console.value("minor", -1), pts.value("minor", -2)) << out;
}

TEST_F(Console, ConsoleSizeIsSetBeforeTheWorkloadStarts) {
    auto id = newId();
    json cfg = ttyConfig({"sh", "-c", "stty size; echo E''ND"});
    cfg["process"]["consoleSize"] = {{"height", 40}, {"width", 120}};
    Fd master = startWithConsole(id, cfg);
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "40 120\r\n")) << out;
}

TEST_F(Console, ResizeReachesTheContainer) {
    auto id = newId();
    Fd master = startWithConsole(
        id, ttyConfig({"sh", "-c", "stty -echo; echo ready; while read l; do stty size; done"}));
    ASSERT_TRUE(master);
    ASSERT_TRUE(contains(readUntil(master.get(), "ready"), "ready"));
    setWindowSize(master.get(), 50, 132);
    writeText(master.get(), "\n");
    std::string out = readUntil(master.get(), "50 132");
    EXPECT_TRUE(contains(out, "50 132")) << out;
}

TEST_F(Console, CtrlCInterruptsTheForegroundProcess) {
    auto id = newId();
    Fd master = startWithConsole(
        id, ttyConfig({"sh", "-c",
                       "trap 'echo GOTINT; exit 0' INT; echo ready; while :; do sleep 0.1; done"}));
    ASSERT_TRUE(master);
    ASSERT_TRUE(contains(readUntil(master.get(), "ready"), "ready"));
    writeText(master.get(), "\x03");
    std::string out = readUntil(master.get(), "GOTINT");
    EXPECT_TRUE(contains(out, "GOTINT")) << out;
    EXPECT_TRUE(waitForStatus(id, "stopped"));
}

TEST_F(Console, InteractiveShellHasJobControl) {
    auto id = newId();
    Fd master = startWithConsole(id, ttyConfig({"sh", "-i"}));
    ASSERT_TRUE(master);
    writeText(master.get(), "sleep 5 &\njobs; echo E''ND\n");
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "Running")) << out;
    EXPECT_TRUE(contains(out, "sleep 5")) << out;
    EXPECT_FALSE(contains(out, "can't access tty")) << out;
}

TEST_F(Console, WorkloadUserOwnsThePty) {
    auto id = newId();
    json cfg = ttyConfig({"sh", "-c", "probe stat /dev/pts/0; echo E''ND"});
    cfg["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    Fd master = startWithConsole(id, cfg);
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_EQ(parseJson(trim(splitLines(out).at(0))).value("uid", -1), 1000) << out;
}

TEST_F(Console, DetachedTerminalWithoutSocketIsRefused) {
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"create"}, std::vector<std::string>{"run", "-d"}}) {
        auto id = newId();
        std::vector<std::string> args = command;
        args.insert(args.end(), {"--bundle", makeBundle(id, ttyConfig({"true"})), id});
        Result r = rt(args);
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "cannot allocate tty if")) << r;
        EXPECT_TRUE(contains(r.err, "without setting console socket")) << r;
        EXPECT_TRUE(listDir(stateRoot_).empty());
    }
}

TEST_F(Console, SocketWithoutTerminalIsRefused) {
    ConsoleListener listener(tmp_ + "/console.sock");
    auto id = newId();
    Result r = rt({"create", "--console-socket", listener.path(), "--bundle",
                   makeBundle(id, config({"true"})), id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot use console socket")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Console, SocketWithForegroundRunIsRefused) {
    ConsoleListener listener(tmp_ + "/console.sock");
    auto id = newId();
    Result r = rt({"run", "--console-socket", listener.path(), "--bundle",
                   makeBundle(id, ttyConfig({"true"})), id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "cannot use console socket")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Console, UnreachableSocketFailsCreateCleanly) {
    std::string stale = tmp_ + "/stale.sock";
    { ConsoleListener gone(stale); }  // the socket file stays, nobody listens
    for (const std::string& path : {tmp_ + "/no-such.sock", stale}) {
        SCOPED_TRACE(path);
        auto id = newId();
        Result r = rt({"create", "--console-socket", path, "--bundle",
                       makeBundle(id, ttyConfig({"true"})), id});
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, path)) << r;
        EXPECT_TRUE(listDir(stateRoot_).empty());
    }
}

// CVE-2025-52565: /dev/console in the image is a symlink; the runtime must
// neither mount over nor truncate what it points to.
TEST_F(Console, DevConsoleSymlinkIsNeverFollowed) {
    std::string rootfs = copyRootfs();
    writeFile(rootfs + "/marker", "precious\n");
    mkdir((rootfs + "/dev").c_str(), 0755);
    ASSERT_EQ(symlink("/marker", (rootfs + "/dev/console").c_str()), 0);
    json cfg = ttyConfig({"sh", "-c", "probe stat /dev/console; cat /marker; echo E''ND"});
    cfg["root"] = {{"path", rootfs}, {"readonly", false}};
    withoutDevTmpfs(cfg);
    auto id = newId();
    Fd master = startWithConsole(id, cfg);
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "\"type\":\"char\"")) << out;
    EXPECT_TRUE(contains(out, "precious")) << out;
    EXPECT_EQ(readFile(rootfs + "/marker"), "precious\n");
    struct stat st;
    ASSERT_EQ(lstat((rootfs + "/marker").c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(Console, ReadonlyRootWithoutDevTmpfs) {
    std::string rootfs = copyRootfs();
    json cfg = ttyConfig({"sh", "-c", "tty; probe stat /dev/console; echo E''ND"});
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    withoutDevTmpfs(cfg);
    auto id = newId();
    Fd master = startWithConsole(id, cfg);
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "/dev/pts/0")) << out;
    EXPECT_TRUE(contains(out, "\"type\":\"char\"")) << out;
}

TEST_F(Console, InAUserNamespace) {
    json cfg = ttyConfig({"sh", "-c", "tty; probe stat /dev/console; stty size; echo E''ND"});
    cfg["process"]["consoleSize"] = {{"height", 33}, {"width", 77}};
    cfg["linux"]["namespaces"].push_back({{"type", "user"}});
    cfg["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    cfg["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    cfg["root"]["path"] = rootfsForMappedUsers();
    auto id = newId();
    Fd master = startWithConsole(id, cfg);
    ASSERT_TRUE(master);
    std::string out = readUntil(master.get(), "END");
    EXPECT_TRUE(contains(out, "/dev/pts/0\r\n")) << out;
    EXPECT_TRUE(contains(out, "\"type\":\"char\"")) << out;
    EXPECT_TRUE(contains(out, "33 77\r\n")) << out;
}

}  // namespace
}  // namespace minirunc::test
