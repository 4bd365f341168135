#include "minirunc/signals.hpp"

#include <csignal>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using minirunc::Error;
using minirunc::parse_signal;
using minirunc::signal_name;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_signal(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Signals, NamesWithAndWithoutPrefix) {
    EXPECT_EQ(parse_signal("KILL"), SIGKILL);
    EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
    EXPECT_EQ(parse_signal("TERM"), SIGTERM);
    EXPECT_EQ(parse_signal("SIGHUP"), SIGHUP);
    EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
}

TEST(Signals, CaseInsensitiveLikeRunc) {
    EXPECT_EQ(parse_signal("kill"), SIGKILL);
    EXPECT_EQ(parse_signal("sigterm"), SIGTERM);
    EXPECT_EQ(parse_signal("SigUsr1"), SIGUSR1);
}

TEST(Signals, Aliases) {
    EXPECT_EQ(parse_signal("IOT"), SIGABRT);
    EXPECT_EQ(parse_signal("SIGCLD"), SIGCHLD);
    EXPECT_EQ(parse_signal("POLL"), SIGIO);
    EXPECT_EQ(signal_name(SIGABRT), "SIGABRT");
    EXPECT_EQ(signal_name(SIGCHLD), "SIGCHLD");
}

TEST(Signals, Numbers) {
    EXPECT_EQ(parse_signal("9"), 9);
    EXPECT_EQ(parse_signal("15"), 15);
    EXPECT_EQ(parse_signal("1"), 1);
    EXPECT_EQ(parse_signal("64"), 64);
    EXPECT_EQ(parse_signal("+9"), 9);  // Go's Atoi takes a sign
    EXPECT_EQ(parse_signal("0"), 0);   // a liveness probe, as kill(2)
}

TEST(Signals, NumbersOutOfRange) {
    EXPECT_EQ(error_of("99"), "invalid signal number 99");
    EXPECT_EQ(error_of("65"), "invalid signal number 65");
    EXPECT_EQ(error_of("-9"), "invalid signal number -9");
    EXPECT_EQ(error_of("123456789012345678901234"),
              "invalid signal number 123456789012345678901234");
}

TEST(Signals, RealTime) {
    EXPECT_EQ(parse_signal("RTMIN"), SIGRTMIN);
    EXPECT_EQ(parse_signal("SIGRTMIN"), 34);
    EXPECT_EQ(parse_signal("RTMIN+3"), 37);
    EXPECT_EQ(parse_signal("SIGRTMIN+1"), 35);
    EXPECT_EQ(parse_signal("rtmin+1"), 35);
    EXPECT_EQ(parse_signal("RTMAX"), SIGRTMAX);
    EXPECT_EQ(parse_signal("RTMAX-2"), 62);
    EXPECT_EQ(parse_signal("SIGRTMAX-30"), 34);
    EXPECT_EQ(parse_signal("RTMIN+30"), 64);
}

TEST(Signals, RealTimeOutOfRangeOrMalformed) {
    for (const char* text : {"RTMIN+31", "RTMAX-31", "RTMIN-1", "RTMAX+1", "RTMIN+", "RTMINX",
                             "RTMIN+1000", "RTMIN+ 1"}) {
        EXPECT_EQ(error_of(text), std::string("unknown signal \"") + text + "\"") << text;
    }
}

TEST(Signals, UnknownNameQuotesTheInput) {
    EXPECT_EQ(error_of("FOO"), "unknown signal \"FOO\"");
    EXPECT_EQ(error_of("sigfoo"), "unknown signal \"sigfoo\"");
    EXPECT_EQ(error_of(""), "unknown signal \"\"");
    EXPECT_EQ(error_of("SIG"), "unknown signal \"SIG\"");
    EXPECT_EQ(error_of(" 9"), "unknown signal \" 9\"");
}

TEST(Signals, NameOfNumber) {
    EXPECT_EQ(signal_name(9), "SIGKILL");
    EXPECT_EQ(signal_name(15), "SIGTERM");
    EXPECT_EQ(signal_name(34), "SIGRTMIN");
    EXPECT_EQ(signal_name(35), "SIGRTMIN+1");
    EXPECT_EQ(signal_name(49), "SIGRTMIN+15");
    EXPECT_EQ(signal_name(50), "SIGRTMAX-14");
    EXPECT_EQ(signal_name(63), "SIGRTMAX-1");
    EXPECT_EQ(signal_name(64), "SIGRTMAX");
    EXPECT_EQ(signal_name(32), "SIG32");
    EXPECT_EQ(signal_name(0), "SIG0");
}

TEST(Signals, NameRoundTripsForEveryNumber) {
    for (int n = 1; n <= 64; ++n) {
        if (n == 32 || n == 33) continue;  // glibc's own, no name
        EXPECT_EQ(parse_signal(signal_name(n)), n) << n;
    }
}

TEST(Signals, TableMatchesLibc) {
    const auto& table = minirunc::signal_table();
    EXPECT_EQ(table.size(), 31u);
    for (size_t i = 0; i < table.size(); ++i) {
        EXPECT_EQ(table[i].second, static_cast<int>(i) + 1);
        EXPECT_EQ(table[i].first.rfind("SIG", 0), 0u);
        EXPECT_EQ(parse_signal(table[i].first), table[i].second);
    }
    EXPECT_EQ(parse_signal("SIGSTKFLT"), SIGSTKFLT);
    EXPECT_EQ(parse_signal("SIGPWR"), SIGPWR);
    EXPECT_EQ(parse_signal("SIGSYS"), SIGSYS);
    EXPECT_EQ(parse_signal("SIGURG"), SIGURG);
    EXPECT_EQ(parse_signal("SIGSTOP"), SIGSTOP);
    EXPECT_EQ(parse_signal("SIGCONT"), SIGCONT);
}
