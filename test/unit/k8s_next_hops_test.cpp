// The next-hop planner (k8s/next_hops.hpp): which nodes each EIP's host route
// points at (issue #8 item 1). One row per rule; each row names the rule or
// the API field it encodes. A plan is rendered as text, one line per EIP:
// "eip -> hop hop [ns/name ...]".
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/next_hops.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s {
namespace {

constexpr auto local = traffic_policy::local;
constexpr auto cluster = traffic_policy::cluster;

template <class T, class F>
T with(T x, F f) {
  f(x);
  return x;
}

node make_node(std::string name, std::vector<std::string> internal_ips,
               condition_status ready = condition_status::is_true) {
  node n;
  n.metadata.name = std::move(name);
  n.status.addresses.push_back({"Hostname", n.metadata.name});
  for (auto& ip : internal_ips)
    n.status.addresses.push_back({"InternalIP", std::move(ip)});
  n.status.ready = ready;
  return n;
}

// a, b: Ready dual-stack; c: Ready = False; d: Ready = Unknown.
std::vector<node> standard_nodes() {
  return {
    make_node("a", {"10.0.0.1", "fd00::1"}),
    make_node("b", {"10.0.0.2", "fd00::2"}),
    make_node("c", {"10.0.0.3"}, condition_status::is_false),
    make_node("d", {"10.0.0.4"}, condition_status::unknown),
  };
}

service lb(std::string name, traffic_policy policy,
           std::vector<std::string> ingress_ips, std::string ns = "default") {
  service s;
  s.metadata.name = std::move(name);
  s.metadata.namespace_ = std::move(ns);
  s.metadata.annotations = {{std::string(lb_annotation), "porter"}};
  s.spec.type = service_type::load_balancer;
  s.spec.external_traffic_policy = policy;
  for (auto& ip : ingress_ips)
    s.status.ingress.push_back({std::move(ip), "", {}, ip_mode::unset});
  return s;
}

endpoint on(std::string node_name, endpoint_conditions c = {}) {
  return {{"10.244.0.10"}, c, std::move(node_name), "", {"Pod", "p"}};
}

endpoint_slice slice_of(std::string svc, std::vector<endpoint> eps,
                        std::string ns = "default",
                        std::string address_type = "IPv4") {
  endpoint_slice s;
  s.metadata.name = svc + "-abc";
  s.metadata.namespace_ = std::move(ns);
  s.service_name = std::move(svc);
  s.address_type = std::move(address_type);
  s.endpoints = std::move(eps);
  return s;
}

struct fixture {
  std::vector<service> services;
  std::vector<endpoint_slice> slices = {};
  std::vector<node> nodes = standard_nodes();

  next_hop_world world() const {
    next_hop_world w;
    for (const auto& s : services)
      w.services.push_back(&s);
    for (const auto& s : slices)
      w.slices.push_back(&s);
    for (const auto& n : nodes)
      w.nodes.push_back(&n);
    return w;
  }
};

std::vector<std::string> render(const std::vector<eip_route>& plan) {
  std::vector<std::string> out;
  for (const auto& r : plan) {
    std::string line = net::to_string(r.eip) + " ->";
    for (const auto& hop : r.next_hops)
      line += " " + net::to_string(hop);
    line += " [";
    for (const auto& s : r.services)
      line += (line.back() == '[' ? "" : " ") + s;
    out.push_back(line + "]");
  }
  return out;
}

struct row {
  const char* rule;
  fixture f;
  std::vector<std::string> want;
  next_hop_options o = {};
};

void check(const std::vector<row>& rows) {
  for (const auto& r : rows)
    EXPECT_EQ(render(plan_next_hops(r.f.world(), r.o)), r.want) << r.rule;
}

const endpoint_conditions not_ready{false, std::nullopt, std::nullopt};
const endpoint_conditions not_serving{std::nullopt, false, std::nullopt};
const endpoint_conditions terminating{std::nullopt, true, true};
const endpoint_conditions all_set{true, true, false};

TEST(NextHops, WhichServicesAndIpsAreAnnounced) {
  auto web = lb("web", cluster, {"203.0.113.1"});
  check({
    {"issue #8 item 1: a porter Service's status.loadBalancer.ingress[].ip",
     {{web}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"is_porter_service: spec.loadBalancerClass of another controller",
     {{with(web, [](auto& s) { s.spec.load_balancer_class = "x.io/lb"; })}},
     {}},
    {"is_porter_service: no class or annotation without --default-class",
     {{with(web, [](auto& s) { s.metadata.annotations.clear(); })}},
     {}},
    {"is_porter_service: --default-class takes classless LoadBalancers",
     {{with(web, [](auto& s) { s.metadata.annotations.clear(); })}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"},
     {true, std::nullopt}},
    {"spec.type: only LoadBalancer Services are announced",
     {{with(web, [](auto& s) { s.spec.type = service_type::node_port; })}},
     {}},
    {"metadata.deletionTimestamp: a Service being deleted is not announced",
     {{with(web, [](auto& s) { s.metadata.deleting = true; })}},
     {}},
    {"ingress[].ip: unparsable and hostname-only entries are skipped",
     {{lb("web", cluster, {"", "not-an-ip", "203.0.113.01", "203.0.113.2"})}},
     {"203.0.113.2 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"ingress[].ip: each IP is an EIP (dual stack: one per family)",
     {{lb("web", cluster, {"2001:db8::1", "203.0.113.1"})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]",
      "2001:db8::1 -> fd00::1 fd00::2 [default/web]"}},
  });
}

TEST(NextHops, LocalPolicyUsesNodesWithReadyEndpoints) {
  auto web = lb("web", local, {"203.0.113.1"});
  auto only = [&](std::vector<endpoint_slice> slices) {
    return fixture{{web}, std::move(slices)};
  };
  check({
    {"externalTrafficPolicy Local: nodes hosting a ready endpoint",
     only({slice_of("web", {on("a", all_set), on("b", not_ready)})}),
     {"203.0.113.1 -> 10.0.0.1 [default/web]"}},
    {"EndpointConditions.serving false: not a next hop",
     only({slice_of("web", {on("a", not_serving), on("b")})}),
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"EndpointConditions.terminating true: not a next hop, even if serving",
     only({slice_of("web", {on("a", terminating), on("b")})}),
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"EndpointConditions nil: ready, serving, not terminating",
     only({slice_of("web", {on("a")})}),
     {"203.0.113.1 -> 10.0.0.1 [default/web]"}},
    {"Local ignores node Readiness: endpoint conditions already reflect it",
     only({slice_of("web", {on("c")})}),
     {"203.0.113.1 -> 10.0.0.3 [default/web]"}},
    {"EndpointSlice metadata.namespace must be the Service's",
     only({slice_of("web", {on("a")}, "other"), slice_of("web", {on("b")})}),
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"label kubernetes.io/service-name must name the Service",
     only({slice_of("api", {on("a")}), slice_of("web", {on("b")})}),
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"EndpointSlice addressType FQDN is ignored",
     only({slice_of("web", {on("a")}, "default", "FQDN")}),
     {"203.0.113.1 -> [default/web]"}},
    {"endpoint.nodeName must name a known node (empty or unknown: none)",
     only({slice_of("web", {on(""), on("gone"), on("b")})}),
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"endpoints of all the Service's slices count, each node once",
     only({slice_of("web", {on("a"), on("a")}), slice_of("web", {on("b")})}),
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"issue #8 item 1: no ready endpoint keeps the EIP with no next hop",
     only({slice_of("web", {on("a", not_ready)})}),
     {"203.0.113.1 -> [default/web]"}},
    {"issue #8 item 1: no EndpointSlice keeps the EIP with no next hop",
     only({}),
     {"203.0.113.1 -> [default/web]"}},
  });
}

TEST(NextHops, ClusterPolicyUsesReadyNodes) {
  check({
    {"externalTrafficPolicy Cluster: nodes whose Ready condition is True",
     {{lb("web", cluster, {"203.0.113.1"})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"externalTrafficPolicy unset: the API default, Cluster",
     {{lb("web", traffic_policy::unset, {"203.0.113.1"})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"externalTrafficPolicy unknown to this build: read as Cluster",
     {{lb("web", traffic_policy::unknown, {"203.0.113.1"})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"Cluster ignores endpoints",
     {{lb("web", cluster, {"203.0.113.1"})}, {slice_of("web", {on("c")})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [default/web]"}},
    {"issue #8 item 1: no Ready node keeps the EIP with no next hop",
     {{lb("web", cluster, {"203.0.113.1"})}, {}, {standard_nodes()[2]}},
     {"203.0.113.1 -> [default/web]"}},
  });
}

TEST(NextHops, ExcludedAndUnselectedNodesNeverCount) {
  auto nodes = standard_nodes();
  nodes[0].metadata.labels = {{std::string(exclude_from_lb_label), ""}};
  nodes[1].metadata.labels = {{"rack", "r1"}};
  const next_hop_options rack_r1{false, label_selector{{{"rack", "r1"}}, {}}};
  auto web_local = lb("web", local, {"203.0.113.1"});
  auto slice = slice_of("web", {on("a"), on("b"), on("c")});
  check({
    {"label exclude-from-external-load-balancers (any value): Cluster",
     {{lb("web", cluster, {"203.0.113.1"})}, {}, nodes},
     {"203.0.113.1 -> 10.0.0.2 [default/web]"}},
    {"label exclude-from-external-load-balancers (any value): Local",
     {{web_local}, {slice}, nodes},
     {"203.0.113.1 -> 10.0.0.2 10.0.0.3 [default/web]"}},
    {"--node-selector: only matching nodes (Cluster)",
     {{lb("web", cluster, {"203.0.113.1"})}, {}, nodes},
     {"203.0.113.1 -> 10.0.0.2 [default/web]"},
     rack_r1},
    {"--node-selector: only matching nodes (Local)",
     {{web_local}, {slice}, nodes},
     {"203.0.113.1 -> 10.0.0.2 [default/web]"},
     rack_r1},
  });
}

TEST(NextHops, NextHopIsTheInternalIpOfTheEipFamily) {
  auto n = make_node("e", {"bogus", "fd00::5", "10.0.0.5", "10.0.0.6"});
  n.status.addresses.push_back({"ExternalIP", "198.51.100.5"});
  n.status.addresses.push_back({"ExternalIP", "2001:db8:1::5"});
  auto v4_only = make_node("f", {"10.0.0.7"});
  auto external_only = make_node("g", {});
  external_only.status.addresses.push_back({"ExternalIP", "198.51.100.8"});
  check({
    {"status.addresses: first parsable InternalIP of the EIP's family",
     {{lb("web", cluster, {"203.0.113.1", "2001:db8::1"})}, {}, {n}},
     {"203.0.113.1 -> 10.0.0.5 [default/web]",
      "2001:db8::1 -> fd00::5 [default/web]"}},
    {"a node with no InternalIP of that family contributes nothing",
     {{lb("web", cluster, {"2001:db8::1"})}, {}, {v4_only}},
     {"2001:db8::1 -> [default/web]"}},
    {"an ExternalIP is never a next hop",
     {{lb("web", cluster, {"203.0.113.1"})}, {}, {external_only}},
     {"203.0.113.1 -> [default/web]"}},
  });
}

TEST(NextHops, SharedEipUnitesItsServices) {
  check({
    {"IP sharing: union of the next hops; every holder listed, sorted",
     {{lb("web", local, {"203.0.113.1"}), lb("dns", local, {"203.0.113.1"}),
       lb("api", local, {"203.0.113.1"}, "apps")},
      {slice_of("web", {on("b")}), slice_of("dns", {on("a"), on("b")})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 [apps/api default/dns default/web]"}},
    {"IP sharing: a Cluster holder adds every Ready node",
     {{lb("web", local, {"203.0.113.1"}), lb("dns", cluster, {"203.0.113.1"})},
      {slice_of("web", {on("c")})}},
     {"203.0.113.1 -> 10.0.0.1 10.0.0.2 10.0.0.3 [default/dns default/web]"}},
  });
}

// A cluster of `node_count` dual-stack nodes and `service_count` Services,
// each with one slice of three endpoints; every tenth Service is Cluster.
fixture big_cluster(int service_count, int node_count) {
  fixture f;
  f.nodes.clear();
  auto v4 = [](int i) { return net::ip_address::v4(0x0a000000u + i); };
  auto node_name = [](int i) { return "n" + std::to_string(i); };
  for (int i = 0; i < node_count; ++i) {
    auto v6 = "fd00::" + std::to_string(i + 1);
    f.nodes.push_back(make_node(node_name(i), {net::to_string(v4(i)), v6}));
  }
  for (int i = 0; i < service_count; ++i) {
    auto name = "svc" + std::to_string(i);
    auto eip = net::to_string(net::ip_address::v4(0xcb000000u + i / 2));
    f.services.push_back(lb(name, i % 10 == 0 ? cluster : local, {eip}));
    f.slices.push_back(slice_of(name, {on(node_name(i % node_count)),
                                       on(node_name((i * 7) % node_count)),
                                       on(node_name(i / 3), not_ready)}));
  }
  return f;
}

TEST(NextHops, SameOutputForAnyInputOrder) {
  const fixture f = big_cluster(300, 20);
  const auto want = plan_next_hops(f.world(), {});
  ASSERT_EQ(want.size(), 150u); // two Services share each EIP
  std::mt19937 rng(8);
  for (int round = 0; round < 10; ++round) {
    auto w = f.world();
    std::shuffle(w.services.begin(), w.services.end(), rng);
    std::shuffle(w.slices.begin(), w.slices.end(), rng);
    std::shuffle(w.nodes.begin(), w.nodes.end(), rng);
    EXPECT_EQ(plan_next_hops(w, {}), want) << "round " << round;
  }
}

TEST(NextHops, PlansTenThousandServicesOnAThousandNodes) {
  const fixture f = big_cluster(10000, 1000);
  const auto plan = plan_next_hops(f.world(), {});
  ASSERT_EQ(plan.size(), 5000u);
  EXPECT_EQ(plan.front().services.size(), 2u);
  EXPECT_EQ(plan.front().next_hops.size(), 1000u); // svc0 is Cluster
}

} // namespace
} // namespace porter::k8s
