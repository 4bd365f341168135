// --help, the man pages and the bash completion are rendered from the command
// table: every flag the parser accepts is documented in each of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string_view>

#include "minirunc/cli.hpp"

using namespace minirunc;

namespace {

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// How a man page spells text: minus signs escaped.
std::string roff(std::string_view text) {
    std::string out;
    for (char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The line of a --help text that documents --name.
std::string help_line(const std::string& text, const std::string& name) {
    const std::string start = "   --" + name;
    for (const auto& line : lines_of(text))
        if (line.rfind(start, 0) == 0 &&
            (line.size() == start.size() || line[start.size()] == ' ' || line[start.size()] == ','))
            return line;
    return "";
}

}  // namespace

TEST(CliHelp, EveryFlagOfEveryCommandHasHelpText) {
    for (const auto& command : cli::command_table()) {
        EXPECT_FALSE(std::string(command.summary).empty()) << command.name;
        EXPECT_FALSE(std::string(command.description).empty()) << command.name;
        for (const auto& flag : command.flags) {
            EXPECT_FALSE(std::string(flag.help).empty()) << command.name << " --" << flag.name;
            EXPECT_NE(std::string(flag.help).back(), '.') << command.name << " --" << flag.name;
            if (flag.takes_value) {
                EXPECT_FALSE(std::string(flag.placeholder).empty())
                    << command.name << " --" << flag.name;
            }
        }
    }
    for (const auto& flag : cli::global_flags())
        EXPECT_FALSE(std::string(flag.help).empty()) << flag.name;
}

TEST(CliHelp, CommandHelpHasALinePerFlagWithItsHelpAndDefault) {
    for (const auto& command : cli::command_table()) {
        auto text = cli::usage_text(&command);
        EXPECT_TRUE(contains(text, "USAGE:\n   minirunc " + command.usage + "\n")) << text;
        EXPECT_TRUE(contains(text, "NAME:\n   minirunc " + command.name + " - ")) << text;
        auto options = text.substr(std::min(text.find("OPTIONS:\n"), text.size()));
        for (const auto& flag : command.flags) {
            auto line = help_line(options, flag.name);
            ASSERT_FALSE(line.empty()) << command.name << " --" << flag.name << "\n" << text;
            EXPECT_TRUE(contains(line, flag.help)) << line;
            for (const auto& alias : flag.aliases)
                EXPECT_TRUE(contains(line, ", -" + alias)) << line;
            if (flag.takes_value) {
                EXPECT_TRUE(contains(line, " " + std::string(flag.placeholder))) << line;
            }
            if (!std::string(flag.default_text).empty()) {
                EXPECT_TRUE(contains(line, "(default: " + std::string(flag.default_text) + ")"))
                    << line;
            }
        }
    }
}

TEST(CliHelp, FlagHelpStartsInOneColumn) {
    auto text = cli::usage_text(cli::find_command("exec"));
    auto options = text.substr(text.find("OPTIONS:\n"));
    size_t column = std::string::npos;
    for (const auto& flag : cli::find_command("exec")->flags) {
        auto line = help_line(options, flag.name);
        auto at = line.find(flag.help);
        ASSERT_NE(at, std::string::npos) << line;
        if (column == std::string::npos) column = at;
        EXPECT_EQ(at, column) << line;
    }
}

TEST(CliHelp, ShowsDefaults) {
    auto create = cli::usage_text(cli::find_command("create"));
    EXPECT_TRUE(contains(help_line(create, "preserve-fds"), "(default: 0)")) << create;
    EXPECT_TRUE(contains(help_line(create, "bundle"), "(default: the current directory)"));
    auto events = cli::usage_text(cli::find_command("events"));
    EXPECT_TRUE(contains(help_line(events, "interval"), "(default: 5s)")) << events;
}

TEST(CliHelp, GeneralHelpListsCommandsWithSummariesAndGlobalFlags) {
    auto text = cli::usage_text(nullptr);
    EXPECT_TRUE(contains(text, "USAGE:\n   minirunc [global options] command")) << text;
    for (const auto& command : cli::command_table()) {
        bool found = false;
        for (const auto& line : lines_of(text))
            if (line.rfind("   " + command.name + " ", 0) == 0 && contains(line, command.summary))
                found = true;
        EXPECT_TRUE(found) << command.name << "\n" << text;
    }
    auto globals = text.substr(text.find("GLOBAL OPTIONS:\n"));
    for (const auto& flag : cli::global_flags())
        EXPECT_TRUE(contains(help_line(globals, flag.name), flag.help)) << flag.name;
    EXPECT_TRUE(contains(help_line(globals, "root"), "(default: /run/minirunc")) << text;
}

TEST(CliHelp, LinesFitEightyColumnsOutsideTheFlagTable) {
    for (const auto& command : cli::command_table()) {
        auto text = cli::usage_text(&command);
        auto options = text.find("OPTIONS:\n");
        for (const auto& line : lines_of(text.substr(0, options)))
            EXPECT_LE(line.size(), 80u) << command.name << ": " << line;
    }
}

TEST(CliMan, EveryFlagOfEveryCommandIsInItsManPage) {
    for (const auto& command : cli::command_table()) {
        auto page = cli::man_page(&command);
        for (const auto& flag : command.flags) {
            EXPECT_TRUE(contains(page, ".TP\n\\fB" + roff("--" + flag.name) + "\\fR"))
                << command.name << " --" << flag.name;
            EXPECT_TRUE(contains(page, roff(flag.help))) << command.name << " --" << flag.name;
            for (const auto& alias : flag.aliases)
                EXPECT_TRUE(contains(page, "\\fB" + roff("-" + alias) + "\\fR")) << alias;
        }
    }
}

TEST(CliMan, PagesHaveTheManSectionsAndNames) {
    auto create = cli::man_page(cli::find_command("create"));
    EXPECT_EQ(create.rfind(".TH MINIRUNC\\-CREATE 8 ", 0), std::string::npos)
        << "the title is a macro argument: no escapes needed";
    EXPECT_EQ(create.rfind(".TH MINIRUNC-CREATE 8 ", 0), 0u) << create;
    EXPECT_TRUE(contains(create, ".SH NAME\nminirunc\\-create \\- create a container\n"));
    for (const char* section : {".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH OPTIONS\n",
                                ".SH SEE ALSO\n\\fBminirunc\\fR(8)"})
        EXPECT_TRUE(contains(create, section)) << section;
    EXPECT_EQ(cli::man_page_name(cli::find_command("create")), "minirunc-create");

    auto main = cli::man_page(nullptr);
    EXPECT_EQ(main.rfind(".TH MINIRUNC 8 ", 0), 0u);
    for (const auto& command : cli::command_table())
        EXPECT_TRUE(contains(main, "\\fB" + roff(cli::man_page_name(&command)) + "\\fR(8)"))
            << command.name;
    for (const auto& flag : cli::global_flags())
        EXPECT_TRUE(contains(main, "\\fB" + roff("--" + flag.name) + "\\fR")) << flag.name;
}

TEST(CliMan, NoTextLineStartsWithARoffControlCharacter) {
    for (const auto* command : {static_cast<const cli::CommandSpec*>(nullptr),
                                cli::find_command("create"), cli::find_command("exec")}) {
        for (const auto& line : lines_of(cli::man_page(command))) {
            bool macro = false;
            for (const char* known : {".TH ", ".SH ", ".TP", ".PP", ".nh", ".ad "})
                macro = macro || line.rfind(known, 0) == 0;
            if (macro) continue;
            EXPECT_NE(line.front(), '.') << line;
            EXPECT_NE(line.front(), '\'') << line;
        }
    }
}

TEST(CliCompletion, ScriptOffersEveryCommandAndFlag) {
    auto script = cli::bash_completion();
    EXPECT_TRUE(contains(script, "complete -F _minirunc minirunc\n"));
    std::string commands;
    for (const auto& command : cli::command_table()) commands += command.name + " ";
    EXPECT_TRUE(contains(script, "compgen -W \"" + commands + "help\"")) << script;
    for (const auto& command : cli::command_table()) {
        auto arm = script.find("\n        " + command.name + ")\n            flags=\"");
        ASSERT_NE(arm, std::string::npos) << command.name;
        auto flags = script.substr(arm, script.find('\n', script.find("flags=", arm)) - arm);
        for (const auto& flag : command.flags)
            EXPECT_TRUE(contains(flags + " ", " --" + flag.name + " ")) << command.name;
    }
    for (const auto& flag : cli::global_flags())
        EXPECT_TRUE(contains(script, " --" + flag.name)) << flag.name;
}

// How the zsh function spells text in a single-quoted word, and in a flag's
// [help] (brackets escaped) when in_help.
static std::string zsh_text(std::string_view text, bool in_help) {
    std::string out;
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
            continue;
        }
        if (in_help && (c == '[' || c == ']' || c == '\\')) out += '\\';
        out += c;
    }
    return out;
}

TEST(CliCompletion, ZshFunctionHasEveryCommandWithItsFlags) {
    auto script = cli::zsh_completion();
    EXPECT_EQ(script.rfind("#compdef minirunc\n", 0), 0u) << "zsh's compinit reads the first line";
    EXPECT_TRUE(contains(script, "\n_minirunc \"$@\"\n"));
    for (const auto& command : cli::command_table()) {
        EXPECT_TRUE(contains(script, "\n            '" + command.name + ":" +
                                         zsh_text(command.summary, false) + "'\n"))
            << command.name << " is offered with its summary";
        auto arm = script.find("\n        " + command.name + ")\n            _arguments");
        ASSERT_NE(arm, std::string::npos) << command.name;
        auto body = script.substr(arm, script.find("&& ret=0", arm) - arm);
        for (const auto& flag : command.flags) {
            EXPECT_TRUE(contains(body, "--" + flag.name + (flag.takes_value ? "=[" : "[")))
                << command.name << " --" << flag.name;
            EXPECT_TRUE(contains(body, "[" + zsh_text(flag.help, true)))
                << command.name << " --" << flag.name;
        }
        EXPECT_EQ(contains(body, "_minirunc_ids"), command.names_container) << command.name;
    }
    for (const auto& flag : cli::global_flags())
        EXPECT_TRUE(contains(script, "--" + flag.name + (flag.takes_value ? "=[" : "[")))
            << flag.name;
}

TEST(CliCompletion, ZshSpecsEscapeWhatEndsAHelpOrAMessage) {
    auto script = cli::zsh_completion();
    // exec --user's value is "UID[:GID]": its colon would end the message.
    EXPECT_TRUE(contains(script, ":UID[\\:GID]:")) << script;
    EXPECT_TRUE(contains(
        script, "'(--format -f)--format=[output format (default: table)]:table|json:(table json)'"))
        << script;
}
