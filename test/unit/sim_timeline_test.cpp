// The run's picture (sim/scenario/timeline.hpp; issue #10 item 5): one band
// per switch, the leader, lost probes, the events — well-formed SVG.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/timeline.hpp"

namespace porter::sim {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos;
       at = s.find(what, at + 1))
    ++n;
  return n;
}

TEST(Timeline, BandsLeaderLossAndEvents) {
  timeline t;
  t.title = "demo <run>";
  t.switches = {"leaf-a", "spine"};
  t.expected_routes = 3;
  t.samples = {{0.0, {3, 3}, {0, 0}, "manager-1", 10, 0},
               {1.0, {3, 3}, {6, 0}, "", 10, 4},
               {2.0, {3, 3}, {0, 0}, "manager-2", 10, 0},
               {3.0, {3, 3}, {0, 0}, "manager-2", 10, 0}};
  t.events = {{1.0, "kill -9 manager-1"}};
  auto svg = render_svg(t);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0U);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(count(svg, "<text"), count(svg, "</text>"));
  EXPECT_NE(svg.find("demo &lt;run&gt;"), std::string::npos) << "escaped";
  EXPECT_NE(svg.find("#f1ce63"), std::string::npos) << "a stale stretch";
  EXPECT_NE(svg.find("#e15759"), std::string::npos) << "lost probes";
  EXPECT_NE(svg.find(">manager-2<"), std::string::npos) << "leader legend";
  EXPECT_NE(svg.find("kill -9 manager-1"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos) << "event line";
  auto html = render_html(t);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_NE(html.find(svg), std::string::npos);
}

TEST(Timeline, EmptyRunStillDraws) {
  timeline t;
  t.title = "nothing";
  auto svg = render_svg(t);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

} // namespace
} // namespace porter::sim
