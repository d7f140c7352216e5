// Bad requests get Status objects with a 4xx/5xx code, never a crash
// (issue #5 §3): malformed bodies, paths, parameters and patches thrown at
// every verb of a few resources, plus deep nesting and long values.
#include <random>

#include "sim_test_client.hpp"

namespace porter::sim {
namespace {

using testing::at;
using testing::test_client;

const char* bodies[] = {
  "",
  "null",
  "[]",
  "{",
  "\"text\"",
  "42",
  R"({"metadata":"x"})",
  R"({"metadata":{"name":7,"labels":{"a":1},"finalizers":"x"}})",
  R"({"kind":"Pod","metadata":{"name":"a"}})",
  R"({"apiVersion":"nope/v9","metadata":{"name":"a"}})",
  R"({"metadata":{"name":"a","namespace":"other"}})",
  R"({"metadata":{"name":"a","resourceVersion":"abc"},"spec":{"ports":"x"}})",
  R"({"metadata":{"name":"a"},"spec":{"ports":[{"port":"80"},{"port":0}],"type":7}})",
  R"([{"op":"add"}])",
  R"([{"op":"remove","path":"/metadata/name"}])",
  R"([{"op":"move","from":"/a","path":"/b"},{"op":"bogus","path":""}])",
  R"({"spec":{"ports":[{"$patch":"delete"}],"$setElementOrder/ports":7}})",
  R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"x"},"$retainKeys":1})",
};

const char* content_types[] = {"application/json",
                               "application/merge-patch+json",
                               "application/json-patch+json",
                               "application/strategic-merge-patch+json",
                               "application/apply-patch+yaml",
                               "application/vnd.kubernetes.protobuf",
                               "text/plain"};

TEST(SimRobustness, GarbageGetsStatusObjectsNotCrashes) {
  test_client t;
  t.post("/api/v1/namespaces/default/services",
         R"({"metadata":{"name":"a"},"spec":{"ports":[{"port":80}]}})");
  const char* urls[] = {
    "/api/v1/namespaces/default/services",
    "/api/v1/namespaces/default/services/a",
    "/api/v1/namespaces/default/services/a/status",
    "/api/v1/namespaces/default/services/a/bogus",
    "/apis/coordination.k8s.io/v1/namespaces/default/leases/a?fieldManager=x",
    "/api/v1/nodes/a?dryRun=All&fieldValidation=Nope",
    "/api/v1/namespaces/default/configmaps?watch=maybe&labelSelector=((",
    "/api/v1/namespaces/%zz/configmaps?limit=-1&continue=%%%",
    "/apis//v1/x/y/z/w",
  };
  int n = 0;
  for (const char* url : urls)
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"})
      for (const char* body : bodies)
        for (const char* type : content_types) {
          auto r = t.raw(m, url, body, type);
          if (r.watch)
            continue;
          ++n;
          if (r.response.code >= 400) {
            EXPECT_EQ(at(r.response.body, {"kind"}), "Status")
              << m << " " << url << " " << body << " " << type;
          }
        }
  EXPECT_GT(n, 1000);
}

TEST(SimRobustness, DeepNestingAndLongValuesAreBounded) {
  test_client t;
  std::string deep(100000, '[');
  auto r = t.post("/api/v1/namespaces/default/configmaps", deep);
  EXPECT_EQ(r.code, 400);
  std::string nested = "{\"metadata\":{\"name\":\"n\"},\"data\":";
  for (int i = 0; i < 150; ++i)
    nested += "{\"a\":";
  nested += "1" + std::string(150, '}') + "}";
  EXPECT_NE(t.post("/api/v1/namespaces/default/configmaps", nested).code, 0);
  std::string big(1 << 20, 'x');
  auto long_value
    = t.post("/api/v1/namespaces/default/configmaps",
             R"({"metadata":{"name":"big"},"data":{"k":")" + big + R"("}})");
  EXPECT_EQ(long_value.code, 201);
}

TEST(SimRobustness, RandomBytesEverywhere) {
  test_client t;
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk)
      c = static_cast<char>(rng() % 256);
    auto r = t.raw(i % 2 ? "PATCH" : "POST",
                   "/api/v1/namespaces/default/services/" + junk, junk,
                   content_types[i % 7]);
    if (!r.watch && r.response.code >= 400) {
      EXPECT_EQ(at(r.response.body, {"kind"}), "Status");
    }
  }
}

} // namespace
} // namespace porter::sim
