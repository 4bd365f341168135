// Where the pty master of a new container process goes: to the caller's
// --console-socket (one message, the pty's path as payload, the master by
// SCM_RIGHTS, as runc sends it), or to us for a foreground `run`.
#pragma once

#include <string>

#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {

// Connects to the unix socket at `path`. Done before anything is created, so
// an unreachable socket fails the command with nothing left behind.
UniqueFd connect_console_socket(const std::string& path);
// Sends `master_fd` over `socket` as runc does.
void send_console_master(int socket, int master_fd);

// The LaunchHandlers::on_console of a command.
class ConsoleTarget {
  public:
    // socket_path: --console-socket ("" for none); keep_master: where a
    // foreground command wants the master itself (may be null).
    ConsoleTarget(const std::string& socket_path, UniqueFd* keep_master);
    void deliver(int master_fd);

  private:
    UniqueFd socket_;
    UniqueFd* keep_master_;
};

}  // namespace minirunc::runtime
