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
  /// /healthz, /readyz (and, with issue #11, /metrics, /debug/); empty: off.
  std::string admin_listen = "127.0.0.1:9610";
  std::string admin_token_file; ///< bearer token for /debug/ off loopback
  /// The node this replica runs on (routerId fallback, BgpPeer
  /// nodeSelector); the Deployment sets NODE_NAME from spec.nodeName.
  std::string node_name;
  std::string node_selector; ///< which nodes may be next hops
  std::string bgp_config;    ///< static config.toml instead of the CRDs
  double shutdown_grace = 5; ///< seconds a stopping leader keeps its routes
  double lease_duration = 15, renew_deadline = 10, retry_period = 2;
};

/// Returns the exit code; bad configuration: one line on stderr, 1.
int run_manager(const manager_command& cmd);

} // namespace porter
