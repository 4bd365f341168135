#include "minirunc/cli.hpp"

#include <cstdint>

#include "minirunc/error.hpp"

namespace minirunc::cli {
namespace {

FlagSpec value(std::string name, std::vector<std::string> aliases = {}) {
    return {std::move(name), std::move(aliases), true, false};
}
FlagSpec repeated(std::string name, std::vector<std::string> aliases = {}) {
    return {std::move(name), std::move(aliases), true, true};
}
FlagSpec boolean(std::string name, std::vector<std::string> aliases = {}) {
    return {std::move(name), std::move(aliases), false, false};
}

constexpr size_t kUnbounded = SIZE_MAX;

std::vector<CommandSpec> build_table() {
    const std::vector<FlagSpec> create_flags = {
        value("bundle", {"b"}), value("console-socket"),   value("pidfd-socket"), value("pid-file"),
        boolean("no-pivot"),    boolean("no-new-keyring"), value("preserve-fds"),
    };
    std::vector<FlagSpec> run_flags = create_flags;
    run_flags.push_back(boolean("detach", {"d"}));
    run_flags.push_back(boolean("keep"));
    run_flags.push_back(boolean("no-subreaper"));

    return {
        {"create", "create [command options] <container-id>", create_flags, true, 0, 1, 1},
        {"start", "start <container-id>", {}, true, 0, 1, 1},
        {"state", "state <container-id>", {}, true, 0, 1, 1},
        {"kill",
         "kill [command options] <container-id> [signal]",
         {boolean("all", {"a"})},
         true,
         0,
         1,
         2},
        {"delete",
         "delete [command options] <container-id>",
         {boolean("force", {"f"})},
         true,
         0,
         1,
         1},
        {"run", "run [command options] <container-id>", run_flags, true, 0, 1, 1},
        {"exec",
         "exec [command options] <container-id> <command> [command options]",
         {value("console-socket"), value("pidfd-socket"), value("cwd"), repeated("env", {"e"}),
          boolean("tty", {"t"}), value("user", {"u"}), repeated("additional-gids", {"g"}),
          value("process", {"p"}), boolean("detach", {"d"}), value("pid-file"),
          value("process-label"), value("apparmor"), boolean("no-new-privs"),
          repeated("cap", {"c"}), value("preserve-fds"), repeated("cgroup"),
          boolean("ignore-paused"), boolean("no-subreaper")},
         false,
         1,
         1,
         kUnbounded},
        {"ps",
         "ps [command options] <container-id> [ps options]",
         {value("format", {"f"})},
         false,
         1,
         1,
         kUnbounded},
        {"list",
         "list [command options]",
         {value("format", {"f"}), boolean("quiet", {"q"})},
         true,
         0,
         0,
         0},
        {"pause", "pause <container-id>", {}, true, 0, 1, 1},
        {"resume", "resume <container-id>", {}, true, 0, 1, 1},
        {"update",
         "update [command options] <container-id>",
         {value("resources", {"r"}), value("blkio-weight"), value("cpu-period"), value("cpu-quota"),
          value("cpu-burst"), value("cpu-share"), value("cpu-rt-period"), value("cpu-rt-runtime"),
          value("cpuset-cpus"), value("cpuset-mems"), value("kernel-memory"),
          value("kernel-memory-tcp"), value("memory"), value("cpu-idle"),
          value("memory-reservation"), value("memory-swap"), value("pids-limit"),
          value("l3-cache-schema"), value("mem-bw-schema")},
         true,
         0,
         1,
         1},
        {"events",
         "events [command options] <container-id>",
         {value("interval"), boolean("stats")},
         true,
         0,
         1,
         1},
        {"spec",
         "spec [command options]",
         {value("bundle", {"b"}), boolean("rootless")},
         true,
         0,
         0,
         0},
        {"features", "features", {}, true, 0, 0, 0},
    };
}

const FlagSpec* find_flag(const std::vector<FlagSpec>& flags, const std::string& name) {
    for (const auto& flag : flags) {
        if (flag.name == name) return &flag;
        for (const auto& alias : flag.aliases)
            if (alias == name) return &flag;
    }
    return nullptr;
}

bool parse_bool(const std::string& flag, const std::string& text) {
    // Go's strconv.ParseBool.
    for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"})
        if (text == yes) return true;
    for (const char* no : {"0", "f", "F", "false", "FALSE", "False"})
        if (text == no) return false;
    throw Error("invalid boolean value \"" + text + "\" for flag -" + flag);
}

// Splits "-name", "--name", "--name=value" into name and optional value.
// Returns false when `arg` is not a flag.
bool split_flag(const std::string& arg, std::string& name,
                std::optional<std::string>& inline_value) {
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") return false;
    size_t start = arg[1] == '-' ? 2 : 1;
    std::string body = arg.substr(start);
    if (body.empty() || body[0] == '-' || body[0] == '=') throw Error("bad flag syntax: " + arg);
    auto eq = body.find('=');
    if (eq == std::string::npos) {
        name = body;
        inline_value.reset();
    } else {
        name = body.substr(0, eq);
        inline_value = body.substr(eq + 1);
    }
    return true;
}

// Consumes one flag at argv[i] (advancing i past its value), storing it.
void take_flag(const std::vector<FlagSpec>& specs, const std::vector<std::string>& argv, size_t& i,
               const std::string& name, const std::optional<std::string>& inline_value,
               ParsedFlags& out, const std::string& where) {
    const FlagSpec* spec = find_flag(specs, name);
    if (!spec) throw Error("flag provided but not defined: -" + name + where);
    std::string value;
    if (spec->takes_value) {
        if (inline_value) {
            value = *inline_value;
        } else {
            if (i + 1 >= argv.size()) throw Error("flag needs an argument: -" + name);
            value = argv[++i];
        }
    } else {
        value = inline_value ? (parse_bool(name, *inline_value) ? "true" : "false") : "true";
    }
    auto& slot = out.values[spec->name];
    if (spec->repeatable || slot.empty())
        slot.push_back(value);
    else
        slot.back() = value;  // last one wins, as with Go's flag package
}

const std::vector<FlagSpec>& global_flag_specs() {
    static const std::vector<FlagSpec> specs = {
        boolean("debug"),  value("log"),           value("log-format"),
        value("root"),     value("criu"),          boolean("systemd-cgroup"),
        value("rootless"), boolean("help", {"h"}), boolean("version", {"v"}),
    };
    return specs;
}

}  // namespace

bool ParsedFlags::flag(const std::string& name) const {
    auto it = values.find(name);
    return it != values.end() && !it->second.empty() && it->second.back() == "true";
}

std::string ParsedFlags::get(const std::string& name, const std::string& fallback) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& ParsedFlags::all(const std::string& name) const {
    static const std::vector<std::string> empty;
    auto it = values.find(name);
    return it == values.end() ? empty : it->second;
}

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = build_table();
    return table;
}

const CommandSpec* find_command(const std::string& name) {
    for (const auto& command : command_table())
        if (command.name == name) return &command;
    return nullptr;
}

CommandLine parse(const std::vector<std::string>& argv) {
    CommandLine result;
    ParsedFlags globals;
    size_t i = 1;
    for (; i < argv.size(); ++i) {
        std::string name;
        std::optional<std::string> inline_value;
        if (!split_flag(argv[i], name, inline_value)) break;
        take_flag(global_flag_specs(), argv, i, name, inline_value, globals, "");
    }
    result.global.root = globals.get("root");
    result.global.log = globals.get("log");
    result.global.log_format = globals.get("log-format", "text");
    result.global.debug = globals.flag("debug");
    result.global.systemd_cgroup = globals.flag("systemd-cgroup");
    result.global.rootless = globals.get("rootless", "auto");
    result.global.criu = globals.get("criu");
    result.show_version = globals.flag("version");
    result.show_help = globals.flag("help");
    if (result.global.log_format != "text" && result.global.log_format != "json")
        throw Error("unknown log-format \"" + result.global.log_format + "\"");

    if (i < argv.size() && argv[i] == "--") ++i;
    if (i >= argv.size()) {
        if (!result.show_version) result.show_help = true;
        return result;
    }
    if (result.show_version) return result;
    std::string command_name = argv[i++];
    if (command_name == "help") {
        result.show_help = true;
        if (i < argv.size()) result.command = argv[i];
        return result;
    }
    const CommandSpec* command = find_command(command_name);
    if (!command) throw Error("no such command: " + command_name);
    result.command = command->name;

    const std::string where = " (in " + command->name + ")";
    bool flags_done = false;
    for (; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (!flags_done && arg == "--") {
            flags_done = true;
            continue;
        }
        std::string name;
        std::optional<std::string> inline_value;
        bool may_be_flag = !flags_done && (result.args.empty() || command->interspersed);
        if (may_be_flag && split_flag(arg, name, inline_value)) {
            if (name == "help" || name == "h") {
                result.show_help = true;
                continue;
            }
            take_flag(command->flags, argv, i, name, inline_value, result.flags, where);
            continue;
        }
        result.args.push_back(arg);
        if (command->stop_after && result.args.size() >= command->stop_after) flags_done = true;
    }
    if (result.show_help) return result;
    // runc's checkArgs wording.
    const std::string quoted = "\"" + command->name + "\"";
    if (command->min_args == command->max_args && result.args.size() != command->min_args)
        throw Error(quoted + " requires exactly " + std::to_string(command->min_args) +
                    " argument(s)");
    if (result.args.size() < command->min_args)
        throw Error(quoted + " requires a minimum of " + std::to_string(command->min_args) +
                    " argument(s)");
    if (result.args.size() > command->max_args)
        throw Error(quoted + " requires a maximum of " + std::to_string(command->max_args) +
                    " argument(s)");
    return result;
}

std::string usage_text(const CommandSpec* command) {
    std::string text;
    if (!command) {
        text =
            "minirunc: an OCI runtime-spec 1.3 container runtime, compatible with runc\n\n"
            "USAGE:\n   minirunc [global options] command [command options] [arguments...]\n\n"
            "COMMANDS:\n";
        for (const auto& c : command_table()) text += "   " + c.usage + "\n";
        text +=
            "\nGLOBAL OPTIONS:\n   --debug, --log FILE, --log-format text|json, --root DIR,\n"
            "   --systemd-cgroup, --rootless true|false|auto, --help, --version\n";
        return text;
    }
    text = "USAGE:\n   minirunc " + command->usage + "\n";
    if (!command->flags.empty()) {
        text += "\nOPTIONS:\n";
        for (const auto& flag : command->flags) {
            text += "   --" + flag.name;
            for (const auto& alias : flag.aliases) text += ", -" + alias;
            if (flag.takes_value) text += " value";
            text += "\n";
        }
    }
    return text;
}

}  // namespace minirunc::cli
