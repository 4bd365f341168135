#include "minirunc/passwd.hpp"

#include <gtest/gtest.h>

namespace minirunc {
namespace {

const char* const kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken line\n"
    "bad:x:notanumber:0::/bad:/bin/sh\n"
    "nohome:x:7:7:gecos::/bin/sh\n"
    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
    "again:x:1000:1000::/home/again:/bin/sh";  // no final newline

TEST(Passwd, HomeOfTheFirstEntryWithTheUid) {
    EXPECT_EQ(home_for_uid(kPasswd, 0), "/root");
    EXPECT_EQ(home_for_uid(kPasswd, 1), "/usr/sbin");
    EXPECT_EQ(home_for_uid(kPasswd, 1000), "/home/alice");
}

TEST(Passwd, SlashWithoutAnEntryOrAHome) {
    EXPECT_EQ(home_for_uid(kPasswd, 4242), "/");
    EXPECT_EQ(home_for_uid(kPasswd, 7), "/");
    EXPECT_EQ(home_for_uid("", 0), "/");
    EXPECT_EQ(home_for_uid("root:x:0", 0), "/");
}

TEST(Passwd, AnEmptyHomeVariableIsNoHome) {
    EXPECT_FALSE(has_home({}));
    EXPECT_FALSE(has_home({"PATH=/bin", "HOME="}));
    EXPECT_FALSE(has_home({"HOMEDIR=/x"}));
    EXPECT_TRUE(has_home({"PATH=/bin", "HOME=/x"}));
}

}  // namespace
}  // namespace minirunc
