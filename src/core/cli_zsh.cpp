// The zsh completion function (_minirunc), generated from the command table
// as the bash script is: the commands with their summaries, each flag with
// its help and the completion of its value, live container ids from
// `list -q` with the --root given on the line.
#include "cli_text.hpp"
#include "minirunc/cli.hpp"

namespace minirunc::cli {
namespace {

// Text inside a single-quoted zsh word.
std::string single_quoted(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out;
}

// _arguments reads '\' escapes in a spec: brackets end a flag's help, colons
// end a value's message.
std::string escaped(const std::string& text, const std::string& specials) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || specials.find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

// What completes a flag's value: its choices, file or directory names, or
// nothing (a single space: the message alone).
std::string zsh_value_action(const FlagSpec& flag) {
    if (!flag.choices.empty()) return "(" + join(flag.choices, " ") + ")";
    const std::string placeholder = flag.placeholder;
    if (placeholder == "DIR") return "_files -/";
    if (placeholder == "FILE" || placeholder == "SOCKET") return "_files";
    return " ";
}

// The spellings --help shows: --name, then -a or --alias.
std::vector<std::string> shown_spellings(const FlagSpec& flag) {
    std::vector<std::string> out = {"--" + flag.name};
    for (const auto& alias : flag.aliases) out.push_back((alias.size() == 1 ? "-" : "--") + alias);
    return out;
}

// One _arguments spec per spelling, each a quoted word on its own line:
// spellings of one flag exclude each other unless the flag repeats.
std::string flag_specs(const std::vector<FlagSpec>& flags, const std::string& indent) {
    std::string out;
    for (const auto& flag : flags) {
        const std::vector<std::string> names = shown_spellings(flag);
        std::string prefix;
        if (flag.repeatable)
            prefix = "*";
        else if (names.size() > 1)
            prefix = "(" + join(names, " ") + ")";
        std::string rest = "[" + escaped(flag_help(flag), "[]") + "]";
        if (flag.takes_value)
            rest += ":" + escaped(*flag.placeholder ? flag.placeholder : "value", ":") + ":" +
                    zsh_value_action(flag);
        for (const auto& name : names)
            out += indent + "'" +
                   single_quoted(prefix + name + (flag.takes_value ? "=" : "") + rest) + "' \\\n";
    }
    return out;
}

// The operands of a command after its flags.
std::string operand_specs(const CommandSpec& command, const std::string& indent) {
    std::vector<std::string> specs;
    if (command.names_container)
        specs.push_back("1:container:_minirunc_ids");
    else if (command.min_args == 1 && command.max_args == 1)
        specs.push_back("1:new container id: ");
    if (command.second_operand)
        specs.push_back("2:" + std::string(command.name == "kill" ? "signal" : "argument") + ":(" +
                        join(command.second_operand(), " ") + ")");
    if (command.max_args > specs.size()) specs.push_back("*:argument: ");
    std::string out;
    for (const auto& spec : specs) out += indent + "'" + single_quoted(spec) + "' \\\n";
    return out;
}

}  // namespace

std::string zsh_completion() {
    std::string out =
        "#compdef minirunc\n"
        "# zsh completion for minirunc.\n"
        "# Generated from minirunc's command table by minirunc-docgen: do not edit.\n"
        "\n"
        "# The ids of the live containers, from `list -q` of the runtime as typed\n"
        "# with the --root given on the command line.\n"
        "_minirunc_ids() {\n"
        "    local -a ids root expl\n"
        "    [[ -n $_minirunc_root ]] && root=(--root ${(q)_minirunc_root})\n"
        "    ids=(${(f)\"$(_call_program containers ${(q)_minirunc_runtime} $root list -q "
        "2>/dev/null)\"})\n"
        "    _wanted containers expl container compadd -a ids\n"
        "}\n"
        "\n"
        "_minirunc() {\n"
        "    local curcontext=$curcontext state state_descr line ret=1\n"
        "    local _minirunc_runtime=$words[1] _minirunc_root\n"
        "    typeset -A opt_args\n"
        "    _arguments -C \\\n";
    out += flag_specs(global_flags(), "        ");
    out +=
        "        '1:command:->command' \\\n"
        "        '*::argument:->argument' && ret=0\n"
        "    case $state in\n"
        "    command)\n"
        "        local -a commands=(\n";
    std::vector<std::string> names;
    for (const auto& command : command_table()) {
        out += "            '" + single_quoted(escaped(command.name, ":") + ":" + command.summary) +
               "'\n";
        names.push_back(command.name);
    }
    out +=
        "            'help:show the commands, or the help of one'\n"
        "        )\n"
        "        _describe -t commands 'minirunc command' commands && ret=0\n"
        "        ;;\n"
        "    argument)\n"
        "        _minirunc_root=${opt_args[--root]:-${opt_args[-root]}}\n"
        "        curcontext=${curcontext%:*:*}:minirunc-$words[1]:\n"
        "        case $words[1] in\n";
    for (const auto& command : command_table()) {
        out += "        " + command.name + ")\n";
        // Flags end at the first operand for exec and ps (they belong to the program).
        out += std::string("            _arguments") + (command.interspersed ? "" : " -A '-*'") +
               " \\\n";
        out += flag_specs(command.flags, "                ");
        out += "                '--help[show help]' \\\n";
        out += operand_specs(command, "                ");
        out += "                && ret=0\n            ;;\n";
    }
    out +=
        "        help)\n"
        "            _arguments '1:command:(" +
        join(names, " ") +
        ")' && ret=0\n"
        "            ;;\n"
        "        esac\n"
        "        ;;\n"
        "    esac\n"
        "    return ret\n"
        "}\n"
        "\n"
        "_minirunc \"$@\"\n";
    return out;
}

}  // namespace minirunc::cli
