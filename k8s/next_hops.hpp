// Where each EIP's host route points (issue #8 item 1): for every EIP a porter
// Service holds (status.loadBalancer.ingress[].ip) the leader announces a /32
// (/128) with one path per node that can serve it. externalTrafficPolicy
// Local: the nodes hosting a ready endpoint (discovery.k8s.io/v1
// EndpointConditions); Cluster: every Ready node (NodeCondition Ready). The
// well-known label node.kubernetes.io/exclude-from-external-load-balancers and
// --node-selector narrow both. Pure: no I/O, no clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/core_objects.hpp"
#include "k8s/porter_crds.hpp"
#include "net/ip_address.hpp"

namespace porter::k8s {

/// Well-known node label: a node carrying it (any value) never receives
/// load-balancer traffic (k8s.io/api/core/v1 well_known_labels.go).
inline constexpr std::string_view exclude_from_lb_label
  = "node.kubernetes.io/exclude-from-external-load-balancers";

/// The flags that shape the plan.
struct next_hop_options {
  /// --default-class: which Services are porter's (is_porter_service).
  bool default_class = false;
  /// --node-selector; nullopt: every node.
  std::optional<label_selector> node_selector;
};

/// Pointers into the manager's watch caches, in any order. Names are unique
/// per kind (the caches are keyed by "ns/name" and node name).
struct next_hop_world {
  std::vector<const service*> services;
  std::vector<const endpoint_slice*> slices;
  std::vector<const node*> nodes;
};

/// One EIP's host route.
struct eip_route {
  net::ip_address eip;
  /// The nodes' InternalIPs of the EIP's family, ascending and distinct;
  /// empty: no eligible node, withdraw the route.
  std::vector<net::ip_address> next_hops;
  /// "ns/name" of the Services holding this EIP, sorted.
  std::vector<std::string> services;

  friend bool operator==(const eip_route& a, const eip_route& b) {
    return a.eip == b.eip && a.next_hops == b.next_hops
           && a.services == b.services;
  }
  friend bool operator!=(const eip_route& a, const eip_route& b) {
    return !(a == b);
  }
};

/// One entry per EIP held by a porter Service, sorted by eip. The result
/// does not depend on the order of `w`'s vectors. Runs in
/// O((services + slices + endpoints + nodes) log n) plus the size of the
/// output.
std::vector<eip_route> plan_next_hops(const next_hop_world& w,
                                      const next_hop_options& o);

} // namespace porter::k8s
