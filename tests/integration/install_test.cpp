// `cmake --install` with any --prefix gives a runtime that finds its init and
// helpers: <prefix>/sbin/minirunc and <prefix>/libexec/minirunc/.
#include <sys/stat.h>
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
    ASSERT_EQ(access((prefix + "/sbin/minirunc").c_str(), X_OK), 0);
    ASSERT_EQ(access((prefix + "/libexec/minirunc/minirunc-init").c_str(), X_OK), 0);
    EXPECT_FALSE(exists(prefix + "/sbin/minirunc-init")) << "the init belongs in libexec";

    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";  // no override: the runtime must find it by itself
    Result r = run({prefix + "/sbin/minirunc", "--root", stateRoot_, "run", "--bundle",
                    makeBundle(id, config({"echo", "installed"})), id},
                   o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "installed\n");
}

TEST_F(Install, InstalledRuntimeRunsItsHelpersFromLibexec) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests the install layout of this build, not " << runtimePath();
    std::string build = runtimePath().substr(0, runtimePath().rfind("/bin/"));
    std::string prefix = tmp_ + "/prefix";
    Result install = run({"cmake", "--install", build, "--prefix", prefix});
    if (install.status == 127) GTEST_SKIP() << "cmake not found";
    ASSERT_TRUE(install.ok()) << install;
    const std::string helper = prefix + "/libexec/minirunc/minirunc-netdev";
    if (!exists(helper)) GTEST_SKIP() << "built without libmnl: no minirunc-netdev helper";
    // A stand-in helper that says where it was found: the runtime beside it in
    // <prefix>/sbin must run this one, not the build tree's.
    writeFile(helper, "#!/bin/sh\necho \"helper from $0\" >&2\nexit 1\n");
    ASSERT_EQ(chmod(helper.c_str(), 0755), 0);
    auto id = newId();
    json cfg = config({"true"});
    cfg["linux"]["netDevices"] = {{"mrnd-absent0", json::object()}};
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";
    Result r = run({prefix + "/sbin/minirunc", "--root", stateRoot_, "create", "--bundle",
                    makeBundle(id, cfg), id},
                   o);
    EXPECT_FALSE(r.ok()) << r;
    EXPECT_TRUE(contains(r.err, "helper from " + helper)) << r;
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Install, InstallsManPagesCompletionAndDocs) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests the install layout of this build, not " << runtimePath();
    std::string build = runtimePath().substr(0, runtimePath().rfind("/bin/"));
    std::string prefix = tmp_ + "/prefix";
    Result install = run({"cmake", "--install", build, "--prefix", prefix});
    if (install.status == 127) GTEST_SKIP() << "cmake not found";
    ASSERT_TRUE(install.ok()) << install;
    for (const char* page : {"minirunc", "minirunc-create", "minirunc-exec", "minirunc-update"})
        EXPECT_TRUE(exists(prefix + "/share/man/man8/" + page + ".8.gz")) << page;
    EXPECT_FALSE(exists(prefix + "/share/man/man8/minirunc.8")) << "installed gzipped only";
    std::string completion = prefix + "/share/bash-completion/completions/minirunc";
    ASSERT_TRUE(exists(completion));
    Result sourced =
        run({"bash", "--norc", "-c", "source " + completion + " && complete -p minirunc"});
    EXPECT_TRUE(sourced.ok()) << sourced;
    EXPECT_TRUE(contains(sourced.out, "-F _minirunc")) << sourced;
    EXPECT_TRUE(exists(prefix + "/share/zsh/vendor-completions/_minirunc"));
    EXPECT_TRUE(exists(prefix + "/share/doc/minirunc/copyright"));
    Result changelog = run({"gzip", "-dc", prefix + "/share/doc/minirunc/changelog.Debian.gz"});
    ASSERT_TRUE(changelog.ok()) << changelog;
    EXPECT_EQ(changelog.out.rfind("minirunc (", 0), 0u) << changelog;
    EXPECT_FALSE(exists(prefix + "/etc")) << "only an install into /usr writes to /etc";
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

// The image of the init a created container's pid 1 runs (before start).
std::string initExe(pid_t pid) {
    return readLink("/proc/" + std::to_string(pid) + "/exe");
}

TEST_F(Install, LoneCopyOfTheRuntimeRunsContainers) {
    // podman's "full path to --runtime is preserved": the runtime copied
    // alone to another directory, as users do with runc.
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests this build's binary, not " << runtimePath();
    std::string dir = tmp_ + "/empty";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    ASSERT_TRUE(run({"cp", runtimePath(), dir + "/minirunc"}).ok());
    ASSERT_EQ(listDir(dir), std::vector<std::string>{"minirunc"});
    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";
    std::string bundle = makeBundle(id, config({"echo", "alone"}));
    Result r = run({dir + "/minirunc", "--root", stateRoot_, "run", "--bundle", bundle, id}, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "alone\n");
    // exec too: it starts the same init.
    auto id2 = newId();
    Result c = run({dir + "/minirunc", "--root", stateRoot_, "create", "--bundle",
                    makeBundle(id2, config({"probe", "sleep", "1000"})), id2},
                   o);
    ASSERT_TRUE(c.ok()) << c;
    EXPECT_TRUE(contains(initExe(state(id2).value("pid", 0)), "memfd:minirunc-init"))
        << "the carried image runs from a sealed memfd";
    ASSERT_TRUE(rt({"start", id2}).ok());
    Result e = run({dir + "/minirunc", "--root", stateRoot_, "exec", id2, "echo", "exec"}, o);
    ASSERT_TRUE(e.ok()) << e;
    EXPECT_EQ(e.out, "exec\n");
    ASSERT_TRUE(rt({"kill", id2, "KILL"}).ok());
    ASSERT_TRUE(waitForStatus(id2, "stopped"));
}

TEST_F(Install, AnInitOfAnotherBuildBesideTheRuntimeIsNotUsed) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests this build's binary, not " << runtimePath();
    std::string dir = tmp_ + "/stale";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    ASSERT_TRUE(run({"cp", runtimePath(), dir + "/minirunc"}).ok());
    // Any other program: it would fail the container if it ran.
    ASSERT_TRUE(run({"cp", testRootfs() + "/bin/probe", dir + "/minirunc-init"}).ok());
    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";
    Result r = run({dir + "/minirunc", "--root", stateRoot_, "run", "--bundle",
                    makeBundle(id, config({"echo", "carried"})), id},
                   o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "carried\n");
}

TEST_F(Install, AnInitOfTheSameBuildBesideTheRuntimeIsPreferred) {
    if (runtimePath() != MINIRUNC_TEST_DEFAULT_BIN)
        GTEST_SKIP() << "tests this build's binary, not " << runtimePath();
    // The build tree: build/bin/minirunc-init beside build/bin/minirunc.
    auto id = newId();
    RunOptions o;
    o.env["MINIRUNC_INIT"] = "";
    Result c = run({runtimePath(), "--root", stateRoot_, "create", "--bundle",
                    makeBundle(id, config({"probe", "sleep", "1000"})), id},
                   o);
    ASSERT_TRUE(c.ok()) << c;
    std::string exe = initExe(state(id).value("pid", 0));
    EXPECT_FALSE(contains(exe, "memfd:"))
        << "nothing copied when the installed init matches: " << exe;
    ASSERT_TRUE(rt({"delete", "--force", id}).ok());
}

}  // namespace
}  // namespace minirunc::test
