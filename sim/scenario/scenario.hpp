// A `porter sim run FILE` scenario (issue #10 item 3): the virtual cluster
// (nodes, manager replicas, Lease timing, graceful restart), the objects to
// create (plain manifests — the YAML a user would kubectl-apply — and a
// shorthand for Services with their endpoints), and the steps: changes,
// faults and expectations. Parsing is strict: an unknown field or a bad
// value is an error naming the line and the field path. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "net/ip_address.hpp"

namespace porter::sim {

using std::chrono::milliseconds;

struct scenario_node {
  std::string name;
  net::ip_address ip; ///< InternalIP (IPv4)
  bool ready = true;
  std::optional<net::ip_address> ip6{}; ///< a second InternalIP
};

/// A Service in the default namespace with an EndpointSlice "<name>-sim"
/// whose ready endpoints run on `endpoints`; `count` > 1 makes name-1 …
/// name-N.
struct scenario_service {
  std::string name;
  bool local = false; ///< externalTrafficPolicy Local
  std::string pool;   ///< eip.openelb.kubesphere.io/v1alpha2; "" none
  std::vector<std::string> endpoints;
  int count = 1;
  bool dual_stack = false; ///< RequireDualStack: IPv4 and IPv6 EIPs
};

/// Expectations, polled until they hold or `within` passes. `ip` is one
/// of the Service's EIPs; `via` holds for each of them (node names stand
/// for the node's address of the EIP's family).
struct expect_step {
  /// Every shorthand Service has an EIP and, on every switch, the next
  /// hops the scenario's own model gives (traffic policy, readiness).
  bool all = false;
  std::string service;
  std::optional<std::string> ip;               ///< the Service's EIP
  std::optional<std::vector<std::string>> via; ///< nodes; [] = withdrawn
  std::string on;                              ///< a switch; "" = every leaf
  bool no_ip = false; ///< the Service has no EIP (pool exhausted)
  milliseconds within{5'000};
};
struct apply_step {
  std::string yaml;
};
struct delete_step {
  std::string kind; ///< Service, EndpointSlice, Eip, BgpPeer, BgpConf
  std::string name;
};
struct endpoints_step {
  std::string service;
  std::vector<std::string> nodes;
};
struct node_step {
  std::string name;
  bool ready = true;
};
struct kill_step {
  std::string replica; ///< "leader", "follower" or a name (manager-1)
  int signal = 9;      ///< 9 (KILL) or 15 (TERM)
};
/// Starts an exited replica again; "stopped": every exited one.
struct restart_step {
  std::string replica;
};
/// The leaf drops every session and refuses new ones for `duration`.
struct partition_step {
  std::string on;
  milliseconds duration{0};
};
/// The API server answers 503 and drops its watches for `duration`.
struct api_outage_step {
  milliseconds duration{0};
};
struct wait_step {
  milliseconds duration{0};
};
/// Probes lost since the previous probes step (or the start).
struct probes_step {
  long long lost_at_most = 0;
};

using step_action
  = std::variant<expect_step, apply_step, delete_step, endpoints_step,
                 node_step, kill_step, restart_step, partition_step,
                 api_outage_step, wait_step, probes_step>;

struct scenario_step {
  int line = 0;     ///< in the scenario file, for reports
  std::string text; ///< one line describing the step
  step_action action;
};

struct scenario {
  std::string name;
  std::string description;
  std::vector<scenario_node> nodes;
  int replicas = 2;
  int leaves = 2; ///< leaf-a … leaf-d under one spine
  bool graceful_restart = true;
  double lease_duration = 2, renew_deadline = 1.5, retry_period = 0.5;
  std::string manifests; ///< YAML, applied at the start
  std::vector<scenario_service> services;
  std::vector<scenario_step> steps;
};

/// "line 12: steps[3].expect.within: \"soon\" is not a duration (500ms, 2s)".
tl::expected<scenario, std::string> parse_scenario(std::string_view yaml);

/// "500ms", "2s", "1.5s", or a bare number of milliseconds.
std::optional<milliseconds> parse_duration(std::string_view text);

} // namespace porter::sim
