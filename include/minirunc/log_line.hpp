// One log record as runc writes it: JSON `{"level","msg","time"}` or logrus text.
#pragma once

#include <string>

namespace minirunc {

std::string format_log_line(bool json, const std::string& level, const std::string& message,
                            const std::string& time);

}  // namespace minirunc
