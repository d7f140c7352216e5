#include "sim/fabric/data_plane.hpp"

#include <algorithm>

namespace porter::sim {

probe_result send_probe(const five_tuple& flow, const fabric_state& fabric,
                        const node_verdict& node) {
  probe_result r;
  const auto to_leaves = lookup(fabric.spine, flow.dst);
  if (to_leaves.empty()) {
    r.lost = "spine: no route to " + net::to_string(flow.dst);
    return r;
  }
  const auto& leaf_ip
    = to_leaves[pick_next_hop(flow, to_leaves.size(), fabric.spine_seed)];
  auto leaf = std::find_if(
    fabric.leaves.begin(), fabric.leaves.end(), [&](const leaf_state& l) {
      return l.address == leaf_ip || l.address6 == leaf_ip;
    });
  if (leaf == fabric.leaves.end()) {
    r.lost = "spine: next hop " + net::to_string(leaf_ip) + " is no leaf";
    return r;
  }
  r.leaf = leaf->name;
  const auto to_nodes = lookup(leaf->fib, flow.dst);
  if (to_nodes.empty()) {
    r.lost = leaf->name + ": no route to " + net::to_string(flow.dst);
    return r;
  }
  r.node = to_nodes[pick_next_hop(flow, to_nodes.size(), leaf->seed)];
  if (auto why = node(r.node, flow.dst); !why.empty()) {
    r.lost = "node " + net::to_string(r.node) + ": " + why;
    return r;
  }
  r.delivered = true;
  return r;
}

} // namespace porter::sim
