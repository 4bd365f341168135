#include "minirunc/id_map.hpp"

namespace minirunc {

std::string id_map_text(const std::vector<spec::IdMapping>& mappings) {
    std::string text;
    for (const auto& m : mappings)
        text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
                std::to_string(m.size) + "\n";
    return text;
}

}  // namespace minirunc
