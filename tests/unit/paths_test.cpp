#include "minirunc/paths.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

using namespace minirunc;

namespace {

using Cases = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST(CleanPath, EmptyIsDot) {
    EXPECT_EQ(clean_path(""), ".");
}

TEST(CleanPath, DotStaysDot) {
    EXPECT_EQ(clean_path("."), ".");
    EXPECT_EQ(clean_path("./"), ".");
    EXPECT_EQ(clean_path("./."), ".");
}

TEST(CleanPath, RootStaysRoot) {
    EXPECT_EQ(clean_path("/"), "/");
    EXPECT_EQ(clean_path("//"), "/");
    EXPECT_EQ(clean_path("///."), "/");
    EXPECT_EQ(clean_path("/./"), "/");
}

TEST(CleanPath, RepeatedAndTrailingSlashesAreRemoved) {
    EXPECT_EQ(clean_path("//a//b/"), "/a/b");
    EXPECT_EQ(clean_path("/a/b//"), "/a/b");
    EXPECT_EQ(clean_path("a//b///c"), "a/b/c");
}

TEST(CleanPath, DotAndDotDotAreResolved) {
    EXPECT_EQ(clean_path("/a/./b/../c"), "/a/c");
    EXPECT_EQ(clean_path("/a/b/c/../../d"), "/a/d");
    EXPECT_EQ(clean_path("/a/b/.."), "/a");
    EXPECT_EQ(clean_path("/a/.."), "/");
}

TEST(CleanPath, DotDotNeverClimbsAboveRoot) {
    EXPECT_EQ(clean_path("/.."), "/");
    EXPECT_EQ(clean_path("/../.."), "/");
    EXPECT_EQ(clean_path("/../../etc/passwd"), "/etc/passwd");
    EXPECT_EQ(clean_path("/a/../../b"), "/b");
}

TEST(CleanPath, RelativeKeepsLeadingDotDot) {
    EXPECT_EQ(clean_path("a/../../b"), "../b");
    EXPECT_EQ(clean_path(".."), "..");
    EXPECT_EQ(clean_path("../.."), "../..");
    EXPECT_EQ(clean_path("../a/.."), "..");
    EXPECT_EQ(clean_path("./../x/"), "../x");
}

TEST(CleanPath, RelativeThatCancelsOutIsDot) {
    EXPECT_EQ(clean_path("a/.."), ".");
    EXPECT_EQ(clean_path("a/b/../.."), ".");
}

TEST(CleanPath, AlreadyCleanIsUnchanged) {
    for (const char* p : {"/", "/a", "/a/b/c", "a", "a/b", "..", "../a", "/sys/fs/cgroup"})
        EXPECT_EQ(clean_path(p), p);
}

TEST(CleanPath, NamesThatOnlyLookLikeDots) {
    EXPECT_EQ(clean_path("/a/.../b"), "/a/.../b");
    EXPECT_EQ(clean_path("/a/..b/c"), "/a/..b/c");
    EXPECT_EQ(clean_path("/.hidden/./x"), "/.hidden/x");
}

TEST(CleanPath, IsIdempotent) {
    for (const char* p : {"", "/", "//a//b/", "/a/./b/../c", "/../..", "a/../../b", "./x//y/.."})
        EXPECT_EQ(clean_path(clean_path(p)), clean_path(p)) << p;
}

TEST(CleanPath, MatchesGoPathClean) {
    // Examples from Go's path.Clean tests.
    const Cases cases = {
        {"abc", "abc"},
        {"abc/def", "abc/def"},
        {"a/b/c", "a/b/c"},
        {".", "."},
        {"..", ".."},
        {"../..", "../.."},
        {"../../abc", "../../abc"},
        {"/abc", "/abc"},
        {"/", "/"},
        {"", "."},
        {"abc/", "abc"},
        {"abc/def/", "abc/def"},
        {"/abc/", "/abc"},
        {"abc//def//ghi", "abc/def/ghi"},
        {"//abc", "/abc"},
        {"///abc", "/abc"},
        {"//abc//", "/abc"},
        {"abc//", "abc"},
        {"abc/./def", "abc/def"},
        {"/./abc/def", "/abc/def"},
        {"abc/.", "abc"},
        {"abc/def/ghi/../jkl", "abc/def/jkl"},
        {"abc/def/../ghi/../jkl", "abc/jkl"},
        {"abc/def/..", "abc"},
        {"abc/def/../..", "."},
        {"/abc/def/../..", "/"},
        {"abc/def/../../..", ".."},
        {"/abc/def/../../..", "/"},
        {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
        {"abc/./../def", "def"},
        {"abc//./../def", "def"},
        {"abc/../../././../def", "../../def"},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(clean_path(in), out) << in;
}

TEST(DirnameOf, AbsolutePaths) {
    EXPECT_EQ(dirname_of("/a/b/c"), "/a/b");
    EXPECT_EQ(dirname_of("/a/b"), "/a");
    EXPECT_EQ(dirname_of("/a"), "/");
    EXPECT_EQ(dirname_of("/"), "/");
}

TEST(DirnameOf, RelativePaths) {
    EXPECT_EQ(dirname_of("a/b"), "a");
    EXPECT_EQ(dirname_of("a"), ".");
    EXPECT_EQ(dirname_of(""), ".");
    EXPECT_EQ(dirname_of("."), ".");
}

TEST(DirnameOf, TrailingSlashIsTheLastSeparator) {
    // Lexical: "/a/b/" is the directory "/a/b" with an empty last element.
    EXPECT_EQ(dirname_of("/a/b/"), "/a/b");
}

TEST(DirnameOf, ParentOfACgroupPath) {
    EXPECT_EQ(dirname_of("/user.slice/user-1000.slice/session-2.scope"),
              "/user.slice/user-1000.slice");
}

TEST(JoinPath, OneSlashBetweenParts) {
    EXPECT_EQ(join_path("/a", "b"), "/a/b");
    EXPECT_EQ(join_path("/a/", "b"), "/a/b");
    EXPECT_EQ(join_path("/a", "/b"), "/a/b");
    EXPECT_EQ(join_path("/a/", "/b"), "/a/b");
}

TEST(JoinPath, RootBase) {
    EXPECT_EQ(join_path("/", "b"), "/b");
    EXPECT_EQ(join_path("/", "/b"), "/b");
    EXPECT_EQ(join_path("/", "/"), "/");
}

TEST(JoinPath, RelativeBase) {
    EXPECT_EQ(join_path("a", "b/c"), "a/b/c");
    EXPECT_EQ(join_path(".", "b"), "./b");
}

TEST(JoinPath, EmptyPartsReturnTheOther) {
    EXPECT_EQ(join_path("/a", ""), "/a");
    EXPECT_EQ(join_path("", "b"), "b");
    EXPECT_EQ(join_path("", "/b"), "/b");
    EXPECT_EQ(join_path("", ""), "");
}

TEST(JoinPath, DoesNotCleanTheParts) {
    EXPECT_EQ(join_path("/a/./b", "../c"), "/a/./b/../c");
    EXPECT_EQ(clean_path(join_path("/a/./b", "../c")), "/a/c");
}

TEST(JoinPath, TrailingSlashOfRestIsKept) {
    EXPECT_EQ(join_path("/a", "b/"), "/a/b/");
}
