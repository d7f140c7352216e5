// SIGTERM/SIGINT lead to an orderly shutdown of the actor tree: the root
// supervisor gets an exit message and stops its children before it ends.
#include "actors/runtime.hpp"

#include <atomic>
#include <future>
#include <memory>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "actors/supervisor.hpp"

namespace porter {
namespace {

// A child that records the exit reason it was stopped with. State goes in as
// a spawn argument: CAF 0.17 dereferences a null argument tuple for
// argument-less spawns (UBSan: reference binding to null pointer).
caf::behavior recorder(caf::event_based_actor* self,
                       std::shared_ptr<std::atomic<int>> stopped_with) {
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::user_shutdown)
      *stopped_with = 1;
    self->quit(msg.reason);
  });
  return {[](int) {}};
}

child_spec recording_child(std::shared_ptr<std::atomic<int>> stopped_with) {
  return child_spec{"recorder", [stopped_with](caf::local_actor* sup) {
                      return sup->spawn(recorder, stopped_with);
                    }};
}

void expect_orderly_shutdown_on(int signal_number) {
  block_termination_signals();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto stopped = std::make_shared<std::atomic<int>>(0);
  auto root = spawn_supervisor(sys, {recording_child(stopped)});
  auto result = std::async(std::launch::async,
                           [&] { return run_until_signal(sys, root); });
  kill(getpid(), signal_number);
  ASSERT_EQ(result.wait_for(std::chrono::seconds(10)),
            std::future_status::ready)
    << "run_until_signal did not return after the signal";
  EXPECT_EQ(result.get(), signal_number);
  EXPECT_EQ(stopped->load(), 1) << "child was not stopped by the supervisor";
}

TEST(Runtime, SigtermStopsTheActorTreeInOrder) {
  expect_orderly_shutdown_on(SIGTERM);
}

TEST(Runtime, SigintStopsTheActorTreeInOrder) {
  expect_orderly_shutdown_on(SIGINT);
}

TEST(Runtime, ReturnsZeroWhenTheRootEndsByItself) {
  block_termination_signals();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto root = spawn_supervisor(sys, {});
  auto result = std::async(std::launch::async,
                           [&] { return run_until_signal(sys, root); });
  caf::anon_send_exit(root, caf::exit_reason::kill);
  ASSERT_EQ(result.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_EQ(result.get(), 0);
}

} // namespace
} // namespace porter
