// `ps`: the container's processes as host pids (json) or through the host's ps (table).
#include <unistd.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Ps : public RuntimeTest {
  protected:
    // A running container with one more process from a detached exec; returns
    // the host pids of both.
    std::set<pid_t> startContainerWithExec(const std::string& id) {
        if (!createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded})))) return {};
        std::string pidFile = tmp_ + "/exec.pid";
        Result r =
            rt({"exec", "--detach", "--pid-file", pidFile, id, "probe", "sleep", kUntilEnded});
        EXPECT_TRUE(r.ok()) << r;
        pid_t exec = static_cast<pid_t>(std::atol(readFile(pidFile).c_str()));
        return {static_cast<pid_t>(state(id).value("pid", 0)), exec};
    }

    // The value of the PID column of each line after the header.
    static std::set<pid_t> pidColumn(const std::string& table) {
        auto lines = splitLines(table);
        std::set<pid_t> pids;
        if (lines.empty()) return pids;
        std::istringstream header(lines[0]);
        std::string word;
        int column = -1;
        for (int i = 0; header >> word; ++i)
            if (word == "PID" && column < 0) column = i;
        EXPECT_GE(column, 0) << table;
        for (size_t l = 1; l < lines.size(); ++l) {
            std::istringstream fields(lines[l]);
            for (int i = 0; i <= column && fields >> word; ++i) {
            }
            pids.insert(static_cast<pid_t>(std::atol(word.c_str())));
        }
        return pids;
    }
};

TEST_F(Ps, JsonIsTheHostPidsOfTheContainerOnOneLine) {
    auto id = newId();
    std::set<pid_t> expected = startContainerWithExec(id);
    ASSERT_EQ(expected.size(), 2u);
    Result r = rt({"ps", "--format", "json", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(std::regex_match(r.out, std::regex("\\[[0-9]+(,[0-9]+)*\\]\n"))) << r.out;
    json pids = parseJson(r.out);
    std::set<pid_t> got;
    for (const auto& p : pids) got.insert(p.get<pid_t>());
    EXPECT_EQ(got, expected) << r.out;
    EXPECT_EQ(pids.size(), got.size()) << "duplicates in " << r.out;
}

TEST_F(Ps, ShortFormatFlag) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded}))));
    Result r = rt({"ps", "-f", "json", id});
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out, "[" + std::to_string(state(id).value("pid", 0)) + "]\n");
}

TEST_F(Ps, TableIsTheHostPsFilteredToTheContainer) {
    auto id = newId();
    std::set<pid_t> expected = startContainerWithExec(id);
    ASSERT_EQ(expected.size(), 2u);
    Result r = rt({"ps", id});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_FALSE(lines.empty()) << r;
    // `ps -ef`'s header, then one line per process of the container.
    EXPECT_TRUE(contains(lines[0], "PID")) << r.out;
    EXPECT_TRUE(contains(lines[0], "CMD")) << r.out;
    EXPECT_EQ(pidColumn(r.out), expected) << r.out;
    EXPECT_FALSE(contains(r.out, " " + std::to_string(getpid()) + " ")) << r.out;
}

TEST_F(Ps, PsOptionsAreGivenToTheHostPs) {
    auto id = newId();
    std::set<pid_t> expected = startContainerWithExec(id);
    ASSERT_EQ(expected.size(), 2u);
    Result r = rt({"ps", id, "-o", "pid,comm"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(trim(lines[0]), "PID COMMAND") << r.out;
    EXPECT_EQ(pidColumn(r.out), expected) << r.out;
    for (size_t i = 1; i < lines.size(); ++i) EXPECT_TRUE(contains(lines[i], "probe")) << lines[i];
}

TEST_F(Ps, PidNeedNotBeTheFirstColumn) {
    auto id = newId();
    std::set<pid_t> expected = startContainerWithExec(id);
    ASSERT_EQ(expected.size(), 2u);
    Result r = rt({"ps", id, "-o", "comm,ppid,pid"});
    ASSERT_TRUE(r.ok()) << r;
    // PPID comes before PID: the PID column is the one named exactly PID.
    EXPECT_EQ(pidColumn(r.out), expected) << r.out;
}

TEST_F(Ps, UnknownFormatIsRefused) {
    auto id = newId();
    ASSERT_TRUE(createAndStart(id, makeBundle(id, config({"probe", "sleep", kUntilEnded}))));
    Result r = rt({"ps", "--format", "yaml", id});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "invalid format option")) << r;
}

TEST_F(Ps, UnknownContainerDoesNotExist) {
    Result r = rt({"ps", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    EXPECT_TRUE(contains(r.err, "does not exist")) << r;
}

}  // namespace
}  // namespace minirunc::test
