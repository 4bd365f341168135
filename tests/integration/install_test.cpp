// `cmake --install` with any --prefix gives a runtime that finds its init:
// <prefix>/bin/minirunc and <prefix>/libexec/minirunc/minirunc-init.
#include <unistd.h>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Install : public RuntimeTest {};

TEST_F(Install, InstalledRuntimeFindsItsInitUnderAnyPrefix) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests the install layout of this build, not " << runtimePath();
    // <build>/bin/minirunc -> <build>
    std::string build = runtimePath().substr(0, runtimePath().rfind("/bin/"));
    std::string prefix = tmp_ + "/prefix";
    Result install = run({"cmake", "--install", build, "--prefix", prefix});
    if (install.status == 127) GTEST_SKIP() << "cmake not found";
    ASSERT_TRUE(install.ok()) << install;
    ASSERT_EQ(access((prefix + "/bin/minirunc").c_str(), X_OK), 0);
    ASSERT_EQ(access((prefix + "/libexec/minirunc/minirunc-init").c_str(), X_OK), 0);
    EXPECT_FALSE(exists(prefix + "/bin/minirunc-init")) << "the init belongs in libexec";

    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";  // no override: the runtime must find it by itself
    Result r = run({prefix + "/bin/minirunc", "--root", stateRoot_, "run", "--bundle",
                    makeBundle(id, config({"echo", "installed"})), id},
                   o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "installed\n");
}

TEST_F(Install, MissingInitIsAClearError) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests this build's binary, not " << runtimePath();
    // A lone copy of the runtime, with no init beside it or under ../libexec.
    std::string dir = tmp_ + "/lone/bin";
    ASSERT_TRUE(run({"mkdir", "-p", dir}).ok());
    ASSERT_TRUE(run({"cp", runtimePath(), dir + "/minirunc"}).ok());
    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = tmp_ + "/no-such-init";
    Result r = run({dir + "/minirunc", "--root", stateRoot_, "create", "--bundle",
                    makeBundle(id, config()), id},
                   o);
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_TRUE(contains(r.err, "no-such-init")) << r;
    EXPECT_TRUE(contains(r.err, "no such file or directory")) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

}  // namespace
}  // namespace minirunc::test
