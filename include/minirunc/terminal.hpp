// Pure rules about terminals (process.terminal, --console-socket), shared by
// create, run and exec.
#pragma once

#include <string>

namespace minirunc {

// runc's checks of the terminal flags: the error text, or "" when the
// combination is fine. A detached process with a tty needs a console socket
// to hand the pty to; a console socket needs both a tty and detaching.
std::string terminal_options_error(bool terminal, bool detach, bool console_socket);

// The path of pty number `index` in its devpts instance ("/dev/pts/0"): the
// payload of the --console-socket message, as runc sends it.
std::string pty_path(unsigned index);

// What to write to a pty when our (non-terminal) stdin ends: the EOF
// character, twice when the last line was not finished (the first only
// pushes the partial line to the reader).
std::string pty_eof_input(char eof_char, bool mid_line);

}  // namespace minirunc
