#include "minirunc/sys/channel.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using minirunc::sys::Channel;
using minirunc::sys::Message;
using nlohmann::json;

namespace {

// A regular file in $TMPDIR, unlinked at once; the fd keeps it alive.
UniqueFd temp_file() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/minirunc-channel-XXXXXX";
    int fd = ::mkstemp(path.data());
    if (fd < 0) return UniqueFd();
    ::unlink(path.c_str());
    return UniqueFd(fd);
}

bool same_file(int a, int b) {
    struct stat sa {
    }, sb{};
    if (::fstat(a, &sa) != 0 || ::fstat(b, &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

std::string recv_error(Channel& channel) {
    try {
        channel.recv();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(SyncChannel, PairIsSeqpacketAndCloseOnExec) {
    auto [a, b] = Channel::pair();
    ASSERT_GE(a.fd(), 0);
    ASSERT_GE(b.fd(), 0);
    for (int fd : {a.fd(), b.fd()}) {
        int type = 0;
        socklen_t len = sizeof type;
        ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
        EXPECT_EQ(type, SOCK_SEQPACKET);
        EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
    }
}

TEST(SyncChannel, SmallMessageRoundTrip) {
    auto [a, b] = Channel::pair();
    json body = {{"type", "pid"}, {"pid", 4242}, {"nested", {{"list", {1, 2, 3}}}}};
    a.send(body);
    Message m = b.recv();
    EXPECT_EQ(m.body, body);
    EXPECT_EQ(m.type(), "pid");
    EXPECT_TRUE(m.fds.empty());
}

TEST(SyncChannel, MessagesKeepTheirBoundariesAndOrder) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "one"}});
    a.send({{"type", "two"}, {"x", "y"}});
    b.send({{"type", "back"}});
    EXPECT_EQ(b.recv().type(), "one");
    auto second = b.recv();
    EXPECT_EQ(second.type(), "two");
    EXPECT_EQ(second.body["x"], "y");
    EXPECT_EQ(a.recv().type(), "back");
}

TEST(SyncChannel, MessageWithoutTypeHasEmptyType) {
    auto [a, b] = Channel::pair();
    a.send({{"pid", 1}});
    EXPECT_EQ(b.recv().type(), "");
}

TEST(SyncChannel, TypeThatIsNotAStringIsEmptyNotAnException) {
    auto [a, b] = Channel::pair();
    a.send({{"type", 1}});
    EXPECT_EQ(b.recv().type(), "");
}

TEST(SyncChannel, TryRecvReadsWhatWasSentThenReportsTheCloseAsNothing) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "ready"}});
    a.close();
    std::optional<Message> first = b.try_recv();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->type(), "ready");
    EXPECT_FALSE(b.try_recv());
    EXPECT_THROW(b.recv(), Error);
}

TEST(SyncChannel, LargeMessageTravelsTransparently) {
    auto [a, b] = Channel::pair();
    std::string big(200 * 1024, 'x');
    for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
    json body = {{"type", "bootstrap"}, {"payload", big}};
    ASSERT_GT(body.dump().size(), 60u * 1024);
    a.send(body);
    Message m = b.recv();
    EXPECT_EQ(m.type(), "bootstrap");
    EXPECT_EQ(m.body["payload"].get<std::string>(), big);
    EXPECT_TRUE(m.fds.empty());  // the memfd is consumed, not handed out
}

TEST(SyncChannel, MessageJustOverTheInlineLimit) {
    auto [a, b] = Channel::pair();
    json body = {{"type", "t"}, {"p", std::string(60 * 1024, 'y')}};
    a.send(body);
    EXPECT_EQ(b.recv().body, body);
}

TEST(SyncChannel, MessageJustUnderTheInlineLimit) {
    auto [a, b] = Channel::pair();
    json body = {{"type", "t"}, {"p", ""}};
    size_t overhead = body.dump().size();
    body["p"] = std::string(60 * 1024 - overhead, 'z');
    ASSERT_EQ(body.dump().size(), 60u * 1024);
    a.send(body);
    EXPECT_EQ(b.recv().body, body);
}

TEST(SyncChannel, FdsArriveAndReferToTheSameFile) {
    auto [a, b] = Channel::pair();
    UniqueFd file = temp_file();
    ASSERT_TRUE(file);
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);

    a.send({{"type", "fds"}}, {file.get(), write_end.get()});
    Message m = b.recv();
    EXPECT_EQ(m.type(), "fds");
    ASSERT_EQ(m.fds.size(), 2u);
    EXPECT_NE(m.fds[0].get(), file.get());
    EXPECT_TRUE(same_file(m.fds[0].get(), file.get()));
    EXPECT_TRUE(same_file(m.fds[1].get(), write_end.get()));

    // The same open file description: a write through the received copy shows up.
    ASSERT_EQ(::write(m.fds[0].get(), "hello", 5), 5);
    char buf[8] = {};
    ASSERT_EQ(::pread(file.get(), buf, sizeof buf, 0), 5);
    EXPECT_EQ(std::string(buf, 5), "hello");
    ASSERT_EQ(::write(m.fds[1].get(), "p", 1), 1);
    char c = 0;
    ASSERT_EQ(::read(read_end.get(), &c, 1), 1);
    EXPECT_EQ(c, 'p');
}

TEST(SyncChannel, ReceivedFdsAreCloseOnExec) {
    auto [a, b] = Channel::pair();
    UniqueFd file = temp_file();
    ASSERT_TRUE(file);
    a.send({{"type", "fd"}}, {file.get()});
    Message m = b.recv();
    ASSERT_EQ(m.fds.size(), 1u);
    EXPECT_TRUE(::fcntl(m.fds[0].get(), F_GETFD) & FD_CLOEXEC);
}

TEST(SyncChannel, LargeMessageKeepsItsFds) {
    auto [a, b] = Channel::pair();
    UniqueFd file = temp_file();
    ASSERT_TRUE(file);
    json body = {{"type", "big"}, {"payload", std::string(100 * 1024, 'q')}};
    a.send(body, {file.get()});
    Message m = b.recv();
    EXPECT_EQ(m.body, body);
    ASSERT_EQ(m.fds.size(), 1u);
    EXPECT_TRUE(same_file(m.fds[0].get(), file.get()));
}

TEST(SyncChannel, TooManyFdsIsAnError) {
    auto [a, b] = Channel::pair();
    UniqueFd file = temp_file();
    ASSERT_TRUE(file);
    std::vector<int> fds(9, file.get());
    EXPECT_THROW(a.send({{"type", "x"}}, fds), Error);
    std::vector<int> eight(8, file.get());
    a.send({{"type", "x"}}, eight);
    EXPECT_EQ(b.recv().fds.size(), 8u);
}

TEST(SyncChannel, ExpectReturnsTheMatchingMessage) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "ready"}, {"pid", 7}});
    Message m = b.expect("ready");
    EXPECT_EQ(m.body["pid"], 7);
}

TEST(SyncChannel, ExpectRaisesAnErrorMessageWithItsTextAndErrno) {
    auto [a, b] = Channel::pair();
    a.send_error("mount /proc: permission denied", EACCES);
    try {
        b.expect("ready");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "mount /proc: permission denied");
        EXPECT_EQ(e.code(), EACCES);
    }
}

TEST(SyncChannel, ExpectRaisesAnErrorMessageWithoutErrno) {
    auto [a, b] = Channel::pair();
    a.send_error("bad config");
    try {
        b.expect("ready");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "bad config");
        EXPECT_EQ(e.code(), 0);
    }
}

TEST(SyncChannel, ExpectingErrorStillRaisesIt) {
    auto [a, b] = Channel::pair();
    a.send_error("boom", EIO);
    EXPECT_THROW(b.expect("error"), Error);
}

TEST(SyncChannel, RecvReturnsAnErrorMessageAsData) {
    auto [a, b] = Channel::pair();
    a.send_error("boom", ENOENT);
    Message m = b.recv();
    EXPECT_EQ(m.type(), "error");
    EXPECT_EQ(m.body["message"], "boom");
    EXPECT_EQ(m.body["errno"], ENOENT);
}

TEST(SyncChannel, ExpectWithTheWrongTypeThrows) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "hooks"}});
    try {
        b.expect("ready");
        FAIL() << "no exception";
    } catch (const Error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("\"ready\""), std::string::npos) << what;
        EXPECT_NE(what.find("\"hooks\""), std::string::npos) << what;
    }
}

TEST(SyncChannel, EofThrows) {
    auto [a, b] = Channel::pair();
    a.close();
    auto message = recv_error(b);
    EXPECT_NE(message.find("closed"), std::string::npos) << message;
    EXPECT_THROW(b.expect("ready"), Error);
}

TEST(SyncChannel, EofAfterPendingMessagesThrowsOnlyAtTheEnd) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "last"}});
    a.close();
    EXPECT_EQ(b.recv().type(), "last");
    EXPECT_THROW(b.recv(), Error);
}

// The init failing while a message of the runtime waits unread: the kernel
// reports ECONNRESET first, and the error the init sent must still arrive.
TEST(SyncChannel, ErrorOfAPeerThatClosedWithOurMessageUnreadStillArrives) {
    auto [a, b] = Channel::pair();
    a.send({{"type", "mappings-written"}});
    b.send_error("idmap mount: invalid argument", EINVAL);
    b.close();
    Message message = a.recv();
    EXPECT_EQ(message.type(), "error");
    EXPECT_EQ(message.body.value("errno", 0), EINVAL);
    EXPECT_THROW(a.recv(), Error);
}

TEST(SyncChannel, SendErrorToAClosedPeerDoesNotThrow) {
    auto [a, b] = Channel::pair();
    b.close();
    EXPECT_NO_THROW(a.send_error("nobody listens", EPIPE));
    EXPECT_THROW(a.send({{"type", "x"}}), Error);
}

TEST(SyncChannel, MalformedPayloadThrows) {
    auto [a, b] = Channel::pair();
    sys::send_fds(a.fd(), "not json", {});
    EXPECT_NE(recv_error(b).find("malformed"), std::string::npos);
    sys::send_fds(a.fd(), "[1,2]", {});
    EXPECT_NE(recv_error(b).find("malformed"), std::string::npos);
}

TEST(SyncChannel, LargeMarkerWithoutMemfdThrows) {
    auto [a, b] = Channel::pair();
    sys::send_fds(a.fd(), R"({"type":"large"})", {});
    EXPECT_NE(recv_error(b).find("malformed"), std::string::npos);
}

TEST(SyncChannel, SendFdsCarriesARawPayload) {
    auto [a, b] = Channel::pair();
    UniqueFd file = temp_file();
    ASSERT_TRUE(file);
    sys::send_fds(a.fd(), R"({"type":"console"})", {file.get()});
    Message m = b.recv();
    EXPECT_EQ(m.type(), "console");
    ASSERT_EQ(m.fds.size(), 1u);
    EXPECT_TRUE(same_file(m.fds[0].get(), file.get()));
}

// The seccomp agent's stream socket: a payload larger than the socket buffer
// arrives whole, and the fd with its first part.
TEST(SendAllWithFds, StreamPayloadArrivesWholeWithTheFd) {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    UniqueFd sender(sv[0]), receiver(sv[1]);
    std::string payload(1 << 20, 'x');
    payload.back() = 'y';
    int pipefd[2];
    ASSERT_EQ(pipe2(pipefd, O_CLOEXEC), 0);
    UniqueFd pipe_read(pipefd[0]), pipe_write(pipefd[1]);
    std::string received;
    int received_fd = -1;
    std::thread reader([&] {
        char buffer[65536];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
        for (;;) {
            iovec iov{buffer, sizeof buffer};
            msghdr msg{};
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            ssize_t n = recvmsg(receiver.get(), &msg, MSG_CMSG_CLOEXEC);
            if (n <= 0) break;
            if (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg && cmsg->cmsg_type == SCM_RIGHTS)
                std::memcpy(&received_fd, CMSG_DATA(cmsg), sizeof received_fd);
            received.append(buffer, static_cast<size_t>(n));
        }
    });
    sys::send_all_with_fds(sender.get(), payload, {pipe_write.get()});
    sender.reset();
    reader.join();
    EXPECT_EQ(received.size(), payload.size());
    EXPECT_TRUE(received == payload);
    ASSERT_GE(received_fd, 0);
    UniqueFd kept(received_fd);
    ASSERT_EQ(write(kept.get(), "z", 1), 1);
    char c = 0;
    ASSERT_EQ(read(pipe_read.get(), &c, 1), 1);
    EXPECT_EQ(c, 'z');
}
