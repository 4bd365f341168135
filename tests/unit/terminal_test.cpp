#include "minirunc/terminal.hpp"

#include <gtest/gtest.h>

namespace minirunc {
namespace {

TEST(Terminal, TtyWithoutSocketIsFineInTheForeground) {
    EXPECT_EQ(terminal_options_error(true, false, false), "");
}

TEST(Terminal, DetachedTtyNeedsAConsoleSocket) {
    EXPECT_EQ(terminal_options_error(true, true, false),
              "cannot allocate tty if minirunc will detach without setting console socket");
    EXPECT_EQ(terminal_options_error(true, true, true), "");
}

TEST(Terminal, ConsoleSocketNeedsATtyAndDetaching) {
    const std::string expected =
        "cannot use console socket if minirunc will not detach or allocate tty";
    EXPECT_EQ(terminal_options_error(false, true, true), expected);
    EXPECT_EQ(terminal_options_error(false, false, true), expected);
    EXPECT_EQ(terminal_options_error(true, false, true), expected);
}

TEST(Terminal, NoTtyNoSocketIsPlainStdio) {
    EXPECT_EQ(terminal_options_error(false, true, false), "");
    EXPECT_EQ(terminal_options_error(false, false, false), "");
}

TEST(Terminal, PtyPathIsTheDevptsName) {
    EXPECT_EQ(pty_path(0), "/dev/pts/0");
    EXPECT_EQ(pty_path(17), "/dev/pts/17");
}

TEST(Terminal, EofInputFinishesAPartialLineFirst) {
    EXPECT_EQ(pty_eof_input('\x04', false), "\x04");
    EXPECT_EQ(pty_eof_input('\x04', true), "\x04\x04");
}

}  // namespace
}  // namespace minirunc
