// Typed discovery.k8s.io/v1 EndpointSlice and core/v1 Endpoints, Node,
// Namespace, Secret, ConfigMap (k8s/objects.hpp): every kept field decoded
// from the shapes in k8s-api.md §6, nil conditions, wrong types naming
// their JSON path, base64 of Secret data, round trips.
#include <optional>

#include "test/unit/k8s_object_test_helpers.hpp"
#include <gtest/gtest.h>

#include "k8s/objects.hpp"

namespace porter::k8s {
namespace {

using namespace porter::k8s::test_support;

// all nil and a port without a number (all ports).
constexpr std::string_view slice_json = R"json({
 "apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
 "metadata":{"name":"web-x7k2p","namespace":"default","resourceVersion":"123461",
   "labels":{"kubernetes.io/service-name":"web",
     "endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"},
   "ownerReferences":[{"apiVersion":"v1","kind":"Service","name":"web",
     "uid":"3f0d6c1e-...","controller":true,"blockOwnerDeletion":true}]},
 "addressType":"IPv4",
 "endpoints":[
  {"addresses":["10.244.1.5"],"conditions":{"ready":true,"serving":true,"terminating":false},
   "nodeName":"node-1","zone":"zone-a",
   "targetRef":{"kind":"Pod","namespace":"default","name":"web-7d9c-abcde","uid":"..."}},
  {"addresses":["10.244.2.7"],"conditions":{"ready":false,"serving":false,"terminating":false},
   "nodeName":"node-2",
   "targetRef":{"kind":"Pod","namespace":"default","name":"web-7d9c-fghij","uid":"..."}},
  {"addresses":["10.244.3.9","10.244.3.10"],"conditions":{},"hints":{"forZones":[{"name":"zone-a"}]}}],
 "ports":[{"name":"http","protocol":"TCP","port":8080,"appProtocol":"http"},{"name":"all"}]})json";

// k8s-api.md §6 Endpoints.
constexpr std::string_view endpoints_json = R"json({
 "apiVersion":"v1","kind":"Endpoints",
 "metadata":{"name":"web","namespace":"default","resourceVersion":"123460"},
 "subsets":[{"addresses":[{"ip":"10.244.1.5","nodeName":"node-1",
     "targetRef":{"kind":"Pod","namespace":"default","name":"web-7d9c-abcde","uid":"..."}}],
   "notReadyAddresses":[{"ip":"10.244.2.7","nodeName":"node-2",
     "targetRef":{"kind":"Pod","namespace":"default","name":"web-7d9c-fghij","uid":"..."}}],
   "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]})json";

// k8s-api.md §6 Node, with an ExternalIP and a second condition.
constexpr std::string_view node_json = R"json({
 "apiVersion":"v1","kind":"Node",
 "metadata":{"name":"node-1","resourceVersion":"99887",
   "labels":{"kubernetes.io/hostname":"node-1","kubernetes.io/os":"linux"}},
 "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24","fd00:1::/64"],
   "unschedulable":true,"taints":[{"key":"k","effect":"NoSchedule"}]},
 "status":{"addresses":[{"type":"InternalIP","address":"192.168.0.11"},
     {"type":"ExternalIP","address":"203.0.113.11"},
     {"type":"Hostname","address":"node-1"}],
   "conditions":[{"type":"MemoryPressure","status":"False"},
     {"type":"Ready","status":"True","reason":"KubeletReady",
      "lastHeartbeatTime":"2026-11-26T22:20:00Z",
      "lastTransitionTime":"2026-11-20T08:00:00Z",
      "message":"kubelet is posting ready status"}],
   "nodeInfo":{"kubeletVersion":"v1.32.4"}}})json";

TEST(K8sEndpointSlice, DecodesEndpointsConditionsPortsAndServiceName) {
  const auto s = decode_ok<endpoint_slice>(slice_json);
  EXPECT_EQ(s.metadata.name, "web-x7k2p");
  EXPECT_EQ(s.service_name, "web");
  EXPECT_EQ(s.address_type, "IPv4");
  ASSERT_EQ(s.endpoints.size(), 3u);
  const endpoint& a = s.endpoints[0];
  EXPECT_EQ(a.addresses, std::vector<std::string>{"10.244.1.5"});
  EXPECT_TRUE((a.conditions == endpoint_conditions{true, true, false}));
  EXPECT_EQ(a.node_name, "node-1");
  EXPECT_EQ(a.zone, "zone-a");
  EXPECT_TRUE((a.target_ref == target_reference{"Pod", "web-7d9c-abcde"}));
  const endpoint& b = s.endpoints[1];
  EXPECT_FALSE(is_ready(b.conditions));
  EXPECT_FALSE(is_serving(b.conditions));
  EXPECT_EQ(b.zone, "");
  ASSERT_EQ(s.ports.size(), 2u);
  EXPECT_TRUE((s.ports[0] == endpoint_port{"http", 8080, protocol::tcp}));
  EXPECT_TRUE(
    (s.ports[1] == endpoint_port{"all", std::nullopt, protocol::tcp}));
}

TEST(K8sEndpointSlice, NilConditionsAreUnknownAndReadAsReady) {
  // EndpointConditions: "nil ... should be interpreted as" ready/serving;
  // unknown terminating as not terminating (k8s-api.md §6).
  const auto s = decode_ok<endpoint_slice>(slice_json);
  const endpoint& c = s.endpoints[2];
  EXPECT_EQ(c.addresses.size(), 2u);
  EXPECT_FALSE(c.conditions.ready.has_value());
  EXPECT_FALSE(c.conditions.serving.has_value());
  EXPECT_FALSE(c.conditions.terminating.has_value());
  EXPECT_TRUE(is_ready(c.conditions));
  EXPECT_TRUE(is_serving(c.conditions));
  EXPECT_FALSE(is_terminating(c.conditions));
  EXPECT_EQ(c.node_name, "");
  // Absent conditions, too.
  const auto t = decode_ok<endpoint_slice>(
    R"({"metadata":{"name":"s"},"endpoints":[{"addresses":["1.1.1.1"]}]})");
  EXPECT_TRUE(is_ready(t.endpoints.at(0).conditions));
  EXPECT_EQ(t.service_name, "");
}

TEST(K8sEndpointSlice, WrongTypesNameTheirPath) {
  expect_errors<endpoint_slice>({
    {"conditions.ready is *bool", R"({"metadata":{"name":"s"},
        "endpoints":[{"addresses":[]},{"conditions":{"ready":"true"}}]})",
     "endpoints[1].conditions.ready", "expected a boolean"},
    {"EndpointPort.port is *int32", R"({"metadata":{"name":"s"},
        "ports":[{"port":2147483648}]})",
     "ports[0].port", "out of range"},
    {"addresses is []string", R"({"metadata":{"name":"s"},
        "endpoints":[{"addresses":"10.0.0.1"}]})",
     "endpoints[0].addresses", "expected an array"},
    {"targetRef is an ObjectReference", R"({"metadata":{"name":"s"},
        "endpoints":[{"targetRef":{"name":3}}]})",
     "endpoints[0].targetRef.name", "expected a string"},
    {"apiVersion discovery.k8s.io/v1",
     R"({"apiVersion":"discovery.k8s.io/v1beta1",
        "metadata":{"name":"s"}})",
     "apiVersion", "expected discovery.k8s.io/v1, found"},
  });
}

TEST(K8sEndpoints, DecodesSubsetsReadyAndNotReady) {
  const auto e = decode_ok<endpoints>(endpoints_json);
  ASSERT_EQ(e.subsets.size(), 1u);
  const endpoint_subset& s = e.subsets[0];
  ASSERT_EQ(s.addresses.size(), 1u);
  EXPECT_TRUE((s.addresses[0] == endpoint_address{"10.244.1.5", "node-1"}));
  ASSERT_EQ(s.not_ready_addresses.size(), 1u);
  EXPECT_TRUE(
    (s.not_ready_addresses[0] == endpoint_address{"10.244.2.7", "node-2"}));
  ASSERT_EQ(s.ports.size(), 1u);
  EXPECT_TRUE((s.ports[0] == endpoint_port{"http", 8080, protocol::tcp}));
  expect_errors<endpoints>(
    {{"EndpointAddress.ip is a string",
      R"({"metadata":{"name":"e"},
                      "subsets":[{"notReadyAddresses":[{"ip":1}]}]})",
      "subsets[0].notReadyAddresses[0].ip", "expected a string"}});
}

TEST(K8sNode, DecodesAddressesReadyPodCidrsUnschedulable) {
  const auto n = decode_ok<node>(node_json);
  EXPECT_EQ(n.metadata.name, "node-1");
  EXPECT_EQ(n.metadata.namespace_, "");
  EXPECT_EQ(object_key(n.metadata), "node-1");
  EXPECT_EQ(value_of(n.metadata.labels, "kubernetes.io/os"), "linux");
  EXPECT_EQ(n.spec.pod_cidrs,
            (std::vector<std::string>{"10.244.1.0/24", "fd00:1::/64"}));
  EXPECT_TRUE(n.spec.unschedulable);
  EXPECT_EQ(n.status.addresses.size(), 3u);
  ASSERT_NE(find_address(n, "InternalIP"), nullptr);
  EXPECT_EQ(*find_address(n, "InternalIP"), "192.168.0.11");
  EXPECT_EQ(*find_address(n, "ExternalIP"), "203.0.113.11");
  EXPECT_EQ(find_address(n, "InternalDNS"), nullptr);
  EXPECT_EQ(n.status.ready, condition_status::is_true);
}

TEST(K8sNode, ReadyConditionStatusTable) {
  // NodeCondition Ready: status True, False or Unknown; no Ready
  // condition at all is Unknown. Other conditions are not judged.
  struct row {
    const char* conditions;
    condition_status want;
  } rows[] = {
    {R"([{"type":"Ready","status":"True"}])", condition_status::is_true},
    {R"([{"type":"Ready","status":"False"}])", condition_status::is_false},
    {R"([{"type":"Ready","status":"Unknown"}])", condition_status::unknown},
    {R"([{"type":"DiskPressure","status":"Weird"}])",
     condition_status::unknown},
    {"[]", condition_status::unknown},
    {"null", condition_status::unknown},
  };
  for (const auto& r : rows) {
    const std::string json = std::string{R"({"metadata":{"name":"n"},)"}
                             + R"("status":{"conditions":)" + r.conditions
                             + "}}";
    EXPECT_EQ(decode_ok<node>(json).status.ready, r.want) << r.conditions;
  }
  expect_errors<node>(
    {{"ConditionStatus is True/False/Unknown", R"({"metadata":{"name":"n"},
       "status":{"conditions":[{"type":"Ready","status":"Maybe"}]}})",
      "status.conditions[0].status", "expected True, False or Unknown"},
     {"podCIDRs is []string", R"({"metadata":{"name":"n"},
       "spec":{"podCIDRs":"10.0.0.0/24"}})",
      "spec.podCIDRs", "expected an array"},
     {"unschedulable is bool", R"({"metadata":{"name":"n"},
       "spec":{"unschedulable":"true"}})",
      "spec.unschedulable", "expected a boolean"}});
}

TEST(K8sNode, PodCidrAloneFromOldServers) {
  const auto n = decode_ok<node>(
    R"({"metadata":{"name":"n"},"spec":{"podCIDR":"10.244.9.0/24"}})");
  EXPECT_EQ(n.spec.pod_cidrs, std::vector<std::string>{"10.244.9.0/24"});
}

TEST(K8sNamespace, KeepsLabels) {
  const auto n = decode_ok<namespace_object>(
    R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a",
        "labels":{"kubernetes.io/metadata.name":"team-a","tier":"gold"}},
        "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}})");
  EXPECT_EQ(n.metadata.name, "team-a");
  EXPECT_EQ(value_of(n.metadata.labels, "tier"), "gold");
}

TEST(K8sSecret, KeepsBase64AndDecodesOneKey) {
  const auto s = decode_ok<secret>(
    R"({"apiVersion":"v1","kind":"Secret","type":"Opaque",
        "metadata":{"name":"memberlist","namespace":"porter-system"},
        "data":{"key":"b3BlbmVsYi1zcGVha2Vycw==","empty":"","bad":"a*=="}})");
  EXPECT_EQ(s.type, "Opaque");
  EXPECT_EQ(value_of(s.data, "key"), "b3BlbmVsYi1zcGVha2Vycw==");
  EXPECT_EQ(decode_secret_value(s, "key"), std::string{"openelb-speakers"});
  EXPECT_EQ(decode_secret_value(s, "empty"), std::string{});
  auto missing = decode_secret_value(s, "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().path, "data.nope");
  auto bad = decode_secret_value(s, "bad");
  ASSERT_FALSE(bad);
  EXPECT_EQ(to_string(bad.error()), "data.bad: invalid base64");
}

TEST(K8sSecret, Base64Table) {
  // RFC 4648 §10 test vectors, with padding as Go's StdEncoding wants.
  struct row {
    const char* in;
    std::optional<std::string> out;
  } rows[] = {
    {"", ""},
    {"Zg==", "f"},
    {"Zm8=", "fo"},
    {"Zm9v", "foo"},
    {"Zm9vYg==", "foob"},
    {"Zm9vYmE=", "fooba"},
    {"Zm9vYmFy", "foobar"},
    {"Zm9v\nYmFy", "foobar"}, // StdEncoding skips newlines
    {"Zg", std::nullopt},     // padding required
    {"Zg=", std::nullopt},
    {"Zh==", std::nullopt}, // non-zero trailing bits
    {"Z===", std::nullopt},
    {"Zg==Zg==", std::nullopt},
    {"Zm9v-A==", std::nullopt}, // URL alphabet is not StdEncoding
  };
  for (const auto& r : rows) {
    secret s;
    s.data = {{"k", r.in}};
    auto v = decode_secret_value(s, "k");
    if (r.out)
      EXPECT_EQ(v, *r.out) << r.in;
    else
      EXPECT_FALSE(v) << r.in;
  }
}

TEST(K8sConfigMap, KeepsData) {
  const auto c = decode_ok<config_map>(
    R"({"apiVersion":"v1","kind":"ConfigMap",
        "metadata":{"name":"bgp-policy","namespace":"porter-system"},
        "data":{"gobgp.conf":"[global]\n","b":"2"},
        "binaryData":{"x":"AAE="}})");
  EXPECT_EQ(c.data, (string_pairs{{"b", "2"}, {"gobgp.conf", "[global]\n"}}));
  expect_errors<config_map>({{"data is map[string]string",
                              R"({"metadata":{"name":"c"},"data":{"k":{}}})",
                              "data.k", "expected a string"}});
}

TEST(K8sRoundTrip, CoreKindsDecodeEncodeDecode) {
  expect_round_trip(decode_ok<endpoint_slice>(slice_json));
  expect_round_trip(decode_ok<endpoints>(endpoints_json));
  expect_round_trip(decode_ok<node>(node_json));
  expect_round_trip(decode_ok<namespace_object>(
    R"({"metadata":{"name":"ns","labels":{"a":"b"}}})"));
  expect_round_trip(decode_ok<secret>(
    R"({"metadata":{"name":"s","namespace":"n"},"type":"Opaque",
        "data":{"k":"dg=="}})"));
  expect_round_trip(decode_ok<config_map>(
    R"({"metadata":{"name":"c","namespace":"n","generation":3,
        "deletionTimestamp":"2026-01-01T00:00:00Z"},"data":{"k":"v"}})"));
}

} // namespace
} // namespace porter::k8s
