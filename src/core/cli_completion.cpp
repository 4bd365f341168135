// The bash completion script, generated from the command table so it offers
// exactly the commands and flags the parser accepts.
#include "cli_text.hpp"
#include "minirunc/cli.hpp"

namespace minirunc::cli {
namespace {

// The spellings a user may type for a flag: --name and -name (Go's flag
// package takes both), for the name and every alias.
std::vector<std::string> typed_spellings(const FlagSpec& flag) {
    std::vector<std::string> out = {"--" + flag.name, "-" + flag.name};
    for (const auto& alias : flag.aliases) {
        out.push_back("-" + alias);
        out.push_back("--" + alias);
    }
    return out;
}

// The forms offered: --name and the aliases in the form --help shows.
std::string offered(const std::vector<FlagSpec>& flags) {
    std::string out;
    for (const auto& flag : flags) {
        out += " --" + flag.name;
        for (const auto& alias : flag.aliases) out += (alias.size() == 1 ? " -" : " --") + alias;
    }
    return out;
}

// What completes a flag's value: its choices, file or directory names, or nothing.
std::string bash_value_action(const FlagSpec& flag) {
    if (!flag.choices.empty())
        return "COMPREPLY=($(compgen -W \"" + join(flag.choices, " ") + "\" -- \"$3\"))";
    const std::string placeholder = flag.placeholder;
    if (placeholder == "DIR")
        return "COMPREPLY=($(compgen -d -- \"$3\")); compopt -o filenames 2>/dev/null";
    if (placeholder == "FILE" || placeholder == "SOCKET")
        return "COMPREPLY=($(compgen -f -- \"$3\")); compopt -o filenames 2>/dev/null";
    return "COMPREPLY=()";
}

// Case arms "<scope>:<flag spelling>" for every value-taking flag of a scope
// ("" for the global flags).
std::string value_cases(const std::string& scope, const std::vector<FlagSpec>& flags) {
    std::string out;
    for (const auto& flag : flags) {
        if (!flag.takes_value) continue;
        std::vector<std::string> patterns;
        for (const auto& spelling : typed_spellings(flag))
            patterns.push_back(scope + ":" + spelling);
        out += "        " + join(patterns, " | ") + ")\n            " + bash_value_action(flag) +
               " ;;\n";
    }
    return out;
}

std::string value_spellings(const std::vector<FlagSpec>& flags) {
    std::vector<std::string> out;
    for (const auto& flag : flags)
        if (flag.takes_value)
            for (const auto& spelling : typed_spellings(flag)) out.push_back(spelling);
    return join(out, " ");
}

}  // namespace

std::string bash_completion() {
    std::string commands;
    for (const auto& command : command_table()) commands += " " + command.name;

    std::string out =
        "# bash completion for minirunc                            -*- shell-script -*-\n"
        "# Generated from minirunc's command table by minirunc-docgen: do not edit.\n"
        "\n"
        "# The ids of the live containers: $1 is the runtime as typed, $2 the --root\n"
        "# given on the command line (empty: the runtime's default).\n"
        "_minirunc_ids() {\n"
        "    if [[ -n $2 ]]; then\n"
        "        \"$1\" --root \"$2\" list -q 2>/dev/null\n"
        "    else\n"
        "        \"$1\" list -q 2>/dev/null\n"
        "    fi\n"
        "}\n"
        "\n"
        "# Completes the value of flag $2 of command $1 (empty: a global flag) into\n"
        "# COMPREPLY; returns 1 when $2 takes no value.\n"
        "_minirunc_value() {\n"
        "    case $1:$2 in\n";
    out += value_cases("", global_flags());
    for (const auto& command : command_table()) out += value_cases(command.name, command.flags);
    out +=
        "        *) return 1 ;;\n"
        "    esac\n"
        "    return 0\n"
        "}\n"
        "\n"
        "# Moves the caller's i past the value of the flag at i: bash splits\n"
        "# \"--flag=value\" into three words at the '='.\n"
        "_minirunc_skip_value() {\n"
        "    ((i++))\n"
        "    [[ ${COMP_WORDS[i]} == = ]] && ((i++))\n"
        "    return 0\n"
        "}\n"
        "\n"
        "_minirunc() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=\n"
        "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
        "    [[ $prev == = ]] && ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
        "    local runtime=${COMP_WORDS[0]} root= command= word i\n"
        "    COMPREPLY=()\n"
        "    # The global flags, up to the command.\n"
        "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "        word=${COMP_WORDS[i]}\n"
        "        case $word in\n"
        "            --root=* | -root=*) root=${word#*=} ;;\n"
        "            --root | -root)\n"
        "                _minirunc_skip_value\n"
        "                ((i < COMP_CWORD)) && root=${COMP_WORDS[i]}\n"
        "                ;;\n"
        "            -*=*) ;;\n"
        "            -*) [[ \" " +
        value_spellings(global_flags()) +
        " \" == *\" $word \"* ]] && _minirunc_skip_value ;;\n"
        "            *) command=$word; break ;;\n"
        "        esac\n"
        "    done\n"
        "    if [[ -z $command ]]; then\n"
        "        _minirunc_value \"\" \"$prev\" \"$cur\" && return 0\n"
        "        if [[ $cur == -* ]]; then\n"
        "            COMPREPLY=($(compgen -W \"" +
        offered(global_flags()) +
        "\" -- \"$cur\"))\n"
        "        else\n"
        "            COMPREPLY=($(compgen -W \"" +
        commands.substr(1) +
        " help\" -- \"$cur\"))\n"
        "        fi\n"
        "        return 0\n"
        "    fi\n"
        "    # flags: what to offer; values: the flags that take a value;\n"
        "    # ids: the first argument is an existing container; second: what the\n"
        "    # second argument may be; mixed: flags may follow the arguments.\n"
        "    local flags= values= ids= second= mixed=1\n"
        "    case $command in\n";
    for (const auto& command : command_table()) {
        out += "        " + command.name + ")\n            flags=\"" + offered(command.flags) +
               " --help\"\n            values=\"" + value_spellings(command.flags) + "\"\n";
        if (command.names_container) out += "            ids=1\n";
        if (command.second_operand)
            out += "            second=\"" + join(command.second_operand(), " ") + "\"\n";
        if (!command.interspersed) out += "            mixed=\n";
        out += "            ;;\n";
    }
    out +=
        "        help)\n"
        "            COMPREPLY=($(compgen -W \"" +
        commands.substr(1) +
        "\" -- \"$cur\"))\n"
        "            return 0\n"
        "            ;;\n"
        "        *) return 0 ;;\n"
        "    esac\n"
        "    # The command's arguments before the cursor (flags and their values skipped).\n"
        "    local args=0\n"
        "    for ((i++; i < COMP_CWORD; i++)); do\n"
        "        word=${COMP_WORDS[i]}\n"
        "        if [[ $word == -* && ( -n $mixed || $args == 0 ) ]]; then\n"
        "            [[ $word != *=* && \" $values \" == *\" $word \"* ]] && _minirunc_skip_value\n"
        "        else\n"
        "            ((args++))\n"
        "        fi\n"
        "    done\n"
        "    if [[ -n $mixed || $args == 0 ]]; then\n"
        "        [[ \" $values \" == *\" $prev \"* ]] && _minirunc_value \"$command\" \"$prev\" "
        "\"$cur\" && return 0\n"
        "        if [[ $cur == -* ]]; then\n"
        "            COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
        "            return 0\n"
        "        fi\n"
        "    fi\n"
        "    if [[ -n $ids && $args == 0 ]]; then\n"
        "        COMPREPLY=($(compgen -W \"$(_minirunc_ids \"$runtime\" \"$root\")\" -- "
        "\"$cur\"))\n"
        "    elif [[ -n $second && $args == 1 ]]; then\n"
        "        COMPREPLY=($(compgen -W \"$second\" -- \"$cur\"))\n"
        "    fi\n"
        "    return 0\n"
        "}\n"
        "\n"
        "complete -F _minirunc minirunc\n";
    return out;
}

}  // namespace minirunc::cli
