// A deadline for one test, shorter than ctest's TIMEOUT: ctest kills a test
// that overruns with SIGKILL, so TearDown would never run and its containers,
// cgroups and mounts would stay behind for the tests after it. The watchdog
// fires first, on its own thread, runs the clean-up it was given and ends the
// test process with a failure.
#pragma once

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace minirunc::test {

class Watchdog {
  public:
    Watchdog(std::chrono::seconds deadline, std::string what, std::function<void()> clean_up)
        : thread_([this, deadline, what = std::move(what), clean_up = std::move(clean_up)] {
              std::unique_lock lock(mutex_);
              if (cv_.wait_for(lock, deadline, [this] { return stopped_; })) return;
              std::fprintf(stderr, "[ WATCHDOG ] %s ran past its %llds deadline: cleaning up\n",
                           what.c_str(), static_cast<long long>(deadline.count()));
              clean_up();
              _exit(1);
          }) {}

    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }

    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopped_ = false;
    std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace minirunc::test
