// OpenELB's CRDs (k8s/objects.hpp): every field of Eip, BgpConf and BgpPeer
// in openelb.md §2.2 decoded, Eip v1alpha1, objects as `porter sim
// apiserver` serves them, range checks with JSON paths, nil vs empty.
#include "test/unit/k8s_crd_fixtures.hpp"
#include "test/unit/k8s_object_test_helpers.hpp"
#include <gtest/gtest.h>

#include "k8s/objects.hpp"

namespace porter::k8s {
namespace {

using namespace porter::k8s::test_support;

TEST(K8sEip, DecodesEverySpecAndStatusField) {
  const auto e = decode_ok<eip>(full_eip);
  EXPECT_EQ(e.metadata.name, "eip-pool");
  EXPECT_EQ(e.metadata.namespace_, "");
  EXPECT_EQ(e.metadata.generation, 3);
  EXPECT_EQ(e.metadata.finalizers.size(), 1u);
  EXPECT_EQ(e.spec.address, "192.168.0.100-192.168.0.200");
  EXPECT_EQ(e.spec.protocol, "layer2");
  EXPECT_EQ(e.spec.interface, "can_reach:192.168.0.1");
  EXPECT_TRUE(e.spec.disable);
  EXPECT_TRUE(e.spec.using_known_ips);
  EXPECT_EQ(e.spec.priority, 10);
  EXPECT_EQ(e.spec.namespaces, (std::vector<std::string>{"team-a", "team-b"}));
  EXPECT_EQ(e.spec.namespace_selector,
            (string_pairs{{"env", "prod"}, {"tier", "gold"}}));
  EXPECT_TRUE(e.status.occupied);
  EXPECT_EQ(e.status.usage, 2);
  EXPECT_EQ(e.status.pool_size, 101);
  EXPECT_EQ(e.status.used,
            (string_pairs{{"192.168.0.100", "default/db"},
                          {"192.168.0.101", "default/web;team-a/api"}}));
  EXPECT_EQ(e.status.first_ip, "192.168.0.100");
  EXPECT_EQ(e.status.last_ip, "192.168.0.200");
  EXPECT_TRUE(e.status.ready);
  EXPECT_TRUE(e.status.v4);
}

TEST(K8sEip, EmulatorObjectDropsLastApplied) {
  const auto e = decode_ok<eip>(emulator_eip);
  EXPECT_EQ(
    e.metadata.annotations,
    (string_pairs{{"eip.openelb.kubesphere.io/is-default-eip", "true"}}));
  EXPECT_EQ(e.spec.address, "192.168.0.100-192.168.0.200");
  EXPECT_EQ(e.spec.protocol, "bgp");
  EXPECT_TRUE((e.status == eip_status{}));
}

TEST(K8sEip, V1alpha1ReadsIntoTheV1alpha2Model) {
  // openelb.md §2.2: v1alpha1 is still served; it has address, protocol
  // (bgp|layer2), disable, usingKnownIPs and status occupied/usage/poolSize.
  const auto via_decode = decode_ok<eip>(emulator_eip_v1alpha1);
  auto doc = parse_json(emulator_eip_v1alpha1);
  ASSERT_TRUE(doc);
  auto direct = decode_eip_v1alpha1(json_at{*doc});
  ASSERT_TRUE(direct);
  EXPECT_TRUE(*direct == via_decode);
  EXPECT_TRUE(via_decode == decode_ok<eip>(emulator_eip));

  // Fields v1alpha1 lacks are not read from a v1alpha1 object.
  const auto old = decode_ok<eip>(R"({
    "apiVersion":"network.kubesphere.io/v1alpha1","kind":"Eip",
    "metadata":{"name":"old"},
    "spec":{"address":"10.0.0.0/24","protocol":"layer2","disable":true,
            "usingKnownIPs":true,"priority":"not read","interface":7},
    "status":{"occupied":true,"usage":3,"poolSize":256,"used":5}})");
  EXPECT_EQ(old.spec.address, "10.0.0.0/24");
  EXPECT_EQ(old.spec.protocol, "layer2");
  EXPECT_TRUE(old.spec.disable);
  EXPECT_TRUE(old.spec.using_known_ips);
  EXPECT_EQ(old.spec.priority, 0);
  EXPECT_TRUE(old.status.occupied);
  EXPECT_EQ(old.status.usage, 3);
  EXPECT_EQ(old.status.pool_size, 256);
  EXPECT_TRUE(old.status.used.empty());
  // Written back as v1alpha2, it reads the same.
  expect_round_trip(old);

  // Porter v0.1.0's kind was "EIP" (openelb.md §1.4).
  const auto v010 = decode_ok<eip>(R"({
    "apiVersion":"network.kubesphere.io/v1alpha1","kind":"EIP",
    "metadata":{"name":"eip-1","namespace":"porter-system"},
    "spec":{"address":"1.1.1.1","disable":false},
    "status":{"occupied":true,"portsUsage":{"80":"x"}}})");
  EXPECT_EQ(v010.spec.address, "1.1.1.1");
  EXPECT_TRUE(v010.status.occupied);
}

TEST(K8sEip, InvalidFieldsNameTheirPath) {
  expect_errors<eip>({
    {"EipSpec.address is required", R"({"metadata":{"name":"e"},
      "spec":{"protocol":"bgp"}})",
     "spec.address", "is required"},
    {"so spec is required", R"({"metadata":{"name":"e"}})", "spec",
     "is required"},
    {"protocol enum bgp;layer2;vip", R"({"metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1","protocol":"ospf"}})",
     "spec.protocol", "expected bgp, layer2 or vip"},
    {"v1alpha1 protocol enum bgp;layer2", R"({"metadata":{"name":"e"},
      "apiVersion":"network.kubesphere.io/v1alpha1",
      "spec":{"address":"1.1.1.1","protocol":"vip"}})",
     "spec.protocol", "expected bgp or layer2"},
    {"priority is int", R"({"metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1","priority":"high"}})",
     "spec.priority", "expected an integer"},
    {"namespaces is []string", R"({"metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1","namespaces":["a",1]}})",
     "spec.namespaces[1]", "expected a string"},
    {"used is map[string]string", R"({"metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1"},"status":{"used":{"1.1.1.1":5}}})",
     "status.used.1.1.1.1", "expected a string"},
    {"poolSize is int", R"({"metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1"},"status":{"poolSize":true}})",
     "status.poolSize", "expected an integer"},
    {"kind Eip", R"({"kind":"BgpPeer","metadata":{"name":"e"},
      "spec":{"address":"1.1.1.1"}})",
     "kind", "expected Eip, found BgpPeer"},
    {"apiVersion v1alpha2", R"({"apiVersion":"network.kubesphere.io/v1",
      "metadata":{"name":"e"},"spec":{"address":"1.1.1.1"}})",
     "apiVersion", "expected network.kubesphere.io/v1alpha2"},
  });
}

TEST(K8sBgpConf, DecodesEverySpecAndStatusField) {
  const auto c = decode_ok<bgp_conf>(full_bgp_conf);
  const bgp_conf_spec& s = c.spec;
  EXPECT_EQ(s.as, 50000u);
  ASSERT_EQ(s.as_per_rack.size(), 2u);
  EXPECT_EQ(s.as_per_rack[0],
            (std::pair<std::string, std::uint32_t>{"rack-1", 65001}));
  EXPECT_EQ(s.as_per_rack[1],
            (std::pair<std::string, std::uint32_t>{"rack-2", 65002}));
  EXPECT_EQ(s.router_id, "172.22.0.10");
  EXPECT_EQ(s.listen_port, 17900);
  EXPECT_EQ(s.listen_addresses, (std::vector<std::string>{"0.0.0.0", "::"}));
  EXPECT_EQ(s.families, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_TRUE(s.use_multiple_paths);
  ASSERT_TRUE(s.graceful_restart);
  const bgp_graceful_restart& g = *s.graceful_restart;
  EXPECT_TRUE(g.enabled && g.helper_only && g.notification_enabled
              && g.longlived_enabled && g.peer_restarting
              && g.local_restarting);
  EXPECT_EQ(g.restart_time, 120u);
  EXPECT_EQ(g.deferral_time, 360u);
  EXPECT_EQ(g.stale_routes_time, 300u);
  EXPECT_EQ(g.peer_restart_time, 90u);
  EXPECT_EQ(g.mode, "restarting");
  EXPECT_EQ(s.policy, "bgp-policy");
  ASSERT_EQ(c.status.nodes_conf_status.size(), 2u);
  EXPECT_EQ(c.status.nodes_conf_status[0].first, "node-1");
  EXPECT_TRUE((c.status.nodes_conf_status[0].second
               == node_conf_status{"192.168.0.11", 65001}));
  EXPECT_EQ(c.status.nodes_conf_status[1].first, "node-2");
}

TEST(K8sBgpConf, EmulatorObjectAndNilGracefulRestart) {
  const auto c = decode_ok<bgp_conf>(emulator_bgp_conf);
  EXPECT_EQ(c.metadata.name, "default");
  EXPECT_TRUE(c.metadata.annotations.empty());
  EXPECT_EQ(c.spec.as, 50000u);
  EXPECT_EQ(c.spec.listen_port, 17900);
  EXPECT_EQ(c.spec.router_id, "172.22.0.10");
  EXPECT_FALSE(c.spec.graceful_restart.has_value());
  EXPECT_TRUE(c.status.nodes_conf_status.empty());
}

TEST(K8sBgpConf, RangesAndTypesNameTheirPath) {
  expect_errors<bgp_conf>({
    {"as is uint32", R"({"metadata":{"name":"c"},"spec":{"as":-1}})", "spec.as",
     "out of range [0, 4294967295]"},
    {"as is uint32", R"({"metadata":{"name":"c"},"spec":{"as":4294967296}})",
     "spec.as", "out of range"},
    {"asPerRack is map[string]uint32", R"({"metadata":{"name":"c"},
      "spec":{"asPerRack":{"rack-1":"65001"}}})",
     "spec.asPerRack.rack-1", "expected an integer"},
    {"families is []uint32", R"({"metadata":{"name":"c"},
      "spec":{"families":[1,-5]}})",
     "spec.families[1]", "out of range"},
    {"listenPort is int32", R"({"metadata":{"name":"c"},
      "spec":{"listenPort":2147483648}})",
     "spec.listenPort", "out of range"},
    {"gracefulRestart.restartTime is uint32", R"({"metadata":{"name":"c"},
      "spec":{"gracefulRestart":{"restartTime":1.5}}})",
     "spec.gracefulRestart.restartTime", "expected an integer"},
    {"nodesConfStatus.<node>.as is uint32", R"({"metadata":{"name":"c"},
      "status":{"nodesConfStatus":{"n1":{"as":"x"}}}})",
     "status.nodesConfStatus.n1.as", "expected an integer"},
    {"nodesConfStatus is a map", R"({"metadata":{"name":"c"},
      "status":{"nodesConfStatus":[]}})",
     "status.nodesConfStatus", "expected an object"},
  });
}

TEST(K8sBgpPeer, DecodesEverySpecField) {
  const auto p = decode_ok<bgp_peer>(full_bgp_peer);
  const bgp_peer_spec& s = p.spec;
  ASSERT_TRUE(s.conf);
  EXPECT_TRUE(
    (*s.conf
     == peer_conf{"s3cret", "leaf 1", 65000, "172.22.0.2", 65001, "leafs", 1,
                  "REMOVE_ALL", true, 3, "eth1", "blue", 2, true, true}));
  ASSERT_TRUE(s.ebgp_multihop);
  EXPECT_TRUE((*s.ebgp_multihop == peer_ebgp_multihop{true, 3}));
  ASSERT_TRUE(s.timers);
  EXPECT_TRUE((*s.timers == peer_timers{"5", "90", "30", "0"}));
  ASSERT_TRUE(s.transport);
  EXPECT_TRUE(
    (*s.transport == peer_transport{true, true, "172.22.0.1", 17900, 1400}));
  ASSERT_TRUE(s.graceful_restart);
  EXPECT_TRUE(s.graceful_restart->enabled);
  EXPECT_EQ(s.graceful_restart->restart_time, 120u);
  ASSERT_EQ(s.afi_safis.size(), 2u);
  const afi_safi& a = s.afi_safis[0];
  ASSERT_TRUE(a.config && a.config->family);
  EXPECT_TRUE((*a.config->family == afi_safi_family{"AFI_IP", "SAFI_UNICAST"}));
  EXPECT_TRUE(a.config->enabled);
  EXPECT_TRUE((a.add_paths == add_paths_config{true, 10}));
  EXPECT_EQ(a.mp_graceful_restart, std::optional<bool>{true});
  // The second has no config: OpenELB's speaker defaults the family
  // (openelb.md §2.2), so nil must stay visible.
  const afi_safi& b = s.afi_safis[1];
  EXPECT_FALSE(b.config.has_value());
  EXPECT_TRUE((b.add_paths == add_paths_config{false, 8}));
  EXPECT_FALSE(b.mp_graceful_restart.has_value());
  ASSERT_TRUE(s.node_selector);
  EXPECT_EQ(s.node_selector->match_labels,
            (string_pairs{{"openelb.kubesphere.io/rack", "rack-1"}}));
  ASSERT_EQ(s.node_selector->match_expressions.size(), 2u);
  EXPECT_TRUE(
    (s.node_selector->match_expressions[0]
     == label_selector_requirement{"kubernetes.io/os", "In", {"linux"}}));
  EXPECT_TRUE((s.node_selector->match_expressions[1]
               == label_selector_requirement{"edge", "Exists", {}}));
}

TEST(K8sBgpPeer, DecodesEveryStatusField) {
  const auto p = decode_ok<bgp_peer>(full_bgp_peer);
  const auto& nodes = p.status.nodes_peer_status;
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].first, "node-1"); // sorted by node
  const bgp_peer_state& st = nodes[0].second.peer_state;
  EXPECT_EQ(st.auth_password, "s3cret");
  EXPECT_EQ(st.description, "leaf 1");
  EXPECT_EQ(st.local_as, 65000u);
  EXPECT_TRUE(
    (st.messages.received
     == peer_message_counters{"0", "12", "1", "40", "0", "0", "53", "1", "2"}));
  EXPECT_TRUE(
    (st.messages.sent
     == peer_message_counters{"", "3", "1", "40", "", "", "44", "", ""}));
  EXPECT_EQ(st.neighbor_address, "172.22.0.2");
  EXPECT_EQ(st.peer_as, 65001u);
  EXPECT_EQ(st.peer_group, "leafs");
  EXPECT_EQ(st.peer_type, 1u);
  EXPECT_TRUE((st.queues == peer_queues{1, 2}));
  EXPECT_EQ(st.remove_private_as, 1u);
  EXPECT_TRUE(st.route_flap_damping);
  EXPECT_EQ(st.send_community, 3u);
  EXPECT_EQ(st.session_state, "ESTABLISHED");
  EXPECT_EQ(st.admin_state, "UP");
  EXPECT_EQ(st.out_q, 4u);
  EXPECT_EQ(st.flops, 5u);
  EXPECT_EQ(st.router_id, "172.22.0.2");
  EXPECT_TRUE((nodes[0].second.timers_state
               == bgp_timers_state{"5", "90", "30", "0", "90", "1764194400",
                                   "1764190800"}));
  EXPECT_EQ(nodes[1].first, "node-2");
  EXPECT_EQ(nodes[1].second.peer_state.session_state, "ACTIVE");
}

TEST(K8sBgpPeer, EmulatorObjectFromOpenElbSamples) {
  const auto p = decode_ok<bgp_peer>(emulator_bgp_peer);
  ASSERT_TRUE(p.spec.conf);
  EXPECT_EQ(p.spec.conf->neighbor_address, "172.22.0.2");
  EXPECT_EQ(p.spec.conf->peer_as, 50001u);
  ASSERT_EQ(p.spec.afi_safis.size(), 1u);
  EXPECT_EQ(p.spec.afi_safis[0].add_paths->send_max, 10u);
  EXPECT_FALSE(p.spec.transport.has_value());
  EXPECT_FALSE(p.spec.node_selector.has_value());
  EXPECT_FALSE(p.spec.timers.has_value());
}

TEST(K8sBgpPeer, RangesAndTypesNameTheirPath) {
  expect_errors<bgp_peer>({
    {"conf.peerAs is uint32", R"({"metadata":{"name":"p"},
      "spec":{"conf":{"peerAs":"65001"}}})",
     "spec.conf.peerAs", "expected an integer"},
    {"addPaths.config.sendMax is uint32", R"({"metadata":{"name":"p"},
      "spec":{"afiSafis":[{},{"addPaths":{"config":{"sendMax":-1}}}]}})",
     "spec.afiSafis[1].addPaths.config.sendMax", "out of range"},
    {"transport.remotePort is uint32", R"({"metadata":{"name":"p"},
      "spec":{"transport":{"remotePort":1e12}}})",
     "spec.transport.remotePort", "out of range"},
    {"timers.config is TimersConfig", R"({"metadata":{"name":"p"},
      "spec":{"timers":{"config":{"holdTime":90}}}})",
     "spec.timers.config.holdTime", "expected a string"},
    {"matchExpressions[].values is []string", R"({"metadata":{"name":"p"},
      "spec":{"nodeSelector":{"matchExpressions":[{"key":"a",
        "operator":"In","values":"x"}]}}})",
     "spec.nodeSelector.matchExpressions[0].values", "expected an array"},
    {"mpGracefulRestart.config.enabled is bool", R"({"metadata":{"name":"p"},
      "spec":{"afiSafis":[{"mpGracefulRestart":{"config":{"enabled":1}}}]}})",
     "spec.afiSafis[0].mpGracefulRestart.config.enabled", "expected a boolean"},
    {"peerState.queues.input is uint32", R"({"metadata":{"name":"p"},
      "status":{"nodesPeerStatus":{"n1":{"peerState":{"queues":{"input":"x"}}}}}})",
     "status.nodesPeerStatus.n1.peerState.queues.input", "expected an integer"},
    {"messages counters are strings", R"({"metadata":{"name":"p"},
      "status":{"nodesPeerStatus":{"n1":{"peerState":{"messages":
        {"sent":{"total":44}}}}}}})",
     "status.nodesPeerStatus.n1.peerState.messages.sent.total",
     "expected a string"},
  });
}

TEST(K8sBgpPeer, NilAndEmptyNodeSelectorDiffer) {
  // metav1.LabelSelector: "An empty label selector matches all objects. A
  // null label selector matches no objects." (OpenELB checks it only when
  // set, so keep the difference.)
  const auto nil = decode_ok<bgp_peer>(
    R"({"metadata":{"name":"p"},"spec":{"nodeSelector":null}})");
  const auto empty = decode_ok<bgp_peer>(
    R"({"metadata":{"name":"p"},"spec":{"nodeSelector":{}}})");
  EXPECT_FALSE(nil.spec.node_selector.has_value());
  ASSERT_TRUE(empty.spec.node_selector.has_value());
  EXPECT_TRUE(empty.spec.node_selector->match_labels.empty());
  expect_round_trip(nil);
  expect_round_trip(empty);
}

} // namespace
} // namespace porter::k8s
