// ps: the container's processes, as pids (json) or through the host's ps.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "cgroups.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "pidns_pids.hpp"
#include "runtime.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {
namespace {

// Runs `ps` with `options` and returns its output (stdout and stderr, as runc).
std::string run_host_ps(const std::vector<std::string>& options) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC)) throw_errno("pipe");
    UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    std::vector<std::string> args = {"ps"};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork");
    if (pid == 0) {
        ::dup2(write_end.get(), STDOUT_FILENO);
        ::dup2(write_end.get(), STDERR_FILENO);
        ::execvp("ps", argv.data());
        ::_exit(127);
    }
    write_end.reset();
    std::string output = sys::read_fd(read_end.get());
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string why = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
        throw Error("ps: " + why + ": " + output);
    }
    return output;
}

// The index of the first "PID" among the header's whitespace-separated words.
int pid_column_of(const std::string& header) {
    std::istringstream words(header);
    std::string word;
    for (int i = 0; words >> word; ++i)
        if (word == "PID") return i;
    throw Error("couldn't find PID field in ps output");
}

}  // namespace

int cmd_ps(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    std::string format = command.flags.get("format", "table");
    if (format != "table" && format != "json") throw Error("invalid format option");
    Container container = load_container(runtime, id);
    // Rootless without any cgroup: the processes of its pid namespace.
    std::vector<pid_t> pids = container.state.cgroup_dirs.empty()
                                  ? pid_namespace_pids(container.state)
                                  : cgroup_pids(container.state);
    if (format == "json") {
        std::string out = "[";
        for (size_t i = 0; i < pids.size(); ++i) out += (i ? "," : "") + std::to_string(pids[i]);
        out += "]\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    std::vector<std::string> options(command.args.begin() + 1, command.args.end());
    if (!options.empty() && options[0] == "--") options.erase(options.begin());
    if (options.empty()) options = {"-ef"};
    std::istringstream lines(run_host_ps(options));
    std::string header;
    std::getline(lines, header);
    int pid_column = pid_column_of(header);
    std::set<pid_t> wanted(pids.begin(), pids.end());
    std::string out = header + "\n";
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string field;
        bool found = false;
        for (int i = 0; !found && fields >> field; ++i) found = i == pid_column;
        if (!found) continue;
        char* end = nullptr;
        long pid = std::strtol(field.c_str(), &end, 10);
        if (*end != '\0') throw Error("unable to parse pid: " + field);
        if (wanted.count(static_cast<pid_t>(pid))) out += line + "\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

}  // namespace minirunc::runtime
