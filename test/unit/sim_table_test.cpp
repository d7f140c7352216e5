// Server-side printing and discovery documents (k8s-api.md §5.2-5.3).
#include "sim_test_client.hpp"

#include "sim/apiserver/table.hpp"
#include "sim/apiserver/time_format.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

TEST(SimTable, ServiceColumnsAsKubectlPrintsThem) {
  test_client t;
  auto c = t.post(
    "/api/v1/namespaces/default/services",
    R"({"metadata":{"name":"web"},"spec":{"type":"LoadBalancer","selector":{"app":"web"},)"
    R"("clusterIP":"10.96.0.7","ports":[{"port":80,"nodePort":31234}]}})");
  ASSERT_EQ(c.code, 201) << c.body;
  t.now += std::chrono::seconds{300};
  auto table
    = t.get("/api/v1/namespaces/default/services", testing::table_accept);
  EXPECT_NE(
    table.body.find(
      R"("columnDefinitions":[{"name":"Name","type":"string","format":"name")"),
    std::string::npos);
  EXPECT_NE(
    table.body.find(
      R"("name":"Selector","type":"string","format":"","description":"","priority":1)"),
    std::string::npos);
  EXPECT_NE(
    table.body.find(
      R"("cells":["web","LoadBalancer","10.96.0.7","<pending>","80:31234/TCP","5m","app=web"])"),
    std::string::npos)
    << table.body;
  EXPECT_EQ(at(table.body, {"metadata", "resourceVersion"}),
            std::to_string(t.core.resource_version()));
  t.patch("/api/v1/namespaces/default/services/web/status",
          R"({"status":{"loadBalancer":{"ingress":[{"ip":"192.168.0.100"}]}}})",
          "application/merge-patch+json");
  auto one
    = t.get("/api/v1/namespaces/default/services/web", testing::table_accept);
  EXPECT_NE(one.body.find("\"192.168.0.100\""), std::string::npos);
  EXPECT_NE(one.body.find("PartialObjectMetadata"), std::string::npos);
}

TEST(SimTable, NamespaceAndNodeColumns) {
  test_client t;
  auto ns = t.get("/api/v1/namespaces", testing::table_accept);
  EXPECT_NE(ns.body.find(R"("cells":["default","Active","0s"])"),
            std::string::npos)
    << ns.body;
  t.post(
    "/api/v1/nodes",
    R"({"metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":""}},)"
    R"("status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.32.0"},)"
    R"("addresses":[{"type":"InternalIP","address":"192.168.0.11"}]}})");
  auto nodes = t.get("/api/v1/nodes", testing::table_accept);
  EXPECT_NE(
    nodes.body.find(
      R"("cells":["n1","Ready","control-plane","0s","v1.32.0","192.168.0.11")"),
    std::string::npos)
    << nodes.body;
}

TEST(SimTable, JsonPathForPrinterColumns) {
  auto d = testing::parse(
    R"({"status":{"conditions":[{"type":"A","status":"x"},{"type":"Ready","status":"True"}]},"a":[{"b":1},{"b":2}]})");
  auto r
    = eval_json_path(d, R"(.status.conditions[?(@.type=="Ready")].status)");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(json::as_string(*r[0]).value_or(""), "True");
  EXPECT_EQ(eval_json_path(d, ".a[*].b").size(), 2u);
  EXPECT_EQ(eval_json_path(d, ".a[1].b").size(), 1u);
  EXPECT_TRUE(eval_json_path(d, ".missing.x").empty());
}

TEST(SimTime, HumanDurationMatchesApimachinery) {
  using std::chrono::seconds;
  EXPECT_EQ(human_duration(seconds{-5}), "<invalid>");
  EXPECT_EQ(human_duration(seconds{0}), "0s");
  EXPECT_EQ(human_duration(seconds{119}), "119s");
  EXPECT_EQ(human_duration(seconds{150}), "2m30s");
  EXPECT_EQ(human_duration(seconds{600}), "10m");
  EXPECT_EQ(human_duration(seconds{3 * 3600 + 60}), "3h1m");
  EXPECT_EQ(human_duration(seconds{30 * 3600}), "30h");
  EXPECT_EQ(human_duration(seconds{3 * 86400 + 3600}), "3d1h");
  EXPECT_EQ(human_duration(seconds{400 * 86400}), "400d");
  auto t = parse_rfc3339("2026-11-26T22:22:20Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-26T22:22:20Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-11-26T23:22:20.5+01:00")),
            "2026-11-26T22:22:20Z");
  EXPECT_FALSE(parse_rfc3339("yesterday"));
}

TEST(SimDiscovery, CoreGroupsAndVersion) {
  test_client t;
  EXPECT_EQ(at(t.get("/version").body, {"minor"}), "32");
  EXPECT_EQ(at(t.get("/api").body, {"versions"}), R"(["v1"])");
  auto v1 = t.get("/api/v1");
  EXPECT_NE(
    v1.body.find(
      R"({"name":"services","singularName":"service","namespaced":true,"kind":"Service")"),
    std::string::npos);
  EXPECT_NE(v1.body.find(R"("name":"services/status")"), std::string::npos);
  auto apis = t.get("/apis");
  for (const char* g : {"apiextensions.k8s.io", "coordination.k8s.io",
                        "discovery.k8s.io", "events.k8s.io"})
    EXPECT_NE(apis.body.find(g), std::string::npos) << g;
  EXPECT_EQ(at(t.get("/apis/discovery.k8s.io").body, {"kind"}), "APIGroup");
  EXPECT_EQ(t.get("/apis/nope.io/v1").code, 404);
  EXPECT_EQ(t.get("/openapi/v2").code, 404);
  EXPECT_EQ(t.call("POST", "/api").code, 405);
}

} // namespace
} // namespace porter::sim
