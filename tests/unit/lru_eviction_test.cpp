#include "minirunc/lru_eviction.hpp"

#include <gtest/gtest.h>

using namespace minirunc;

TEST(LruEviction, NothingGoesWithinBothLimits) {
    EXPECT_TRUE(plan_lru_eviction({{"a", 10, 1}, {"b", 10, 2}}, {2, 20}).empty());
    EXPECT_TRUE(plan_lru_eviction({}, {0, 0}).empty());
}

TEST(LruEviction, TheLeastRecentlyUsedGoFirstUntilTheCountFits) {
    EXPECT_EQ(plan_lru_eviction({{"new", 1, 30}, {"old", 1, 10}, {"mid", 1, 20}}, {1, 100}),
              (std::vector<std::string>{"old", "mid"}));
}

TEST(LruEviction, TheByteLimitEvictsTooEvenWhenTheCountFits) {
    EXPECT_EQ(plan_lru_eviction({{"a", 600, 1}, {"b", 600, 2}, {"c", 100, 3}}, {10, 1000}),
              (std::vector<std::string>{"a"}));
}

TEST(LruEviction, AnEntryLargerThanTheWholeLimitGoesToo) {
    EXPECT_EQ(plan_lru_eviction({{"huge", 5000, 2}, {"small", 10, 1}}, {10, 1000}),
              (std::vector<std::string>{"small", "huge"}));
}

TEST(LruEviction, TiesAreBrokenByName) {
    EXPECT_EQ(plan_lru_eviction({{"b", 1, 5}, {"a", 1, 5}}, {1, 100}),
              (std::vector<std::string>{"a"}));
}
