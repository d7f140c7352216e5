// GoogleTest fixture running a CAF actor system on the deterministic test
// coordinator: messages run only when the test says so, time is virtual.
#pragma once

#include <caf/all.hpp>
#include <gtest/gtest.h>

namespace porter::test {

class actor_test : public ::testing::Test {
protected:
  static caf::actor_system_config& configure(caf::actor_system_config& cfg) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    return cfg;
  }

  actor_test()
      : sys_(configure(cfg_)),
        sched_(
          dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler())) {}

  ~actor_test() override { sched_.run(); }

  /// Runs every pending message (including those the handlers produce).
  void run() { sched_.run(); }

  /// Moves virtual time forward and runs whatever became due.
  void advance(caf::timespan d) {
    sched_.advance_time(d);
    sched_.run();
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  caf::scheduler::test_coordinator& sched_;
};

} // namespace porter::test
