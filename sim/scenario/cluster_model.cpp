#include "sim/scenario/cluster_model.hpp"

#include <algorithm>

namespace porter::sim {

namespace {

net::ip_address ip(const char* text) {
  return *net::parse_ip(text);
}

} // namespace

const model_node* cluster_model::node(const std::string& name) const {
  for (const auto& n : nodes)
    if (n.name == name)
      return &n;
  return nullptr;
}

const model_node* cluster_model::node_at(const net::ip_address& a) const {
  for (const auto& n : nodes)
    if (n.ip == a || n.ip6 == a)
      return &n;
  return nullptr;
}

const model_service* cluster_model::service(const std::string& name) const {
  for (const auto& s : services)
    if (s.name == name)
      return &s;
  return nullptr;
}

cluster_model demo_cluster() {
  cluster_model m;
  m.nodes = {{"node-1", ip("10.0.0.11")},
             {"node-2", ip("10.0.0.12")},
             {"node-3", ip("10.0.0.13")},
             {"node-4", ip("10.0.0.14")},
             {"node-5", ip("10.0.0.15")}};
  m.services = {{"web", false, {"node-1", "node-2"}, "demo-pool"},
                {"api", true, {"node-2", "node-4"}, "demo-pool"},
                {"echo", false, {"node-5"}, "demo-pool"}};
  return m;
}

std::vector<net::ip_address> expected_next_hops(const cluster_model& m,
                                                const model_service& s,
                                                net::family fam) {
  std::vector<net::ip_address> out;
  for (const auto& n : m.nodes) {
    if (!n.ready)
      continue;
    if (s.local && !serves(s, n))
      continue;
    if (fam == net::family::v4)
      out.push_back(n.ip);
    else if (n.ip6)
      out.push_back(*n.ip6);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool serves(const model_service& s, const model_node& node) {
  if (!s.local)
    return !s.endpoint_nodes.empty();
  return std::find(s.endpoint_nodes.begin(), s.endpoint_nodes.end(), node.name)
         != s.endpoint_nodes.end();
}

std::string node_json(const model_node& n) {
  const std::string v6 = n.ip6 ? R"(,{"type":"InternalIP","address":")"
                                   + net::to_string(*n.ip6) + "\"}"
                               : "";
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + n.name
         + R"("},"status":{"addresses":[{"type":"InternalIP","address":")"
         + net::to_string(n.ip) + "\"}" + v6
         + R"(],"conditions":[{"type":"Ready","status":")"
         + (n.ready ? "True" : "False") + R"("}]}})";
}

std::string service_json(const model_service& s) {
  const std::string pool
    = s.pool.empty()
        ? ""
        : R"(,"eip.openelb.kubesphere.io/v1alpha2":")" + s.pool + "\"";
  return R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + s.name
         + R"(","namespace":"default","annotations":{)"
           R"("lb.kubesphere.io/v1alpha1":"porter")"
         + pool
         + R"(}},"spec":{"type":"LoadBalancer","externalTrafficPolicy":")"
         + (s.local ? "Local" : "Cluster") + R"(",)"
         + (s.dual_stack ? R"("ipFamilyPolicy":"RequireDualStack",)"
                           R"("ipFamilies":["IPv4","IPv6"],)"
                         : "")
         + R"("allocateLoadBalancerNodePorts":false,"selector":{"app":")"
         + s.name + R"("},"ports":[{"port":80,"protocol":"TCP"}]}})";
}

std::string endpoint_slice_json(const cluster_model& m,
                                const model_service& s) {
  std::string endpoints;
  int i = 0;
  for (const auto& name : s.endpoint_nodes) {
    if (m.node(name) == nullptr)
      continue;
    if (!endpoints.empty())
      endpoints += ",";
    ++i;
    endpoints += R"({"addresses":["10.244.)" + std::to_string(i) + "."
                 + std::to_string(10 + i)
                 + R"("],"conditions":{"ready":true,"serving":true,)"
                   R"("terminating":false},"nodeName":")"
                 + name + R"("})";
  }
  return R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",)"
         R"("metadata":{"name":")"
         + s.name
         + R"(-sim","namespace":"default","labels":{)"
           R"("kubernetes.io/service-name":")"
         + s.name + R"("}},"addressType":"IPv4","endpoints":[)" + endpoints
         + R"(],"ports":[{"port":8080,"protocol":"TCP"}]})";
}

std::string demo_pool_json() {
  return R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",)"
         R"("metadata":{"name":"demo-pool"},)"
         R"("spec":{"address":"10.200.0.10-10.200.0.19"}})";
}

} // namespace porter::sim
