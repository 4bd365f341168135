#include "salvage.hpp"

#include <signal.h>

#include "cgroup_freezer.hpp"
#include "cgroup_view.hpp"
#include "cgroups.hpp"
#include "minirunc/cgroup_plan.hpp"
#include "minirunc/error.hpp"
#include "minirunc/sys/file.hpp"
#include "minirunc/systemd_unit_plan.hpp"
#include "state_store.hpp"
#include "systemd_cgroup.hpp"

namespace minirunc::runtime {

void salvage_container(const std::string& dir, const std::string& id, bool systemd_driver) {
    ContainerState state;
    state.id = id;
    try {
        // Written before the cgroups are made: without it there are none.
        if (sys::path_exists(frozen_config_path(dir))) {
            spec::Spec spec = load_frozen_config(dir);
            std::string cgroups_path = spec.linux ? spec.linux->cgroups_path : "";
            if (systemd_driver || cgroups_path.find(':') != std::string::npos) {
                SystemdUnit unit = systemd_unit_for(cgroups_path, id);
                cgroups_path = unit.cgroup_path;
                state.systemd_unit = unit.name;
            }
            const auto& hierarchies = host_cgroup_hierarchies();
            for (const auto& h : hierarchies) {
                std::string cg = cgroup_dir(h, container_cgroup_path(h, cgroups_path, id));
                if (!sys::path_exists(cg)) continue;
                state.cgroup_dirs.push_back(cg);
                if (!h.v2 && sys::path_exists(cg + "/freezer.state")) state.freezer_dir = cg;
            }
            if (state.freezer_dir.empty()) {
                for (const auto& cg : state.cgroup_dirs) {
                    if (sys::path_exists(cg + "/cgroup.freeze")) {
                        state.freezer_dir = cg;
                        state.freezer_v2 = true;
                    }
                }
            }
        }
    } catch (const Error&) {
        // An unreadable frozen config: only the state directory can go.
    }
    if (!state.cgroup_dirs.empty()) signal_all_processes(state, SIGKILL);
    if (!state.systemd_unit.empty() && sys::path_exists("/run/systemd/system")) {
        try {
            stop_systemd_unit(state.systemd_unit);
        } catch (const Error&) {
            // Never started (killed before), or systemd refuses: the dirs below still go.
        }
    }
    if (!state.cgroup_dirs.empty()) remove_cgroups(state.cgroup_dirs, state.cgroup_dirs);
    sys::remove_all(dir);
}

}  // namespace minirunc::runtime
