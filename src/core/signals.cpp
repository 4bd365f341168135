#include "minirunc/signals.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

#include "minirunc/error.hpp"

namespace minirunc {

namespace {

// Aliases the kernel headers define; accepted on input, never printed.
const std::vector<std::pair<std::string, int>>& alias_table() {
    static const std::vector<std::pair<std::string, int>> aliases = {
        {"SIGIOT", 6}, {"SIGCLD", 17}, {"SIGPOLL", 29}, {"SIGUNUSED", 31}};
    return aliases;
}

std::string to_upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Parses an optionally signed decimal as Go's strconv.Atoi would; nullopt if
// `s` is not a number at all. Stops reading digits once far out of range.
std::optional<long long> parse_number(const std::string& s) {
    size_t start = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    std::string digits = s.substr(start);
    if (!all_digits(digits)) return std::nullopt;
    long long value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > 1000000) break;  // far out of range either way
    }
    return s[0] == '-' ? -value : value;
}

// "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (already upper-cased, no "SIG").
std::optional<int> parse_realtime(const std::string& name) {
    for (const auto& [base, sign, number] : {std::tuple{std::string("RTMIN"), '+', kSigRtMin},
                                             std::tuple{std::string("RTMAX"), '-', kSigRtMax}}) {
        if (name.compare(0, base.size(), base) != 0) continue;
        std::string rest = name.substr(base.size());
        if (rest.empty()) return number;
        if (rest[0] != sign || !all_digits(rest.substr(1)) || rest.size() > 3) return std::nullopt;
        int offset = std::stoi(rest.substr(1));
        int result = sign == '+' ? number + offset : number - offset;
        if (result < kSigRtMin || result > kSigRtMax) return std::nullopt;
        return result;
    }
    return std::nullopt;
}

}  // namespace

const std::vector<std::pair<std::string, int>>& signal_table() {
    static const std::vector<std::pair<std::string, int>> table = {
        {"SIGHUP", 1},     {"SIGINT", 2},   {"SIGQUIT", 3},   {"SIGILL", 4},   {"SIGTRAP", 5},
        {"SIGABRT", 6},    {"SIGBUS", 7},   {"SIGFPE", 8},    {"SIGKILL", 9},  {"SIGUSR1", 10},
        {"SIGSEGV", 11},   {"SIGUSR2", 12}, {"SIGPIPE", 13},  {"SIGALRM", 14}, {"SIGTERM", 15},
        {"SIGSTKFLT", 16}, {"SIGCHLD", 17}, {"SIGCONT", 18},  {"SIGSTOP", 19}, {"SIGTSTP", 20},
        {"SIGTTIN", 21},   {"SIGTTOU", 22}, {"SIGURG", 23},   {"SIGXCPU", 24}, {"SIGXFSZ", 25},
        {"SIGVTALRM", 26}, {"SIGPROF", 27}, {"SIGWINCH", 28}, {"SIGIO", 29},   {"SIGPWR", 30},
        {"SIGSYS", 31},
    };
    return table;
}

int parse_signal(const std::string& text) {
    if (auto number = parse_number(text)) {
        // 0 sends nothing: kill(2)'s check that the process exists and may
        // be signalled, which callers use as a liveness probe (as with runc).
        if (*number < 0 || *number > kSigRtMax) {
            throw Error("invalid signal number " + text);
        }
        return static_cast<int>(*number);
    }
    std::string name = to_upper(text);
    if (name.compare(0, 3, "SIG") != 0) name = "SIG" + name;
    for (const auto* table : {&signal_table(), &alias_table()}) {
        for (const auto& [known, number] : *table) {
            if (known == name) return number;
        }
    }
    if (auto number = parse_realtime(name.substr(3))) return *number;
    throw Error("unknown signal \"" + text + "\"");
}

std::string signal_name(int number) {
    for (const auto& [name, known] : signal_table()) {
        if (known == number) return name;
    }
    // kill -l's split: RTMIN+1..RTMIN+15 count up, RTMAX-14..RTMAX-1 count down.
    const int last_counted_up = kSigRtMin + 15;
    if (number == kSigRtMin) return "SIGRTMIN";
    if (number == kSigRtMax) return "SIGRTMAX";
    if (number > kSigRtMin && number <= last_counted_up) {
        return "SIGRTMIN+" + std::to_string(number - kSigRtMin);
    }
    if (number > last_counted_up && number < kSigRtMax) {
        return "SIGRTMAX-" + std::to_string(kSigRtMax - number);
    }
    return "SIG" + std::to_string(number);
}

}  // namespace minirunc
