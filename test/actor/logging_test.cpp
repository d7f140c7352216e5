#include "actors/logging.hpp"

#include <gtest/gtest.h>

namespace porter::log {
namespace {

TEST(Logging, LogfmtQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(render_fields(format::logfmt, "session_up",
                          {{"peer", "192.0.2.1"}, {"as", "65000"}}),
            "msg=session_up peer=192.0.2.1 as=65000");
  EXPECT_EQ(render_fields(format::logfmt, "session_down",
                          {{"reason", "hold timer \"expired\""}}),
            R"(msg=session_down reason="hold timer \"expired\"")");
  EXPECT_EQ(render_fields(format::logfmt, "x", {{"empty", ""}, {"eq", "a=b"}}),
            R"(msg=x empty="" eq="a=b")");
}

TEST(Logging, JsonEscapesStrings) {
  EXPECT_EQ(render_fields(format::json, "ip_allocated",
                          {{"svc", "default/web"}, {"note", "a\"b\\c\nd"}}),
            R"("msg":"ip_allocated","svc":"default/web","note":"a\"b\\c\nd")");
}

TEST(Logging, ParsesLevelsAndFormats) {
  EXPECT_EQ(parse_level("debug").value(), level::debug);
  EXPECT_EQ(parse_level("warning").value(), level::warn);
  EXPECT_FALSE(parse_level("loud"));
  EXPECT_EQ(parse_format("json").value(), format::json);
  EXPECT_FALSE(parse_format("xml"));
}

} // namespace
} // namespace porter::log
