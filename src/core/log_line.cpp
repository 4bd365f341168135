#include "minirunc/log_line.hpp"

#include <nlohmann/json.hpp>

namespace minirunc {

std::string format_log_line(bool json, const std::string& level, const std::string& message,
                            const std::string& time) {
    if (json) {
        nlohmann::json line = {{"level", level}, {"msg", message}, {"time", time}};
        return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    // logrus quotes msg as a Go string.
    std::string quoted =
        nlohmann::json(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return "time=\"" + time + "\" level=" + level + " msg=" + quoted + "\n";
}

}  // namespace minirunc
