// `porter sim demo` (issue #10 item 1), what `make sim` runs: a virtual
// cluster (actors/sim_cluster) with two manager replicas, an agent per
// node and a leaf/spine fabric of porter's own virtual switches. It shows,
// as it goes, every Service's EIP and each switch's next hops against what
// the demo's own model expects; then kills the leader and prints the
// failover timeline in milliseconds; moves endpoints and takes a node
// down, showing the next hops follow; probes sent "from outside" through
// the fabric count what each event lost. Ends with PASS or FAIL.
#pragma once

#include <string>

namespace porter {

struct sim_demo_options {
  std::string work_dir; ///< logs, kubeconfig; empty: a new /tmp directory
  bool keep = false;    ///< keep work_dir afterwards
  /// The run's picture (HTML with an inline SVG timeline).
  std::string report = "porter-sim-report.html";
  /// "virtual": porter's own switches, in-memory rule tables; "bird": BIRD
  /// and network namespaces (root; actors/sim_bird.hpp).
  std::string fabric = "virtual";
};

/// 0 only if every expectation held.
int run_sim_demo(const sim_demo_options& o);

} // namespace porter
