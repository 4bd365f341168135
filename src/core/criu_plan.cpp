#include "minirunc/criu_plan.hpp"

#include <sched.h>

#include <utility>

#include "minirunc/error.hpp"
#include "minirunc/mount_options.hpp"
#include "minirunc/paths.hpp"

namespace minirunc::criu {
namespace {

std::string absolute(const std::string& path, const std::string& cwd) {
    return clean_path(path.empty() || path[0] == '/' ? path : cwd + "/" + path);
}

void refuse_unsupported(const cli::ParsedFlags& flags, const std::vector<std::string>& names) {
    for (const std::string& name : names)
        if (flags.has(name) && (flags.get(name) != "false"))
            throw Error("--" + name + " is not supported yet");
}

Options common_options(const cli::ParsedFlags& flags, const std::string& cwd) {
    Options options;
    std::string images = flags.get("image-path");
    options.image_path = absolute(images.empty() ? "checkpoint" : images, cwd);
    std::string work = flags.get("work-path");
    options.work_path = work.empty() ? options.image_path : absolute(work, cwd);
    options.tcp_established = flags.flag("tcp-established");
    options.ext_unix_sk = flags.flag("ext-unix-sk");
    options.shell_job = flags.flag("shell-job");
    options.file_locks = flags.flag("file-locks");
    options.auto_dedup = flags.flag("auto-dedup");
    if (flags.has("manage-cgroups-mode")) {
        std::string mode = flags.get("manage-cgroups-mode");
        if (mode == "soft")
            options.cgroup_mode = CgroupMode::Soft;
        else if (mode == "full")
            options.cgroup_mode = CgroupMode::Full;
        else if (mode == "strict")
            options.cgroup_mode = CgroupMode::Strict;
        else if (mode == "ignore")
            options.cgroup_mode = CgroupMode::Ignore;
        else
            throw Error("invalid --manage-cgroups-mode value \"" + mode + "\"");
    }
    for (const std::string& ns : flags.all("empty-ns")) {
        uint32_t flag = namespace_flag(ns);
        if (!flag) throw Error("namespace \"" + ns + "\" is not supported (--empty-ns)");
        options.empty_ns |= flag;
    }
    refuse_unsupported(flags, {"lazy-pages"});
    return options;
}

std::string mount_source(const spec::Mount& mount, const std::string& bundle) {
    if (mount.source.empty() || mount.source[0] == '/') return clean_path(mount.source);
    return clean_path(bundle + "/" + mount.source);
}

// What is the same for dump and restore: bind mounts and device nodes.
// `source_of` gives the restore side's value (dump: the key itself).
Plan plan_common(const spec::Spec& spec,
                 const std::function<std::string(const spec::Mount&)>& source_of,
                 const std::vector<CgroupMountSource>& cgroups, bool restore) {
    Plan plan;
    bool cgroupns = false;
    if (spec.linux)
        for (const auto& ns : spec.linux->namespaces) cgroupns |= ns.type == "cgroup";
    for (const auto& mount : spec.mounts) {
        if (is_bind_mount(mount)) {
            plan.ext_mounts.push_back({clean_path(mount.destination), source_of(mount)});
            continue;
        }
        if ((mount.type != "cgroup" && mount.type != "cgroup2") || cgroupns) continue;
        bool single = cgroups.size() == 1 && cgroups[0].v2;
        for (const auto& source : cgroups) {
            std::string key = clean_path(mount.destination) + (single ? "" : "/" + source.name);
            plan.ext_mounts.push_back({key, restore ? source.host_dir : key});
        }
    }
    if (!spec.linux) return plan;
    for (const auto& device : spec.linux->devices) {
        std::string path = clean_path(device.path);
        plan.ext_mounts.push_back({path, path});
    }
    for (const auto& ns : spec.linux->namespaces) {
        if (ns.path.empty()) continue;
        if (ns.type == "network")
            plan.external_namespaces.push_back({ns.type, ns.path, "extRootNetNS"});
        if (ns.type == "pid")
            plan.external_namespaces.push_back({ns.type, ns.path, "extRootPidNS"});
    }
    return plan;
}

}  // namespace

Options checkpoint_options(const cli::ParsedFlags& flags, const std::string& cwd) {
    Options options = common_options(flags, cwd);
    options.leave_running = flags.flag("leave-running");
    options.pre_dump = flags.flag("pre-dump");
    options.parent_path = flags.get("parent-path");
    refuse_unsupported(flags, {"page-server", "status-fd"});
    return options;
}

Options restore_options(const cli::ParsedFlags& flags, const std::string& cwd) {
    refuse_unsupported(flags, {"console-socket", "no-pivot", "lsm-profile", "lsm-mount-context"});
    return common_options(flags, cwd);
}

uint32_t namespace_flag(const std::string& type) {
    static const std::pair<const char*, uint32_t> table[] = {
        {"network", CLONE_NEWNET},   {"pid", CLONE_NEWPID},   {"mount", CLONE_NEWNS},
        {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},   {"user", CLONE_NEWUSER},
        {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
    };
    for (const auto& [name, flag] : table)
        if (type == name) return flag;
    return 0;
}

std::string external_namespace_entry(const ExternalNamespace& ns, uint64_t inode) {
    return std::string(ns.type == "network" ? "net" : ns.type) + "[" + std::to_string(inode) +
           "]:" + ns.key;
}

Plan plan_dump(const spec::Spec& spec, const std::function<bool(const std::string&)>& is_directory,
               const std::vector<CgroupMountSource>& cgroups) {
    Plan plan = plan_common(
        spec, [](const spec::Mount& m) { return clean_path(m.destination); }, cgroups, false);
    if (spec.linux)
        for (const auto& path : spec.linux->masked_paths)
            if (!is_directory(path)) plan.ext_mounts.push_back({clean_path(path), "/dev/null"});
    return plan;
}

Plan plan_restore(const spec::Spec& spec, const std::string& bundle,
                  const std::vector<CgroupMountSource>& cgroups) {
    Plan plan = plan_common(
        spec, [&](const spec::Mount& m) { return mount_source(m, bundle); }, cgroups, true);
    // The dump named each masked file's mount "/dev/null" (plan_dump).
    if (spec.linux && !spec.linux->masked_paths.empty())
        plan.ext_mounts.push_back({"/dev/null", "/dev/null"});
    return plan;
}

std::vector<InheritFd> plan_inherit_fds(const std::vector<std::string>& descriptors) {
    std::vector<InheritFd> fds;
    for (size_t i = 0; i < descriptors.size(); ++i)
        if (descriptors[i].rfind("pipe:", 0) == 0)
            fds.push_back({descriptors[i], static_cast<int>(i)});
    return fds;
}

std::vector<CgroupRoot> cgroup_roots(const std::vector<std::string>& dirs,
                                     const std::string& v2_dir) {
    const std::string base = "/sys/fs/cgroup/";
    std::vector<CgroupRoot> roots;
    for (const std::string& dir : dirs) {
        if (dir.rfind(base, 0) != 0) continue;
        std::string rest = dir.substr(base.size());
        if (dir == v2_dir) {
            if (rest.rfind("unified/", 0) == 0) rest = rest.substr(8);
            roots.push_back({"", "/" + rest});
            continue;
        }
        size_t slash = rest.find('/');
        if (slash == std::string::npos) continue;
        roots.push_back({rest.substr(0, slash), rest.substr(slash)});
    }
    return roots;
}

std::vector<CgroupMountSource> cgroup_mount_sources(const std::vector<std::string>& dirs,
                                                    bool pure_v2) {
    const std::string base = "/sys/fs/cgroup/";
    if (pure_v2 && dirs.size() == 1) return {{"", dirs[0], true, ""}};
    std::vector<CgroupMountSource> sources;
    for (const std::string& dir : dirs) {
        if (dir.rfind(base, 0) != 0) continue;
        std::string rest = dir.substr(base.size());
        sources.push_back({rest.substr(0, rest.find('/')), dir, rest.rfind("unified", 0) == 0, ""});
    }
    return sources;
}

void check_restorable(const spec::Spec& spec) {
    if (spec.process && spec.process->terminal)
        throw Error(
            "config.json: /process/terminal: restoring a container with a terminal is "
            "not supported yet");
}

}  // namespace minirunc::criu
