// `--help` text rendered from the command table, in runc's (urfave/cli) layout.
#include <algorithm>
#include <sstream>

#include "cli_text.hpp"
#include "minirunc/cli.hpp"

namespace minirunc::cli {

std::string flag_label(const FlagSpec& flag, const std::string& value_sep) {
    auto one = [&](const std::string& dashes, const std::string& name) {
        std::string text = dashes + name;
        if (flag.takes_value) text += value_sep + (*flag.placeholder ? flag.placeholder : "value");
        return text;
    };
    std::string label = one("--", flag.name);
    for (const auto& alias : flag.aliases)
        label += ", " + one(alias.size() == 1 ? "-" : "--", alias);
    return label;
}

std::string flag_help(const FlagSpec& flag) {
    std::string text(flag.help);
    if (*flag.default_text) text += " (default: " + std::string(flag.default_text) + ")";
    return text;
}

std::string join(const std::vector<std::string>& words, const std::string& sep) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : sep) + word;
    return out;
}

std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find("\n\n", start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

namespace {

constexpr size_t kWidth = 80;
const std::string kIndent = "   ";

// Wraps one paragraph at kWidth, every line indented.
std::string wrap(const std::string& text) {
    std::istringstream words(text);
    std::string word, line, out;
    while (words >> word) {
        if (!line.empty() && kIndent.size() + line.size() + 1 + word.size() > kWidth) {
            out += kIndent + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += kIndent + line + "\n";
    return out;
}

// "   label   help" rows, the help column aligned.
std::string table(const std::vector<std::pair<std::string, std::string>>& rows) {
    size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.first.size());
    std::string out;
    for (const auto& [label, help] : rows)
        out += kIndent + label + std::string(width - label.size() + 2, ' ') + help + "\n";
    return out;
}

std::string flag_rows(const std::vector<FlagSpec>& flags) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& flag : flags) rows.emplace_back(flag_label(flag, " "), flag_help(flag));
    return table(rows);
}

std::string general_help() {
    std::string text = "NAME:\n   minirunc - " + std::string(kProgramSummary) + "\n\n";
    text += "USAGE:\n   minirunc [global options] command [command options] [arguments...]\n\n";
    text += "DESCRIPTION:\n";
    auto description = paragraphs(kProgramDescription);
    for (size_t i = 0; i < description.size(); ++i) text += (i ? "\n" : "") + wrap(description[i]);
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& command : command_table())
        rows.emplace_back(command.name, std::string(command.summary));
    rows.emplace_back("help", "show the commands, or one command's help");
    text += "\nCOMMANDS:\n" + table(rows);
    text += "\nGLOBAL OPTIONS:\n" + flag_rows(global_flags());
    return text;
}

}  // namespace

std::string usage_text(const CommandSpec* command) {
    if (!command) return general_help();
    std::string text =
        "NAME:\n   minirunc " + command->name + " - " + std::string(command->summary) + "\n\n";
    text += "USAGE:\n   minirunc " + command->usage + "\n";
    if (*command->description) {
        text += "\nDESCRIPTION:\n";
        auto description = paragraphs(std::string(command->description));
        for (size_t i = 0; i < description.size(); ++i)
            text += (i ? "\n" : "") + wrap(description[i]);
    }
    if (!command->flags.empty()) text += "\nOPTIONS:\n" + flag_rows(command->flags);
    return text;
}

}  // namespace minirunc::cli
