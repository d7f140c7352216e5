// A supervisor actor: spawns named children, monitors them, and restarts a
// child that terminated abnormally (an escaped exception is a bug, not a
// shutdown) after `restart_delay`. On an exit message it stops its children
// first, so SIGTERM tears the actor tree down in order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "actors/restart_policy.hpp"

namespace porter {

/// How to (re)start one child. `start` spawns it from the supervisor.
struct child_spec {
  std::string name;
  std::function<caf::actor(caf::local_actor* supervisor)> start;
};

/// Handle interface: `children_atom` → std::vector<child_status>.
caf::actor spawn_supervisor(caf::actor_system& sys,
                            std::vector<child_spec> children,
                            restart_policy policy = {});

} // namespace porter
