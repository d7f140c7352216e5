// Which EIPs a node's agent diverts to itself (issue #9 item 2): every IP
// in status.loadBalancer.ingress of a LoadBalancer Service that is porter's
// — by class or annotation (is_porter_service), or because it carries
// porter's finalizer (the manager assigned it, whatever the agent's
// --default-class says). Every node holds every EIP's rule, as Porter
// v0.1.0's agent did: which node gets the traffic is BGP's choice, and a
// rule on a node without traffic costs nothing. Pure.
#pragma once

#include <set>
#include <vector>

#include "k8s/core_objects.hpp"
#include "net/ip_address.hpp"

namespace porter::k8s {

/// The EIPs in use, from the Services in any order; ingress entries with
/// only a hostname, or an unparsable IP, are skipped.
std::set<net::ip_address> eips_in_use(const std::vector<const service*>& all,
                                      bool default_class);

} // namespace porter::k8s
