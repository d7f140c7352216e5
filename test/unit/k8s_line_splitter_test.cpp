// The watch body line splitter (k8s-api.md §1.4): "Chunk boundaries are not
// event boundaries, so the client must buffer until it sees \n."
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/line_splitter.hpp"

namespace porter::k8s {
namespace {

struct split_case {
  const char* rule;
  std::string body;
  std::vector<std::string> lines; // including the final remainder
};

// Feeds `body` in pieces of `step` bytes, then finishes.
std::vector<std::string> split(const std::string& body, std::size_t step) {
  line_splitter s;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < body.size(); i += step)
    for (auto& l : s.feed(std::string_view(body).substr(i, step)))
      out.push_back(std::move(l));
  if (auto last = s.finish())
    out.push_back(std::move(*last));
  return out;
}

class LineSplitter : public ::testing::TestWithParam<split_case> {};

TEST_P(LineSplitter, SameLinesWhateverTheChunking) {
  const auto& c = GetParam();
  for (std::size_t step = 1; step <= c.body.size() + 1; ++step)
    EXPECT_EQ(split(c.body, step), c.lines) << c.rule << ", step " << step;
}

INSTANTIATE_TEST_SUITE_P(
  K8sApi14, LineSplitter,
  ::testing::Values(
    split_case{"one compact JSON object per event, each ending in \\n",
               "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n",
               {"{\"type\":\"ADDED\"}", "{\"type\":\"MODIFIED\"}"}},
    split_case{"be tolerant of \\r\\n",
               "{\"a\":1}\r\n{\"b\":2}\r\n",
               {"{\"a\":1}", "{\"b\":2}"}},
    split_case{
      "be tolerant of empty lines", "\n\r\n{\"a\":1}\n\n\n", {"{\"a\":1}"}},
    split_case{"at EOF, also parse any non-empty remainder",
               "{\"a\":1}\n{\"b\":2}",
               {"{\"a\":1}", "{\"b\":2}"}},
    split_case{
      "a remainder of only \\r is empty", "{\"a\":1}\n\r", {"{\"a\":1}"}},
    split_case{"no bytes, no lines", "", {}}));

TEST(LineSplitter, HoldsBackAnIncompleteLineUntilItsNewline) {
  line_splitter s;
  EXPECT_TRUE(s.feed("{\"type\":\"ADD").empty());
  EXPECT_EQ(s.buffered(), 12u);
  auto lines = s.feed("ED\"}\n{\"ty");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "{\"type\":\"ADDED\"}");
  EXPECT_EQ(s.buffered(), 4u);
  EXPECT_EQ(s.finish(), std::optional<std::string>("{\"ty"));
  EXPECT_EQ(s.buffered(), 0u);
  EXPECT_EQ(s.finish(), std::nullopt);
}

TEST(LineSplitter, LargeEventInManySmallChunksStaysWhole) {
  std::string big = "{\"data\":\"" + std::string(1 << 20, 'x') + "\"}";
  line_splitter s;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < big.size(); i += 1000)
    for (auto& l : s.feed(std::string_view(big).substr(i, 1000)))
      out.push_back(std::move(l));
  for (auto& l : s.feed("\n"))
    out.push_back(std::move(l));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], big);
}

} // namespace
} // namespace porter::k8s
