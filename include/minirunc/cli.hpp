// Command-line parsing with runc's (Go flag / urfave-cli) conventions:
// `-name`, `--name`, `--name=value`, `--name value`, booleans as `--name` or
// `--name=false`, global flags before the command, `--` ends the flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace minirunc::cli {

// One flag. The same entry drives the parser, `--help`, the man pages and the
// shell completion, so they cannot drift apart.
struct FlagSpec {
    std::string name;                  // long name without dashes
    std::vector<std::string> aliases;  // e.g. {"d"}
    bool takes_value = false;
    bool repeatable = false;  // values accumulate (e.g. --env)
    // Text read only by --help, the man pages and completion: string literals,
    // so building the table for a parse neither copies nor reads them (each
    // read is a page fault in every command's start-up).
    const char* help = "";             // what it does: one line, lower case, no final period
    const char* default_text = "";     // shown as "(default: ...)"; empty: none
    const char* placeholder = "";      // the value's name in help: "FILE", "DIR", "N"
    std::vector<std::string> choices;  // the only values accepted (completion offers them)
};

struct CommandSpec {
    std::string name;
    std::string usage;             // one line: "create [command options] <container-id>"
    const char* summary = "";      // one line for the command list (a literal)
    const char* description = "";  // paragraphs separated by blank lines, no wrapping
    // The first argument names an existing container (completion offers live ids).
    bool names_container = false;
    // What the argument after the container id may be (kill's signal names),
    // for completion.
    std::vector<std::string> (*second_operand)() = nullptr;
    std::vector<FlagSpec> flags;
    // Parse flags after positional arguments too (runc's update); otherwise
    // the first `stop_after` positionals end flag parsing (exec ID CMD...).
    bool interspersed = true;
    size_t stop_after = 0;  // 0: never stop early
    size_t min_args = 0;
    size_t max_args = 0;  // SIZE_MAX for unbounded
};

struct GlobalOptions {
    std::string root;  // empty: the default for this user
    std::string log;
    std::string log_format = "text";
    bool debug = false;
    bool systemd_cgroup = false;
    std::string rootless = "auto";
    std::string criu;
};

struct ParsedFlags {
    std::map<std::string, std::vector<std::string>> values;

    bool has(const std::string& name) const { return values.count(name) != 0; }
    bool flag(const std::string& name) const;  // boolean flag value
    std::string get(const std::string& name, const std::string& fallback = "") const;
    const std::vector<std::string>& all(const std::string& name) const;
};

struct CommandLine {
    GlobalOptions global;
    bool show_version = false;
    bool show_help = false;
    std::string command;  // empty with show_version/show_help
    ParsedFlags flags;
    std::vector<std::string> args;
};

// The table of every command with its flags (runc's set).
const std::vector<CommandSpec>& command_table();
const CommandSpec* find_command(const std::string& name);
// The flags before the command (--root, --log, ..., --help, --version).
const std::vector<FlagSpec>& global_flags();

// Throws Error with a runc-like message on unknown flags/commands, missing
// values or a wrong number of arguments.
CommandLine parse(const std::vector<std::string>& argv);

// `minirunc --help` (command == nullptr) or `minirunc <command> --help`, in
// runc's layout: NAME, USAGE, DESCRIPTION, then one line per flag with what it
// does and its default.
std::string usage_text(const CommandSpec* command);

// The man page minirunc(8) (command == nullptr) or minirunc-<command>(8), in roff.
std::string man_page(const CommandSpec* command);
// "minirunc" or "minirunc-<command>": the page's name, without the section.
std::string man_page_name(const CommandSpec* command);

// A bash completion script: commands, each command's flags and their values,
// and live container ids from `list -q` (with the --root given on the line).
std::string bash_completion();
// The zsh completion function (_minirunc) for the same: commands with their
// summaries, flags with their help, values and container ids.
std::string zsh_completion();

}  // namespace minirunc::cli
