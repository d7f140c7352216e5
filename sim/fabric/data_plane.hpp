// A probe's way from outside to a node (issue #10 item 2): the spine looks
// the EIP up and picks a leaf among its ECMP next hops by the flow's hash;
// that leaf picks a node the same way; the node takes the packet only if
// its agent's rule diverts the EIP to it and a serving endpoint is there
// (the caller decides: ETP Local needs one on that node, Cluster one
// anywhere — kube-proxy forwards). Pure.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/fabric/ecmp.hpp"
#include "sim/fabric/switch_rib.hpp"

namespace porter::sim {

struct leaf_state {
  std::string name;
  net::ip_address address; ///< the next hop the spine knows it by (IPv4)
  forwarding_table fib;
  std::uint32_t seed = 0;
  net::ip_address address6{}; ///< ... for IPv6 prefixes
};

struct fabric_state {
  forwarding_table spine;
  std::uint32_t spine_seed = 0;
  std::vector<leaf_state> leaves;
};

/// Empty when `node` accepts a packet for `eip`, else why not (e.g. "no
/// rule for the EIP", "no serving endpoint").
using node_verdict = std::function<std::string(const net::ip_address& node,
                                               const net::ip_address& eip)>;

struct probe_result {
  bool delivered = false;
  std::string leaf;     ///< the leaf taken; empty if the spine had no route
  net::ip_address node; ///< the node chosen; meaningful once a leaf had one
  /// Where and why it was lost: "spine: no route to 10.0.0.10",
  /// "leaf-a: no route", "node 10.0.1.12: no rule for the EIP".
  std::string lost;
};

probe_result send_probe(const five_tuple& flow, const fabric_state& fabric,
                        const node_verdict& node);

} // namespace porter::sim
