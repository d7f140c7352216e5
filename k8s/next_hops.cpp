#include "k8s/next_hops.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "k8s/pool_choice.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s {
namespace {

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// What the plan needs from one eligible node, read once per node so the
/// per-Service work is a hash lookup.
struct node_hops {
  bool ready = false;
  std::optional<net::ip_address> v4;
  std::optional<net::ip_address> v6;

  const std::optional<net::ip_address>& of(net::family fam) const {
    return fam == net::family::v4 ? v4 : v6;
  }
};

/// Eligible nodes by name; the keys view the cached nodes' names.
using node_index = std::unordered_map<std::string_view, node_hops>;

/// A Service's namespace and name, viewing a cached object's strings.
using service_ref = std::pair<std::string_view, std::string_view>;

struct service_ref_hash {
  std::size_t operator()(const service_ref& r) const {
    std::hash<std::string_view> h;
    return h(r.first) * 31 + h(r.second);
  }
};

/// Slices (not FQDN) by their Service.
using slice_index
  = std::unordered_map<service_ref, std::vector<const endpoint_slice*>,
                       service_ref_hash>;

/// The first InternalIP of `fam`. A dual-stack node lists one InternalIP per
/// family in status.addresses, so find_address (first of the type) is not
/// enough; an address that does not parse is skipped.
std::optional<net::ip_address> internal_ip(const node& n, net::family fam) {
  for (const auto& a : n.status.addresses) {
    if (a.type != "InternalIP")
      continue;
    auto ip = net::parse_ip(a.address);
    if (ip && ip->fam == fam)
      return *ip;
  }
  return std::nullopt;
}

/// Whether `n` may receive load-balancer traffic at all, whatever the
/// policy: not labelled exclude-from-external-load-balancers (any value) and
/// matching --node-selector when one is set.
bool eligible(const node& n, const next_hop_options& o) {
  if (find_value(n.metadata.labels, exclude_from_lb_label) != nullptr)
    return false;
  return !o.node_selector || matches(*o.node_selector, n.metadata.labels);
}

node_index index_nodes(const std::vector<const node*>& nodes,
                       const next_hop_options& o) {
  node_index out;
  out.reserve(nodes.size());
  for (const node* n : nodes) {
    if (!eligible(*n, o))
      continue;
    out.emplace(n->metadata.name,
                node_hops{n->status.ready == condition_status::is_true,
                          internal_ip(*n, net::family::v4),
                          internal_ip(*n, net::family::v6)});
  }
  return out;
}

slice_index index_slices(const std::vector<const endpoint_slice*>& slices) {
  slice_index out;
  out.reserve(slices.size());
  for (const endpoint_slice* s : slices) {
    // FQDN endpoints name no pod and no node; a slice without the
    // kubernetes.io/service-name label belongs to no Service.
    if (s->address_type == "FQDN" || s->service_name.empty())
      continue;
    out[{s->metadata.namespace_, s->service_name}].push_back(s);
  }
  return out;
}

/// The next hops of every eligible Ready node, per family, ascending: the
/// Cluster policy's set, shared by all such Services.
struct cluster_hops {
  std::vector<net::ip_address> v4;
  std::vector<net::ip_address> v6;

  const std::vector<net::ip_address>& of(net::family fam) const {
    return fam == net::family::v4 ? v4 : v6;
  }
};

cluster_hops ready_node_hops(const node_index& nodes) {
  cluster_hops out;
  for (const auto& [name, n] : nodes) {
    // NodeCondition Ready: only True counts; False and Unknown (the node
    // stopped reporting) do not.
    if (!n.ready)
      continue;
    if (n.v4)
      out.v4.push_back(*n.v4);
    if (n.v6)
      out.v6.push_back(*n.v6);
  }
  // Distinct even if two nodes report one address (a misconfiguration).
  sort_unique(out.v4);
  sort_unique(out.v6);
  return out;
}

/// externalTrafficPolicy Local: the eligible nodes hosting an endpoint of
/// `key`'s slices that is ready, serving and not terminating (nil conditions
/// per EndpointConditions docs, see core_objects.hpp). May repeat a node.
std::vector<const node_hops*> serving_nodes(const service_ref& key,
                                            const slice_index& slices,
                                            const node_index& nodes) {
  std::vector<const node_hops*> out;
  auto it = slices.find(key);
  if (it == slices.end())
    return out;
  for (const endpoint_slice* s : it->second)
    for (const endpoint& e : s->endpoints) {
      const auto& c = e.conditions;
      if (!is_ready(c) || !is_serving(c) || is_terminating(c))
        continue;
      auto n = nodes.find(e.node_name);
      if (n != nodes.end())
        out.push_back(&n->second);
    }
  return out;
}

/// Hashes the meaningful bytes of an address: at 10k EIPs a hash map is a
/// quarter faster than a tree of 17-byte keys (the output is sorted once).
struct ip_hash {
  std::size_t operator()(const net::ip_address& a) const {
    const auto* bytes = reinterpret_cast<const char*>(a.bytes.data());
    return std::hash<std::string_view>{}(std::string_view(bytes, a.size()));
  }
};

/// Everything known so far about one EIP.
struct eip_draft {
  bool all_ready_nodes = false; ///< a Cluster-policy Service holds it
  std::vector<net::ip_address> hops;
  std::vector<std::string> services;
};

using draft_map = std::unordered_map<net::ip_address, eip_draft, ip_hash>;

bool considered(const service& s, const next_hop_options& o) {
  return is_porter_service(s, o.default_class)
         && s.spec.type == service_type::load_balancer && !s.metadata.deleting;
}

/// Adds `s`'s EIPs and their next hops to `drafts`.
void draft_service(const service& s, const slice_index& slices,
                   const node_index& nodes, draft_map& drafts) {
  const std::string key = s.metadata.namespace_ + "/" + s.metadata.name;
  // Only Local narrows the set; unset is the API default (Cluster), and an
  // unknown value from a newer server is read the same way.
  const bool local = s.spec.external_traffic_policy == traffic_policy::local;
  std::vector<const node_hops*> serving;
  if (local)
    serving
      = serving_nodes({s.metadata.namespace_, s.metadata.name}, slices, nodes);
  for (const auto& ingress : s.status.ingress) {
    auto eip = net::parse_ip(ingress.ip);
    if (!eip)
      continue; // hostname-only or malformed: nothing to announce
    eip_draft& d = drafts[*eip];
    d.services.push_back(key);
    if (!local) {
      d.all_ready_nodes = true;
      continue;
    }
    for (const node_hops* n : serving)
      if (const auto& hop = n->of(eip->fam))
        d.hops.push_back(*hop);
  }
}

eip_route finish(const net::ip_address& eip, eip_draft& d,
                 const cluster_hops& cluster) {
  eip_route r{eip, std::move(d.hops), std::move(d.services)};
  sort_unique(r.next_hops);
  sort_unique(r.services);
  if (d.all_ready_nodes) {
    // A linear merge: re-sorting ~1k hops for each shared EIP would
    // dominate the plan.
    const auto& all = cluster.of(eip.fam);
    std::vector<net::ip_address> hops;
    hops.reserve(all.size() + r.next_hops.size());
    std::set_union(all.begin(), all.end(), r.next_hops.begin(),
                   r.next_hops.end(), std::back_inserter(hops));
    r.next_hops = std::move(hops);
  }
  return r;
}

} // namespace

std::vector<eip_route> plan_next_hops(const next_hop_world& w,
                                      const next_hop_options& o) {
  const node_index nodes = index_nodes(w.nodes, o);
  const slice_index slices = index_slices(w.slices);
  const cluster_hops cluster = ready_node_hops(nodes);
  draft_map drafts;
  for (const service* s : w.services)
    if (considered(*s, o))
      draft_service(*s, slices, nodes, drafts);
  std::vector<eip_route> out;
  out.reserve(drafts.size());
  for (auto& [eip, d] : drafts)
    out.push_back(finish(eip, d, cluster));
  // EIPs are distinct, so sorting them makes the order independent of the
  // input's.
  std::sort(out.begin(), out.end(), [](const eip_route& a, const eip_route& b) {
    return a.eip < b.eip;
  });
  return out;
}

} // namespace porter::k8s
