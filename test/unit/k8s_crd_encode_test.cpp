// Encoding OpenELB's CRDs (k8s/objects.hpp): round trips, exact JSON, and
// the status merge-patches porter sends: exact bodies, and their effect when
// applied with the emulator's RFC 7386 implementation (zero values
// overwrite, vanished ledger IPs are removed, other nodes' entries stay).
#include "test/unit/k8s_crd_fixtures.hpp"
#include "test/unit/k8s_object_test_helpers.hpp"
#include <gtest/gtest.h>

#include "k8s/objects.hpp"
#include "sim/apiserver/json.hpp"
#include "sim/apiserver/json_patch.hpp"

namespace porter::k8s {
namespace {

using namespace porter::k8s::test_support;

/// RFC 7386 applied by the emulator (what the API server does).
std::string merge(std::string_view target, std::string_view patch) {
  auto t = sim::json::parse(target);
  auto p = sim::json::parse(patch);
  EXPECT_TRUE(t && p);
  if (!t || !p)
    return {};
  sim::apply_merge_patch(*t, *p, t->GetAllocator());
  return sim::json::to_string(*t);
}

TEST(K8sRoundTrip, CrdsDecodeEncodeDecode) {
  expect_round_trip(decode_ok<eip>(full_eip));
  expect_round_trip(decode_ok<eip>(emulator_eip));
  expect_round_trip(decode_ok<bgp_conf>(full_bgp_conf));
  expect_round_trip(decode_ok<bgp_conf>(emulator_bgp_conf));
  expect_round_trip(decode_ok<bgp_peer>(full_bgp_peer));
  expect_round_trip(decode_ok<bgp_peer>(emulator_bgp_peer));
  // Zero-valued optionals survive: present-but-empty stays present.
  expect_round_trip(decode_ok<bgp_peer>(R"({"metadata":{"name":"p"},
    "spec":{"conf":{},"ebgpMultihop":{},"transport":{},"gracefulRestart":{},
      "timers":{"config":{}},"afiSafis":[{"config":{"family":{}},
      "addPaths":{"config":{}},"mpGracefulRestart":{"config":{}}}]}})"));
}

TEST(K8sEncode, EipExactJson) {
  eip e;
  e.metadata.name = "eip-pool";
  e.spec.address = "192.168.0.100-192.168.0.200";
  e.spec.protocol = "bgp";
  EXPECT_EQ(encode(e),
            R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",)"
            R"("metadata":{"name":"eip-pool"},"spec":{"address":)"
            R"("192.168.0.100-192.168.0.200","protocol":"bgp"},"status":{}})");
}

TEST(K8sStatusPatch, EipStatusExactJsonNullsVanishedIps) {
  // openelb.md §2.4: status.used is the ledger. Merge patches merge maps,
  // so an IP released since `observed` is written as null; zero values are
  // written so they overwrite; conditions (a list) are replaced whole.
  eip_status observed;
  observed.used
    = {{"192.168.0.100", "default/web"}, {"192.168.0.101", "default/db"}};
  eip_status desired;
  desired.usage = 1;
  desired.pool_size = 101;
  desired.used = {{"192.168.0.100", "default/web"}};
  desired.first_ip = "192.168.0.100";
  desired.last_ip = "192.168.0.200";
  desired.v4 = true;
  EXPECT_EQ(encode_eip_status_patch(desired, observed),
            R"({"status":{"occupied":false,"usage":1,"poolSize":101,)"
            R"("firstIP":"192.168.0.100","lastIP":"192.168.0.200",)"
            R"("ready":false,"v4":true,"conditions":[],)"
            R"("used":{"192.168.0.100":)"
            R"("default/web","192.168.0.101":null}}})");
  EXPECT_EQ(encode_eip_status_patch(eip_status{}),
            R"({"status":{"occupied":false,"usage":0,"poolSize":0,)"
            R"("firstIP":"","lastIP":"","ready":false,"v4":false,)"
            R"("conditions":[],)"
            R"("used":{}}})");
}

TEST(K8sStatusPatch, EipStatusPatchAppliedByTheServer) {
  auto before = decode_ok<eip>(full_eip);
  eip_status desired = before.status;
  desired.occupied = false;
  desired.ready = false;
  desired.usage = 1;
  desired.used = {{"192.168.0.102", "team-b/new"}};
  const std::string after_json
    = merge(full_eip, encode_eip_status_patch(desired, before.status));
  auto after = decode_ok<eip>(after_json);
  EXPECT_TRUE(after.status == desired) << after_json;
  EXPECT_TRUE(after.spec == before.spec);
}

TEST(K8sStatusPatch, BgpPeerNodeEntryExactJsonAndMerge) {
  node_peer_status s;
  s.peer_state.session_state = "ESTABLISHED";
  const std::string counters
    = R"({"notification":"","update":"","open":"","keepalive":"",)"
      R"("refresh":"","discarded":"","total":"","withdrawUpdate":"",)"
      R"("withdrawPrefix":""})";
  EXPECT_EQ(
    encode_bgp_peer_status_patch("node-1", s),
    R"({"status":{"nodesPeerStatus":{"node-1":{"peerState":{)"
    R"("authPassword":"","description":"","localAs":0,"messages":{)"
    R"("received":)"
      + counters + R"(,"sent":)" + counters
      + R"(},"neighborAddress":"","peerAs":0,"peerGroup":"","peerType":0,)"
        R"("queues":{"input":0,"output":0},"removePrivateAs":0,)"
        R"("routeFlapDamping":false,"sendCommunity":0,"sessionState":)"
        R"("ESTABLISHED","adminState":"","outQ":0,"flops":0,"routerId":"",)"
        R"("lastError":"","advertisedPaths":0},)"
        R"("timersState":{"connectRetry":"","holdTime":"",)"
        R"("keepaliveInterval":"","minimumAdvertisementInterval":"",)"
        R"("negotiatedHoldTime":"","uptime":"","downtime":""}}}}})");
  // Applied: node-1's old values are all overwritten, node-2 is kept.
  auto after = decode_ok<bgp_peer>(
    merge(full_bgp_peer, encode_bgp_peer_status_patch("node-1", s)));
  ASSERT_EQ(after.status.nodes_peer_status.size(), 2u);
  EXPECT_TRUE(after.status.nodes_peer_status[0].second == s);
  EXPECT_EQ(after.status.nodes_peer_status[1].second.peer_state.session_state,
            "ACTIVE");
}

TEST(K8sStatusPatch, BgpConfNodeEntryExactJsonAndMerge) {
  EXPECT_EQ(encode_bgp_conf_status_patch("node-3", {"192.168.0.13", 65003}),
            R"({"status":{"nodesConfStatus":{"node-3":{"routerId":)"
            R"("192.168.0.13","as":65003}}}})");
  auto after = decode_ok<bgp_conf>(merge(
    full_bgp_conf, encode_bgp_conf_status_patch("node-1", {"10.0.0.1", 0})));
  ASSERT_EQ(after.status.nodes_conf_status.size(), 2u);
  EXPECT_TRUE((after.status.nodes_conf_status[0].second
               == node_conf_status{"10.0.0.1", 0}));
  EXPECT_EQ(after.status.nodes_conf_status[1].second.as, 65002u);
}

} // namespace
} // namespace porter::k8s
