// Leading-edge coalescing (net/coalescer.hpp; issue #8 item 1: changes are
// planned "within one coalescing window", a lone change at once).
#include <gtest/gtest.h>

#include "net/coalescer.hpp"

namespace porter::net {
namespace {

using namespace std::chrono_literals;
using clock = coalescer::clock;

TEST(Coalescer, LoneChangeRunsAtOnceBurstWaitsForTheWindow) {
  coalescer c{50ms};
  const auto t0 = clock::time_point{} + 1h;
  EXPECT_EQ(c.on_change(t0), clock::duration::zero()); // first ever: now
  EXPECT_EQ(c.on_change(t0 + 1ms), std::nullopt);      // already pending
  c.on_pass(t0 + 1ms);
  c.on_pass_end(t0 + 1ms);
  EXPECT_EQ(c.on_change(t0 + 11ms), clock::duration{40ms}); // in the window
  EXPECT_EQ(c.on_change(t0 + 20ms), std::nullopt);
  c.on_pass(t0 + 51ms);
  c.on_pass_end(t0 + 51ms);
  EXPECT_EQ(c.on_change(t0 + 200ms), clock::duration::zero()); // quiet again
}

TEST(Coalescer, LongPassesLeaveAsMuchTimeFree) {
  // An actor sees changes only between passes; after a 120 ms pass the
  // next waits 120 ms, not the 50 ms window.
  coalescer c{50ms};
  const auto t0 = clock::time_point{} + 1h;
  c.on_change(t0);
  c.on_pass(t0);
  c.on_pass_end(t0 + 120ms);
  EXPECT_EQ(c.on_change(t0 + 130ms), clock::duration{110ms}); // 120 + 120
}

} // namespace
} // namespace porter::net
