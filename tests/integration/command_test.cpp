// The harness's own contract: run() must work while other threads of the test process
// allocate (the watchdog thread starts as each test begins). A child that allocated
// between fork and exec could inherit a locked allocator and hang until the timeout.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "command.hpp"

namespace minirunc::test {
namespace {

TEST(Harness, RunDoesNotHangWhileAnotherThreadAllocates) {
    std::atomic<bool> stop = false;
    std::thread allocator([&stop] {
        while (!stop.load(std::memory_order_relaxed)) {
            // As the watchdog does: a thread starting, with captured state on the heap.
            std::function<void()> work = [text = std::string(100, 'x')] {
                std::vector<std::unique_ptr<char[]>> blocks;
                for (int i = 0; i < 16; ++i)
                    blocks.push_back(std::make_unique<char[]>(64 + i * 16));
            };
            std::thread(std::move(work)).join();
        }
    });
    RunOptions options;
    options.timeout = 10s;
    options.extra_fds = {0, 1};
    int failures = 0;
    for (int i = 0; i < 300 && failures == 0; ++i) {
        Result r = run({"true"}, options);
        if (!r.ok()) {
            ++failures;
            ADD_FAILURE() << "run " << i << ":" << r;
        }
    }
    stop = true;
    allocator.join();
}

// A command that overruns is killed, and the failure says what it was doing.
TEST(Harness, TimedOutCommandIsKilledAndReportsWhatItWasDoing) {
    RunOptions options;
    options.timeout = 300ms;
    Result r;
    EXPECT_NONFATAL_FAILURE(r = run({"sleep", "30"}, options), "exe: /usr/bin/sleep");
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.signal, SIGKILL);
    EXPECT_NE(r.hang.find("wchan: "), std::string::npos) << r.hang;
}

}  // namespace
}  // namespace minirunc::test
