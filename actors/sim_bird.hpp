// `porter sim demo --fabric=bird` (issue #10 item 4), as root: the same
// story on real parts. The switch is BIRD 2 in its own network namespace
// (ADD-PATH receive, graceful restart, multipath into its kernel with L4
// hashing); three nodes are network namespaces, each with `porter agent`
// programming its kernel and a small HTTP server answering with the node's
// name; two of them run the `porter manager` replicas, peering from their
// node addresses; the API server emulator runs in the switch namespace. An
// outside client namespace sends HTTP requests to the EIP and the demo
// shows which nodes answered, then kills the leader and counts failures.
#pragma once

#include "actors/sim_demo.hpp"

namespace porter {

/// 0 only if every expectation held; 1 otherwise (also without root or
/// BIRD: one line says why).
int run_bird_demo(const sim_demo_options& o);

} // namespace porter
