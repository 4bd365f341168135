#include "minirunc/cli.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;
using minirunc::cli::CommandLine;

namespace {

CommandLine parse(std::vector<std::string> args) {
    args.insert(args.begin(), "minirunc");
    return cli::parse(args);
}

// The message of the Error parse() throws, or "" when it does not throw.
std::string parse_error(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

using Strings = std::vector<std::string>;

}  // namespace

// ---- global options, version and help ----

TEST(CliParse, NoArgumentsShowsHelp) {
    auto c = parse({});
    EXPECT_TRUE(c.show_help);
    EXPECT_FALSE(c.show_version);
    EXPECT_EQ(c.command, "");
    EXPECT_TRUE(c.args.empty());
}

TEST(CliParse, GlobalDefaults) {
    auto c = parse({"state", "abc"});
    EXPECT_EQ(c.global.root, "");
    EXPECT_EQ(c.global.log, "");
    EXPECT_EQ(c.global.log_format, "text");
    EXPECT_FALSE(c.global.debug);
    EXPECT_FALSE(c.global.systemd_cgroup);
    EXPECT_EQ(c.global.rootless, "auto");
    EXPECT_EQ(c.global.criu, "");
    EXPECT_FALSE(c.show_help);
    EXPECT_FALSE(c.show_version);
}

TEST(CliParse, LongVersionFlag) {
    auto c = parse({"--version"});
    EXPECT_TRUE(c.show_version);
    EXPECT_FALSE(c.show_help);
    EXPECT_EQ(c.command, "");
}

TEST(CliParse, ShortVersionFlag) {
    auto c = parse({"-v"});
    EXPECT_TRUE(c.show_version);
    EXPECT_FALSE(c.show_help);
}

TEST(CliParse, VersionWinsOverACommand) {
    auto c = parse({"--version", "state", "abc"});
    EXPECT_TRUE(c.show_version);
    EXPECT_EQ(c.command, "");
}

TEST(CliParse, LongHelpFlag) {
    auto c = parse({"--help"});
    EXPECT_TRUE(c.show_help);
    EXPECT_FALSE(c.show_version);
    EXPECT_EQ(c.command, "");
}

TEST(CliParse, ShortHelpFlag) {
    EXPECT_TRUE(parse({"-h"}).show_help);
}

TEST(CliParse, HelpCommandNamesTheCommand) {
    auto c = parse({"help", "create"});
    EXPECT_TRUE(c.show_help);
    EXPECT_EQ(c.command, "create");
    EXPECT_TRUE(c.args.empty());
}

TEST(CliParse, HelpOfAnUnknownCommandIsAnError) {
    EXPECT_EQ(parse_error({"help", "nope"}), "No help topic for 'nope'");
}

TEST(CliParse, HelpCommandAlone) {
    auto c = parse({"help"});
    EXPECT_TRUE(c.show_help);
    EXPECT_EQ(c.command, "");
}

TEST(CliParse, HelpFlagAfterCommandSkipsArgumentCountCheck) {
    auto c = parse({"create", "--help"});
    EXPECT_TRUE(c.show_help);
    EXPECT_EQ(c.command, "create");
    EXPECT_TRUE(c.args.empty());
    EXPECT_TRUE(parse({"kill", "-h"}).show_help);
}

TEST(CliParse, RootWithSeparateValue) {
    auto c = parse({"--root", "/run/x", "state", "abc"});
    EXPECT_EQ(c.global.root, "/run/x");
    EXPECT_EQ(c.command, "state");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, RootWithEqualsValue) {
    EXPECT_EQ(parse({"--root=/run/y", "state", "abc"}).global.root, "/run/y");
}

TEST(CliParse, RootWithSingleDash) {
    EXPECT_EQ(parse({"-root", "/run/z", "state", "abc"}).global.root, "/run/z");
    EXPECT_EQ(parse({"-root=/run/w", "state", "abc"}).global.root, "/run/w");
}

TEST(CliParse, RootValueMayContainEquals) {
    EXPECT_EQ(parse({"--root=/run/a=b", "list"}).global.root, "/run/a=b");
}

TEST(CliParse, RootValueMayStartWithDash) {
    // A value flag takes the next word whatever it looks like, as Go's flag package does.
    EXPECT_EQ(parse({"--root", "-weird", "list"}).global.root, "-weird");
}

TEST(CliParse, LastRepeatedGlobalValueWins) {
    EXPECT_EQ(parse({"--root", "/a", "--root", "/b", "list"}).global.root, "/b");
}

TEST(CliParse, LogFormatJson) {
    EXPECT_EQ(parse({"--log-format=json", "list"}).global.log_format, "json");
    EXPECT_EQ(parse({"--log-format", "json", "list"}).global.log_format, "json");
    EXPECT_EQ(parse({"--log-format", "text", "list"}).global.log_format, "text");
}

TEST(CliParse, UnknownLogFormatIsRejected) {
    EXPECT_NE(parse_error({"--log-format=xml", "list"}).find("log-format"), std::string::npos);
}

TEST(CliParse, ContainerdShimGlobalFlags) {
    auto c = parse({"--root", "/run/containerd/runc/k8s.io", "--log", "/b/log.json", "--log-format",
                    "json", "--systemd-cgroup", "create", "--bundle", "/b", "--pid-file",
                    "/b/init.pid", "abc"});
    EXPECT_EQ(c.global.root, "/run/containerd/runc/k8s.io");
    EXPECT_EQ(c.global.log, "/b/log.json");
    EXPECT_EQ(c.global.log_format, "json");
    EXPECT_TRUE(c.global.systemd_cgroup);
    EXPECT_EQ(c.command, "create");
    EXPECT_EQ(c.flags.get("bundle"), "/b");
    EXPECT_EQ(c.flags.get("pid-file"), "/b/init.pid");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, DebugFlag) {
    EXPECT_TRUE(parse({"--debug", "list"}).global.debug);
    EXPECT_TRUE(parse({"-debug", "list"}).global.debug);
    EXPECT_TRUE(parse({"--debug=true", "list"}).global.debug);
    EXPECT_FALSE(parse({"--debug=false", "list"}).global.debug);
}

TEST(CliParse, BooleanFlagDoesNotConsumeTheNextWord) {
    auto c = parse({"--debug", "state", "abc"});
    EXPECT_TRUE(c.global.debug);
    EXPECT_EQ(c.command, "state");
}

TEST(CliParse, SystemdCgroupFlag) {
    EXPECT_TRUE(parse({"--systemd-cgroup", "list"}).global.systemd_cgroup);
    EXPECT_FALSE(parse({"--systemd-cgroup=false", "list"}).global.systemd_cgroup);
}

TEST(CliParse, RootlessAndCriuValues) {
    auto c = parse({"--rootless=true", "--criu", "/usr/bin/criu", "list"});
    EXPECT_EQ(c.global.rootless, "true");
    EXPECT_EQ(c.global.criu, "/usr/bin/criu");
}

TEST(CliParse, GoBooleanSpellingsAreAccepted) {
    for (const char* yes : {"1", "t", "true", "TRUE", "True"})
        EXPECT_TRUE(parse({std::string("--debug=") + yes, "list"}).global.debug) << yes;
    for (const char* no : {"0", "f", "false", "FALSE", "False"})
        EXPECT_FALSE(parse({std::string("--debug=") + no, "list"}).global.debug) << no;
}

TEST(CliParse, UpperCaseSingleLetterBooleansAreAccepted) {
    EXPECT_TRUE(parse({"--debug=T", "list"}).global.debug);
    EXPECT_FALSE(parse({"--debug=F", "list"}).global.debug);
}

TEST(CliParse, InvalidBooleanValueIsAnError) {
    auto message = parse_error({"--debug=maybe", "list"});
    EXPECT_NE(message.find("invalid boolean value \"maybe\""), std::string::npos) << message;
}

TEST(CliParse, GlobalValueFlagWithoutValueIsAnError) {
    EXPECT_EQ(parse_error({"--root"}), "flag needs an argument: -root");
    EXPECT_EQ(parse_error({"--log"}), "flag needs an argument: -log");
}

TEST(CliParse, UnknownGlobalFlagIsAnError) {
    auto message = parse_error({"--bogus", "list"});
    EXPECT_EQ(message.rfind("flag provided but not defined: -bogus", 0), 0u) << message;
}

TEST(CliParse, GlobalFlagAfterTheCommandIsNotDefinedThere) {
    auto message = parse_error({"state", "--root", "/x", "abc"});
    EXPECT_EQ(message.rfind("flag provided but not defined: -root", 0), 0u) << message;
    EXPECT_NE(message.find("state"), std::string::npos) << message;
}

TEST(CliParse, TripleDashIsBadSyntax) {
    EXPECT_NE(parse_error({"---root", "/x", "list"}).find("bad flag syntax"), std::string::npos);
    EXPECT_NE(parse_error({"-=x", "list"}).find("bad flag syntax"), std::string::npos);
}

TEST(CliParse, DoubleDashEndsGlobalFlags) {
    auto c = parse({"--debug", "--", "state", "abc"});
    EXPECT_TRUE(c.global.debug);
    EXPECT_EQ(c.command, "state");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, UnknownCommandIsAnError) {
    EXPECT_EQ(parse_error({"frobnicate", "abc"}), "no such command: frobnicate");
}

TEST(CliParse, ACommandNameIsCaseSensitive) {
    EXPECT_EQ(parse_error({"State", "abc"}), "no such command: State");
}

// ---- per-command flags ----

TEST(CliParse, CreateWithLongFlags) {
    auto c = parse({"create", "--bundle", "/b", "--console-socket", "/s.sock", "--pid-file", "/p",
                    "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", "abc"});
    EXPECT_EQ(c.command, "create");
    EXPECT_EQ(c.flags.get("bundle"), "/b");
    EXPECT_EQ(c.flags.get("console-socket"), "/s.sock");
    EXPECT_EQ(c.flags.get("pid-file"), "/p");
    EXPECT_TRUE(c.flags.flag("no-pivot"));
    EXPECT_TRUE(c.flags.flag("no-new-keyring"));
    EXPECT_EQ(c.flags.get("preserve-fds"), "2");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, CreateFlagWithEquals) {
    auto c = parse({"create", "--bundle=/b", "--pid-file=/p", "abc"});
    EXPECT_EQ(c.flags.get("bundle"), "/b");
    EXPECT_EQ(c.flags.get("pid-file"), "/p");
}

TEST(CliParse, EmptyValueWithEqualsIsKept) {
    auto c = parse({"create", "--bundle=", "abc"});
    EXPECT_TRUE(c.flags.has("bundle"));
    EXPECT_EQ(c.flags.get("bundle", "fallback"), "");
}

TEST(CliParse, ShortBundleAlias) {
    auto c = parse({"create", "-b", "/bundle", "abc"});
    EXPECT_EQ(c.flags.get("bundle"), "/bundle");
    EXPECT_TRUE(c.flags.has("bundle"));
    EXPECT_FALSE(c.flags.has("b"));  // stored under the long name
}

TEST(CliParse, ShortAliasWithDoubleDashAndEquals) {
    EXPECT_EQ(parse({"create", "--b=/x", "abc"}).flags.get("bundle"), "/x");
}

TEST(CliParse, FlagsAfterTheIdAreParsedForCreate) {
    auto c = parse({"create", "abc", "--bundle", "/b"});
    EXPECT_EQ(c.flags.get("bundle"), "/b");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, AbsentFlagUsesFallback) {
    auto c = parse({"create", "abc"});
    EXPECT_FALSE(c.flags.has("bundle"));
    EXPECT_EQ(c.flags.get("bundle"), "");
    EXPECT_EQ(c.flags.get("bundle", "."), ".");
    EXPECT_FALSE(c.flags.flag("no-pivot"));
    EXPECT_TRUE(c.flags.all("bundle").empty());
}

TEST(CliParse, RunDetachShortAlias) {
    auto c = parse({"run", "-d", "abc"});
    EXPECT_EQ(c.command, "run");
    EXPECT_TRUE(c.flags.flag("detach"));
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, BooleanFlagSetToFalseIsPresentButFalse) {
    auto c = parse({"run", "--detach=false", "abc"});
    EXPECT_TRUE(c.flags.has("detach"));
    EXPECT_FALSE(c.flags.flag("detach"));
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, LaterBooleanFlagOverridesEarlier) {
    EXPECT_FALSE(parse({"run", "-d", "--detach=false", "abc"}).flags.flag("detach"));
    EXPECT_TRUE(parse({"run", "--detach=false", "-d", "abc"}).flags.flag("detach"));
}

TEST(CliParse, LaterValueFlagOverridesEarlier) {
    auto c = parse({"create", "-b", "/one", "--bundle", "/two", "abc"});
    EXPECT_EQ(c.flags.get("bundle"), "/two");
    EXPECT_EQ(c.flags.all("bundle"), Strings{"/two"});
}

TEST(CliParse, RunKeepsCreateFlags) {
    auto c =
        parse({"run", "--bundle", "/b", "--keep", "--no-subreaper", "--pid-file", "/p", "abc"});
    EXPECT_EQ(c.flags.get("bundle"), "/b");
    EXPECT_TRUE(c.flags.flag("keep"));
    EXPECT_TRUE(c.flags.flag("no-subreaper"));
    EXPECT_EQ(c.flags.get("pid-file"), "/p");
}

TEST(CliParse, DetachIsNotAFlagOfCreate) {
    auto message = parse_error({"create", "-d", "abc"});
    EXPECT_EQ(message.rfind("flag provided but not defined: -d", 0), 0u) << message;
}

TEST(CliParse, DeleteForceShortAlias) {
    auto c = parse({"delete", "-f", "abc"});
    EXPECT_TRUE(c.flags.flag("force"));
    EXPECT_EQ(c.args, Strings{"abc"});
    EXPECT_TRUE(parse({"delete", "--force", "abc"}).flags.flag("force"));
}

TEST(CliParse, KillWithSignalName) {
    auto c = parse({"kill", "abc", "KILL"});
    EXPECT_EQ(c.command, "kill");
    EXPECT_EQ(c.args, (Strings{"abc", "KILL"}));
    EXPECT_FALSE(c.flags.flag("all"));
}

TEST(CliParse, KillWithoutSignal) {
    EXPECT_EQ(parse({"kill", "abc"}).args, Strings{"abc"});
}

TEST(CliParse, KillAllShortAndLong) {
    auto c = parse({"kill", "--all", "abc", "9"});
    EXPECT_TRUE(c.flags.flag("all"));
    EXPECT_EQ(c.args, (Strings{"abc", "9"}));
    EXPECT_TRUE(parse({"kill", "-a", "abc", "SIGTERM"}).flags.flag("all"));
}

TEST(CliParse, KillNegativeLookingSignalNeedsDoubleDash) {
    // A "-9" is a flag named "9" unless `--` ends the flags first.
    EXPECT_NE(parse_error({"kill", "abc", "-9"}).find("flag provided but not defined: -9"),
              std::string::npos);
    EXPECT_EQ(parse({"kill", "--", "abc", "-9"}).args, (Strings{"abc", "-9"}));
}

TEST(CliParse, ListQuietAndFormat) {
    auto c = parse({"list", "-q"});
    EXPECT_EQ(c.command, "list");
    EXPECT_TRUE(c.flags.flag("quiet"));
    EXPECT_TRUE(c.args.empty());
    EXPECT_EQ(parse({"list", "-f", "json"}).flags.get("format"), "json");
    EXPECT_EQ(parse({"list", "--format=json"}).flags.get("format"), "json");
}

TEST(CliParse, SpecBundleAndRootless) {
    auto c = parse({"spec", "-b", "/bundle", "--rootless"});
    EXPECT_EQ(c.flags.get("bundle"), "/bundle");
    EXPECT_TRUE(c.flags.flag("rootless"));
}

TEST(CliParse, EventsFlags) {
    auto c = parse({"events", "--stats", "--interval", "5s", "abc"});
    EXPECT_TRUE(c.flags.flag("stats"));
    EXPECT_EQ(c.flags.get("interval"), "5s");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, FeaturesTakesNothing) {
    auto c = parse({"features"});
    EXPECT_EQ(c.command, "features");
    EXPECT_TRUE(c.args.empty());
}

TEST(CliParse, ValueFlagAtTheEndWithoutValueIsAnError) {
    EXPECT_EQ(parse_error({"create", "abc", "--bundle"}), "flag needs an argument: -bundle");
    EXPECT_EQ(parse_error({"create", "abc", "-b"}), "flag needs an argument: -b");
    EXPECT_EQ(parse_error({"exec", "-e"}), "flag needs an argument: -e");
}

TEST(CliParse, UnknownCommandFlagIsAnError) {
    auto message = parse_error({"create", "--nope", "abc"});
    EXPECT_EQ(message.rfind("flag provided but not defined: -nope", 0), 0u) << message;
    EXPECT_NE(message.find("create"), std::string::npos) << message;
}

TEST(CliParse, ValueOnABooleanFlagMustBeABoolean) {
    auto message = parse_error({"delete", "--force=yes", "abc"});
    EXPECT_NE(message.find("invalid boolean value \"yes\""), std::string::npos) << message;
}

TEST(CliParse, DoubleDashEndsCommandFlags) {
    auto c = parse({"delete", "--", "-abc"});
    EXPECT_FALSE(c.flags.flag("force"));
    EXPECT_EQ(c.args, Strings{"-abc"});
}

TEST(CliParse, SingleDashIsAnArgument) {
    EXPECT_EQ(parse({"state", "-"}).args, Strings{"-"});
}

// ---- exec ----

TEST(CliParse, ExecStopsFlagParsingAfterTheId) {
    auto c = parse({"exec", "abc", "cmd", "-x"});
    EXPECT_EQ(c.command, "exec");
    EXPECT_EQ(c.args, (Strings{"abc", "cmd", "-x"}));
    EXPECT_TRUE(c.flags.values.empty());
}

TEST(CliParse, ExecFlagsOfTheCommandAreNotExecFlags) {
    auto c = parse({"exec", "-t", "abc", "sh", "-c", "echo hi", "--tty", "-e", "X=1"});
    EXPECT_TRUE(c.flags.flag("tty"));
    EXPECT_FALSE(c.flags.has("env"));
    EXPECT_EQ(c.args, (Strings{"abc", "sh", "-c", "echo hi", "--tty", "-e", "X=1"}));
}

TEST(CliParse, ExecRepeatableFlagsAccumulate) {
    auto c = parse({"exec", "-e", "A=1", "--env", "B=2", "--env=C=3", "-c", "CAP_KILL", "--cap",
                    "CAP_CHOWN", "-g", "10", "--additional-gids=11", "abc", "true"});
    EXPECT_EQ(c.flags.all("env"), (Strings{"A=1", "B=2", "C=3"}));
    EXPECT_EQ(c.flags.get("env"), "C=3");
    EXPECT_EQ(c.flags.all("cap"), (Strings{"CAP_KILL", "CAP_CHOWN"}));
    EXPECT_EQ(c.flags.all("additional-gids"), (Strings{"10", "11"}));
    EXPECT_EQ(c.args, (Strings{"abc", "true"}));
}

TEST(CliParse, ExecShortAliases) {
    auto c = parse({"exec", "-t", "-u", "1000:1000", "-p", "/p.json", "-d", "abc"});
    EXPECT_TRUE(c.flags.flag("tty"));
    EXPECT_EQ(c.flags.get("user"), "1000:1000");
    EXPECT_EQ(c.flags.get("process"), "/p.json");
    EXPECT_TRUE(c.flags.flag("detach"));
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, ExecContainerdShimStyle) {
    auto c = parse({"exec", "--process", "/tmp/p.json", "--console-socket", "/s", "--detach",
                    "--pid-file", "/p.pid", "abc"});
    EXPECT_EQ(c.flags.get("process"), "/tmp/p.json");
    EXPECT_EQ(c.flags.get("console-socket"), "/s");
    EXPECT_TRUE(c.flags.flag("detach"));
    EXPECT_EQ(c.flags.get("pid-file"), "/p.pid");
    EXPECT_EQ(c.args, Strings{"abc"});
}

TEST(CliParse, ExecOtherValueFlags) {
    auto c = parse({"exec", "--cwd", "/tmp", "--apparmor", "prof", "--process-label", "lbl",
                    "--no-new-privs", "--ignore-paused", "--cgroup", "memory:/x", "--cgroup", "/y",
                    "--preserve-fds=1", "abc", "ls"});
    EXPECT_EQ(c.flags.get("cwd"), "/tmp");
    EXPECT_EQ(c.flags.get("apparmor"), "prof");
    EXPECT_EQ(c.flags.get("process-label"), "lbl");
    EXPECT_TRUE(c.flags.flag("no-new-privs"));
    EXPECT_TRUE(c.flags.flag("ignore-paused"));
    EXPECT_EQ(c.flags.all("cgroup"), (Strings{"memory:/x", "/y"}));
    EXPECT_EQ(c.flags.get("preserve-fds"), "1");
}

TEST(CliParse, ExecDoubleDashBeforeTheId) {
    auto c = parse({"exec", "-t", "--", "abc", "ls", "-l"});
    EXPECT_TRUE(c.flags.flag("tty"));
    EXPECT_EQ(c.args, (Strings{"abc", "ls", "-l"}));
}

TEST(CliParse, ExecDoubleDashAfterTheIdIsACommandArgument) {
    // As with runc (flag parsing stops at the first positional), a `--` after
    // the id is left for the exec command to interpret.
    EXPECT_EQ(parse({"exec", "abc", "--", "ls"}).args, (Strings{"abc", "--", "ls"}));
}

TEST(CliParse, ExecWithoutIdIsAnError) {
    EXPECT_EQ(parse_error({"exec"}), "\"exec\" requires a minimum of 1 argument(s)");
    EXPECT_EQ(parse_error({"exec", "-t"}), "\"exec\" requires a minimum of 1 argument(s)");
}

TEST(CliParse, ExecUnknownFlagBeforeTheIdIsAnError) {
    auto message = parse_error({"exec", "-x", "abc", "ls"});
    EXPECT_EQ(message.rfind("flag provided but not defined: -x", 0), 0u) << message;
}

// ---- ps ----

TEST(CliParse, PsOptionsAfterTheIdAreArguments) {
    auto c = parse({"ps", "abc", "-ef"});
    EXPECT_EQ(c.command, "ps");
    EXPECT_EQ(c.args, (Strings{"abc", "-ef"}));
    EXPECT_FALSE(c.flags.has("format"));
}

TEST(CliParse, PsFormatShortAliasAfterTheIdIsAPsOption) {
    // `-f` after the id belongs to ps(1), not to minirunc's --format.
    auto c = parse({"ps", "abc", "-f"});
    EXPECT_FALSE(c.flags.has("format"));
    EXPECT_EQ(c.args, (Strings{"abc", "-f"}));
}

TEST(CliParse, PsDoubleDashAfterTheIdIsKept) {
    // runc's ps (StopOnNthArg 1) passes everything after the id on, `--` included.
    auto c = parse({"ps", "abc", "--", "-ef"});
    EXPECT_EQ(c.args, (Strings{"abc", "--", "-ef"}));
    EXPECT_FALSE(c.flags.has("format"));
}

TEST(CliParse, PsFormatJsonBeforeTheId) {
    auto c = parse({"ps", "--format", "json", "abc"});
    EXPECT_EQ(c.flags.get("format"), "json");
    EXPECT_EQ(c.args, Strings{"abc"});
    EXPECT_EQ(parse({"ps", "-f", "table", "abc"}).flags.get("format"), "table");
}

TEST(CliParse, PsWithoutIdIsAnError) {
    EXPECT_EQ(parse_error({"ps"}), "\"ps\" requires a minimum of 1 argument(s)");
}

// ---- update ----

TEST(CliParse, FlagAfterIdIsParsedForUpdate) {
    auto c = parse({"update", "abc", "--memory", "100M", "--pids-limit=10"});
    EXPECT_EQ(c.command, "update");
    EXPECT_EQ(c.args, Strings{"abc"});
    EXPECT_EQ(c.flags.get("memory"), "100M");
    EXPECT_EQ(c.flags.get("pids-limit"), "10");
}

TEST(CliParse, UpdateResourcesShortAlias) {
    auto c = parse({"update", "-r", "/r.json", "abc"});
    EXPECT_EQ(c.flags.get("resources"), "/r.json");
    EXPECT_EQ(parse({"update", "-r", "-", "abc"}).flags.get("resources"), "-");
}

TEST(CliParse, UpdateCpuFlags) {
    auto c = parse({"update", "--cpu-quota", "50000", "--cpu-period=100000", "--cpuset-cpus", "0-1",
                    "--cpu-share", "512", "--blkio-weight", "300", "abc"});
    EXPECT_EQ(c.flags.get("cpu-quota"), "50000");
    EXPECT_EQ(c.flags.get("cpu-period"), "100000");
    EXPECT_EQ(c.flags.get("cpuset-cpus"), "0-1");
    EXPECT_EQ(c.flags.get("cpu-share"), "512");
    EXPECT_EQ(c.flags.get("blkio-weight"), "300");
}

// ---- argument counts ----

TEST(CliParse, MissingIdIsAnError) {
    for (const char* name :
         {"create", "start", "state", "delete", "run", "pause", "resume", "update", "events"}) {
        EXPECT_EQ(parse_error({name}),
                  std::string("\"") + name + "\" requires exactly 1 argument(s)")
            << name;
    }
}

TEST(CliParse, KillWithoutIdIsAnError) {
    EXPECT_EQ(parse_error({"kill"}), "\"kill\" requires a minimum of 1 argument(s)");
}

TEST(CliParse, TooManyArgumentsIsAnError) {
    for (const char* name : {"create", "start", "state", "delete", "run", "pause", "resume"}) {
        auto message = parse_error({name, "a", "b"});
        EXPECT_NE(message.find(std::string("\"") + name + "\" requires"), std::string::npos)
            << name << ": " << message;
    }
    EXPECT_NE(parse_error({"kill", "a", "9", "x"}).find("\"kill\" requires"), std::string::npos);
    EXPECT_NE(parse_error({"list", "x"}).find("\"list\" requires"), std::string::npos);
    EXPECT_NE(parse_error({"spec", "x"}).find("\"spec\" requires"), std::string::npos);
    EXPECT_NE(parse_error({"features", "x"}).find("\"features\" requires"), std::string::npos);
}

TEST(CliParse, TooManyArgumentsUsesRuncWording) {
    EXPECT_EQ(parse_error({"start", "a", "b"}), "\"start\" requires exactly 1 argument(s)");
    EXPECT_EQ(parse_error({"list", "x"}), "\"list\" requires exactly 0 argument(s)");
    EXPECT_EQ(parse_error({"kill", "a", "9", "x"}), "\"kill\" requires a maximum of 2 argument(s)");
}

// ---- the table and usage ----

TEST(CliTable, EveryRuncCommandIsPresent) {
    for (const char* name : {"create", "start", "state", "kill", "delete", "run", "exec", "ps",
                             "list", "pause", "resume", "update", "events", "spec", "features"}) {
        const auto* command = cli::find_command(name);
        ASSERT_NE(command, nullptr) << name;
        EXPECT_EQ(command->name, name);
    }
    EXPECT_EQ(cli::find_command("help"), nullptr);
    EXPECT_EQ(cli::find_command("nope"), nullptr);
}

TEST(CliTable, CommandNamesAreUnique) {
    const auto& table = cli::command_table();
    for (size_t i = 0; i < table.size(); ++i)
        for (size_t j = i + 1; j < table.size(); ++j) EXPECT_NE(table[i].name, table[j].name);
}

TEST(CliTable, FlagNamesAndAliasesAreUniqueWithinACommand) {
    for (const auto& command : cli::command_table()) {
        std::vector<std::string> names;
        for (const auto& flag : command.flags) {
            names.push_back(flag.name);
            for (const auto& alias : flag.aliases) names.push_back(alias);
        }
        for (size_t i = 0; i < names.size(); ++i)
            for (size_t j = i + 1; j < names.size(); ++j)
                EXPECT_NE(names[i], names[j]) << command.name;
    }
}

TEST(CliUsage, GeneralUsageListsEveryCommand) {
    auto text = cli::usage_text(nullptr);
    for (const auto& command : cli::command_table())
        EXPECT_NE(text.find("   " + command.name + " "), std::string::npos) << command.name;
    EXPECT_NE(text.find("--root"), std::string::npos);
}

TEST(CliUsage, CommandUsageListsFlagsAndAliases) {
    auto text = cli::usage_text(cli::find_command("create"));
    EXPECT_NE(text.find("minirunc create [command options] <container-id>"), std::string::npos);
    EXPECT_NE(text.find("--bundle DIR, -b DIR  "), std::string::npos) << text;
    EXPECT_NE(text.find("--no-pivot  "), std::string::npos) << text;
}

TEST(CliUsage, CommandWithoutFlagsHasNoOptionsSection) {
    auto text = cli::usage_text(cli::find_command("start"));
    EXPECT_NE(text.find("minirunc start <container-id>"), std::string::npos);
    EXPECT_EQ(text.find("OPTIONS"), std::string::npos);
}
