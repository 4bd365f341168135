// events: the container's cgroup stats (once with --stats, else every
// --interval) and OOM notifications, one JSON object per line, as runc.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdio>

#include "cgroup_view.hpp"
#include "minirunc/cgroup_stats.hpp"
#include "minirunc/container_id.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/sys/process.hpp"
#include "runtime.hpp"
#include "state_store.hpp"

namespace minirunc::runtime {
namespace {

using ojson = nlohmann::ordered_json;

nlohmann::ordered_json container_stats(const ContainerCgroups& cgroups) {
    auto sizes = hugepage_sizes(list_dir("/sys/kernel/mm/hugepages"));
    if (cgroups.layout == CgroupLayout::V2) {
        return cgroup_stats_v2(
            [&](const std::string&, const std::string& file) {
                return read_cgroup_file(cgroups.v2 + "/" + file);
            },
            sizes);
    }
    return cgroup_stats_v1(
        [&](const std::string& controller, const std::string& file) -> std::optional<std::string> {
            std::string dir = cgroups.v1_dir(controller);
            if (dir.empty()) return std::nullopt;
            return read_cgroup_file(dir + "/" + file);
        },
        sizes);
}

// One line per event; false once stdout is gone.
bool emit(const std::string& type, const std::string& id, const ojson* data) {
    ojson event = {{"type", type}, {"id", id}};
    if (data) event["data"] = *data;
    std::string line = event.dump() + "\n";
    return std::fwrite(line.data(), 1, line.size(), stdout) == line.size() &&
           std::fflush(stdout) == 0;
}

// OOM notifications: v1 an eventfd registered on memory.oom_control through
// cgroup.event_control; v2 inotify on memory.events and its "oom" counter.
class OomWatch {
  public:
    explicit OomWatch(const ContainerCgroups& cgroups) {
        if (std::string memory = cgroups.v1_dir("memory"); !memory.empty()) {
            open_v1(memory);
        } else if (cgroups.layout == CgroupLayout::V2 && !cgroups.v2.empty() &&
                   sys::path_exists(cgroups.v2 + "/memory.events")) {
            open_v2(cgroups.v2);
        }
    }

    int fd() const { return fd_.get(); }

    // The OOM events since the last call (the fd was readable, or not).
    uint64_t take() {
        if (!fd_) return 0;
        if (!v2_) {
            uint64_t count = 0;
            if (::read(fd_.get(), &count, sizeof count) != sizeof count) return 0;
            // The eventfd also fires when the cgroup is removed.
            if (!sys::path_exists(control_)) {
                fd_.reset();
                return 0;
            }
            return count;
        }
        char buf[4096];
        while (::read(fd_.get(), buf, sizeof buf) > 0) {
        }
        uint64_t now = oom_count();
        uint64_t events = now > last_ ? now - last_ : 0;
        last_ = now;
        return events;
    }

  private:
    void open_v1(const std::string& dir) {
        UniqueFd event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!event) throw_errno("eventfd");
        oom_control_ = sys::open_file(dir + "/memory.oom_control", O_RDONLY);
        control_ = dir + "/cgroup.event_control";
        sys::write_file(control_,
                        std::to_string(event.get()) + " " + std::to_string(oom_control_.get()));
        fd_ = std::move(event);
    }

    void open_v2(const std::string& dir) {
        UniqueFd watch(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (!watch) throw_errno("inotify_init1");
        events_ = dir + "/memory.events";
        if (::inotify_add_watch(watch.get(), events_.c_str(), IN_MODIFY) < 0)
            throw_errno("inotify_add_watch " + events_);
        v2_ = true;
        fd_ = std::move(watch);
        last_ = oom_count();
    }

    uint64_t oom_count() const {
        for (const auto& [key, value] : parse_flat_keyed(read_cgroup_file(events_).value_or("")))
            if (key == "oom") return value;
        return 0;
    }

    UniqueFd fd_;
    UniqueFd oom_control_;
    std::string control_;
    std::string events_;
    bool v2_ = false;
    uint64_t last_ = 0;
};

UniqueFd interval_timer(int64_t nanoseconds) {
    UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer) throw_errno("timerfd_create");
    itimerspec spec{};
    spec.it_interval.tv_sec = nanoseconds / 1000000000;
    spec.it_interval.tv_nsec = nanoseconds % 1000000000;
    spec.it_value = spec.it_interval;
    if (::timerfd_settime(timer.get(), 0, &spec, nullptr)) throw_errno("timerfd_settime");
    return timer;
}

}  // namespace

int cmd_events(Runtime& runtime, const cli::CommandLine& command) {
    const std::string& id = command.args[0];
    validate_container_id(id);
    Container container = load_container(runtime, id);
    int64_t interval = parse_go_duration(command.flags.get("interval", "5s"), "interval");
    if (interval <= 0) throw Error("duration interval must be greater than 0");
    if (container.status == Status::Stopped)
        throw Error("container with id " + id + " is not running");
    ContainerCgroups cgroups = container_cgroups(container.state.cgroup_dirs);
    if (command.flags.flag("stats")) {
        ojson stats = container_stats(cgroups);
        emit("stats", id, &stats);
        return 0;
    }
    // Until the container stops; a closed stdout ends it too.
    ::signal(SIGPIPE, SIG_IGN);
    UniqueFd init = sys::open_live_process(container.state.pid, container.state.pid_start_time);
    if (!init) throw Error("container with id " + id + " is not running");
    OomWatch oom(cgroups);
    UniqueFd timer = interval_timer(interval);
    for (;;) {
        pollfd fds[3] = {{init.get(), POLLIN, 0}, {timer.get(), POLLIN, 0}, {oom.fd(), POLLIN, 0}};
        if (::poll(fds, oom.fd() >= 0 ? 3 : 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno("poll");
        }
        // An OOM kill of the init comes with its exit: reported first.
        for (uint64_t n = oom.take(); n > 0; --n)
            if (!emit("oom", id, nullptr)) return 0;
        if (fds[0].revents) return 0;
        if (fds[1].revents & POLLIN) {
            uint64_t ticks;
            if (::read(timer.get(), &ticks, sizeof ticks) == sizeof ticks) {
                ojson stats = container_stats(cgroups);
                if (!emit("stats", id, &stats)) return 0;
            }
        }
    }
}

}  // namespace minirunc::runtime
