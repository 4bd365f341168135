#include "minirunc/sys/channel.hpp"

#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"

namespace minirunc::sys {
namespace {

constexpr size_t kMaxInline = 60 * 1024;  // larger bodies travel in a memfd
constexpr size_t kMaxFds = 8;

}  // namespace

std::pair<Channel, Channel> Channel::pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        throw_errno("socketpair");
    return {Channel(UniqueFd(fds[0])), Channel(UniqueFd(fds[1]))};
}

namespace {

// One sendmsg with `fds` attached; returns how much of the payload went.
size_t sendmsg_with_fds(int socket, const std::string& payload, const std::vector<int>& fds) {
    if (fds.size() > kMaxFds) throw Error("too many fds in one message");
    iovec iov{const_cast<char*>(payload.data()), payload.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
    if (!fds.empty()) {
        std::memset(control, 0, sizeof control);
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
        cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
    }
    for (;;) {
        ssize_t sent = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
        if (sent >= 0) return static_cast<size_t>(sent);
        if (errno != EINTR) throw_errno("sendmsg");
    }
}

}  // namespace

void send_fds(int socket, const std::string& payload, const std::vector<int>& fds) {
    sendmsg_with_fds(socket, payload, fds);
}

void send_all_with_fds(int socket, const std::string& payload, const std::vector<int>& fds) {
    for (size_t done = sendmsg_with_fds(socket, payload, fds); done < payload.size();) {
        ssize_t n = ::send(socket, payload.data() + done, payload.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("send");
        done += static_cast<size_t>(n);
    }
}

void Channel::send(const nlohmann::json& body, const std::vector<int>& fds) {
    std::string text = body.dump();
    if (text.size() <= kMaxInline) return send_fds(fd_.get(), text, fds);
    UniqueFd memfd(::memfd_create("minirunc-message", MFD_CLOEXEC));
    if (!memfd) throw_errno("memfd_create");
    write_all(memfd.get(), text);
    std::vector<int> all = fds;
    all.push_back(memfd.get());
    send_fds(fd_.get(), R"({"type":"large"})", all);
}

void Channel::send_error(const std::string& message, int err) noexcept {
    try {
        send({{"type", "error"}, {"message", message}, {"errno", err}});
    } catch (...) {
        // The peer is gone: nobody is left to tell.
    }
}

Message Channel::recv() {
    std::optional<Message> message = try_recv();
    if (!message) throw Error("sync channel closed by peer");
    return std::move(*message);
}

std::optional<Message> Channel::try_recv() {
    // Not zero-filled: only what the kernel writes is touched (and resident).
    std::unique_ptr<char[]> buffer(new char[kMaxInline + 1]);
    iovec iov{buffer.get(), kMaxInline + 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    bool reset_seen = false;
    for (;;) {
        n = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC);
        if (n >= 0) break;
        if (errno == EINTR) continue;
        // A peer that closed with our messages unread is reported once, ahead
        // of what it sent before closing (the init's error): read that next.
        if (errno != ECONNRESET || reset_seen) break;
        reset_seen = true;
    }
    if (n < 0) throw_errno("recvmsg on sync channel");
    if (n == 0) return std::nullopt;
    Message message;
    for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
            message.fds.emplace_back(fd);
        }
    }
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) throw Error("sync message truncated");
    const char* text = buffer.get();
    message.body = nlohmann::json::parse(text, text + n, nullptr, false);
    if (!message.body.is_object()) throw Error("malformed sync message");
    if (message.type() == "large") {
        if (message.fds.empty()) throw Error("malformed sync message");
        UniqueFd memfd = std::move(message.fds.back());
        message.fds.pop_back();
        if (::lseek(memfd.get(), 0, SEEK_SET) < 0) throw_errno("lseek");
        message.body = nlohmann::json::parse(read_fd(memfd.get()), nullptr, false);
        if (!message.body.is_object()) throw Error("malformed sync message");
    }
    return message;
}

void raise_if_error(const Message& message, const std::string& fallback) {
    if (message.type() == "error")
        throw Error(message.body.value("message", fallback), message.body.value("errno", 0));
}

void check_message(const Message& message, const std::string& type) {
    raise_if_error(message);
    if (message.type() != type)
        throw Error("sync: expected \"" + type + "\", got \"" + message.type() + "\"");
}

Message Channel::expect(const std::string& type) {
    Message message = recv();
    check_message(message, type);
    return message;
}

}  // namespace minirunc::sys
