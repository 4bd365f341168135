#include "cgroup_freezer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "cgroup_view.hpp"
#include "cgroups.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"
#include "pidns_pids.hpp"

namespace minirunc::runtime {
namespace {

using Clock = std::chrono::steady_clock;

void write_control(const std::string& path, const std::string& value) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) throw_errno("open " + path);
    if (::write(fd.get(), value.data(), value.size()) < 0) throw_errno("write " + path);
}

std::string first_word(const std::optional<std::string>& text) {
    if (!text) return "";
    return text->substr(0, text->find_first_of(" \n"));
}

// v1: FROZEN or THAWED, polled until freezer.state says so. A task can stay
// FREEZING (e.g. a vfork parent on old kernels): like runc, thaw and freeze
// again from time to time.
void set_v1(const std::string& dir, bool frozen, std::chrono::milliseconds timeout) {
    const std::string file = dir + "/freezer.state";
    const std::string want = frozen ? "FROZEN" : "THAWED";
    write_control(file, want);
    auto deadline = Clock::now() + timeout;
    for (int attempt = 1;; ++attempt) {
        auto state = read_cgroup_file(file);
        if (!state) throw Error("read " + file + ": the container's freezer cgroup is gone");
        if (first_word(state) == want) return;
        if (Clock::now() >= deadline) break;
        if (frozen && attempt % 200 == 0) {
            write_control(file, "THAWED");
            write_control(file, want);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt < 20 ? 1 : 5));
    }
    if (frozen) write_control(file, "THAWED");
    throw Error(std::string("unable to ") + (frozen ? "freeze" : "thaw") + ": " + file +
                " did not reach " + want);
}

// v2: cgroup.freeze, then cgroup.events until "frozen 0|1" (notified with POLLPRI).
void set_v2(const std::string& dir, bool frozen, std::chrono::milliseconds timeout) {
    const std::string events = dir + "/cgroup.events";
    UniqueFd fd(::open(events.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("open " + events);
    write_control(dir + "/cgroup.freeze", frozen ? "1" : "0");
    const std::string want = std::string("frozen ") + (frozen ? "1" : "0");
    auto deadline = Clock::now() + timeout;
    for (;;) {
        char buf[512];
        ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
        if (n < 0) throw_errno("read " + events);
        std::string text(buf, static_cast<size_t>(n));
        if (text.find(want + "\n") != std::string::npos) return;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        pollfd pfd{fd.get(), POLLPRI, 0};
        // Bounded, in case a notification is missed.
        if (::poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 100))) < 0 &&
            errno != EINTR)
            throw_errno("poll " + events);
    }
    if (frozen) write_control(dir + "/cgroup.freeze", "0");
    throw Error(std::string("unable to ") + (frozen ? "freeze" : "thaw") + ": " + events +
                " did not report " + want);
}

void set_frozen(const ContainerState& state, bool frozen, std::chrono::milliseconds timeout) {
    if (state.freezer_dir.empty())
        throw Error(std::string("cannot ") + (frozen ? "pause" : "resume") +
                    " the container: it has no freezer cgroup");
    if (state.freezer_v2)
        set_v2(state.freezer_dir, frozen, timeout);
    else
        set_v1(state.freezer_dir, frozen, timeout);
}

void signal_pids(const std::vector<pid_t>& pids, int signal) {
    for (pid_t pid : pids) {
        UniqueFd process(sys::pidfd_open(pid));
        if (!process) continue;
        try {
            sys::send_signal(process.get(), signal);
        } catch (const Error&) {
            // A process on its way out.
        }
    }
}

}  // namespace

void freeze_container(const ContainerState& state, std::chrono::milliseconds timeout) {
    set_frozen(state, true, timeout);
}

void thaw_container(const ContainerState& state, std::chrono::milliseconds timeout) {
    set_frozen(state, false, timeout);
}

void signal_all_processes(const ContainerState& state, int signal) {
    ContainerCgroups cgroups = container_cgroups(state.cgroup_dirs);
    const bool was_frozen = cgroup_frozen(state);
    if (signal == SIGKILL && !cgroups.v2.empty() && sys::path_exists(cgroups.v2 + "/cgroup.kill")) {
        try {
            write_control(cgroups.v2 + "/cgroup.kill", "1");
            if (was_frozen) thaw_container(state);
            return;
        } catch (const Error&) {
            // Removed meanwhile, or refused: the slow way below.
        }
    }
    // Every process is in every hierarchy: one directory lists them all.
    std::string dir = !cgroups.v2.empty()          ? cgroups.v2
                      : !state.freezer_dir.empty() ? state.freezer_dir
                      : !state.cgroup_dirs.empty() ? state.cgroup_dirs.front()
                                                   : "";
    // No cgroup at all (rootless, nothing delegated): its pid namespace.
    if (state.cgroup_dirs.empty()) return signal_pids(pid_namespace_pids(state), signal);
    if (dir.empty() || !sys::path_exists(dir)) return;
    // Empty and running: nobody left to fork into it, so no freeze is needed
    // (the usual delete of a stopped container with its own pid namespace).
    std::vector<pid_t> pids = subtree_pids(dir);
    if (pids.empty() && !was_frozen) return;
    bool frozen_here = false;
    // Signal 0 delivers nothing, so no fork can escape it: no freeze.
    if (signal != 0 && !was_frozen && !state.freezer_dir.empty()) {
        try {
            freeze_container(state, std::chrono::seconds(2));
            frozen_here = true;
        } catch (const Error&) {
            // Signalled unfrozen then: a fork may escape, as without a freezer.
        }
    }
    // Listed again once frozen: what forked before the freeze is in it now.
    signal_pids(frozen_here ? subtree_pids(dir) : pids, signal);
    if (frozen_here || (was_frozen && signal == SIGKILL)) {
        try {
            thaw_container(state);
        } catch (const Error&) {
        }
    }
}

}  // namespace minirunc::runtime
