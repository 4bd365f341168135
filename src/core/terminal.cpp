#include "minirunc/terminal.hpp"

namespace minirunc {

std::string terminal_options_error(bool terminal, bool detach, bool console_socket) {
    if (terminal && detach && !console_socket)
        return "cannot allocate tty if minirunc will detach without setting console socket";
    if (console_socket && (!terminal || !detach))
        return "cannot use console socket if minirunc will not detach or allocate tty";
    return "";
}

std::string pty_path(unsigned index) {
    return "/dev/pts/" + std::to_string(index);
}

std::string pty_eof_input(char eof_char, bool mid_line) {
    return std::string(mid_line ? 2 : 1, eof_char);
}

}  // namespace minirunc
