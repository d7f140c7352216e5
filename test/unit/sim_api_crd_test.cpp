// CRDs: serving, discovery, schema validation (422 with field paths),
// printer columns, status subresource and generation (k8s-api.md §2.4,
// §5.2-5.3; OpenELB Eip from openelb.md §2.2).
#include "sim_test_client.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

constexpr const char* eip_crd = R"({
 "apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
 "metadata":{"name":"eips.network.kubesphere.io"},
 "spec":{"group":"network.kubesphere.io","scope":"Cluster",
  "names":{"kind":"Eip","plural":"eips","singular":"eip","listKind":"EipList","categories":["networking"],"shortNames":["ei"]},
  "versions":[
   {"name":"v1alpha2","served":true,"storage":true,"subresources":{"status":{}},
    "additionalPrinterColumns":[
     {"name":"cidr","type":"string","jsonPath":".spec.address"},
     {"name":"usage","type":"integer","jsonPath":".status.usage"},
     {"name":"total","type":"integer","jsonPath":".status.poolSize"}],
    "schema":{"openAPIV3Schema":{"type":"object","properties":{
     "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
     "spec":{"type":"object","required":["address"],"properties":{
       "address":{"type":"string","pattern":"^[0-9./-]+$"},
       "protocol":{"type":"string","enum":["bgp","layer2","vip"]},
       "priority":{"type":"integer","minimum":0,"maximum":100},
       "disable":{"type":"boolean"},
       "namespaces":{"type":"array","items":{"type":"string"}}}},
     "status":{"type":"object","properties":{
       "usage":{"type":"integer"},"poolSize":{"type":"integer"},
       "used":{"type":"object","additionalProperties":{"type":"string"}}}}}}}},
   {"name":"v1alpha1","served":true,"storage":false,
    "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}})";

constexpr const char* eips = "/apis/network.kubesphere.io/v1alpha2/eips";

test_client& with_crd(test_client& t) {
  auto r = t.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                  eip_crd);
  EXPECT_EQ(r.code, 201) << r.body;
  return t;
}

TEST(SimCrd, CreatingACrdServesItsResourcesAndDiscovery) {
  test_client t;
  EXPECT_EQ(t.get(eips).code, 404);
  with_crd(t);
  auto crd = t.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                   "eips.network.kubesphere.io");
  EXPECT_NE(at(crd.body, {"status", "conditions"}).find("\"Established\""),
            std::string::npos);
  EXPECT_EQ(at(crd.body, {"status", "storedVersions"}), R"(["v1alpha2"])");
  auto groups = t.get("/apis");
  EXPECT_NE(
    groups.body.find(
      R"("name":"network.kubesphere.io","versions":[{"groupVersion":"network.kubesphere.io/v1alpha2","version":"v1alpha2"},{"groupVersion":"network.kubesphere.io/v1alpha1")"),
    std::string::npos)
    << groups.body;
  auto list = t.get("/apis/network.kubesphere.io/v1alpha2");
  EXPECT_NE(
    list.body.find(
      R"("name":"eips","singularName":"eip","namespaced":false,"kind":"Eip")"),
    std::string::npos);
  EXPECT_NE(list.body.find(R"("name":"eips/status")"), std::string::npos);
  EXPECT_NE(
    list.body.find(R"("shortNames":["ei"],"categories":["networking"])"),
    std::string::npos);
  EXPECT_EQ(t.get(eips).code, 200);
  EXPECT_NE(
    t.get("/openapi/v3").body.find("apis/network.kubesphere.io/v1alpha2"),
    std::string::npos);
  auto doc = t.get("/openapi/v3/apis/network.kubesphere.io/v1alpha2");
  EXPECT_NE(doc.body.find("fieldValidation"), std::string::npos);
  EXPECT_NE(doc.body.find("/apis/network.kubesphere.io/v1alpha2/eips/{name}"),
            std::string::npos);
}

TEST(SimCrd, SchemaViolationsAre422WithFieldPaths) {
  test_client t;
  with_crd(t);
  auto r = t.post(
    eips,
    R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",)"
    R"("metadata":{"name":"bad"},"spec":{"protocol":"ospf","priority":101,"disable":"yes"}})");
  ASSERT_EQ(r.code, 422) << r.body;
  EXPECT_EQ(at(r.body, {"reason"}), "Invalid");
  EXPECT_EQ(at(r.body, {"details", "group"}), "network.kubesphere.io");
  for (const char* field :
       {"spec.address", "spec.protocol", "spec.priority", "spec.disable"})
    EXPECT_NE(r.body.find(std::string("\"field\":\"") + field + "\""),
              std::string::npos)
      << field;
  EXPECT_NE(r.body.find("Unsupported value: \\\"ospf\\\""), std::string::npos)
    << r.body;
  auto pat
    = t.post(eips, R"({"metadata":{"name":"p"},"spec":{"address":"abc"}})");
  EXPECT_EQ(pat.code, 422);
  EXPECT_NE(pat.body.find("should match"), std::string::npos);
}

TEST(SimCrd, UnknownFieldsArePrunedOrRefusedWhenStrict) {
  test_client t;
  with_crd(t);
  const char* body
    = R"({"metadata":{"name":"u"},"spec":{"address":"10.0.0.0/24","extra":1}})";
  auto strict = t.post(std::string(eips) + "?fieldValidation=Strict", body);
  EXPECT_EQ(strict.code, 400);
  EXPECT_NE(strict.body.find("unknown field \\\"spec.extra\\\""),
            std::string::npos)
    << strict.body;
  auto warn = t.post(eips, body);
  ASSERT_EQ(warn.code, 201);
  EXPECT_EQ(at(warn.body, {"spec"}), R"({"address":"10.0.0.0/24"})");
  ASSERT_EQ(warn.headers.size(), 1u);
  EXPECT_EQ(warn.headers[0].first, "Warning");
}

TEST(SimCrd, GenerationStatusSubresourceAndConditionalUpdates) {
  test_client t;
  with_crd(t);
  auto c = t.post(
    eips,
    R"({"metadata":{"name":"e"},"spec":{"address":"10.0.0.0/24"},"status":{"usage":5}})");
  ASSERT_EQ(c.code, 201) << c.body;
  EXPECT_EQ(at(c.body, {"metadata", "generation"}), "1");
  EXPECT_EQ(at(c.body, {"status"}), "<missing>"); // create cannot set status
  std::string url = std::string(eips) + "/e";
  auto lbl = t.patch(url, R"({"metadata":{"labels":{"a":"b"}}})",
                     "application/merge-patch+json");
  EXPECT_EQ(at(lbl.body, {"metadata", "generation"}), "1");
  auto spec = t.patch(url, R"({"spec":{"disable":true}})",
                      "application/merge-patch+json");
  EXPECT_EQ(at(spec.body, {"metadata", "generation"}), "2");
  auto st = t.patch(url + "/status", R"({"status":{"usage":1,"poolSize":256}})",
                    "application/merge-patch+json");
  ASSERT_EQ(st.code, 200) << st.body;
  EXPECT_EQ(at(st.body, {"metadata", "generation"}), "2");
  EXPECT_EQ(t.patch(url, R"({"spec":{"a":1}})",
                    "application/strategic-merge-patch+json")
              .code,
            415);
  // Custom resources need the RV on PUT.
  EXPECT_EQ(
    t.call("PUT", url,
           R"({"metadata":{"name":"e"},"spec":{"address":"10.0.0.0/24"}})")
      .code,
    422);
  // Served in the other version too, with apiVersion rewritten.
  auto v1 = t.get("/apis/network.kubesphere.io/v1alpha1/eips/e");
  EXPECT_EQ(at(v1.body, {"apiVersion"}), "network.kubesphere.io/v1alpha1");
}

TEST(SimCrd, PrinterColumnsInTables) {
  test_client t;
  with_crd(t);
  t.post(eips, R"({"metadata":{"name":"e"},"spec":{"address":"10.0.0.0/24"}})");
  t.patch(std::string(eips) + "/e/status",
          R"({"status":{"usage":3,"poolSize":256}})",
          "application/merge-patch+json");
  auto table = t.get(eips, testing::table_accept);
  ASSERT_EQ(table.code, 200);
  EXPECT_EQ(at(table.body, {"kind"}), "Table");
  EXPECT_NE(table.body.find(R"("cells":["e","10.0.0.0/24",3,256])"),
            std::string::npos)
    << table.body;
  EXPECT_NE(table.body.find(R"("name":"cidr")"), std::string::npos);
}

TEST(SimCrd, DeletingTheCrdRemovesItsObjectsAndEndpoints) {
  test_client t;
  with_crd(t);
  t.post(eips, R"({"metadata":{"name":"e"},"spec":{"address":"10.0.0.0/24"}})");
  auto w = t.raw("GET", std::string(eips) + "?watch=true&resourceVersion="
                          + std::to_string(t.core.resource_version()));
  EXPECT_EQ(t.call("DELETE",
                   "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                   "eips.network.kubesphere.io")
              .code,
            200);
  EXPECT_NE(w.watch->poll(t.now).find("\"DELETED\""), std::string::npos);
  EXPECT_EQ(t.get(eips).code, 404);
  EXPECT_EQ(t.get("/apis").body.find("network.kubesphere.io"),
            std::string::npos);
}

TEST(SimCrd, InvalidCrdIsRefused) {
  test_client t;
  auto r = t.post(
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    R"({"metadata":{"name":"wrong"},"spec":{"group":"g.io","scope":"Cluster",)"
    R"("names":{"kind":"X","plural":"xs"},"versions":[]}})");
  EXPECT_EQ(r.code, 422);
  EXPECT_NE(r.body.find("metadata.name"), std::string::npos);
  EXPECT_NE(r.body.find("spec.versions"), std::string::npos);
  // A CRD may not take over a built-in resource.
  auto clash = t.post(
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    R"({"metadata":{"name":"leases.coordination.k8s.io"},"spec":{)"
    R"("group":"coordination.k8s.io","scope":"Namespaced","names":{"kind":"Lease","plural":"leases"},)"
    R"("versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}})");
  EXPECT_EQ(clash.code, 422);
  EXPECT_NE(clash.body.find("built-in"), std::string::npos);
}

} // namespace
} // namespace porter::sim
