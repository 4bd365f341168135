// overlayfs' lowerdir list, for passing one layer per fsconfig(2) call
// ("lowerdir+", "datadir+", Linux 6.8): a single fsconfig string is at most
// 255 bytes, too short for the layer lists of images and build tools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minirunc {

struct OverlayLowerdir {
    std::vector<std::string> layers;       // "a:b": top first
    std::vector<std::string> data_layers;  // after "::": data-only layers
};

// Splits at ':' not escaped by '\'; "::" starts the data-only layers. Each
// layer keeps its escapes: the kernel unescapes lowerdir+ values the same way.
OverlayLowerdir split_lowerdir(std::string_view value);

}  // namespace minirunc
