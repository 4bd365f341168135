#include "minirunc/hooks.hpp"

#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstring>

#include "minirunc/error.hpp"

namespace minirunc {
namespace {

std::string lower_first(std::string text) {
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

// Output quoted in an error stays on one log line's worth: no trailing newline.
std::string trimmed(const std::string& text) {
    size_t end = text.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? "" : text.substr(0, end + 1);
}

}  // namespace

std::string to_string(HookKind kind) {
    switch (kind) {
        case HookKind::Prestart:
            return "prestart";
        case HookKind::CreateRuntime:
            return "createRuntime";
        case HookKind::CreateContainer:
            return "createContainer";
        case HookKind::StartContainer:
            return "startContainer";
        case HookKind::Poststart:
            return "poststart";
        case HookKind::Poststop:
            return "poststop";
    }
    return "unknown";
}

const std::vector<spec::Hook>& hook_list(const spec::Hooks& hooks, HookKind kind) {
    switch (kind) {
        case HookKind::Prestart:
            return hooks.prestart;
        case HookKind::CreateRuntime:
            return hooks.create_runtime;
        case HookKind::CreateContainer:
            return hooks.create_container;
        case HookKind::StartContainer:
            return hooks.start_container;
        case HookKind::Poststart:
            return hooks.poststart;
        case HookKind::Poststop:
            return hooks.poststop;
    }
    throw Error("unknown hook kind");
}

Status hook_status(HookKind kind) {
    switch (kind) {
        case HookKind::Prestart:
        case HookKind::CreateRuntime:
        case HookKind::CreateContainer:
            return Status::Creating;
        case HookKind::StartContainer:
            return Status::Created;
        case HookKind::Poststart:
            return Status::Running;
        case HookKind::Poststop:
            return Status::Stopped;
    }
    return Status::Stopped;
}

nlohmann::json hook_state(const ContainerState& state, HookKind kind) {
    nlohmann::json doc = {
        {"ociVersion", "1.3.0"},
        {"id", state.id},
        {"bundle", state.bundle},
    };
    if (state.pid > 0) doc["pid"] = state.pid;
    if (!state.annotations.empty()) doc["annotations"] = state.annotations;
    return with_hook_status(std::move(doc), kind);
}

nlohmann::json with_hook_status(nlohmann::json state, HookKind kind) {
    Status status = hook_status(kind);
    state["status"] = to_string(status);
    // The container process is gone: a pid could name another process by now.
    if (status == Status::Stopped) state.erase("pid");
    return state;
}

std::string hook_failure(const spec::Hook& hook, const HookOutcome& outcome) {
    if (outcome.exec_errno) return "fork/exec " + hook.path + ": " + errno_text(outcome.exec_errno);
    if (outcome.timed_out_after) {
        char text[64];
        std::snprintf(text, sizeof text, "hook ran past specified timeout of %d.0s",
                      outcome.timed_out_after);
        return text;
    }
    int status = outcome.wait_status;
    std::string reason;
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) == 0) return "";
        reason = "exit status " + std::to_string(WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        reason = "signal: " + lower_first(::strsignal(WTERMSIG(status)));
    } else {
        reason = "wait status " + std::to_string(status);
    }
    return reason + ", stdout: " + trimmed(outcome.out) + ", stderr: " + trimmed(outcome.err);
}

std::string hook_error_message(HookKind kind, size_t index, const std::string& failure) {
    // runc's phrase ("error running hook #N"), which callers and runc's own
    // suite match, with the kind after it.
    return "error running hook #" + std::to_string(index) + " (" + to_string(kind) +
           "): " + failure;
}

}  // namespace minirunc
