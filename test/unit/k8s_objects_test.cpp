// Typed core/v1 Service (k8s/objects.hpp): every kept field decoded from
// API-server-shaped JSON (k8s-api.md §6, and an object captured from `porter
// sim apiserver`), unknown fields ignored, bulk dropped, enums, wrong types
// naming their JSON path, round trips, the exact Service status patch, kind
// traits and parser robustness.
#include "test/unit/k8s_object_test_helpers.hpp"
#include <gtest/gtest.h>

#include "k8s/objects.hpp"

namespace porter::k8s {
namespace {

using namespace porter::k8s::test_support;

// k8s-api.md §6 Service after defaulting and after a controller set its
// status, plus what real servers add: managedFields, kubectl's
// last-applied annotation, fields porter does not model.
constexpr std::string_view service_json = R"json({
 "apiVersion":"v1","kind":"Service",
 "metadata":{"name":"web","namespace":"default",
   "uid":"3f0d6c1e-2a0b-4c3e-9d7a-6a1b2c3d4e5f","resourceVersion":"123456",
   "creationTimestamp":"2026-11-26T22:22:20Z",
   "labels":{"app":"web"},
   "annotations":{"lb.kubesphere.io/v1alpha1":"openelb",
     "eip.openelb.kubesphere.io/v1alpha2":"eip-pool",
     "kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"kind\":\"Service\"}\n"},
   "finalizers":["finalizer.lb.kubesphere.io/v1alpha1"],
   "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update",
     "apiVersion":"v1","time":"2026-11-26T22:22:20Z","fieldsType":"FieldsV1",
     "fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:lb.kubesphere.io/v1alpha1":{}}},
       "f:spec":{"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}}}}]},
 "spec":{"type":"LoadBalancer","selector":{"app":"web"},
   "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":31234},
            {"name":"https","protocol":"TCP","port":443,"targetPort":"https","nodePort":31235,"appProtocol":"https"}],
   "clusterIP":"10.96.12.34","clusterIPs":["10.96.12.34"],
   "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
   "loadBalancerIP":"192.168.0.100","loadBalancerClass":"kubesphere.io/porter",
   "loadBalancerSourceRanges":["10.0.0.0/8","192.168.0.0/16"],
   "externalTrafficPolicy":"Local","healthCheckNodePort":32001,
   "internalTrafficPolicy":"Cluster","sessionAffinity":"None",
   "allocateLoadBalancerNodePorts":true,
   "trafficDistribution":"PreferClose"},
 "status":{"loadBalancer":{"ingress":[
   {"ip":"192.168.0.100","ipMode":"VIP",
    "ports":[{"port":80,"protocol":"TCP"},{"port":443,"protocol":"TCP","error":"Pending"}]},
   {"hostname":"lb.example.com"}]},
   "conditions":[{"type":"LoadBalancerReady","status":"True"}]}})json";

// GET /api/v1/namespaces/default/services/web from `porter sim apiserver`
// after `kubectl apply -f test/e2e/testdata/service.yaml`.
constexpr std::string_view emulator_service_json
  = R"json({"kind":"Service","apiVersion":"v1","metadata":{"annotations":{"eip.openelb.kubesphere.io/v1alpha2":"eip-pool","kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{\"eip.openelb.kubesphere.io/v1alpha2\":\"eip-pool\",\"lb.kubesphere.io/v1alpha1\":\"openelb\"},\"labels\":{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":8080}],\"selector\":{\"app\":\"web\"},\"type\":\"LoadBalancer\"}}\n","lb.kubesphere.io/v1alpha1":"openelb"},"labels":{"app":"web"},"name":"web","namespace":"default","uid":"fad06116-7064-40bb-96f9-cafe9df47324","creationTimestamp":"2026-11-27T02:35:33Z","resourceVersion":"11"},"spec":{"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP","nodePort":32080}],"selector":{"app":"web"},"type":"LoadBalancer","clusterIP":"10.97.202.178","clusterIPs":["10.97.202.178"],"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","sessionAffinity":"None","internalTrafficPolicy":"Cluster","externalTrafficPolicy":"Cluster","allocateLoadBalancerNodePorts":true},"status":{"loadBalancer":{}}})json";

// k8s-api.md §6 EndpointSlice, with a third endpoint whose conditions are

TEST(K8sService, DecodesEveryKeptField) {
  const auto s = decode_ok<service>(service_json);
  EXPECT_EQ(s.metadata.name, "web");
  EXPECT_EQ(s.metadata.namespace_, "default");
  EXPECT_EQ(s.metadata.uid, "3f0d6c1e-2a0b-4c3e-9d7a-6a1b2c3d4e5f");
  EXPECT_EQ(s.metadata.resource_version, "123456");
  EXPECT_EQ(s.metadata.creation_timestamp, "2026-11-26T22:22:20Z");
  EXPECT_EQ(s.metadata.labels, (string_pairs{{"app", "web"}}));
  EXPECT_EQ(s.metadata.finalizers,
            std::vector<std::string>{"finalizer.lb.kubesphere.io/v1alpha1"});
  const service_spec& p = s.spec;
  EXPECT_EQ(p.type, service_type::load_balancer);
  EXPECT_EQ(p.selector, (string_pairs{{"app", "web"}}));
  ASSERT_EQ(p.ports.size(), 2u);
  EXPECT_TRUE(
    (p.ports[0] == service_port{"http", "8080", 80, 31234, protocol::tcp}));
  EXPECT_TRUE(
    (p.ports[1] == service_port{"https", "https", 443, 31235, protocol::tcp}));
  EXPECT_EQ(p.cluster_ips, std::vector<std::string>{"10.96.12.34"});
  EXPECT_EQ(p.ip_families, std::vector<std::string>{"IPv4"});
  EXPECT_EQ(p.ip_family_policy, ip_family_policy::single_stack);
  EXPECT_EQ(p.load_balancer_ip, "192.168.0.100");
  EXPECT_EQ(p.load_balancer_class, "kubesphere.io/porter");
  EXPECT_EQ(p.load_balancer_source_ranges,
            (std::vector<std::string>{"10.0.0.0/8", "192.168.0.0/16"}));
  EXPECT_EQ(p.external_traffic_policy, traffic_policy::local);
  EXPECT_EQ(p.health_check_node_port, 32001);
  EXPECT_EQ(p.internal_traffic_policy, traffic_policy::cluster);
  EXPECT_EQ(p.allocate_load_balancer_node_ports, std::optional<bool>{true});
  ASSERT_EQ(s.status.ingress.size(), 2u);
  const load_balancer_ingress& i = s.status.ingress[0];
  EXPECT_EQ(i.ip, "192.168.0.100");
  EXPECT_EQ(i.ip_mode, ip_mode::vip);
  ASSERT_EQ(i.ports.size(), 2u);
  EXPECT_TRUE((i.ports[0] == port_status{80, protocol::tcp, ""}));
  EXPECT_TRUE((i.ports[1] == port_status{443, protocol::tcp, "Pending"}));
  EXPECT_EQ(s.status.ingress[1].hostname, "lb.example.com");
  EXPECT_EQ(s.status.ingress[1].ip, "");
  EXPECT_EQ(s.status.ingress[1].ip_mode, ip_mode::unset);
}

TEST(K8sService, DropsManagedFieldsAndLastAppliedKeepsOtherAnnotations) {
  // issue #6 §3: bulk is dropped at ingest; only real annotations remain.
  const auto s = decode_ok<service>(service_json);
  EXPECT_EQ(s.metadata.annotations,
            (string_pairs{{"eip.openelb.kubesphere.io/v1alpha2", "eip-pool"},
                          {"lb.kubesphere.io/v1alpha1", "openelb"}}));
  // managedFields is never read: even a malformed one is no error.
  std::string broken{service_json};
  broken.replace(broken.find("\"managedFields\":["),
                 std::string_view{"\"managedFields\":["}.size(),
                 "\"managedFields\":7,\"ignored\":[");
  EXPECT_TRUE(decode_json<service>(broken));
}

TEST(K8sService, EmulatorObjectDecodesAfterDefaulting) {
  const auto s = decode_ok<service>(emulator_service_json);
  EXPECT_EQ(s.metadata.annotations.size(), 2u);
  ASSERT_EQ(s.spec.ports.size(), 1u);
  EXPECT_TRUE((s.spec.ports[0]
               == service_port{"http", "8080", 80, 32080, protocol::tcp}));
  EXPECT_EQ(s.spec.external_traffic_policy, traffic_policy::cluster);
  EXPECT_EQ(s.spec.cluster_ips, std::vector<std::string>{"10.97.202.178"});
  EXPECT_TRUE(s.status.ingress.empty());
  EXPECT_EQ(s.spec.load_balancer_class, "");
  EXPECT_EQ(s.spec.health_check_node_port, 0);
}

TEST(K8sService, AbsentAndNullFieldsReadAsZeroValues) {
  // Go encoding/json: an absent or null member leaves the zero value;
  // allocateLoadBalancerNodePorts is *bool, so nil stays distinguishable.
  const auto s = decode_ok<service>(
    R"({"metadata":{"name":"bare","namespace":"ns"},
        "spec":{"selector":null,"ports":null,"type":null},"status":null})");
  EXPECT_TRUE(s.spec.selector.empty());
  EXPECT_TRUE(s.spec.ports.empty());
  EXPECT_EQ(s.spec.type, service_type::cluster_ip); // the API default
  EXPECT_EQ(s.spec.external_traffic_policy, traffic_policy::unset);
  EXPECT_FALSE(s.spec.allocate_load_balancer_node_ports.has_value());
  EXPECT_EQ(object_key(s.metadata), "ns/bare");
}

TEST(K8sService, UnknownFieldsAreIgnoredAtEveryLevel) {
  const auto s = decode_ok<service>(R"({"future":{"x":[1,2]},
    "metadata":{"name":"a","newMeta":true},
    "spec":{"newSpec":null,"ports":[{"port":1,"newPort":{"y":1}}],
            "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":3}}},
    "status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4","extra":1}],
              "more":2}}})");
  ASSERT_EQ(s.spec.ports.size(), 1u);
  EXPECT_EQ(s.spec.ports[0].port, 1);
  ASSERT_EQ(s.status.ingress.size(), 1u);
  EXPECT_EQ(s.status.ingress[0].ip, "1.2.3.4");
}

TEST(K8sService, ListItemsWithoutTypeMetaDecode) {
  // LIST responses of built-in kinds omit apiVersion/kind in items.
  auto doc = parse_json(R"({"kind":"ServiceList","apiVersion":"v1",
    "metadata":{"resourceVersion":"5"},
    "items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})");
  ASSERT_TRUE(doc);
  std::vector<service> items;
  auto r = json_at{*doc}.for_each("items", [&](const json_at& item) {
    auto s = decode<service>(item);
    if (s)
      items.push_back(std::move(*s));
    return s.map([](const service&) {});
  });
  ASSERT_TRUE(r);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].metadata.name, "b");
}

TEST(K8sService, WrongTypesNameTheirPath) {
  expect_errors<service>({
    {"ServicePort.port is int32", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":80},{"port":"443"}]}})",
     "spec.ports[1].port", "expected an integer"},
    {"ServicePort.port is a port number", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":70000}]}})",
     "spec.ports[0].port", "out of range [0, 65535]"},
    {"ServicePort.nodePort is a port number", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":1,"nodePort":-1}]}})",
     "spec.ports[0].nodePort", "out of range"},
    {"ServicePort.port is not fractional", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":80.5}]}})",
     "spec.ports[0].port", "expected an integer"},
    {"targetPort is IntOrString", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":1,"targetPort":true}]}})",
     "spec.ports[0].targetPort", "expected an integer or a string"},
    {"targetPort int is int32", R"({"metadata":{"name":"a"},
        "spec":{"ports":[{"port":1,"targetPort":4294967296}]}})",
     "spec.ports[0].targetPort", "out of range"},
    {"ports is a list", R"({"metadata":{"name":"a"},"spec":{"ports":{}}})",
     "spec.ports", "expected an array"},
    {"clusterIPs is []string", R"({"metadata":{"name":"a"},
        "spec":{"clusterIPs":[1]}})",
     "spec.clusterIPs[0]", "expected a string"},
    {"selector is map[string]string", R"({"metadata":{"name":"a"},
        "spec":{"selector":{"app":1}}})",
     "spec.selector.app", "expected a string"},
    {"allocateLoadBalancerNodePorts is *bool", R"({"metadata":{"name":"a"},
        "spec":{"allocateLoadBalancerNodePorts":"yes"}})",
     "spec.allocateLoadBalancerNodePorts", "expected a boolean"},
    {"healthCheckNodePort is a port", R"({"metadata":{"name":"a"},
        "spec":{"healthCheckNodePort":1e10}})",
     "spec.healthCheckNodePort", "out of range"},
    {"type is a ServiceType string", R"({"metadata":{"name":"a"},
        "spec":{"type":1}})",
     "spec.type", "expected a string"},
    {"ipMode is a string", R"({"metadata":{"name":"a"},
        "status":{"loadBalancer":{"ingress":[{"ipMode":true}]}}})",
     "status.loadBalancer.ingress[0].ipMode", "expected a string"},
    {"spec is a ServiceSpec", R"({"metadata":{"name":"a"},"spec":"x"})", "spec",
     "expected an object"},
    {"ingress ip is a string", R"({"metadata":{"name":"a"},
        "status":{"loadBalancer":{"ingress":[{"ip":5}]}}})",
     "status.loadBalancer.ingress[0].ip", "expected a string"},
    {"PortStatus.port is int32", R"({"metadata":{"name":"a"},
        "status":{"loadBalancer":{"ingress":[{"ports":[{"port":"80"}]}]}}})",
     "status.loadBalancer.ingress[0].ports[0].port", "expected an integer"},
    {"metadata is required", R"({"spec":{}})", "metadata", "is required"},
    {"metadata.name is required", R"({"metadata":{"namespace":"x"}})",
     "metadata.name", "is required"},
    {"labels are map[string]string", R"({"metadata":{"name":"a",
        "labels":{"a":1}}})",
     "metadata.labels.a", "expected a string"},
    {"kind names the type", R"({"kind":"Node","metadata":{"name":"a"}})",
     "kind", "expected Service, found Node"},
    {"apiVersion names the group/version", R"({"apiVersion":"v2",
        "metadata":{"name":"a"}})",
     "apiVersion", "expected v1, found v2"},
    {"an object, not an array", "[]", "", "expected an object"},
  });
}

TEST(K8sService, EnumsTable) {
  // core/v1 closed enums; a value this build does not know is kept as
  // unknown (not fatal) and "" reads as absent.
  struct row {
    const char* spec;
    service_type type;
    traffic_policy etp;
    ip_family_policy ifp;
    protocol proto;
  } rows[] = {
    {R"("type":"NodePort","externalTrafficPolicy":"Cluster",)"
     R"("ipFamilyPolicy":"PreferDualStack","ports":[{"protocol":"UDP"}])",
     service_type::node_port, traffic_policy::cluster,
     ip_family_policy::prefer_dual_stack, protocol::udp},
    {R"("type":"ExternalName","ipFamilyPolicy":"RequireDualStack",)"
     R"("ports":[{"protocol":"SCTP"}])",
     service_type::external_name, traffic_policy::unset,
     ip_family_policy::require_dual_stack, protocol::sctp},
    {R"("type":"Wormhole","externalTrafficPolicy":"Nearest",)"
     R"("ipFamilyPolicy":"Quad","ports":[{"protocol":"QUIC"}])",
     service_type::unknown, traffic_policy::unknown, ip_family_policy::unknown,
     protocol::unknown},
    {R"("type":"","externalTrafficPolicy":"","ports":[{"protocol":""}])",
     service_type::cluster_ip, traffic_policy::unset, ip_family_policy::unset,
     protocol::tcp},
  };
  for (const auto& r : rows) {
    const auto s = decode_ok<service>(
      std::string{R"({"metadata":{"name":"e"},"spec":{)"} + r.spec + "}}");
    EXPECT_EQ(s.spec.type, r.type) << r.spec;
    EXPECT_EQ(s.spec.external_traffic_policy, r.etp) << r.spec;
    EXPECT_EQ(s.spec.ip_family_policy, r.ifp) << r.spec;
    ASSERT_EQ(s.spec.ports.size(), 1u);
    EXPECT_EQ(s.spec.ports[0].protocol, r.proto) << r.spec;
    expect_round_trip(s);
  }
  EXPECT_EQ(to_string(service_type::load_balancer), "LoadBalancer");
  EXPECT_EQ(to_string(traffic_policy::local), "Local");
  EXPECT_EQ(to_string(ip_mode::proxy), "Proxy");
  EXPECT_EQ(to_string(protocol::unknown), "Unknown");
  EXPECT_EQ(to_string(traffic_policy::unset), "");
}

TEST(K8sService, ClusterIpAloneFromOldServers) {
  // Before dual stack only spec.clusterIP existed; clusterIPs[0] is it.
  const auto s = decode_ok<service>(
    R"({"metadata":{"name":"h"},"spec":{"clusterIP":"None"}})");
  EXPECT_EQ(s.spec.cluster_ips, std::vector<std::string>{"None"});
  expect_round_trip(s);
}

TEST(K8sParse, DeepNestingIsAnErrorOrAValueNeverACrash) {
  // STYLE.md §3: API JSON is untrusted. 300k levels overflow the stack of
  // a recursive parser; parse_json's is iterative.
  constexpr std::size_t depth = 300000;
  const std::string deep = R"({"metadata":{"name":"d"},"spec":)"
                           + std::string(depth, '[') + std::string(depth, ']')
                           + "}";
  auto r = decode_json<service>(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(to_string(r.error()), "spec: expected an object, found an array");
  auto truncated = decode_json<service>(deep.substr(0, depth));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().what.rfind("invalid JSON at offset", 0), 0u);
}

TEST(K8sKindInfo, UrlsAndTypeMeta) {
  static_assert(kind_info<service>::namespaced);
  static_assert(!kind_info<node>::namespaced);
  EXPECT_EQ(kind_info<service>::plural, "services");
  EXPECT_EQ(kind_info<endpoint_slice>::api_group, "discovery.k8s.io");
  EXPECT_EQ(kind_info<namespace_object>::kind, "Namespace");
  EXPECT_EQ(kind_info<eip>::version, "v1alpha2");
  EXPECT_EQ(api_version<service>(), "v1");
  EXPECT_EQ(api_version<endpoint_slice>(), "discovery.k8s.io/v1");
  EXPECT_EQ(api_version<bgp_peer>(), "network.kubesphere.io/v1alpha2");
  EXPECT_EQ(collection_path(resource_of<service>(), ""), "/api/v1/services");
  EXPECT_EQ(collection_path(resource_of<endpoint_slice>(), "default"),
            "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices");
  EXPECT_EQ(collection_path(resource_of<eip>(), ""),
            "/apis/network.kubesphere.io/v1alpha2/eips");
  EXPECT_EQ(collection_path(resource_of<config_map>(), "porter-system"),
            "/api/v1/namespaces/porter-system/configmaps");
}

TEST(K8sRoundTrip, ServiceDecodeEncodeDecode) {
  expect_round_trip(decode_ok<service>(service_json));
  expect_round_trip(decode_ok<service>(emulator_service_json));
}

TEST(K8sRoundTrip, TargetPortTextStaysText) {
  // IntOrString kept as text: only a canonical int32 goes back as a
  // number, so "08" and "http" survive.
  service s;
  s.metadata.name = "t";
  s.spec.ports = {{"a", "8080", 1, 0, protocol::tcp},
                  {"b", "08", 2, 0, protocol::udp},
                  {"c", "-1", 3, 0, protocol::sctp},
                  {"d", "http", 4, 0, protocol::tcp},
                  {"e", "99999999999", 5, 0, protocol::tcp}};
  expect_round_trip(s);
  EXPECT_NE(encode(s).find(R"("targetPort":8080)"), std::string::npos);
  EXPECT_NE(encode(s).find(R"("targetPort":"08")"), std::string::npos);
}

TEST(K8sEncode, ServiceExactJson) {
  service s;
  s.metadata.name = "web";
  s.metadata.namespace_ = "default";
  s.metadata.annotations = {{"lb.kubesphere.io/v1alpha1", "openelb"}};
  s.spec.type = service_type::load_balancer;
  s.spec.selector = {{"app", "web"}};
  s.spec.ports = {{"http", "8080", 80, 0, protocol::tcp}};
  EXPECT_EQ(encode(s),
            R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web",)"
            R"("namespace":"default","annotations":{"lb.kubesphere.io/)"
            R"(v1alpha1":"openelb"}},"spec":{"type":"LoadBalancer","ports":[)"
            R"({"name":"http","protocol":"TCP","port":80,"targetPort":8080}],)"
            R"("selector":{"app":"web"}},"status":{"loadBalancer":{}}})");
}

TEST(K8sEncode, ServiceStatusPatchExactJson) {
  // k8s-api.md §2.4: merge-patch on /status; ingress is atomic, so the
  // whole list goes, and an empty list clears it.
  EXPECT_EQ(
    encode_service_status_patch({{"192.168.0.100", "", {}, ip_mode::vip}}),
    R"({"status":{"loadBalancer":{"ingress":[)"
    R"({"ip":"192.168.0.100","ipMode":"VIP"}]}}})");
  EXPECT_EQ(encode_service_status_patch({}),
            R"({"status":{"loadBalancer":{"ingress":[]}}})");
  EXPECT_EQ(encode_service_status_patch(
              {{"10.0.0.1",
                "",
                {{80, protocol::tcp, ""}, {53, protocol::udp, "Bad"}},
                ip_mode::unset},
               {"", "lb.example.com", {}, ip_mode::unset}}),
            R"({"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.1",)"
            R"("ports":[{"port":80,"protocol":"TCP"},{"port":53,)"
            R"("protocol":"UDP","error":"Bad"}]},{"hostname":)"
            R"("lb.example.com"}]}}})");
}

TEST(K8sEncode, StringsAreEscaped) {
  config_map c;
  c.metadata.name = "c";
  c.data = {{"k\"\n", std::string{"a\0b\x01", 4}}};
  const std::string json = encode(c);
  EXPECT_NE(json.find(R"("k\"\n":"a\u0000b\u0001")"), std::string::npos)
    << json;
  expect_round_trip(c);
}

} // namespace
} // namespace porter::k8s
