// Command-line surface that callers parse: spec, list, --version and --log.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "harness.hpp"

namespace minirunc::test {
namespace {

class Cli : public RuntimeTest {
  protected:
    std::string newDir(const std::string& name) {
        std::string dir = tmp_ + "/" + name;
        EXPECT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
        return dir;
    }

    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }

    static std::vector<std::string> words(const std::string& line) {
        std::vector<std::string> w;
        std::istringstream in(line);
        std::string s;
        while (in >> s) w.push_back(s);
        return w;
    }
};

const std::regex kRfc3339(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$)");

TEST_F(Cli, SpecWritesDefaultConfigToCurrentDirectory) {
    std::string dir = newDir("spec");
    RunOptions o;
    o.cwd = dir;
    Result r = rtBare({"spec"}, o);
    ASSERT_TRUE(r.ok()) << r;
    json cfg = parseJson(readFile(dir + "/config.json"));
    ASSERT_TRUE(cfg.is_object());
    EXPECT_TRUE(std::regex_search(cfg.value("ociVersion", ""), std::regex(R"(^1\.\d+\.\d+)")))
        << cfg.value("ociVersion", "");
    EXPECT_EQ(cfg["root"].value("path", ""), "rootfs");
    EXPECT_EQ(cfg["process"]["args"], json::array({"sh"}));
    EXPECT_TRUE(cfg["process"].value("terminal", false));
    EXPECT_TRUE(cfg["linux"]["namespaces"].is_array());
}

TEST_F(Cli, SpecRefusesToOverwriteExistingConfig) {
    std::string dir = newDir("spec");
    writeFile(dir + "/config.json", "keep me");
    RunOptions o;
    o.cwd = dir;
    Result r = rtBare({"spec"}, o);
    EXPECT_NE(r.status, 0) << r;
    EXPECT_EQ(readFile(dir + "/config.json"), "keep me");
}

TEST_F(Cli, SpecWritesIntoTheBundleDirectory) {
    std::string dir = newDir("spec");
    RunOptions o;
    o.cwd = tmp_;
    Result r = rtBare({"spec", "--bundle", dir}, o);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(exists(dir + "/config.json"));
    EXPECT_FALSE(exists(tmp_ + "/config.json"));
    std::string other = newDir("spec-short");
    ASSERT_TRUE(rtBare({"spec", "-b", other}).ok());
    EXPECT_TRUE(exists(other + "/config.json"));
}

TEST_F(Cli, SpecRootlessAddsUserNamespaceWithOwnIds) {
    std::string dir = newDir("spec");
    Result r = rtBare({"spec", "--rootless", "--bundle", dir});
    ASSERT_TRUE(r.ok()) << r;
    json cfg = parseJson(readFile(dir + "/config.json"));
    ASSERT_TRUE(cfg.is_object());
    std::vector<std::string> types;
    for (const auto& ns : cfg["linux"]["namespaces"]) types.push_back(ns.value("type", ""));
    EXPECT_NE(std::find(types.begin(), types.end(), "user"), types.end());
    EXPECT_EQ(std::find(types.begin(), types.end(), "network"), types.end())
        << "a rootless container cannot configure a network namespace";
    ASSERT_FALSE(cfg["linux"]["uidMappings"].empty());
    ASSERT_FALSE(cfg["linux"]["gidMappings"].empty());
    EXPECT_EQ(cfg["linux"]["uidMappings"][0].value("hostID", -1), static_cast<int>(geteuid()));
    EXPECT_EQ(cfg["linux"]["gidMappings"][0].value("hostID", -1), static_cast<int>(getegid()));
    EXPECT_EQ(cfg["linux"]["uidMappings"][0].value("containerID", -1), 0);
}

TEST_F(Cli, VersionPrintsNameCommitAndSpecLines) {
    Result r = rtBare({"--version"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_GE(lines.size(), 3u) << r;
    EXPECT_EQ(lines[0].rfind(runtimeName() + " version ", 0), 0u) << lines[0];
    auto has = [&](const std::regex& re) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& l) { return std::regex_search(l, re); });
    };
    EXPECT_TRUE(has(std::regex("^commit: .+"))) << r;
    EXPECT_TRUE(has(std::regex(R"(^spec: 1\.\d+\.\d+)"))) << r;
}

TEST_F(Cli, ListShowsHeaderAndOneRowPerContainer) {
    auto id = newId();
    auto bundle = makeBundle(id, config());
    ASSERT_TRUE(rt({"create", "--bundle", bundle, id}).ok());
    int pid = state(id).value("pid", 0);
    Result r = rt({"list"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r;
    EXPECT_EQ(words(lines[0]),
              (std::vector<std::string>{"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}));
    auto row = words(lines[1]);
    ASSERT_EQ(row.size(), 6u) << lines[1];
    EXPECT_EQ(row[0], id);
    EXPECT_EQ(row[1], std::to_string(pid));
    EXPECT_EQ(row[2], "created");
    EXPECT_EQ(row[3], bundle);
    EXPECT_TRUE(std::regex_match(row[4], kRfc3339)) << row[4];
    EXPECT_EQ(row[5], "root");
    // Columns line up with the header.
    EXPECT_EQ(lines[0].find("STATUS"), lines[1].find("created")) << r.out;
}

TEST_F(Cli, ListJsonFormatIsAnArrayOfStates) {
    auto a = newId(), b = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(a, config()), a}).ok());
    ASSERT_TRUE(createAndStart(b, makeBundle(b, config())));
    for (const auto& flags : {std::vector<std::string>{"list", "-f", "json"},
                              std::vector<std::string>{"list", "--format", "json"},
                              std::vector<std::string>{"list", "--format=json"}}) {
        Result r = rt(flags);
        ASSERT_TRUE(r.ok()) << r;
        json list = parseJson(r.out);
        ASSERT_TRUE(list.is_array()) << r;
        ASSERT_EQ(list.size(), 2u) << r;
        std::map<std::string, json> byId;
        for (const auto& c : list) byId[c.value("id", "")] = c;
        EXPECT_EQ(byId[a].value("status", ""), "created");
        EXPECT_EQ(byId[b].value("status", ""), "running");
        EXPECT_EQ(byId[b].value("pid", 0), state(b).value("pid", -1));
        EXPECT_EQ(byId[b].value("bundle", ""), tmp_ + "/" + b);
        EXPECT_TRUE(std::regex_match(byId[a].value("created", ""), kRfc3339)) << r.out;
    }
}

// The keys of a JSON object in the order the text has them.
std::vector<std::string> keysInTextOrder(const nlohmann::ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    return keys;
}

const std::vector<std::string> kStateKeys = {"ociVersion", "id",     "pid",     "status",
                                             "bundle",     "rootfs", "created", "owner"};
const std::vector<std::string> kStateKeysWithAnnotations = {
    "ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "annotations", "owner"};

TEST_F(Cli, ListAndStateJsonKeepRuncsKeyOrder) {
    // runc prints its containerState struct in field order, and scripts
    // compare that text: not alphabetical.
    auto plain = newId(), annotated = newId();
    json cfg = config();
    cfg["annotations"] = {{"org.example.b", "2"}, {"org.example.a", "1"}};
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(plain, config()), plain}).ok());
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(annotated, cfg), annotated}).ok());
    Result r = rt({"list", "--format", "json"});
    ASSERT_TRUE(r.ok()) << r;
    auto list = nlohmann::ordered_json::parse(r.out, nullptr, false);
    ASSERT_TRUE(list.is_array() && list.size() == 2u) << r;
    for (const auto& row : list) {
        bool with = row.value("id", "") == annotated;
        EXPECT_EQ(keysInTextOrder(row), with ? kStateKeysWithAnnotations : kStateKeys) << r.out;
        if (with) {
            EXPECT_EQ(keysInTextOrder(row["annotations"]),
                      (std::vector<std::string>{"org.example.a", "org.example.b"}));
        }
    }
    for (const auto& id : {plain, annotated}) {
        Result s = rt({"state", id});
        ASSERT_TRUE(s.ok()) << s;
        auto doc = nlohmann::ordered_json::parse(s.out, nullptr, false);
        EXPECT_EQ(keysInTextOrder(doc), id == annotated ? kStateKeysWithAnnotations : kStateKeys)
            << s.out;
    }
}

TEST_F(Cli, ListQuietPrintsOnlyIds) {
    auto a = newId(), b = newId();
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(a, config()), a}).ok());
    ASSERT_TRUE(rt({"create", "--bundle", makeBundle(b, config()), b}).ok());
    Result r = rt({"list", "-q"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    std::sort(lines.begin(), lines.end());
    std::vector<std::string> expected = {a, b};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(lines, expected);
}

TEST_F(Cli, ListOfEmptyRootPrintsOnlyTheHeader) {
    Result r = rt({"list"});
    ASSERT_TRUE(r.ok()) << r;
    auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 1u) << r;
    auto header = words(lines[0]);
    ASSERT_FALSE(header.empty());
    EXPECT_EQ(header[0], "ID");
    Result q = rt({"list", "-q"});
    ASSERT_TRUE(q.ok()) << q;
    EXPECT_EQ(q.out, "");
}

// A failing command leaves exactly one JSON error line: podman reads the whole file
// as one JSON object, containerd reports the last line.
TEST_F(Cli, LogJsonLeavesOneErrorLineForAFailingCommand) {
    std::string log = tmp_ + "/log.json";
    Result r = rt({"--log", log, "--log-format", "json", "delete", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    auto lines = splitLines(readFile(log));
    ASSERT_EQ(lines.size(), 1u) << readFile(log);
    json entry = parseJson(lines[0]);
    EXPECT_EQ(entry.value("level", ""), "error") << lines[0];
    EXPECT_TRUE(contains(entry.value("msg", ""), "does not exist")) << lines[0];
    EXPECT_TRUE(std::regex_match(entry.value("time", ""), kRfc3339)) << lines[0];
}

TEST_F(Cli, LogFlagsAcceptTheEqualsForm) {
    std::string log = tmp_ + "/log.json";
    auto id = newId();
    Result r = rt({"--log-format=json", "--log=" + log, "create", "--bundle",
                   makeBundle(id, config({"no-such-binary"})), id});
    EXPECT_NE(r.status, 0) << r;
    auto lines = splitLines(readFile(log));
    ASSERT_FALSE(lines.empty()) << "nothing logged";
    json last = parseJson(lines.back());
    EXPECT_EQ(last.value("level", ""), "error") << readFile(log);
    EXPECT_TRUE(contains(last.value("msg", ""), "executable file not found in $PATH"))
        << readFile(log);
}

TEST_F(Cli, LogIsAppendedNotTruncated) {
    std::string log = tmp_ + "/log.json";
    writeFile(log, "{\"level\":\"info\",\"msg\":\"earlier\",\"time\":\"2020-01-01T00:00:00Z\"}\n");
    Result r = rt({"--log", log, "--log-format", "json", "state", "no-such-container"});
    EXPECT_NE(r.status, 0) << r;
    auto lines = splitLines(readFile(log));
    ASSERT_EQ(lines.size(), 2u) << readFile(log);
    EXPECT_TRUE(contains(lines[0], "earlier"));
    EXPECT_EQ(parseJson(lines[1]).value("level", ""), "error");
}

// runc's help.bats: `<cmd> --help`, `<cmd> -h` and `help <cmd>` exit 0 and
// print the usage line naming the command; each flag is on its own line with
// its meaning.
TEST_F(Cli, HelpOfEveryCommandPrintsItsUsageAndFlags) {
    for (const char* command :
         {"create", "start", "state", "kill", "delete", "run", "exec", "ps", "list", "pause",
          "resume", "update", "events", "spec", "features"}) {
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{command, "--help"}, {command, "-h"}, {"help", command}}) {
            Result r = rtBare(args);
            ASSERT_TRUE(r.ok()) << r;
            EXPECT_TRUE(contains(r.out, "USAGE:\n   " + runtimeName() + " " + command)) << r;
        }
    }
    Result create = rtBare({"create", "--help"});
    for (const char* flag : {"--bundle", "--console-socket", "--pid-file", "--no-pivot"}) {
        bool described = false;
        for (const auto& line : lines(create.out))
            if (contains(line, flag) && words(line).size() > 3) described = true;
        EXPECT_TRUE(described) << flag << "\n" << create.out;
    }
    Result general = rtBare({"--help"});
    ASSERT_TRUE(general.ok()) << general;
    EXPECT_TRUE(contains(general.out, "COMMANDS:")) << general;
    EXPECT_TRUE(contains(general.out, "--root")) << general;

    Result unknown = rtBare({"help", "nope"});
    EXPECT_NE(unknown.status, 0) << unknown;
    EXPECT_TRUE(contains(unknown.err, "No help topic for 'nope'")) << unknown;
}

TEST_F(Cli, UnknownCommandFails) {
    Result r = rt({"no-such-command"});
    EXPECT_NE(r.status, 0) << r;
}

}  // namespace
}  // namespace minirunc::test
