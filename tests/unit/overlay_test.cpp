#include "minirunc/overlay.hpp"

#include <gtest/gtest.h>

namespace minirunc {
namespace {

using Strings = std::vector<std::string>;

TEST(OverlayLowerdir, SplitsLayersInOrder) {
    OverlayLowerdir l = split_lowerdir("/l/top:/l/mid:/l/bottom");
    EXPECT_EQ(l.layers, (Strings{"/l/top", "/l/mid", "/l/bottom"}));
    EXPECT_TRUE(l.data_layers.empty());
    EXPECT_EQ(split_lowerdir("/only").layers, Strings{"/only"});
}

TEST(OverlayLowerdir, DoubleColonStartsDataOnlyLayers) {
    OverlayLowerdir l = split_lowerdir("/a:/b::/d1::/d2");
    EXPECT_EQ(l.layers, (Strings{"/a", "/b"}));
    EXPECT_EQ(l.data_layers, (Strings{"/d1", "/d2"}));
}

TEST(OverlayLowerdir, EscapedColonsStayInTheLayer) {
    OverlayLowerdir l = split_lowerdir("/a\\:b:/c\\\\:/d");
    EXPECT_EQ(l.layers, (Strings{"/a\\:b", "/c\\\\", "/d"}));
}

TEST(OverlayLowerdir, ManyLongLayers) {
    std::string value;
    Strings expected;
    for (int i = 0; i < 60; ++i) {
        expected.push_back("/var/lib/containers/storage/overlay/" + std::string(40, 'a' + i % 26) +
                           std::to_string(i) + "/diff");
        value += (i ? ":" : "") + expected.back();
    }
    EXPECT_EQ(split_lowerdir(value).layers, expected);
}

}  // namespace
}  // namespace minirunc
