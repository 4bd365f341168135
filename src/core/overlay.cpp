#include "minirunc/overlay.hpp"

namespace minirunc {

OverlayLowerdir split_lowerdir(std::string_view value) {
    OverlayLowerdir out;
    std::vector<std::string>* list = &out.layers;
    std::string current;
    for (size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '\\' && i + 1 < value.size()) {
            current += c;
            current += value[++i];
            continue;
        }
        if (c != ':') {
            current += c;
            continue;
        }
        list->push_back(std::move(current));
        current.clear();
        if (i + 1 < value.size() && value[i + 1] == ':') {  // "::"
            list = &out.data_layers;
            ++i;
        }
    }
    list->push_back(std::move(current));
    return out;
}

}  // namespace minirunc
