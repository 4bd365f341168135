// The sync channel between the runtime and its init: one SOCK_SEQPACKET
// socket, one JSON object per message (`{"type": ...}`), fds by SCM_RIGHTS.
// An "error" message can arrive at any point and is raised as an Error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "minirunc/unique_fd.hpp"

namespace minirunc::sys {

struct Message {
    nlohmann::json body;
    std::vector<UniqueFd> fds;

    // "" when missing or not a string: a peer's garbage is a protocol error, not a crash.
    std::string type() const {
        auto it = body.find("type");
        return it != body.end() && it->is_string() ? it->get<std::string>() : "";
    }
};

class Channel {
  public:
    Channel() = default;
    explicit Channel(UniqueFd fd) : fd_(std::move(fd)) {}

    // A connected pair, both ends close-on-exec.
    static std::pair<Channel, Channel> pair();

    void send(const nlohmann::json& body, const std::vector<int>& fds = {});
    void send_error(const std::string& message, int err = 0) noexcept;
    // Throws Error("... closed") on EOF.
    Message recv();
    // recv() that returns nothing on EOF: for a peer whose close is the news.
    std::optional<Message> try_recv();
    // recv() that raises an "error" message as Error and rejects other types.
    Message expect(const std::string& type);

    int fd() const { return fd_.get(); }
    UniqueFd& owned_fd() { return fd_; }
    void close() { fd_.reset(); }

  private:
    UniqueFd fd_;
};

// Raises an "error" message as Error (`fallback` when it carries no text).
void raise_if_error(const Message& message, const std::string& fallback = "unknown error");
// Raises an "error" message as Error, and any type but `type` as a protocol error.
void check_message(const Message& message, const std::string& type);

// Sends one message carrying `fds` on any unix socket (also used for --console-socket).
void send_fds(int socket, const std::string& payload, const std::vector<int>& fds);
// On a stream socket: `fds` ride with the first part, the rest of the payload
// follows as plain data (as the runtime-spec allows for seccomp agents).
void send_all_with_fds(int socket, const std::string& payload, const std::vector<int>& fds);

}  // namespace minirunc::sys
