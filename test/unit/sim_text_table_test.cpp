// Aligned text tables (sim/scenario/text_table.hpp).
#include <gtest/gtest.h>

#include "sim/scenario/text_table.hpp"

namespace porter::sim {
namespace {

TEST(TextTable, ColumnsAlignAndLinesEndClean) {
  EXPECT_EQ(render_table(
              {"SERVICE", "EIP", "RESULT"},
              {{"web", "10.200.0.10", "OK"}, {"api-long", "", "FAIL"}, {"x"}}),
            "SERVICE   EIP          RESULT\n"
            "web       10.200.0.10  OK\n"
            "api-long               FAIL\n"
            "x\n");
}

TEST(TextTable, Utf8TakesOneColumnPerCharacter) {
  EXPECT_EQ(render_table({"A", "B"}, {{"→x", "1"}, {"ab", "2"}}),
            "A   B\n→x  1\nab  2\n");
}

} // namespace
} // namespace porter::sim
