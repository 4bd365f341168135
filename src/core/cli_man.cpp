// Man pages (roff, man macros) rendered from the command table: minirunc(8)
// and minirunc-<command>(8).
#include <algorithm>
#include <cctype>

#include "cli_text.hpp"
#include "minirunc/cli.hpp"

namespace minirunc::cli {
namespace {

// Text safe in roff: backslashes and minus signs escaped, and a line that
// would start with a control character ('.' or '\'') guarded with "\&".
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        line_start = c == '\n';
    }
    return out;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::string heading(const std::string& name) {
    return ".TH " + upper(name) +
           " 8 \"\" \"minirunc " MINIRUNC_VERSION
           "\" \"System Manager's Manual\"\n"
           ".nh\n.ad l\n";  // no hyphenation, ragged right: flags and paths stay whole
}

std::string description(const std::string& text) {
    std::string out;
    auto parts = paragraphs(text);
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ".PP\n" : "") + roff(parts[i]) + "\n";
    return out;
}

// ".TP" entries: the flag in bold, its placeholder in italics, then its help.
std::string flag_entries(const std::vector<FlagSpec>& flags) {
    std::string out;
    for (const auto& flag : flags) {
        auto one = [&](const std::string& dashes, const std::string& name) {
            std::string text = "\\fB" + roff(dashes + name) + "\\fR";
            if (flag.takes_value)
                text += " \\fI" + roff(*flag.placeholder ? flag.placeholder : "value") + "\\fR";
            return text;
        };
        out += ".TP\n" + one("--", flag.name);
        for (const auto& alias : flag.aliases)
            out += ", " + one(alias.size() == 1 ? "-" : "--", alias);
        out += "\n" + roff(flag_help(flag)) + "\n";
    }
    return out;
}

std::string synopsis(const std::string& usage) {
    // "create [command options] <container-id>": the command in bold.
    auto space = usage.find(' ');
    std::string name = usage.substr(0, space);
    std::string rest = space == std::string::npos ? "" : usage.substr(space);
    return "\\fBminirunc\\fR [\\fIglobal options\\fR] \\fB" + roff(name) + "\\fR" + roff(rest) +
           "\n";
}

std::string general_page() {
    std::string out = heading("minirunc");
    out += ".SH NAME\nminirunc \\- " + roff(kProgramSummary) + "\n";
    out +=
        ".SH SYNOPSIS\n\\fBminirunc\\fR [\\fIglobal options\\fR] \\fIcommand\\fR "
        "[\\fIcommand options\\fR] [\\fIarguments\\fR...]\n";
    out += ".SH DESCRIPTION\n" + description(kProgramDescription);
    out += ".SH COMMANDS\n";
    for (const auto& command : command_table())
        out += ".TP 10\n\\fB" + roff(command.name) + "\\fR\n" + roff(std::string(command.summary)) +
               "; see \\fB" + roff(man_page_name(&command)) + "\\fR(8)\n";
    out += ".TP\n\\fBhelp\\fR [\\fIcommand\\fR]\nshow the commands, or one command's help\n";
    out += ".SH GLOBAL OPTIONS\n" + flag_entries(global_flags());
    out +=
        ".SH FILES\n.TP\n\\fI/run/minirunc\\fR\nthe default state directory for root "
        "(\\fB\\-\\-root\\fR)\n";
    out += ".SH SEE ALSO\n";
    std::string sep;
    for (const auto& command : command_table()) {
        out += sep + "\\fB" + roff(man_page_name(&command)) + "\\fR(8)";
        sep = ",\n";
    }
    return out + "\n";
}

}  // namespace

std::string man_page_name(const CommandSpec* command) {
    return command ? "minirunc-" + command->name : "minirunc";
}

std::string man_page(const CommandSpec* command) {
    if (!command) return general_page();
    std::string out = heading(man_page_name(command));
    out += ".SH NAME\n" + roff(man_page_name(command)) + " \\- " +
           roff(std::string(command->summary)) + "\n";
    out += ".SH SYNOPSIS\n" + synopsis(command->usage);
    if (*command->description)
        out += ".SH DESCRIPTION\n" + description(std::string(command->description));
    if (!command->flags.empty()) out += ".SH OPTIONS\n" + flag_entries(command->flags);
    out += ".SH SEE ALSO\n\\fBminirunc\\fR(8)\n";
    return out;
}

}  // namespace minirunc::cli
