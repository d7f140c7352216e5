// The small cluster of `porter sim demo` (issue #10 item 1) as the demo
// itself understands it — independent of porter's planner, so it can judge
// porter: the nodes with their InternalIPs and readiness, the Services with
// their traffic policy and where their endpoints run. From it come the API
// objects to create and, for every Service, the next hops a switch should
// have (externalTrafficPolicy Local: ready nodes with an endpoint; Cluster:
// every ready node) and which nodes can serve a packet. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "net/ip_address.hpp"

namespace porter::sim {

struct model_node {
  std::string name;
  net::ip_address ip; ///< InternalIP
  bool ready = true;
  std::optional<net::ip_address> ip6{}; ///< a second InternalIP, IPv6
};

struct model_service {
  std::string name;   ///< in namespace default
  bool local = false; ///< externalTrafficPolicy Local
  std::vector<std::string> endpoint_nodes;
  std::string pool;        ///< eip.openelb.kubesphere.io/v1alpha2; "" none
  bool dual_stack = false; ///< RequireDualStack: an EIP of each family
};

struct cluster_model {
  std::vector<model_node> nodes;
  std::vector<model_service> services;

  const model_node* node(const std::string& name) const;
  const model_node* node_at(const net::ip_address& ip) const;
  const model_service* service(const std::string& name) const;
};

/// 5 nodes (node-1 … node-5, 10.0.0.11 … 15); web (Cluster, endpoints on
/// node-1, node-2), api (Local, on node-2, node-4), echo (Cluster, on
/// node-5), all from the pool demo-pool.
cluster_model demo_cluster();
/// The demo's Eip, demo-pool: 10.200.0.10-10.200.0.19.
std::string demo_pool_json();

/// The nodes' InternalIPs of `fam`, ascending: what every switch's ECMP
/// set for the Service's EIP of that family should be.
std::vector<net::ip_address>
expected_next_hops(const cluster_model& m, const model_service& s,
                   net::family fam = net::family::v4);

/// Whether a packet for `s` that reached `node` finds a serving endpoint:
/// Local → one on that node; Cluster → one anywhere (kube-proxy forwards).
bool serves(const model_service& s, const model_node& node);

/// API objects, JSON. Node status carries InternalIP and Ready.
std::string node_json(const model_node& n);
std::string service_json(const model_service& s);
/// discovery.k8s.io/v1 EndpointSlice "<service>-sim", ready endpoints.
std::string endpoint_slice_json(const cluster_model& m, const model_service& s);

} // namespace porter::sim
