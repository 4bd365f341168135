#include "core/text.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using minirunc::text::split;
using minirunc::text::trim;
using Parts = std::vector<std::string>;

TEST(TextSplit, KeepsEveryPartEmptyOnesIncluded) {
    EXPECT_EQ(split("a,,b,", ','), (Parts{"a", "", "b", ""}));
    EXPECT_EQ(split("", ','), (Parts{""}));
    EXPECT_EQ(split("one", ','), (Parts{"one"}));
    EXPECT_EQ(split(":x", ':'), (Parts{"", "x"}));
}

TEST(TextTrim, RemovesOnlyTheGivenBlanksAtBothEnds) {
    EXPECT_EQ(trim("  a b\t"), "a b");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim("\na\n"), "\na\n");  // newlines are kept unless asked for
    EXPECT_EQ(trim("\n a \n", " \t\n"), "a");
}
