#include "minirunc/rlimits.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

TEST(Rlimits, AllSixteen) {
    const auto& table = rlimit_table();
    ASSERT_EQ(table.size(), 16u);
    std::set<int> numbers;
    for (const auto& [name, resource] : table) {
        EXPECT_EQ(name.rfind("RLIMIT_", 0), 0u);
        numbers.insert(resource);
    }
    // Every resource 0..RLIM_NLIMITS-1 exactly once.
    EXPECT_EQ(numbers.size(), 16u);
    EXPECT_EQ(*numbers.begin(), 0);
    EXPECT_EQ(*numbers.rbegin(), RLIM_NLIMITS - 1);
    EXPECT_TRUE(std::is_sorted(table.begin(), table.end()));
}

TEST(Rlimits, Lookup) {
    EXPECT_EQ(rlimit_resource("RLIMIT_AS"), RLIMIT_AS);
    EXPECT_EQ(rlimit_resource("RLIMIT_CORE"), RLIMIT_CORE);
    EXPECT_EQ(rlimit_resource("RLIMIT_CPU"), RLIMIT_CPU);
    EXPECT_EQ(rlimit_resource("RLIMIT_DATA"), RLIMIT_DATA);
    EXPECT_EQ(rlimit_resource("RLIMIT_FSIZE"), RLIMIT_FSIZE);
    EXPECT_EQ(rlimit_resource("RLIMIT_LOCKS"), RLIMIT_LOCKS);
    EXPECT_EQ(rlimit_resource("RLIMIT_MEMLOCK"), RLIMIT_MEMLOCK);
    EXPECT_EQ(rlimit_resource("RLIMIT_MSGQUEUE"), RLIMIT_MSGQUEUE);
    EXPECT_EQ(rlimit_resource("RLIMIT_NICE"), RLIMIT_NICE);
    EXPECT_EQ(rlimit_resource("RLIMIT_NOFILE"), RLIMIT_NOFILE);
    EXPECT_EQ(rlimit_resource("RLIMIT_NPROC"), RLIMIT_NPROC);
    EXPECT_EQ(rlimit_resource("RLIMIT_RSS"), RLIMIT_RSS);
    EXPECT_EQ(rlimit_resource("RLIMIT_RTPRIO"), RLIMIT_RTPRIO);
    EXPECT_EQ(rlimit_resource("RLIMIT_RTTIME"), RLIMIT_RTTIME);
    EXPECT_EQ(rlimit_resource("RLIMIT_SIGPENDING"), RLIMIT_SIGPENDING);
    EXPECT_EQ(rlimit_resource("RLIMIT_STACK"), RLIMIT_STACK);
}

TEST(Rlimits, Unknown) {
    try {
        rlimit_resource("X");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "unknown rlimit type \"X\"");
    }
    EXPECT_THROW(rlimit_resource("rlimit_nofile"), Error);
    EXPECT_THROW(rlimit_resource("NOFILE"), Error);
}
