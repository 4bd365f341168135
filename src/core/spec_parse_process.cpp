// Reads the "process" object of config.json (also the whole of an
// `exec --process` file).
#include "core/spec_parse_internal.hpp"

namespace minirunc::spec {
namespace detail {
namespace {

ConsoleSize parse_console_size(const Reader& r) {
    ConsoleSize c;
    r.read("height", c.height);
    r.read("width", c.width);
    return c;
}

User parse_user(const Reader& r) {
    User u;
    r.read("uid", u.uid);
    r.read("gid", u.gid);
    r.read("umask", u.umask);
    r.read("additionalGids", u.additional_gids);
    r.read("username", u.username);
    return u;
}

Capabilities parse_capabilities(const Reader& r) {
    Capabilities c;
    r.read("bounding", c.bounding);
    r.read("effective", c.effective);
    r.read("inheritable", c.inheritable);
    r.read("permitted", c.permitted);
    r.read("ambient", c.ambient);
    return c;
}

Rlimit parse_rlimit(const Reader& r) {
    Rlimit l;
    r.read("type", l.type);
    r.read("hard", l.hard);
    r.read("soft", l.soft);
    return l;
}

Scheduler parse_scheduler(const Reader& r) {
    Scheduler s;
    r.read("policy", s.policy);
    r.read("nice", s.nice);
    r.read("priority", s.priority);
    r.read("flags", s.flags);
    r.read("runtime", s.runtime);
    r.read("deadline", s.deadline);
    r.read("period", s.period);
    return s;
}

IoPriority parse_io_priority(const Reader& r) {
    IoPriority p;
    r.read("class", p.io_class);
    r.read("priority", p.priority);
    return p;
}

ExecCpuAffinity parse_exec_cpu_affinity(const Reader& r) {
    ExecCpuAffinity a;
    r.read("initial", a.initial);
    r.read("final", a.final_cpus);
    return a;
}

}  // namespace

Process parse_process_object(const Reader& r) {
    r.require_object();
    Process p;
    r.read("terminal", p.terminal);
    r.read_object("consoleSize", p.console_size, parse_console_size);
    r.read_object("user", p.user, parse_user);
    r.read("args", p.args);
    r.read("commandLine", p.command_line);
    r.read("env", p.env);
    r.read("cwd", p.cwd);
    r.read_object("capabilities", p.capabilities, parse_capabilities);
    r.read_list("rlimits", p.rlimits, parse_rlimit);
    r.read("noNewPrivileges", p.no_new_privileges);
    r.read("apparmorProfile", p.apparmor_profile);
    r.read("oomScoreAdj", p.oom_score_adj);
    r.read_object("scheduler", p.scheduler, parse_scheduler);
    r.read("selinuxLabel", p.selinux_label);
    r.read_object("ioPriority", p.io_priority, parse_io_priority);
    r.read_object("execCPUAffinity", p.exec_cpu_affinity, parse_exec_cpu_affinity);
    return p;
}

}  // namespace detail

Process parse_process(const nlohmann::json& doc, const std::string& pointer) {
    return detail::parse_process_object(detail::Reader(doc, pointer));
}

}  // namespace minirunc::spec
