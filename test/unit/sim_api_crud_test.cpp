// Create / get / update / patch / delete through the emulator core, one
// test per rule of k8s-api.md §2.
#include "sim_test_client.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

constexpr const char* svc_url = "/api/v1/namespaces/default/services";
constexpr const char* web_svc
  = R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},)"
    R"("spec":{"type":"LoadBalancer","selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080}]},)"
    R"("status":{"loadBalancer":{"ingress":[{"ip":"9.9.9.9"}]}}})";

TEST(SimCrud, CreateFillsSystemMetadataAndServiceDefaults) {
  test_client t;
  auto r = t.post(svc_url, web_svc);
  ASSERT_EQ(r.code, 201) << r.body;
  EXPECT_EQ(at(r.body, {"metadata", "uid"}).size(), 36u);
  EXPECT_EQ(at(r.body, {"metadata", "creationTimestamp"}),
            "2027-01-15T08:00:00Z");
  EXPECT_EQ(at(r.body, {"metadata", "namespace"}), "default");
  EXPECT_NE(at(r.body, {"metadata", "resourceVersion"}), "<missing>");
  EXPECT_EQ(at(r.body, {"metadata", "generation"}),
            "<missing>"); // Services: none
  EXPECT_EQ(at(r.body, {"spec", "clusterIP"}).rfind("10.", 0), 0u);
  EXPECT_EQ(at(r.body, {"spec", "ipFamilyPolicy"}), "SingleStack");
  EXPECT_EQ(at(r.body, {"spec", "externalTrafficPolicy"}), "Cluster");
  EXPECT_EQ(at(r.body, {"spec", "allocateLoadBalancerNodePorts"}), "true");
  // PrepareForCreate clears status.
  EXPECT_EQ(at(r.body, {"status"}), R"({"loadBalancer":{}})");
  auto got = t.get(std::string(svc_url) + "/web");
  ASSERT_EQ(got.code, 200);
  EXPECT_EQ(got.body, r.body);
}

TEST(SimCrud, AlreadyExistsAndNotFoundAreStatusObjects) {
  test_client t;
  ASSERT_EQ(t.post(svc_url, web_svc).code, 201);
  auto dup = t.post(svc_url, web_svc);
  EXPECT_EQ(dup.code, 409);
  EXPECT_EQ(at(dup.body, {"reason"}), "AlreadyExists");
  EXPECT_EQ(at(dup.body, {"message"}), "services \"web\" already exists");
  EXPECT_EQ(at(dup.body, {"details", "kind"}), "services");
  auto missing = t.get(std::string(svc_url) + "/nope");
  EXPECT_EQ(missing.code, 404);
  EXPECT_EQ(at(missing.body, {"message"}), "services \"nope\" not found");
  EXPECT_EQ(t.get("/api/v1/namespaces/default/nothings").code, 404);
  EXPECT_EQ(t.post("/api/v1/namespaces/nope/services", web_svc).code, 404);
}

TEST(SimCrud, GenerateNameAndNameValidation) {
  test_client t;
  auto r = t.post("/api/v1/namespaces/default/configmaps",
                  R"({"metadata":{"generateName":"cfg-"},"data":{"a":"b"}})");
  ASSERT_EQ(r.code, 201) << r.body;
  auto name = at(r.body, {"metadata", "name"});
  EXPECT_EQ(name.size(), 9u);
  EXPECT_EQ(name.rfind("cfg-", 0), 0u);
  auto bad = t.post("/api/v1/namespaces/default/configmaps",
                    R"({"metadata":{"name":"Bad_Name"}})");
  EXPECT_EQ(bad.code, 422);
  EXPECT_EQ(at(bad.body, {"details", "causes"}).find("metadata.name")
              != std::string::npos,
            true);
  EXPECT_EQ(
    t.post("/api/v1/namespaces/default/configmaps", R"({"metadata":{}})").code,
    422);
  EXPECT_EQ(t.post("/api/v1/namespaces/default/configmaps", "{not json").code,
            400);
}

TEST(SimCrud, PutWithStaleResourceVersionIsConflict) {
  test_client t;
  auto created
    = t.post("/apis/coordination.k8s.io/v1/namespaces/default/leases",
             R"({"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}})");
  ASSERT_EQ(created.code, 201) << created.body;
  auto rv = at(created.body, {"metadata", "resourceVersion"});
  std::string url = "/apis/coordination.k8s.io/v1/namespaces/default/leases/l";
  auto ok = t.call("PUT", url,
                   R"({"metadata":{"name":"l","resourceVersion":")" + rv
                     + R"("},"spec":{"holderIdentity":"b"}})");
  ASSERT_EQ(ok.code, 200) << ok.body;
  auto stale = t.call("PUT", url,
                      R"({"metadata":{"name":"l","resourceVersion":")" + rv
                        + R"("},"spec":{"holderIdentity":"c"}})");
  EXPECT_EQ(stale.code, 409);
  EXPECT_EQ(at(stale.body, {"reason"}), "Conflict");
  EXPECT_EQ(
    at(stale.body, {"message"}),
    "Operation cannot be fulfilled on leases.coordination.k8s.io \"l\": "
    "the object has been modified; please apply your changes to the "
    "latest version and try again");
  // Leases disallow unconditional updates (k8s-api.md §2.2).
  auto norv = t.call("PUT", url, R"({"metadata":{"name":"l"},"spec":{}})");
  EXPECT_EQ(norv.code, 422);
  EXPECT_EQ(
    at(norv.body, {"details", "causes"}).find("metadata.resourceVersion")
      != std::string::npos,
    true);
}

TEST(SimCrud, NoOpUpdateKeepsResourceVersion) {
  test_client t;
  auto created = t.post("/api/v1/namespaces/default/configmaps",
                        R"({"metadata":{"name":"c"},"data":{"a":"b"}})");
  auto rv = at(created.body, {"metadata", "resourceVersion"});
  auto same = t.patch("/api/v1/namespaces/default/configmaps/c",
                      R"({"data":{"a":"b"}})", "application/merge-patch+json");
  ASSERT_EQ(same.code, 200);
  EXPECT_EQ(at(same.body, {"metadata", "resourceVersion"}), rv);
  EXPECT_EQ(t.core.resource_version(), std::stoull(rv));
}

TEST(SimCrud, MainEndpointIgnoresStatusAndStatusEndpointOnlyStatus) {
  test_client t;
  ASSERT_EQ(t.post(svc_url, web_svc).code, 201);
  std::string url = std::string(svc_url) + "/web";
  auto main = t.patch(
    url, R"({"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}})",
    "application/merge-patch+json");
  EXPECT_EQ(at(main.body, {"status", "loadBalancer"}), "{}");
  auto st = t.patch(
    url + "/status",
    R"({"metadata":{"labels":{"x":"y"}},"spec":{"type":"ClusterIP"},)"
    R"("status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4","ipMode":"VIP"}]}}})",
    "application/merge-patch+json");
  ASSERT_EQ(st.code, 200) << st.body;
  EXPECT_EQ(at(st.body, {"status", "loadBalancer", "ingress"}),
            R"([{"ip":"1.2.3.4","ipMode":"VIP"}])");
  EXPECT_EQ(at(st.body, {"spec", "type"}), "LoadBalancer");
  EXPECT_EQ(at(st.body, {"metadata", "labels"}), R"({"app":"web"})");
}

TEST(SimCrud, StrategicMergePatchOnServicesIsRefusedOnCustomResources) {
  test_client t;
  ASSERT_EQ(t.post(svc_url, web_svc).code, 201);
  auto r = t.patch(
    std::string(svc_url) + "/web",
    R"({"spec":{"$setElementOrder/ports":[{"port":81}],"ports":[{"name":"http","port":81},{"$patch":"delete","port":80}]}})",
    "application/strategic-merge-patch+json");
  ASSERT_EQ(r.code, 200) << r.body;
  auto ports = at(r.body, {"spec", "ports"});
  EXPECT_NE(ports.find("\"port\":81"), std::string::npos);
  EXPECT_EQ(ports.find("\"port\":80"), std::string::npos);
  EXPECT_EQ(ports.find("$patch"), std::string::npos);
  EXPECT_EQ(t.patch(std::string(svc_url) + "/web", "{}", "text/plain").code,
            415);
}

TEST(SimCrud, PatchPreconditionAndJsonPatchTest) {
  test_client t;
  ASSERT_EQ(t.post(svc_url, web_svc).code, 201);
  std::string url = std::string(svc_url) + "/web";
  EXPECT_EQ(t.patch(url, R"({"metadata":{"resourceVersion":"1"}})",
                    "application/merge-patch+json")
              .code,
            409);
  EXPECT_EQ(t.patch(url,
                    R"([{"op":"test","path":"/spec/type","value":"NodePort"}])",
                    "application/json-patch+json")
              .code,
            422);
  auto ok
    = t.patch(url,
              R"([{"op":"test","path":"/metadata/finalizers","value":null},)"
              R"({"op":"add","path":"/metadata/finalizers","value":["f"]}])",
              "application/json-patch+json");
  ASSERT_EQ(ok.code, 200) << ok.body;
  EXPECT_EQ(at(ok.body, {"metadata", "finalizers"}), R"(["f"])");
}

TEST(SimCrud, FinalizersDeferDeletionUntilTheLastIsRemoved) {
  test_client t;
  auto created = t.post("/api/v1/namespaces/default/configmaps",
                        R"({"metadata":{"name":"c","finalizers":["a","b"]}})");
  ASSERT_EQ(created.code, 201);
  std::string url = "/api/v1/namespaces/default/configmaps/c";
  auto del = t.call("DELETE", url, R"({"propagationPolicy":"Background"})");
  ASSERT_EQ(del.code, 200);
  EXPECT_EQ(at(del.body, {"metadata", "deletionTimestamp"}),
            "2027-01-15T08:00:00Z");
  EXPECT_EQ(t.get(url).code, 200);
  // No new finalizers once deleting.
  EXPECT_EQ(t.patch(url, R"({"metadata":{"finalizers":["a","b","c"]}})",
                    "application/merge-patch+json")
              .code,
            422);
  EXPECT_EQ(t.patch(url, R"({"metadata":{"finalizers":["b"]}})",
                    "application/merge-patch+json")
              .code,
            200);
  EXPECT_EQ(t.get(url).code, 200);
  auto last = t.patch(url, R"([{"op":"remove","path":"/metadata/finalizers"}])",
                      "application/json-patch+json");
  EXPECT_EQ(last.code, 200);
  EXPECT_EQ(t.get(url).code, 404);
}

TEST(SimCrud, DeletePreconditionsAndNamespaceCascade) {
  test_client t;
  ASSERT_EQ(
    t.post("/api/v1/namespaces", R"({"metadata":{"name":"team"}})").code, 201);
  ASSERT_EQ(
    t.post("/api/v1/namespaces/team/configmaps", R"({"metadata":{"name":"c"}})")
      .code,
    201);
  EXPECT_EQ(t.call("DELETE", "/api/v1/namespaces/team/configmaps/c",
                   R"({"preconditions":{"uid":"nope"}})")
              .code,
            409);
  auto del = t.call("DELETE", "/api/v1/namespaces/team");
  EXPECT_EQ(del.code, 200);
  EXPECT_EQ(at(del.body, {"status"}), "Success");
  EXPECT_EQ(t.get("/api/v1/namespaces/team/configmaps/c").code, 404);
}

TEST(SimCrud, ServiceClusterIpsAreUniqueAndReleased) {
  test_client t;
  auto a = t.post(
    svc_url,
    R"({"metadata":{"name":"a"},"spec":{"clusterIP":"10.96.0.50","ports":[{"port":80}]}})");
  ASSERT_EQ(a.code, 201) << a.body;
  auto b = t.post(
    svc_url,
    R"({"metadata":{"name":"b"},"spec":{"clusterIP":"10.96.0.50","ports":[{"port":80}]}})");
  EXPECT_EQ(b.code, 422);
  EXPECT_NE(b.body.find("provided IP is already allocated"), std::string::npos);
  EXPECT_EQ(
    t.post(svc_url, R"({"metadata":{"name":"c"},"spec":{"ports":[]}})").code,
    422);
  EXPECT_EQ(t.call("DELETE", std::string(svc_url) + "/a").code, 200);
  EXPECT_EQ(
    t.post(
       svc_url,
       R"({"metadata":{"name":"b"},"spec":{"clusterIP":"10.96.0.50","ports":[{"port":80}]}})")
      .code,
    201);
  auto upd = t.patch(std::string(svc_url) + "/b",
                     R"({"spec":{"clusterIP":"10.96.0.51"}})",
                     "application/merge-patch+json");
  EXPECT_EQ(upd.code, 422);
}

TEST(SimCrud, ServerSideApplyCreatesAndNeedsFieldManager) {
  test_client t;
  std::string url = "/api/v1/namespaces/default/configmaps/ssa";
  const char* body
    = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"k":"v"}})";
  EXPECT_EQ(t.patch(url, body, "application/apply-patch+yaml").code, 422);
  EXPECT_EQ(
    t.patch(url + "?fieldManager=me", body, "application/apply-patch+yaml")
      .code,
    201);
  auto again = t.patch(
    url + "?fieldManager=me",
    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"k":"w"}})",
    "application/apply-patch+yaml");
  EXPECT_EQ(at(again.body, {"data", "k"}), "w");
}

} // namespace
} // namespace porter::sim
