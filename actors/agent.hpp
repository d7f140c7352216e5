// The agent (issue #9): keeps its node's policy rules equal to the EIPs in
// use. From the watched Services (k8s/agent_eips.hpp) and what the rule
// table holds it plans the difference (net/rule_plan.hpp) and applies it,
// coalesced and level-triggered: after a Service change, on a drift
// notification, and every `resync_period` as a backstop. It acts only on a
// synced cache, so an agent that starts, or loses the API server, keeps the
// rules it has rather than flushing them.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "net/rule_plan.hpp"

namespace porter::k8s::io {
class api_client;
}
namespace porter::net {
class rule_table;
}
namespace porter::net::io {
class readiness;
class status_board;
} // namespace porter::net::io

namespace porter {

struct agent_args {
  std::shared_ptr<k8s::io::api_client> client;
  /// The kernel (netlink) or, in the simulation, an in-memory table.
  std::shared_ptr<net::rule_table> table;
  net::agent_settings settings;
  bool default_class = false; ///< --default-class, as the manager's
  std::string node_name;      ///< --node, for the logs
  std::chrono::milliseconds resync_period{10'000};
  std::chrono::milliseconds coalesce{5};
  /// After a refused change, how soon to try again.
  std::chrono::milliseconds retry{2'000};
  /// The /debug/ pages' documents (may be null).
  std::shared_ptr<net::io::status_board> board;
  std::shared_ptr<net::io::readiness> readiness; ///< may be null
  /// `porter agent`: after the first pass, unmap the code pages start-up
  /// touched (net/io/code_pages.hpp). Not in the simulation, where many
  /// agents share a process.
  bool drop_code_pages = false;
};

/// Spawned detached: the netlink calls block. Messages: watch_batch of
/// Services; (resync_atom) from the drift monitor.
caf::actor spawn_agent(caf::actor_system& sys, agent_args args);

} // namespace porter
