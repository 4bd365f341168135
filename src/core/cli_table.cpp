// The command line as data: every command with its usage, description and
// flags (runc's set). The parser (cli.cpp), `--help` and the man pages
// (cli_help.cpp, cli_man.cpp) and the bash completion (cli_completion.cpp) all
// read this one table.
#include <cstdint>

#include "minirunc/cli.hpp"
#include "minirunc/signals.hpp"

namespace minirunc::cli {
namespace {

// Builds one table entry: `value("bundle", "DIR", "...").alias("b").by_default(".")`.
struct Flag {
    FlagSpec spec;

    Flag&& alias(std::string name) && {
        spec.aliases.push_back(std::move(name));
        return std::move(*this);
    }
    Flag&& by_default(const char* text) && {
        spec.default_text = text;
        return std::move(*this);
    }
    Flag&& one_of(std::vector<std::string> choices) && {
        spec.choices = std::move(choices);
        return std::move(*this);
    }
    operator FlagSpec() && { return std::move(spec); }
};

Flag value(std::string name, const char* placeholder, const char* help) {
    return {{std::move(name), {}, true, false, help, "", placeholder, {}}};
}
Flag repeated(std::string name, const char* placeholder, const char* help) {
    return {{std::move(name), {}, true, true, help, "", placeholder, {}}};
}
Flag boolean(std::string name, const char* help) {
    return {{std::move(name), {}, false, false, help, "", "", {}}};
}

constexpr size_t kUnbounded = SIZE_MAX;

// kill's signal names as users type them most: "KILL", "TERM", ...
std::vector<std::string> signal_names() {
    std::vector<std::string> names;
    for (const auto& [name, number] : signal_table()) names.push_back(name.substr(3));
    return names;
}

FlagSpec console_socket(const char* help) {
    return value("console-socket", "SOCKET", help);
}
FlagSpec pidfd_socket() {
    return value("pidfd-socket", "SOCKET",
                 "path of an AF_UNIX socket that receives a pidfd of the process");
}
FlagSpec pid_file(const char* help) {
    return value("pid-file", "FILE", help);
}
FlagSpec preserve_fds() {
    return value("preserve-fds", "N",
                 "pass N more file descriptors to the process (stdio, $LISTEN_FDS and N in all)")
        .by_default("0");
}

std::vector<FlagSpec> create_flags() {
    return {
        value("bundle", "DIR", "the bundle directory, holding config.json and the root filesystem")
            .alias("b")
            .by_default("the current directory"),
        console_socket("path of an AF_UNIX socket that receives the master end of the container's "
                       "pseudo-terminal, when process.terminal is true"),
        pidfd_socket(),
        pid_file("write the process id of the container's process to FILE"),
        boolean("no-pivot",
                "switch root with MS_MOVE and chroot instead of pivot_root (for a rootfs on a "
                "ramdisk)"),
        boolean("no-new-keyring",
                "keep the caller's session keyring instead of creating one for the container"),
        preserve_fds(),
    };
}

std::vector<FlagSpec> run_flags() {
    auto flags = create_flags();
    flags.push_back(
        boolean("detach", "return once the container is started, leaving it running").alias("d"));
    flags.push_back(boolean("keep", "keep the container's state after it exits (no delete)"));
    flags.push_back(
        boolean("no-subreaper", "do not become a child subreaper for the container's processes"));
    return flags;
}

std::vector<FlagSpec> exec_flags() {
    return {
        console_socket("path of an AF_UNIX socket that receives the master end of the process's "
                       "pseudo-terminal, with --tty"),
        pidfd_socket(),
        value("cwd", "DIR", "working directory of the process inside the container")
            .by_default("the container's process.cwd"),
        repeated("env", "NAME=VALUE", "set an environment variable of the process (repeatable)")
            .alias("e"),
        boolean("tty", "give the process a pseudo-terminal").alias("t"),
        value("user", "UID[:GID]", "run the process as this numeric user and group")
            .alias("u")
            .by_default("the container's process.user"),
        repeated("additional-gids", "GID", "add a supplementary group (repeatable)").alias("g"),
        value("process", "FILE",
              "read the process (an OCI process object, JSON) from FILE instead of the "
              "arguments")
            .alias("p"),
        boolean("detach", "return once the process is started, leaving it running").alias("d"),
        pid_file("write the process id of the new process to FILE"),
        value("process-label", "LABEL", "SELinux label of the process"),
        value("apparmor", "PROFILE", "AppArmor profile of the process"),
        boolean("no-new-privs", "set no_new_privs for the process"),
        repeated("cap", "CAP", "add a capability to the process's sets (repeatable)").alias("c"),
        preserve_fds(),
        repeated("cgroup", "[CONTROLLER:]PATH",
                 "run the process in an existing sub-cgroup of the container (repeatable)"),
        boolean("ignore-paused", "exec even when the container is paused"),
        boolean("no-subreaper", "do not become a child subreaper for the process's descendants"),
    };
}

std::vector<FlagSpec> update_flags() {
    return {
        value("resources", "FILE",
              "read the new limits (OCI linux.resources, JSON) from FILE, or stdin for \"-\"; "
              "the other flags are then ignored")
            .alias("r"),
        value("blkio-weight", "N", "block IO weight (10 to 1000)"),
        value("cpu-period", "US", "CPU CFS period in microseconds"),
        value("cpu-quota", "US", "CPU CFS quota in microseconds per period (-1: no limit)"),
        value("cpu-burst", "US", "CPU CFS burst in microseconds"),
        value("cpu-share", "N", "CPU shares (relative weight)"),
        value("cpu-rt-period", "US", "CPU realtime period in microseconds"),
        value("cpu-rt-runtime", "US", "CPU realtime runtime in microseconds per period"),
        value("cpuset-cpus", "LIST", "CPUs the container may use (e.g. 0-3,5)"),
        value("cpuset-mems", "LIST", "memory nodes the container may use (e.g. 0-1)"),
        value("kernel-memory", "BYTES", "kernel memory limit (deprecated by the kernel)"),
        value("kernel-memory-tcp", "BYTES", "kernel TCP buffer memory limit"),
        value("memory", "BYTES", "memory limit, with a k, m or g suffix (-1: no limit)"),
        value("cpu-idle", "0|1", "set the cgroup's cpu.idle (1: lowest priority)"),
        value("memory-reservation", "BYTES", "memory soft limit"),
        value("memory-swap", "BYTES", "memory plus swap limit (-1: no limit)"),
        value("pids-limit", "N", "maximum number of processes (-1: no limit)"),
        value("l3-cache-schema", "SCHEMA", "Intel RDT L3 cache schema of the container"),
        value("mem-bw-schema", "SCHEMA", "Intel RDT memory bandwidth schema of the container"),
    };
}

// checkpoint and restore share CRIU's options (runc's names).
std::vector<FlagSpec> criu_common_flags() {
    return {
        value("image-path", "DIR", "directory of the CRIU images").by_default("./checkpoint"),
        value("work-path", "DIR", "directory of CRIU's work files and log")
            .by_default("the image path"),
        boolean("tcp-established", "checkpoint or restore established TCP connections"),
        boolean("ext-unix-sk", "allow external unix sockets"),
        boolean("shell-job", "allow a shell job (a process sharing the caller's session)"),
        boolean("file-locks", "handle file locks"),
        value("manage-cgroups-mode", "MODE", "how CRIU handles cgroups")
            .by_default("soft")
            .one_of({"soft", "full", "strict", "ignore"}),
        repeated("empty-ns", "NS",
                 "create this namespace but do not restore its properties (repeatable: "
                 "network, ...)"),
        boolean("auto-dedup", "deduplicate the memory images (punch holes in the parent's)"),
        boolean("lazy-pages", "use userfaultfd to fetch memory lazily (not supported yet)"),
    };
}

std::vector<FlagSpec> checkpoint_flags() {
    auto flags = criu_common_flags();
    flags.push_back(value("parent-path", "DIR",
                          "directory of the previous (pre-dump) images, relative to the image "
                          "path"));
    flags.push_back(boolean("leave-running", "leave the container running after the checkpoint"));
    flags.push_back(boolean("pre-dump",
                            "dump only the memory, leaving the container running (for "
                            "an incremental checkpoint with --parent-path)"));
    flags.push_back(value("page-server", "ADDRESS:PORT",
                          "send the memory to a CRIU page server (not "
                          "supported yet)"));
    flags.push_back(value("status-fd", "FD",
                          "with --lazy-pages, write a byte to FD once the dump is ready (not "
                          "supported yet)"));
    return flags;
}

std::vector<FlagSpec> restore_flags() {
    auto flags = criu_common_flags();
    flags.push_back(
        value("bundle", "DIR", "the bundle directory, holding config.json and the root filesystem")
            .alias("b")
            .by_default("the current directory"));
    flags.push_back(console_socket(
        "path of an AF_UNIX socket that receives the master end of the restored pseudo-terminal "
        "(not supported yet)"));
    flags.push_back(
        boolean("detach", "return once the container is restored, leaving it running").alias("d"));
    flags.push_back(pid_file("write the process id of the restored process to FILE"));
    flags.push_back(
        boolean("no-subreaper", "do not become a child subreaper for the container's processes"));
    flags.push_back(boolean("no-pivot", "do not use pivot_root (not supported by restore yet)"));
    flags.push_back(value("lsm-profile", "TYPE:LABEL",
                          "LSM profile of the restored process (not supported yet)"));
    flags.push_back(value("lsm-mount-context", "LABEL",
                          "SELinux mount context of the restored container (not supported yet)"));
    return flags;
}

std::vector<CommandSpec> build_table() {
    return {
        {.name = "create",
         .usage = "create [command options] <container-id>",
         .summary = "create a container",
         .description = "<container-id> is your name for the container; it must be unique "
                        "under the state root.\n\nCreates the container described by the bundle's "
                        "config.json and "
                        "leaves its process waiting, before the user's program, until "
                        "\"minirunc start\" releases it. The process's args, env and user "
                        "come from config.json (see \"minirunc spec --help\").",
         .flags = create_flags(),
         .min_args = 1,
         .max_args = 1},
        {.name = "start",
         .usage = "start <container-id>",
         .summary = "run the user's program in a created container",
         .description = "Releases a container made by \"minirunc create\": its process "
                        "executes the program of config.json's process.args.",
         .names_container = true,
         .min_args = 1,
         .max_args = 1},
        {.name = "state",
         .usage = "state <container-id>",
         .summary = "print the state of a container as JSON",
         .description = "Prints the container's OCI state (id, pid, status, bundle, "
                        "annotations) as JSON.",
         .names_container = true,
         .min_args = 1,
         .max_args = 1},
        {.name = "kill",
         .usage = "kill [command options] <container-id> [signal]",
         .summary = "send a signal (default SIGTERM) to the container's process",
         .description = "Sends the signal, a name (KILL, SIGKILL) or a number, to the "
                        "container's process; SIGTERM when none is given.",
         .names_container = true,
         .second_operand = signal_names,
         .flags = {boolean("all", "send the signal to every process of the container").alias("a")},
         .min_args = 1,
         .max_args = 2},
        {.name = "delete",
         .usage = "delete [command options] <container-id>",
         .summary = "delete a container and everything it holds",
         .description = "Removes a stopped or created container: its state, its cgroup, and "
                        "runs its poststop hooks.",
         .names_container = true,
         .flags = {boolean("force",
                           "kill the container first if it is still running, and "
                           "succeed when it does not exist")
                       .alias("f")},
         .min_args = 1,
         .max_args = 1},
        {.name = "run",
         .usage = "run [command options] <container-id>",
         .summary = "create and start a container",
         .description = "<container-id> is your name for the container; it must be unique "
                        "under the state root.\n\nCreates the container described by the bundle's "
                        "config.json, "
                        "starts it and, unless --detach is given, waits for it to exit, "
                        "deletes it and exits with its status.",
         .flags = run_flags(),
         .min_args = 1,
         .max_args = 1},
        {.name = "exec",
         .usage = "exec [command options] <container-id> <command> [command options]",
         .summary = "run a new process inside a container",
         .description = "Runs <command> (or the process of --process FILE) in the "
                        "container's namespaces and cgroup, and waits for it unless "
                        "--detach is given. Flags after <command> belong to it.",
         .names_container = true,
         .flags = exec_flags(),
         .interspersed = false,
         .stop_after = 1,
         .min_args = 1,
         .max_args = kUnbounded},
        {.name = "ps",
         .usage = "ps [command options] <container-id> [ps options]",
         .summary = "list the processes of a container",
         .description = "Lists the container's processes: with ps(1) and the given ps "
                        "options, or as a JSON array of host pids.",
         .names_container = true,
         .flags = {value("format", "table|json", "output format")
                       .alias("f")
                       .by_default("table")
                       .one_of({"table", "json"})},
         .interspersed = false,
         .stop_after = 1,
         .min_args = 1,
         .max_args = kUnbounded},
        {.name = "list",
         .usage = "list [command options]",
         .summary = "list the containers under the state root",
         .description = "Lists every container under --root with its pid, status, bundle "
                        "and creation time.",
         .flags = {value("format", "table|json", "output format")
                       .alias("f")
                       .by_default("table")
                       .one_of({"table", "json"}),
                   boolean("quiet", "print only the container ids").alias("q")},
         .min_args = 0,
         .max_args = 0},
        {.name = "pause",
         .usage = "pause <container-id>",
         .summary = "freeze every process of a container",
         .description = "Freezes the container's cgroup; \"minirunc resume\" thaws it.",
         .names_container = true,
         .min_args = 1,
         .max_args = 1},
        {.name = "resume",
         .usage = "resume <container-id>",
         .summary = "thaw a paused container",
         .description = "Thaws the cgroup of a container frozen by \"minirunc pause\".",
         .names_container = true,
         .min_args = 1,
         .max_args = 1},
        {.name = "update",
         .usage = "update [command options] <container-id>",
         .summary = "change the resource limits of a container",
         .description = "Changes the cgroup limits of a running, created or paused "
                        "container, from --resources or the flags; limits not given stay "
                        "as they are.",
         .names_container = true,
         .flags = update_flags(),
         .min_args = 1,
         .max_args = 1},
        {.name = "events",
         .usage = "events [command options] <container-id>",
         .summary = "print a container's events and resource statistics",
         .description = "Prints one JSON object per line: resource statistics every "
                        "interval and events such as an out-of-memory kill, until the "
                        "container stops.",
         .names_container = true,
         .flags = {value("interval", "DURATION", "time between statistics (e.g. 500ms, 5s)")
                       .by_default("5s"),
                   boolean("stats", "print the statistics once and exit")},
         .min_args = 1,
         .max_args = 1},
        {.name = "spec",
         .usage = "spec [command options]",
         .summary = "write a default config.json",
         .description = "Writes a starting config.json into the bundle directory, running "
                        "\"sh\" with a terminal in the rootfs directory beside it. Edit "
                        "process.args to choose the program.",
         .flags = {value("bundle", "DIR", "the directory to write config.json into")
                       .alias("b")
                       .by_default("the current directory"),
                   boolean("rootless",
                           "write a config for a container run by a non-root "
                           "user (a user namespace mapping the caller)")},
         .min_args = 0,
         .max_args = 0},
        {.name = "checkpoint",
         .usage = "checkpoint [command options] <container-id>",
         .summary = "checkpoint a running container with CRIU",
         .description = "Dumps the container's processes with CRIU into the image path; the "
                        "container is stopped afterwards unless --leave-running or --pre-dump "
                        "is given. Needs criu on the host and a kernel where \"criu check\" "
                        "passes.",
         .names_container = true,
         .flags = checkpoint_flags(),
         .min_args = 1,
         .max_args = 1},
        {.name = "restore",
         .usage = "restore [command options] <container-id>",
         .summary = "restore a container from a CRIU checkpoint",
         .description = "<container-id> is the name of the restored container; it must not "
                        "exist.\n\nRestores the processes of the image path into a new container "
                        "made from the bundle's config.json and, unless --detach is given, waits "
                        "for it to exit and deletes it.",
         .flags = restore_flags(),
         .min_args = 1,
         .max_args = 1},
        {.name = "features",
         .usage = "features",
         .summary = "print the features this runtime supports as JSON",
         .description = "Prints the OCI features document: the spec versions, hooks, mount "
                        "options, namespaces, capabilities, cgroup and seccomp support.",
         .min_args = 0,
         .max_args = 0},
    };
}

std::vector<FlagSpec> build_global_flags() {
    return {
        boolean("debug", "log debug messages too"),
        value("log", "FILE", "write the log to FILE (appended)").by_default("stderr"),
        value("log-format", "text|json", "log line format")
            .by_default("text")
            .one_of({"text", "json"}),
        value("root", "DIR", "state directory of the containers (best on a tmpfs)")
            .by_default("/run/minirunc; rootless: $XDG_RUNTIME_DIR/minirunc, else "
                        "/tmp/minirunc-<uid>"),
        value("criu", "FILE", "path of the criu binary (checkpoint, restore)").by_default("criu"),
        boolean("systemd-cgroup",
                "create cgroups through systemd; cgroupsPath is \"slice:prefix:name\""),
        value("rootless", "true|false|auto",
              "ignore cgroups the user may not create; auto: when not root or inside a "
              "user namespace")
            .by_default("auto")
            .one_of({"true", "false", "auto"}),
        boolean("help", "show help").alias("h"),
        boolean("version", "print the version").alias("v"),
    };
}

}  // namespace

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = build_table();
    return table;
}

const CommandSpec* find_command(const std::string& name) {
    for (const auto& command : command_table())
        if (command.name == name) return &command;
    return nullptr;
}

const std::vector<FlagSpec>& global_flags() {
    static const std::vector<FlagSpec> flags = build_global_flags();
    return flags;
}

}  // namespace minirunc::cli
