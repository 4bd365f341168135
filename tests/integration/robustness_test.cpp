// Bad input and races: invalid configs, ids, signals and flags fail with a
// message naming the problem and leave nothing behind (the harness checks state
// entries, mounts, cgroups and processes); a failing command leaves exactly one
// JSON line in --log; two creates of one id have exactly one winner.
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Robustness : public RuntimeTest {
  protected:
    // `create` with a config changed by `edit`; checks it fails with `message`,
    // logs exactly one JSON error line and leaves no state.
    void expectCreateFails(const std::string& what, const std::function<void(json&)>& edit,
                           const std::string& message) {
        SCOPED_TRACE(what);
        auto id = newId();
        json cfg = config();
        edit(cfg);
        std::string bundle = makeBundle(id, cfg);
        std::string log = tmp_ + "/" + id + ".log";
        Result r = rt({"--log", log, "--log-format", "json", "create", "--bundle", bundle, id});
        EXPECT_EQ(r.status, 1) << r;
        // The wording (a JSON pointer to the field) is minirunc's; runc words it its own way.
        if (runtimeName() == "minirunc") {
            EXPECT_TRUE(contains(r.err, message)) << r;
        }
        expectOneJsonErrorLine(log, runtimeName() == "minirunc" ? message : "");
        EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
    }

    void expectOneJsonErrorLine(const std::string& log, const std::string& message) {
        std::string text = readFile(log);
        auto lines = splitLines(text);
        ASSERT_EQ(lines.size(), 1u) << text;
        json entry = parseJson(text);  // podman: the whole file is one object
        EXPECT_EQ(entry.value("level", ""), "error") << text;
        EXPECT_TRUE(contains(entry.value("msg", ""), message)) << text;
    }
};

TEST_F(Robustness, ConfigErrorsNameTheFieldAndLeaveNothing) {
    expectCreateFails(
        "args of the wrong type", [](json& c) { c["process"]["args"] = "probe"; },
        "config.json: /process/args: ");
    expectCreateFails(
        "missing args", [](json& c) { c["process"].erase("args"); },
        "config.json: /process/args: ");
    expectCreateFails(
        "relative cwd", [](json& c) { c["process"]["cwd"] = "tmp"; },
        "config.json: /process/cwd: ");
    expectCreateFails(
        "uid as a string", [](json& c) { c["process"]["user"]["uid"] = "0"; },
        "config.json: /process/user/uid: ");
    expectCreateFails(
        "mount options not a list", [](json& c) { c["mounts"][0]["options"] = "ro"; },
        "config.json: /mounts/0/options: ");
    expectCreateFails(
        // A relative one is valid (runtime-spec 1.1): see Mounts.RelativeDestination...
        "empty mount destination", [](json& c) { c["mounts"][0]["destination"] = ""; },
        "config.json: /mounts/0/destination: ");
    expectCreateFails(
        "unknown namespace type",
        [](json& c) {
            c["linux"]["namespaces"].push_back({{"type", "foo"}});
        },
        "config.json: /linux/namespaces/5/type: ");
    expectCreateFails(
        "duplicate namespace",
        [](json& c) {
            c["linux"]["namespaces"].push_back({{"type", "pid"}});
        },
        "config.json: /linux/namespaces/5/type: ");
    expectCreateFails(
        "ociVersion 2", [](json& c) { c["ociVersion"] = "2.0.0"; }, "config.json: /ociVersion: ");
    expectCreateFails(
        "hostname not a string", [](json& c) { c["hostname"] = 5; }, "config.json: /hostname: ");
    expectCreateFails(
        "namespaces not a list", [](json& c) { c["linux"]["namespaces"] = "pid"; },
        "config.json: /linux/namespaces: ");
    expectCreateFails(
        "unknown capability",
        [](json& c) { c["process"]["capabilities"]["bounding"] = {"CAP_NO_SUCH"}; }, "CAP_NO_SUCH");
    expectCreateFails(
        "missing root", [](json& c) { c.erase("root"); }, "config.json: /root: ");
    expectCreateFails(
        "rootfs that does not exist",
        [this](json& c) { c["root"]["path"] = tmp_ + "/no-such-rootfs"; }, "does not exist");
}

TEST_F(Robustness, FailuresInsideTheContainerLogOneLineAndLeaveNothing) {
    // These pass validation and fail in the init, after state dir and cgroups exist.
    expectCreateFails(
        "missing executable", [](json& c) { c["process"]["args"] = {"no-such-binary"}; },
        "executable file not found in $PATH");
    // The phrases docker maps to exit codes 126 and 127.
    expectCreateFails(
        "executable that is not executable",
        [](json& c) { c["process"]["args"] = {"/etc/passwd"}; }, "permission denied");
    expectCreateFails(
        "absolute executable that does not exist",
        [](json& c) { c["process"]["args"] = {"/no/such/binary"}; }, "no such file or directory");
    expectCreateFails(
        "cwd that is a file", [](json& c) { c["process"]["cwd"] = "/etc/passwd"; }, "cwd");
    expectCreateFails(
        "mount of an unknown filesystem",
        [](json& c) {
            c["mounts"].push_back(
                {{"destination", "/mnt"}, {"type", "no-such-fs"}, {"source", "none"}});
        },
        "/mnt");
    expectCreateFails(
        "sysctl that does not exist",
        [](json& c) {
            c["linux"]["sysctl"] = {{"net.ipv4.no_such_sysctl", "1"}};
        },
        "net.ipv4.no_such_sysctl");
}

TEST_F(Robustness, BadContainerIdsAreRejectedByEveryCommand) {
    auto bundle = makeBundle(newId(), config());
    // 300 characters pass the id check but exceed NAME_MAX for the state directory.
    const std::vector<std::string> bad = {
        "..", ".", "a/b", "../escape", "", std::string(300, 'y'), std::string(2000, 'x')};
    for (const auto& id : bad) {
        SCOPED_TRACE("id '" + id.substr(0, 20) + "' (" + std::to_string(id.size()) + " chars)");
        for (const auto& args :
             std::vector<std::vector<std::string>>{{"create", "--bundle", bundle, id},
                                                   {"run", "--bundle", bundle, id},
                                                   {"start", id},
                                                   {"state", id},
                                                   {"kill", id, "KILL"},
                                                   {"delete", id}}) {
            Result r = rt(args);
            EXPECT_NE(r.status, 0) << r;
            EXPECT_FALSE(r.err.empty()) << r;
        }
    }
    EXPECT_TRUE(listDir(stateRoot_).empty()) << ::testing::PrintToString(listDir(stateRoot_));
    EXPECT_FALSE(exists(tmp_ + "/escape"));
}

TEST_F(Robustness, UnknownFlagsFailWithOneLogLine) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"create", "--no-such-flag", "--bundle", bundle, id},
                                               {"--no-such-global", "state", id},
                                               {"kill", "--no-such-flag", id},
                                               {"delete", "--no-such-flag", id}}) {
        SCOPED_TRACE(args[0] + " " + args[1]);
        std::string log = tmp_ + "/flags.log";
        std::vector<std::string> withLog = {"--log", log, "--log-format", "json"};
        withLog.insert(withLog.end(), args.begin(), args.end());
        Result r = rt(withLog);
        EXPECT_NE(r.status, 0) << r;
        EXPECT_TRUE(contains(r.err, "no-such")) << r;
        expectOneJsonErrorLine(log, "no-such");
        unlink(log.c_str());
    }
    EXPECT_TRUE(listDir(stateRoot_).empty());
}

TEST_F(Robustness, UnknownSignalFailsAndLeavesTheContainerRunning) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config())));
    std::string log = tmp_ + "/kill.log";
    Result r = rt({"--log", log, "--log-format", "json", "kill", id, "SIGNOPE"});
    EXPECT_NE(r.status, 0) << r;
    expectOneJsonErrorLine(log, "SIGNOPE");
    EXPECT_EQ(state(id).value("status", ""), "running");
}

TEST_F(Robustness, ConcurrentCreatesOfOneIdHaveExactlyOneWinner) {
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        auto id = newId();
        auto bundle = makeBundle(id, config());
        std::vector<std::string> argv = {runtimePath(), "--root", stateRoot_, "create",
                                         "--bundle",    bundle,   id};
        std::string out[2] = {tmp_ + "/" + id + ".a", tmp_ + "/" + id + ".b"};
        pid_t pids[2] = {spawn(argv, out[0]), spawn(argv, out[1])};
        int wins = 0;
        std::string loserOutput;
        for (int i = 0; i < 2; ++i) {
            ASSERT_GT(pids[i], 0);
            int status = 0;
            ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                ++wins;
            else
                loserOutput = readFile(out[i]);
        }
        EXPECT_EQ(wins, 1) << loserOutput;
        EXPECT_TRUE(contains(loserOutput, "exists")) << loserOutput;
        // The winner is intact: created, its process alive, startable.
        json st = state(id);
        EXPECT_EQ(st.value("status", ""), "created");
        EXPECT_TRUE(processRunning(st.value("pid", 0)));
        Result s = rt({"start", id});
        EXPECT_TRUE(s.ok()) << s;
        EXPECT_EQ(state(id).value("status", ""), "running");
    }
}

TEST_F(Robustness, DeleteOfAContainerWithACorruptStateFileIsForced) {
    auto id = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(id, config()), id}).ok());
    int pid = state(id).value("pid", 0);
    Result force = rt({"delete", "--force", id});
    ASSERT_TRUE(force.ok()) << force;
    EXPECT_TRUE(waitUntil([&] { return !processRunning(pid); }));
    // A half-written directory (a create that died early) goes with --force too.
    ASSERT_EQ(mkdir((stateRoot_ + "/" + id).c_str(), 0711), 0);
    writeFile(stateRoot_ + "/" + id + "/state.json", "{not json");
    EXPECT_NE(rt({"delete", id}).status, 0);
    Result again = rt({"delete", "--force", id});
    EXPECT_TRUE(again.ok()) << again;
    EXPECT_FALSE(exists(stateRoot_ + "/" + id));
}

}  // namespace
}  // namespace minirunc::test
