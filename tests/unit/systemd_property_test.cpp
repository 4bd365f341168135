#include "minirunc/systemd_property.hpp"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "error_text.hpp"
#include "minirunc/error.hpp"

using namespace minirunc;

using test::error_of;

TEST(Gvariant, TypedAndUntypedScalars) {
    EXPECT_EQ(parse_gvariant("true"), UnitPropertyValue(true));
    EXPECT_EQ(parse_gvariant(" false "), UnitPropertyValue(false));
    EXPECT_EQ(parse_gvariant("42"), UnitPropertyValue(int32_t{42}));  // GVariant's default
    EXPECT_EQ(parse_gvariant("uint64 123456789"), UnitPropertyValue(uint64_t{123456789}));
    EXPECT_EQ(parse_gvariant("@t 18446744073709551615"),
              UnitPropertyValue(std::numeric_limits<uint64_t>::max()));
    EXPECT_EQ(parse_gvariant("int64 -5"), UnitPropertyValue(int64_t{-5}));
    EXPECT_EQ(parse_gvariant("@u 7"), UnitPropertyValue(uint32_t{7}));
    EXPECT_EQ(parse_gvariant("byte 7"), UnitPropertyValue(uint8_t{7}));
    EXPECT_EQ(parse_gvariant("1.5"), UnitPropertyValue(1.5));
    EXPECT_EQ(parse_gvariant("'inactive-or-failed'"),
              UnitPropertyValue(std::string("inactive-or-failed")));
    EXPECT_EQ(parse_gvariant("\"it\\'s\""), UnitPropertyValue(std::string("it's")));
}

TEST(Gvariant, Arrays) {
    EXPECT_EQ(parse_gvariant("['a', \"b\"]"),
              UnitPropertyValue(std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(parse_gvariant("@au [1, 2]"), UnitPropertyValue(std::vector<uint32_t>{1, 2}));
    EXPECT_EQ(parse_gvariant("@ay [255]"), UnitPropertyValue(std::vector<uint8_t>{255}));
    EXPECT_EQ(parse_gvariant("@as []"), UnitPropertyValue(std::vector<std::string>{}));
}

TEST(Gvariant, RejectsWhatItCannotType) {
    EXPECT_NE(error_of([] { parse_gvariant("uint64 -1"); }), "(no error)");
    EXPECT_NE(error_of([] { parse_gvariant("byte 256"); }), "(no error)");
    EXPECT_NE(error_of([] { parse_gvariant("'open"); }), "(no error)");
    EXPECT_NE(error_of([] { parse_gvariant("yes"); }), "(no error)");
    EXPECT_NE(error_of([] { parse_gvariant("1 2"); }), "(no error)");
    EXPECT_NE(error_of([] { parse_gvariant("[1, 2]"); }), "(no error)");  // ai: no property uses it
    EXPECT_NE(error_of([] { parse_gvariant("99999999999"); }), "(no error)");  // beyond int32
}

TEST(AnnotationProperties, OnlyThePrefixedOnesInNameOrder) {
    auto props =
        annotation_properties({{"org.systemd.property.CollectMode", "'inactive-or-failed'"},
                               {"org.systemd.property.TimeoutStopUSec", "uint64 123456789"},
                               {"other", "x"}});
    ASSERT_EQ(props.size(), 2u);
    EXPECT_EQ(props[0], (UnitProperty{"CollectMode", std::string("inactive-or-failed")}));
    EXPECT_EQ(props[1], (UnitProperty{"TimeoutStopUSec", uint64_t{123456789}}));
}

TEST(AnnotationProperties, SecondsBecomeMicroseconds) {
    auto props = annotation_properties({{"org.systemd.property.TimeoutStopSec", "5"},
                                        {"org.systemd.property.RuntimeMaxSec", "1.5"}});
    ASSERT_EQ(props.size(), 2u);
    EXPECT_EQ(props[0], (UnitProperty{"RuntimeMaxUSec", uint64_t{1500000}}));
    EXPECT_EQ(props[1], (UnitProperty{"TimeoutStopUSec", uint64_t{5000000}}));
}

TEST(AnnotationProperties, ErrorsSayWhichAnnotation) {
    EXPECT_EQ(error_of([] {
                  annotation_properties({{"org.systemd.property.Ab", "1"}});
              }),
              "annotation org.systemd.property.Ab name incorrect: too short");
    EXPECT_EQ(error_of([] {
                  annotation_properties({{"org.systemd.property.Foo1", "1"}});
              }),
              "annotation org.systemd.property.Foo1 name incorrect: contains non-alphabetic "
              "character");
    EXPECT_NE(error_of([] {
                  annotation_properties({{"org.systemd.property.Foo", "@t x"}});
              }).find("annotation org.systemd.property.Foo=@t x value parse error: "),
              std::string::npos);
    EXPECT_EQ(error_of([] {
                  annotation_properties({{"org.systemd.property.FooSec", "'a'"}});
              }),
              "annotation org.systemd.property.FooSec='a' value conversion error: not a number");
}

TEST(PropertyJson, RoundTripsEveryType) {
    std::vector<UnitProperty> props = {
        {"B", true},
        {"S", std::string("x")},
        {"T", std::numeric_limits<uint64_t>::max(), 242},
        {"X", int64_t{-3}},
        {"U", uint32_t{4}},
        {"I", int32_t{-5}},
        {"Q", uint16_t{6}},
        {"N", int16_t{-7}},
        {"Y", uint8_t{8}},
        {"D", 0.25},
        {"AY", std::vector<uint8_t>{1, 2}},
        {"AU", std::vector<uint32_t>{3}},
        {"AS", std::vector<std::string>{"a"}},
        {"DeviceAllow", std::vector<DeviceAllowEntry>{{"/dev/char/1:3", "rwm"}}},
    };
    auto doc = to_json(props);
    EXPECT_EQ(doc[2]["type"], "t");
    EXPECT_EQ(doc[2]["min_systemd"], 242);
    EXPECT_EQ(doc[13]["type"], "a(ss)");
    EXPECT_EQ(property_list_from_json(nlohmann::json::parse(doc.dump())), props);
}

TEST(PropertyJson, RefusesMismatchedValues) {
    auto bad = [](const char* text) {
        return error_of([&] { property_list_from_json(nlohmann::json::parse(text)); });
    };
    EXPECT_NE(bad(R"([{"name":"A","type":"t","value":-1}])"), "(no error)");
    EXPECT_NE(bad(R"([{"name":"A","type":"y","value":300}])"), "(no error)");
    EXPECT_NE(bad(R"([{"name":"A","type":"b","value":1}])"), "(no error)");
    EXPECT_NE(bad(R"([{"name":"A","type":"v","value":1}])"), "(no error)");
    EXPECT_NE(bad(R"j([{"name":"A","type":"a(ss)","value":[["x"]]}])j"), "(no error)");
    EXPECT_NE(bad(R"({"name":"A"})"), "(no error)");
}
