#include "intel_rdt.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "minirunc/error.hpp"
#include "minirunc/intel_rdt_plan.hpp"
#include "minirunc/sys/file.hpp"

#include <nlohmann/json.hpp>

namespace minirunc::runtime {
namespace {

const std::string kField = "config.json: /linux/intelRdt: ";
const char* const kStateFile = "intel_rdt.json";

void add_task(const std::string& dir, pid_t pid) {
    with_context(kField + "joining " + dir,
                 [&] { sys::write_file(dir + "/tasks", std::to_string(pid)); });
}

// True when this call made the directory.
bool make_dir(const std::string& dir, bool may_create) {
    if (::mkdir(dir.c_str(), 0755) == 0) return true;
    if (errno != EEXIST) {
        if (errno == ENOENT || !may_create) throw Error(kField + dir + " does not exist", ENOENT);
        throw_errno(kField + "mkdir " + dir);
    }
    return false;
}

}  // namespace

std::string host_resctrl_root() {
    std::string mountinfo;
    if (!sys::read_file_if_exists("/proc/self/mountinfo", mountinfo)) return "";
    return resctrl_mount_point(mountinfo);
}

IntelRdtGroups join_intel_rdt(const spec::IntelRdt& rdt, const std::string& id, pid_t pid) {
    std::string root = host_resctrl_root();
    if (root.empty()) throw Error(kField + "no resctrl filesystem is mounted on this host");
    IntelRdtPlan plan = plan_intel_rdt(rdt, id, root);
    bool created = false, mon_created = false;
    try {
        if (plan.clos_dir != root) {
            if (!plan.may_create && !sys::path_exists(plan.clos_dir))
                throw Error(kField + "CLOS " + plan.clos_dir + " does not exist", ENOENT);
            created = make_dir(plan.clos_dir, plan.may_create);
        }
        std::string schemata = plan.clos_dir + "/schemata";
        if (created) {
            // One line per write: the kernel takes one resource at a time.
            for (const auto& line : plan.schemata)
                with_context(kField + "writing " + schemata,
                             [&] { sys::write_file(schemata, line + "\n"); });
        } else if (!plan.schemata.empty()) {
            std::string current;
            sys::read_file_if_exists(schemata, current);
            if (!schemata_in_force(current, plan.schemata))
                throw Error(kField + "the schemata of the existing CLOS " + plan.clos_dir +
                            " differ from the config's");
        }
        add_task(plan.clos_dir, pid);
        if (!plan.mon_dir.empty()) {
            mon_created = make_dir(plan.mon_dir, true);
            add_task(plan.mon_dir, pid);
        }
    } catch (...) {
        if (mon_created) ::rmdir(plan.mon_dir.c_str());
        if (created) ::rmdir(plan.clos_dir.c_str());
        throw;
    }
    IntelRdtGroups groups;
    groups.clos_dir = plan.clos_dir;
    groups.mon_dir = mon_created ? plan.mon_dir : "";
    groups.remove_clos = created && plan.remove_if_created;
    return groups;
}

void save_intel_rdt(const std::string& container_dir, const IntelRdtGroups& groups) {
    nlohmann::json doc = {{"clos_dir", groups.clos_dir},
                          {"mon_dir", groups.mon_dir},
                          {"remove_clos", groups.remove_clos}};
    sys::write_file_atomic(container_dir + "/" + kStateFile, doc.dump(), 0600);
}

IntelRdtGroups load_intel_rdt(const std::string& container_dir) {
    IntelRdtGroups groups;
    std::string text;
    if (!sys::read_file_if_exists(container_dir + "/" + kStateFile, text)) return groups;
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object()) return groups;
    groups.clos_dir = doc.value("clos_dir", "");
    groups.mon_dir = doc.value("mon_dir", "");
    groups.remove_clos = doc.value("remove_clos", false);
    return groups;
}

void add_to_intel_rdt(const IntelRdtGroups& groups, pid_t pid) {
    if (groups.clos_dir.empty()) return;
    add_task(groups.clos_dir, pid);
    if (!groups.mon_dir.empty()) add_task(groups.mon_dir, pid);
}

void remove_intel_rdt(const IntelRdtGroups& groups) noexcept {
    // A resctrl group goes with rmdir even while it lists tasks (they move to its parent).
    if (!groups.mon_dir.empty()) ::rmdir(groups.mon_dir.c_str());
    if (groups.remove_clos) ::rmdir(groups.clos_dir.c_str());
}

}  // namespace minirunc::runtime
