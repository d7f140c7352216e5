// `porter manager` (issue #7 item 1): flags → client configuration →
// the manager actor, until SIGTERM/SIGINT (then the Lease is released).
#pragma once

#include <string>

namespace porter {

struct manager_command {
  std::string kubeconfig;
  std::string namespace_; ///< Lease namespace; empty: the config's
  std::string identity;   ///< unique per replica (the pod name)
  std::string lease_name = "porter-manager";
  bool default_class = false;
  double lease_duration = 15, renew_deadline = 10, retry_period = 2;
};

/// Returns the exit code; bad configuration: one line on stderr, 1.
int run_manager(const manager_command& cmd);

} // namespace porter
