// `porter agent` (issue #9 item 1): flags → the kernel rule table, the
// drift monitor and the agent actor, until SIGTERM/SIGINT (the rules stay:
// a restarting agent must not interrupt traffic). `porter agent --cleanup`
// removes porter's rules and routes and exits (the uninstall path).
#pragma once

#include <cstdint>
#include <string>

#include "net/rule_plan.hpp"

namespace porter {

struct agent_command {
  std::string kubeconfig;
  std::string node; ///< --node (NODE_NAME)
  std::uint32_t table = net::agent_settings{}.table;
  std::uint32_t rule_priority = net::agent_settings{}.rule_priority;
  std::uint32_t rule_priorities = net::agent_settings{}.rule_priorities;
  /// /healthz, /readyz; empty: off. Not 9610: with hostNetwork a manager
  /// and an agent may share a node's ports.
  std::string admin_listen = "127.0.0.1:9611";
  std::string admin_token_file; ///< bearer token for /debug/ off loopback
  bool default_class = false;
  bool cleanup = false;
  double resync_period = 10; ///< seconds between full checks
};

/// Returns the exit code; bad configuration: one line on stderr, 1.
int run_agent(const agent_command& cmd);

} // namespace porter
