#include "minirunc/container_id.hpp"

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

std::string id_error(const std::string& id) {
    try {
        validate_container_id(id);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(ContainerId, AcceptsRuncIdCharacters) {
    EXPECT_EQ(id_error("abc"), "");
    EXPECT_EQ(id_error("a_B-9.x+y"), "");
    EXPECT_EQ(id_error("..."), "");
    EXPECT_EQ(id_error(".hidden"), "");
    EXPECT_EQ(id_error("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), "");
}

TEST(ContainerId, AcceptsCommaLikeRuncsCharacterRange) {
    // runc's class [\w+-\.] contains the range '+'..'.', which includes ','.
    EXPECT_EQ(id_error("a,b"), "");
}

TEST(ContainerId, RejectsEmpty) {
    EXPECT_EQ(id_error(""), "container id cannot be empty");
}

TEST(ContainerId, RejectsDotAndDotDot) {
    EXPECT_EQ(id_error("."), "invalid container id format: .");
    EXPECT_EQ(id_error(".."), "invalid container id format: ..");
}

TEST(ContainerId, RejectsPathAndSpecialCharacters) {
    for (const char* id : {"a/b", "../x", "a b", "a:b", "a*", "é", "a\nb", "tab\t"})
        EXPECT_EQ(id_error(id), std::string("invalid container id format: ") + id) << id;
}

TEST(ContainerId, LimitsLength) {
    EXPECT_EQ(id_error(std::string(1024, 'a')), "");
    const std::string long_id(1025, 'a');
    EXPECT_EQ(id_error(long_id), "invalid container id format: " + long_id);
}

}  // namespace
}  // namespace minirunc
