#include "actors/supervisor.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>

#include "test_coordinator.hpp"

namespace porter {
namespace {

using namespace std::chrono_literals;
using crash_atom = caf::atom_constant<caf::atom("crash")>;

// A child that throws on `crash`. (The start number goes in as a spawn
// argument: CAF 0.17 dereferences a null tuple for argument-less spawns.)
caf::behavior crasher(caf::event_based_actor*, int /*start_number*/) {
  return {[](crash_atom) -> void { throw std::runtime_error("boom"); }};
}

// Counts how often the child was started.
child_spec crashing_child(std::shared_ptr<int> starts) {
  return child_spec{"crasher", [starts](caf::local_actor* sup) {
                      return sup->spawn(crasher, ++*starts);
                    }};
}

class SupervisorTest : public test::actor_test {
protected:
  std::vector<child_status> children(const caf::actor& sup) {
    std::vector<child_status> out;
    caf::scoped_actor self{sys_};
    self->send(sup, atoms::children_atom_v);
    run();
    self->receive([&](std::vector<child_status>& xs) { out = std::move(xs); });
    return out;
  }
  // Wraps a child spec so the test always knows the child's current handle.
  child_spec tracked(child_spec spec) {
    auto inner = spec.start;
    spec.start = [this, inner](caf::local_actor* sup) {
      current_child_ = inner(sup);
      return current_child_;
    };
    return spec;
  }
  caf::actor current_child_;
};

TEST(RestartPolicy, DelayDoublesFromInitialAndCapsAtThirtySeconds) {
  restart_policy p;
  EXPECT_EQ(restart_delay(p, 1), 100ms);
  EXPECT_EQ(restart_delay(p, 2), 200ms);
  EXPECT_EQ(restart_delay(p, 5), 1600ms);
  EXPECT_EQ(restart_delay(p, 9), 25600ms);
  EXPECT_EQ(restart_delay(p, 10), 30s);
  EXPECT_EQ(restart_delay(p, 1000), 30s);
}

TEST(RestartPolicy, FailureCountResetsAfterAStableRun) {
  restart_policy p;
  EXPECT_EQ(next_failure_count(p, 3, 1s), 4U);
  EXPECT_EQ(next_failure_count(p, 3, 60s), 1U);
}

TEST_F(SupervisorTest, ThrowingChildIsRestartedAfterExponentialBackoff) {
  auto starts = std::make_shared<int>(0);
  auto sup = spawn_supervisor(sys_, {tracked(crashing_child(starts))});
  run();
  ASSERT_EQ(*starts, 1);

  for (int failure = 1; failure <= 4; ++failure) {
    caf::anon_send(current_child_, crash_atom::value);
    run();
    auto expected
      = restart_delay(restart_policy{}, static_cast<std::uint32_t>(failure));
    // Not restarted one millisecond before the backoff has elapsed ...
    advance(expected - 1ms);
    EXPECT_EQ(*starts, failure) << "restarted too early, failure " << failure;
    EXPECT_FALSE(children(sup).at(0).running);
    // ... and restarted exactly when it has.
    advance(1ms);
    EXPECT_EQ(*starts, failure + 1) << "not restarted, failure " << failure;
  }
  auto status = children(sup).at(0);
  EXPECT_TRUE(status.running);
  EXPECT_EQ(status.restarts, 4U);
  EXPECT_EQ(status.consecutive_failures, 4U);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_F(SupervisorTest, ExitStopsChildrenAndRestartsNothing) {
  auto starts = std::make_shared<int>(0);
  auto sup = spawn_supervisor(sys_, {tracked(crashing_child(starts))});
  run();
  auto child = current_child_;
  caf::scoped_actor observer{sys_};
  observer->monitor(child);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  run();
  bool child_down = false;
  observer->receive([&](const caf::down_msg& msg) {
    child_down = msg.reason == caf::exit_reason::user_shutdown;
  });
  EXPECT_TRUE(child_down);
  advance(60s);
  EXPECT_EQ(*starts, 1);
}

} // namespace
} // namespace porter
