#include "minirunc/id_map.hpp"

#include <gtest/gtest.h>

namespace minirunc {

TEST(IdMapText, OneLinePerMappingInKernelOrder) {
    EXPECT_EQ(id_map_text({{0, 100000, 65536}, {65536, 1000, 1}}),
              "0 100000 65536\n65536 1000 1\n");
}

TEST(IdMapText, NoMappingsIsEmpty) {
    EXPECT_EQ(id_map_text({}), "");
}

}  // namespace minirunc
