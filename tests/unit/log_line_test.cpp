#include "minirunc/log_line.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace minirunc;

TEST(LogLineJson, ExactLayoutWithSortedKeys) {
    EXPECT_EQ(format_log_line(true, "error", "x", "T"),
              "{\"level\":\"error\",\"msg\":\"x\",\"time\":\"T\"}\n");
}

TEST(LogLineJson, RealisticRecord) {
    EXPECT_EQ(
        format_log_line(true, "warning", "cgroup not found", "2026-11-21T12:00:00Z"),
        "{\"level\":\"warning\",\"msg\":\"cgroup not found\",\"time\":\"2026-11-21T12:00:00Z\"}"
        "\n");
}

TEST(LogLineJson, QuotesAndControlCharactersAreEscaped) {
    auto line = format_log_line(true, "error", "a \"b\"\\c\nd\te", "T");
    EXPECT_EQ(line, "{\"level\":\"error\",\"msg\":\"a \\\"b\\\"\\\\c\\nd\\te\",\"time\":\"T\"}\n");
}

TEST(LogLineJson, IsOneParsableLine) {
    auto line = format_log_line(true, "info", "multi\nline\nmessage", "T");
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    auto doc = nlohmann::json::parse(line);
    EXPECT_EQ(doc["msg"], "multi\nline\nmessage");
    EXPECT_EQ(doc["level"], "info");
    EXPECT_EQ(doc["time"], "T");
}

TEST(LogLineJson, Utf8IsKept) {
    auto doc =
        nlohmann::json::parse(format_log_line(true, "error", "caf\xc3\xa9 \xe2\x9c\x93", "T"));
    EXPECT_EQ(doc["msg"], "caf\xc3\xa9 \xe2\x9c\x93");
}

TEST(LogLineJson, NonUtf8BytesDoNotThrow) {
    std::string line;
    EXPECT_NO_THROW(line = format_log_line(true, "error", "bad \xff\xfe bytes", "T"));
    EXPECT_EQ(line.back(), '\n');
    auto doc = nlohmann::json::parse(line);  // still valid JSON
    auto msg = doc["msg"].get<std::string>();
    EXPECT_EQ(msg.rfind("bad ", 0), 0u);
    EXPECT_NE(msg.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD replacement
    EXPECT_NE(msg.find(" bytes"), std::string::npos);
}

TEST(LogLineJson, NonUtf8InLevelAndTimeDoNotThrow) {
    EXPECT_NO_THROW(format_log_line(true, "err\xc3", "x", "\xff"));
}

TEST(LogLineJson, EmptyMessage) {
    EXPECT_EQ(format_log_line(true, "debug", "", ""),
              "{\"level\":\"debug\",\"msg\":\"\",\"time\":\"\"}\n");
}

TEST(LogLineText, LogrusStyle) {
    EXPECT_EQ(format_log_line(false, "error", "a \"b\"", "T"),
              "time=\"T\" level=error msg=\"a \\\"b\\\"\"\n");
}

TEST(LogLineText, RealisticRecord) {
    EXPECT_EQ(format_log_line(false, "warning", "container not running", "2026-11-21T12:00:00Z"),
              "time=\"2026-11-21T12:00:00Z\" level=warning msg=\"container not running\"\n");
}

TEST(LogLineText, NewlinesAndBackslashesAreEscaped) {
    auto line = format_log_line(false, "error", "a\nb\\c", "T");
    EXPECT_EQ(line, "time=\"T\" level=error msg=\"a\\nb\\\\c\"\n");
    EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(LogLineText, NonUtf8BytesDoNotThrow) {
    std::string line;
    EXPECT_NO_THROW(line = format_log_line(false, "error", "bad \xff bytes", "T"));
    EXPECT_EQ(line.rfind("time=\"T\" level=error msg=\"bad ", 0), 0u) << line;
    EXPECT_EQ(line.back(), '\n');
    EXPECT_NE(line.find("\xef\xbf\xbd"), std::string::npos);
}

TEST(LogLineText, EmptyMessageIsQuoted) {
    EXPECT_EQ(format_log_line(false, "info", "", "T"), "time=\"T\" level=info msg=\"\"\n");
}
