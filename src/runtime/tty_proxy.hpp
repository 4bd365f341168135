// A foreground process with process.terminal and no --console-socket: we hold
// the pty master and copy between it and our own stdio, with our terminal (if
// stdin is one) in raw mode so keys such as Ctrl-C reach the container's pty.
#pragma once

#include <poll.h>
#include <termios.h>

#include <string>
#include <vector>

#include "minirunc/unique_fd.hpp"

namespace minirunc::runtime {

class TtyProxy {
  public:
    // Puts our terminal in raw mode and gives the pty our terminal's size.
    explicit TtyProxy(UniqueFd master);
    // Restores our terminal, on every way out.
    ~TtyProxy();
    TtyProxy(const TtyProxy&) = delete;
    TtyProxy& operator=(const TtyProxy&) = delete;

    // Appends the fds to wait on; handle_events gets the same entries back
    // after poll.
    void add_poll_fds(std::vector<pollfd>& fds) const;
    void handle_events(const pollfd* fds);
    // SIGWINCH: our terminal's new size to the pty.
    void resize();
    // After the process exited: copies what it wrote last.
    void drain();

  private:
    void read_stdin();
    void write_master();
    // False once the pty has no writer left (or fails).
    bool copy_master_output();
    void write_stdout(const char* data, size_t size);

    UniqueFd master_;
    int own_tty_ = -1;  // the first of our fds 0-2 that is a terminal
    bool raw_ = false;  // stdin is a terminal, put in raw mode
    termios saved_{};
    bool stdin_open_ = true;
    bool master_open_ = true;
    bool stdout_open_ = true;
    bool mid_line_ = false;  // the last byte written to the pty was not '\n'
    std::string to_master_;  // stdin data the pty has not taken yet
};

}  // namespace minirunc::runtime
