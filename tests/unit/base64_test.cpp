#include "minirunc/base64.hpp"

#include <gtest/gtest.h>

#include "minirunc/error.hpp"

using namespace minirunc;

TEST(Base64, EncodesRfc4648TestVectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsEveryByteValue) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    for (size_t len : {0ul, 1ul, 2ul, 3ul, 255ul, 256ul})
        EXPECT_EQ(base64_decode(base64_encode(bytes.substr(0, len))), bytes.substr(0, len));
}

TEST(Base64, MalformedTextIsAnError) {
    for (const char* bad : {"Zg=", "Z===", "Zm9v!A==", "=Zm9", "Zg==Zg==", "Zm=v"})
        EXPECT_THROW(base64_decode(bad), Error) << bad;
}
