#include "minirunc/intel_rdt_plan.hpp"
#include "core/text.hpp"

#include <map>
#include <sstream>

#include "core/json_reader.hpp"

namespace minirunc {
namespace {

const std::string kIntelRdtPointer = "/linux/intelRdt/";

void check_line(const std::string& field, const std::string& value) {
    if (value.find('\n') != std::string::npos)
        spec::detail::config_error(kIntelRdtPointer + field, "must not contain newlines");
}

std::string strip_zeros(const std::string& value) {
    size_t first = value.find_first_not_of('0');
    return first == std::string::npos ? "0" : value.substr(first);
}

// "L3:0=ff;1=f0" -> {"L3", {"0": "ff", "1": "f0"}}.
std::pair<std::string, std::map<std::string, std::string>> split_line(const std::string& line) {
    std::pair<std::string, std::map<std::string, std::string>> out;
    size_t colon = line.find(':');
    out.first = text::trim(line.substr(0, colon));
    if (colon == std::string::npos) return out;
    std::stringstream domains(line.substr(colon + 1));
    std::string domain;
    while (std::getline(domains, domain, ';')) {
        size_t eq = domain.find('=');
        if (eq == std::string::npos) continue;
        out.second[text::trim(domain.substr(0, eq))] =
            strip_zeros(text::trim(domain.substr(eq + 1)));
    }
    return out;
}

}  // namespace

IntelRdtPlan plan_intel_rdt(const spec::IntelRdt& rdt, const std::string& container_id,
                            const std::string& resctrl_root) {
    IntelRdtPlan plan;
    const std::string& clos = rdt.clos_id;
    if (clos == "." || clos == ".." || (clos != "/" && clos.find('/') != std::string::npos) ||
        clos.find('\n') != std::string::npos)
        spec::detail::config_error(kIntelRdtPointer + "closID", "invalid CLOS id \"" + clos + "\"");
    check_line("l3CacheSchema", rdt.l3_cache_schema);
    check_line("memBwSchema", rdt.mem_bw_schema);
    if (!rdt.mem_bw_schema.empty() && rdt.mem_bw_schema.rfind("MB:", 0) != 0)
        spec::detail::config_error(kIntelRdtPointer + "memBwSchema", "must start with \"MB:\"");
    for (size_t i = 0; i < rdt.schemata.size(); ++i)
        check_line("schemata/" + std::to_string(i), rdt.schemata[i]);
    if (!rdt.l3_cache_schema.empty()) plan.schemata.push_back(rdt.l3_cache_schema);
    if (!rdt.mem_bw_schema.empty()) plan.schemata.push_back(rdt.mem_bw_schema);
    for (const auto& line : rdt.schemata)
        if (!text::trim(line).empty()) plan.schemata.push_back(line);

    if (clos == "/") {
        plan.clos_dir = resctrl_root;  // the default CLOS: never made, never removed
    } else if (clos.empty()) {
        plan.clos_dir = resctrl_root + "/" + container_id;
        plan.may_create = true;
        plan.remove_if_created = true;
    } else {
        plan.clos_dir = resctrl_root + "/" + clos;
        plan.may_create = !plan.schemata.empty();
    }
    if (rdt.enable_cmt.value_or(false) || rdt.enable_mbm.value_or(false))
        plan.mon_dir = plan.clos_dir + "/mon_groups/" + container_id;
    return plan;
}

bool schemata_in_force(const std::string& file_text, const std::vector<std::string>& wanted) {
    std::map<std::string, std::map<std::string, std::string>> current;
    std::stringstream lines(file_text);
    std::string line;
    while (std::getline(lines, line)) {
        auto [resource, domains] = split_line(line);
        if (!resource.empty()) current[resource].insert(domains.begin(), domains.end());
    }
    for (const auto& want : wanted) {
        auto [resource, domains] = split_line(want);
        auto it = current.find(resource);
        if (it == current.end()) return false;
        for (const auto& [domain, value] : domains) {
            auto found = it->second.find(domain);
            if (found == it->second.end() || found->second != value) return false;
        }
    }
    return true;
}

std::string resctrl_mount_point(const std::string& mountinfo) {
    std::stringstream lines(mountinfo);
    std::string line;
    while (std::getline(lines, line)) {
        // "... mount_point ... - fstype source options"
        size_t dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::stringstream after(line.substr(dash + 3));
        std::string fstype;
        after >> fstype;
        if (fstype != "resctrl") continue;
        std::stringstream before(line.substr(0, dash));
        std::string field, mount_point;
        for (int i = 0; i < 5 && before >> field; ++i)
            if (i == 4) mount_point = field;
        return mount_point;
    }
    return "";
}

}  // namespace minirunc
