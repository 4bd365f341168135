// `exec --tty`: with --console-socket (containerd, podman) the pty master of
// the exec'd process reaches the caller; in the foreground minirunc proxies it.
#include <sys/ioctl.h>

#include "harness.hpp"
#include "pty_util.hpp"

namespace minirunc::test {
namespace {

class ExecTty : public RuntimeTest {
  protected:
    // A running container without a terminal of its own.
    std::string startSleeper() {
        std::string id = newId();
        EXPECT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded}))));
        return id;
    }
};

TEST_F(ExecTty, ConsoleSocketGetsThePtyOfTheExecdProcess) {
    std::string id = startSleeper();
    ConsoleListener listener(tmp_ + "/exec-" + id + ".sock");
    Result r = rt({"exec", "--detach", "--tty", "--console-socket", listener.path(), id, "sh", "-c",
                   "tty; stty size; echo E''ND; sleep 1"});
    ASSERT_TRUE(r.ok()) << r;
    Fd connection = listener.accept();
    ASSERT_TRUE(connection);
    SocketMessage message = receiveMessage(connection.get());
    ASSERT_TRUE(message.received);
    ASSERT_EQ(message.fds.size(), 1u);
    unsigned index = 99;
    EXPECT_EQ(ioctl(message.fds[0].get(), TIOCGPTN, &index), 0) << "not a pty master";
    std::string out = readUntil(message.fds[0].get(), "END");
    // The container's own devpts instance: the exec'd shell has a pts of it.
    EXPECT_TRUE(contains(out, "/dev/pts/")) << out;
    EXPECT_TRUE(contains(out, "END")) << out;
}

TEST_F(ExecTty, CtrlCThroughTheMasterInterruptsTheExecdProcess) {
    std::string id = startSleeper();
    ConsoleListener listener(tmp_ + "/exec-" + id + ".sock");
    Result r = rt({"exec", "--detach", "--tty", "--console-socket", listener.path(), id, "sh", "-c",
                   "trap 'echo GOT''INT; exit 0' INT; echo RE''ADY; while :; do sleep 0.1; done"});
    ASSERT_TRUE(r.ok()) << r;
    Fd connection = listener.accept();
    ASSERT_TRUE(connection);
    SocketMessage message = receiveMessage(connection.get());
    ASSERT_EQ(message.fds.size(), 1u);
    ASSERT_TRUE(contains(readUntil(message.fds[0].get(), "READY"), "READY"));
    writeText(message.fds[0].get(), "\x03");
    EXPECT_TRUE(contains(readUntil(message.fds[0].get(), "GOTINT"), "GOTINT"));
}

TEST_F(ExecTty, ForegroundExecWithPipedStdinProxiesThePty) {
    std::string id = startSleeper();
    RunOptions options;
    options.stdin_text = "echo from-stdin-$((40+2))\nexit 3\n";
    Result r = rt({"exec", "--tty", id, "sh"}, options);
    EXPECT_EQ(r.status, 3) << r;
    EXPECT_TRUE(contains(r.out, "from-stdin-42")) << r;
}

}  // namespace
}  // namespace minirunc::test
