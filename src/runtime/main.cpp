// minirunc: the host side of the runtime. Parses the command line, runs one
// command, turns any error into runc's error reporting (stderr + --log).

#include <cstdio>

#include "minirunc/build_info.hpp"
#include "minirunc/cli.hpp"
#include "minirunc/error.hpp"
#include "runtime.hpp"

using namespace minirunc;

namespace {

struct CommandEntry {
    const char* name;
    runtime::CommandFn fn;
};

constexpr CommandEntry kCommands[] = {
    {"create", runtime::cmd_create},
    {"start", runtime::cmd_start},
    {"state", runtime::cmd_state},
    {"kill", runtime::cmd_kill},
    {"delete", runtime::cmd_delete},
    {"run", runtime::cmd_run},
    {"list", runtime::cmd_list},
    {"spec", runtime::cmd_spec},
    {"features", runtime::cmd_features},
    {"exec", runtime::cmd_exec},
    {"ps", runtime::cmd_ps},
    {"pause", runtime::cmd_pause},
    {"resume", runtime::cmd_resume},
    {"update", runtime::cmd_update},
    {"events", runtime::cmd_events},
    {"checkpoint", runtime::cmd_checkpoint},
    {"restore", runtime::cmd_restore},
};

void print(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    cli::CommandLine command;
    try {
        command = cli::parse(args);
    } catch (const Error& e) {
        // Global flags may have been parsed before the error: still log it.
        cli::GlobalOptions global;
        for (size_t i = 1; i + 1 < args.size(); ++i) {
            if (args[i] == "--log" || args[i] == "-log") global.log = args[i + 1];
            if (args[i] == "--log-format" || args[i] == "-log-format")
                global.log_format = args[i + 1];
        }
        for (const auto& arg : args) {
            if (arg.rfind("--log=", 0) == 0) global.log = arg.substr(6);
            if (arg.rfind("--log-format=", 0) == 0) global.log_format = arg.substr(13);
        }
        runtime::report_error(global, e.what());
        return 1;
    }
    if (command.show_version) {
        print(std::string("minirunc version ") + MINIRUNC_VERSION + "\ncommit: " + build_commit() +
              "\nspec: 1.3.0\n");
        return 0;
    }
    if (command.show_help) {
        print(cli::usage_text(cli::find_command(command.command)));
        return 0;
    }
    runtime::Runtime rt;
    rt.global = command.global;
    try {
        rt.rootless = runtime::detect_rootless(rt.global);
        rt.root = rt.global.root.empty() ? rt.rootless.state_root : rt.global.root;
        for (const auto& entry : kCommands)
            if (command.command == entry.name) return entry.fn(rt, command);
        throw Error("command " + command.command + " is not supported yet");
    } catch (const Error& e) {
        runtime::report_error(rt.global, e.what());
    } catch (const std::exception& e) {
        runtime::report_error(rt.global, std::string("internal error: ") + e.what());
    }
    return 1;
}
