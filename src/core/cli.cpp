#include "minirunc/cli.hpp"

#include "minirunc/error.hpp"

namespace minirunc::cli {
namespace {

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

CommandLine parse(const std::vector<std::string>& argv) {
    CommandLine result;
    ParsedFlags globals;
    size_t i = 1;
    for (; i < argv.size(); ++i) {
        std::string name;
        std::optional<std::string> inline_value;
        if (!split_flag(argv[i], name, inline_value)) break;
        take_flag(global_flags(), argv, i, name, inline_value, globals, "");
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
        if (i < argv.size()) {
            if (!find_command(argv[i])) throw Error("No help topic for '" + argv[i] + "'");
            result.command = argv[i];
        }
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

}  // namespace minirunc::cli
