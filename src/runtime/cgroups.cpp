#include "cgroups.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "cgroup_view.hpp"
#include "minirunc/cgroup_plan.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "systemd_cgroup.hpp"

namespace minirunc::runtime {
namespace {

bool has_controller(const CgroupHierarchy& h, const std::string& name) {
    return std::find(h.controllers.begin(), h.controllers.end(), name) != h.controllers.end();
}

// A new v1 cpuset cgroup starts with no cpus or mems: it inherits the
// parent's. Also done for a level another create made but may not have
// filled yet (concurrent creates sharing a parent).
void fill_cpuset(const std::string& parent, const std::string& dir) {
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
        std::string current = sys::read_file(dir + "/" + file);
        if (current.find_first_not_of(" \n") != std::string::npos) continue;
        sys::write_file(dir + "/" + file, sys::read_file(parent + "/" + file));
    }
}

// mkdir -p below the mount point, remembering what it created.
void make_cgroup_dir(const CgroupHierarchy& h, const std::string& dir,
                     std::vector<std::string>& created) {
    std::string current = h.mount_point;
    std::string rest = dir.substr(h.mount_point.size());
    std::istringstream parts(rest);
    std::string part;
    bool cpuset = !h.v2 && has_controller(h, "cpuset");
    while (std::getline(parts, part, '/')) {
        if (part.empty()) continue;
        std::string parent = current;
        current += "/" + part;
        if (::mkdir(current.c_str(), 0755) == 0)
            created.insert(created.begin(), current);
        else if (errno != EEXIST)
            throw_errno("mkdir " + current);
        if (cpuset) fill_cpuset(parent, current);
    }
}

std::string v1_fs_options(const CgroupHierarchy& h) {
    std::string options;
    bool named_only = true;
    for (const auto& c : h.controllers) {
        options += (options.empty() ? "" : ",") + c;
        if (c.rfind("name=", 0) != 0) named_only = false;
    }
    return named_only ? "none," + options : options;
}

// A pre-existing cgroup left frozen (v1 freezer.state, v2 cgroup.freeze; on a
// hybrid host both, since the init joins both): the init would freeze as it
// joins, and create would wait for it for ever.
bool frozen_beforehand(const CgroupSetup& setup) {
    if (!setup.freezer_dir.empty() && !setup.freezer_v2) {
        auto state = read_cgroup_file(setup.freezer_dir + "/freezer.state");
        if (state && (state->rfind("FROZEN", 0) == 0 || state->rfind("FREEZING", 0) == 0))
            return true;
    }
    if (setup.v2_dir.empty()) return false;
    auto freeze = read_cgroup_file(setup.v2_dir + "/cgroup.freeze");
    return freeze && freeze->rfind("1", 0) == 0;
}

// Rootless: a hierarchy not delegated to the caller.
bool not_delegated(const Error& e) {
    return e.code() == EACCES || e.code() == EPERM || e.code() == EROFS;
}

}  // namespace

// The pids listed in a cgroup.procs file; 0 when it cannot be read.
static size_t count_processes(const std::string& procs) {
    try {
        std::string text = sys::read_file(procs);
        return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    } catch (const Error&) {
        return 0;
    }
}

CgroupSetup create_cgroups(const spec::Spec& spec, const std::string& id, bool rootless,
                           std::optional<SystemdStart> systemd) {
    const auto& hierarchies = host_cgroup_hierarchies();
    std::string cgroups_path = spec.linux ? spec.linux->cgroups_path : "";
    if (systemd) cgroups_path = systemd->unit.cgroup_path;
    CgroupSetup setup;
    setup.systemd = std::move(systemd);
    try {
        for (const auto& h : hierarchies) {
            std::string dir = cgroup_dir(h, container_cgroup_path(h, cgroups_path, id));
            if (setup.systemd && h.v2) {
                // systemd makes it when the unit starts (v1 ones are made here, as runc does).
                setup.dirs.push_back(dir);
                setup.mount_sources.push_back({hierarchy_name(h), dir, true, ""});
                setup.v2_dir = dir;
                continue;
            }
            // A parent shared with another container can vanish under us when
            // that one is deleted: start again from the top then.
            try {
                with_context("creating cgroup", [&] {
                    for (int attempt = 0;; ++attempt) {
                        try {
                            make_cgroup_dir(h, dir, setup.created);
                            return;
                        } catch (const Error& e) {
                            if (e.code() != ENOENT || attempt == 5) throw;
                        }
                    }
                });
            } catch (const Error& e) {
                if (!rootless || !not_delegated(e)) throw;
                setup.skipped.push_back(e.what());
                continue;
            }
            setup.dirs.push_back(dir);
            if (std::find(setup.created.begin(), setup.created.end(), dir) == setup.created.end())
                setup.processes_found =
                    std::max(setup.processes_found, count_processes(dir + "/cgroup.procs"));
            setup.mount_sources.push_back(
                {hierarchy_name(h), dir, h.v2, h.v2 ? "" : v1_fs_options(h)});
            if (h.v2) setup.v2_dir = dir;
            if (!h.v2 && has_controller(h, "freezer")) setup.freezer_dir = dir;
        }
        // systemd makes the v2 cgroup later; its hosts' kernels all have cgroup.freeze.
        if (setup.freezer_dir.empty() && !setup.v2_dir.empty() &&
            (setup.systemd || sys::path_exists(setup.v2_dir + "/cgroup.freeze"))) {
            setup.freezer_dir = setup.v2_dir;
            setup.freezer_v2 = true;
        }
        // As runc, in its words; what we made goes, the frozen cgroup stays.
        if (frozen_beforehand(setup)) throw Error("container's cgroup unexpectedly frozen");
    } catch (...) {
        remove_cgroups(setup.created, setup.dirs);
        throw;
    }
    return setup;
}

void join_cgroups(const CgroupSetup& setup, pid_t pid, const std::string& already_in) {
    if (setup.systemd) start_systemd_unit(*setup.systemd, pid);
    std::string text = std::to_string(pid);
    for (const auto& dir : setup.dirs)
        if (dir != already_in)
            with_context("adding pid " + text + " to cgroups",
                         [&] { sys::write_file(dir + "/cgroup.procs", text); });
}

namespace {

// Cgroups the container made below its own (through a writable cgroup
// mount), deepest first, as runc does: rmdir of a cgroup with children fails.
void remove_child_cgroups(const std::string& dir) {
    for (const auto& child : child_cgroups(dir)) {
        remove_child_cgroups(child);
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (::rmdir(child.c_str()) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) throw_errno("remove cgroup " + child);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

}  // namespace

void remove_cgroups(const std::vector<std::string>& created,
                    const std::vector<std::string>& leaves) {
    for (const auto& dir : created) {
        bool leaf = std::find(leaves.begin(), leaves.end(), dir) != leaves.end();
        // Exiting tasks leave the container's cgroup a moment after they are
        // reaped; a parent we made is only removed if no one else uses it.
        // Child cgroups are looked for only when the rmdir is refused: listing
        // every hierarchy's directory would cost each delete.
        bool children_removed = false;
        for (int attempt = 0; attempt < (leaf ? 200 : 1); ++attempt) {
            if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) break;
            if (!leaf && (errno == EBUSY || errno == ENOTEMPTY)) break;
            if (errno != EBUSY) throw_errno("remove cgroup " + dir);
            if (!children_removed) {
                remove_child_cgroups(dir);
                children_removed = true;
                continue;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

// A cgroup removed meanwhile (systemd stopping the unit, a delete racing
// us) reads as empty: its files fail with ENOENT or, once open, ENODEV.
std::vector<pid_t> cgroup_pids(const ContainerState& state) {
    std::vector<pid_t> pids;
    for (const auto& dir : state.cgroup_dirs) {
        auto text = read_cgroup_file(dir + "/cgroup.procs");
        if (!text) continue;
        std::istringstream in(*text);
        pid_t pid;
        while (in >> pid)
            if (std::find(pids.begin(), pids.end(), pid) == pids.end()) pids.push_back(pid);
        if (!pids.empty()) break;
    }
    return pids;
}

bool cgroup_frozen(const ContainerState& state) {
    if (state.freezer_dir.empty()) return false;
    if (state.freezer_v2) {
        auto text = read_cgroup_file(state.freezer_dir + "/cgroup.freeze");
        return text && text->rfind("1", 0) == 0;
    }
    auto text = read_cgroup_file(state.freezer_dir + "/freezer.state");
    return text && text->rfind("FROZEN", 0) == 0;
}

}  // namespace minirunc::runtime
