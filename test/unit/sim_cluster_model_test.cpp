// The demo's own model of its cluster (sim/scenario/cluster_model.hpp;
// issue #10): the expected next hops follow externalTrafficPolicy
// (Local: ready nodes with an endpoint; Cluster: every ready node), and the
// API objects it creates are what the API takes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "sim/scenario/cluster_model.hpp"

namespace porter::sim {
namespace {

std::string names(const cluster_model& m,
                  const std::vector<net::ip_address>& ips) {
  std::string out;
  for (const auto& ip : ips)
    out += (out.empty() ? "" : " ") + m.node_at(ip)->name;
  return out;
}

TEST(ClusterModel, ExpectedNextHopsFollowTheTrafficPolicy) {
  auto m = demo_cluster();
  EXPECT_EQ(names(m, expected_next_hops(m, *m.service("web"))),
            "node-1 node-2 node-3 node-4 node-5");
  EXPECT_EQ(names(m, expected_next_hops(m, *m.service("api"))),
            "node-2 node-4");
  m.nodes[3].ready = false; // node-4 NotReady
  EXPECT_EQ(names(m, expected_next_hops(m, *m.service("web"))),
            "node-1 node-2 node-3 node-5");
  EXPECT_EQ(names(m, expected_next_hops(m, *m.service("api"))), "node-2");
  m.services[1].endpoint_nodes = {"node-5"};
  EXPECT_EQ(names(m, expected_next_hops(m, *m.service("api"))), "node-5");
}

TEST(ClusterModel, IPv6NextHopsAreTheNodesIPv6Addresses) {
  auto m = demo_cluster();
  m.nodes[0].ip6 = *net::parse_ip("fd00::11");
  m.nodes[1].ip6 = *net::parse_ip("fd00::12");
  auto hops = expected_next_hops(m, *m.service("web"), net::family::v6);
  ASSERT_EQ(hops.size(), 2U) << "nodes without an IPv6 address are no hop";
  EXPECT_EQ(net::to_string(hops[0]), "fd00::11");
  EXPECT_EQ(m.node_at(hops[1])->name, "node-2");
  EXPECT_EQ(net::to_string(
              expected_next_hops(m, *m.service("api"), net::family::v6)[0]),
            "fd00::12");
}

TEST(ClusterModel, ServingNodes) {
  auto m = demo_cluster();
  const auto& api = *m.service("api");
  EXPECT_TRUE(serves(api, *m.node("node-2")));
  EXPECT_FALSE(serves(api, *m.node("node-1"))) << "Local: not forwarded";
  EXPECT_TRUE(serves(*m.service("web"), *m.node("node-5")))
    << "Cluster: kube-proxy forwards to an endpoint elsewhere";
  model_service none{"none", false, {}, ""};
  EXPECT_FALSE(serves(none, *m.node("node-1")));
}

TEST(ClusterModel, ObjectsAreJsonTheApiTakes) {
  auto m = demo_cluster();
  auto parse = [](const std::string& s) {
    rapidjson::Document d;
    d.Parse(s.c_str());
    EXPECT_FALSE(d.HasParseError()) << s;
    return d;
  };
  auto n = parse(node_json(m.nodes[0]));
  EXPECT_STREQ(n["status"]["addresses"][0]["address"].GetString(), "10.0.0.11");
  auto s = parse(service_json(*m.service("api")));
  EXPECT_STREQ(s["spec"]["externalTrafficPolicy"].GetString(), "Local");
  EXPECT_STREQ(
    s["metadata"]["annotations"]["eip.openelb.kubesphere.io/v1alpha2"]
      .GetString(),
    "demo-pool");
  auto e = parse(endpoint_slice_json(m, *m.service("api")));
  ASSERT_EQ(e["endpoints"].Size(), 2U);
  EXPECT_STREQ(e["endpoints"][1]["nodeName"].GetString(), "node-4");
  EXPECT_STREQ(
    e["metadata"]["labels"]["kubernetes.io/service-name"].GetString(), "api");
  auto p = parse(demo_pool_json());
  EXPECT_STREQ(p["spec"]["address"].GetString(), "10.200.0.10-10.200.0.19");
  model_service bare{"bare", false, {}, ""};
  auto b = parse(service_json(bare));
  EXPECT_FALSE(b["metadata"]["annotations"].HasMember(
    "eip.openelb.kubesphere.io/v1alpha2"));
}

} // namespace
} // namespace porter::sim
