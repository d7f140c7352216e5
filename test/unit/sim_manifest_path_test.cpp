// Where a scenario's manifests go in the API (sim/scenario/manifest_path.hpp).
#include <gtest/gtest.h>

#include "sim/scenario/manifest_path.hpp"

namespace porter::sim {
namespace {

TEST(ManifestPath, Table) {
  struct row {
    const char* json;
    const char* want; ///< "collection name" or "error: ..."
  };
  const row rows[] = {
    {R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web"}})",
     "/api/v1/namespaces/default/services web"},
    {R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"porter-system"}})",
     "/api/v1/namespaces/porter-system/secrets s"},
    {R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip","metadata":{"name":"pool"}})",
     "/apis/network.kubesphere.io/v1alpha2/eips pool"},
    {R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"e"}})",
     "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices e"},
    {R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}})",
     "/api/v1/nodes n"},
    {R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"}})",
     "error: apps/v1 Deployment: not a kind porter sim creates (Namespace, "
     "Node, Service, Secret, ConfigMap, EndpointSlice, Eip, BgpConf, "
     "BgpPeer)"},
    {R"({"apiVersion":"v1","kind":"Eip","metadata":{"name":"p"}})",
     "error: v1 Eip: not a kind porter sim creates (Namespace, Node, "
     "Service, Secret, ConfigMap, EndpointSlice, Eip, BgpConf, BgpPeer)"},
    {R"({"kind":"Service"})", "error: needs apiVersion and kind"},
    {R"({"apiVersion":"v1","kind":"Service","metadata":{}})",
     "error: Service: needs metadata.name"},
    {R"([1])", "error: not a JSON object"},
  };
  for (const auto& r : rows) {
    auto t = manifest_target_of(r.json);
    const std::string got
      = t ? t->collection + " " + t->name : "error: " + t.error();
    EXPECT_EQ(got, r.want) << r.json;
  }
  EXPECT_EQ(collection_of_kind("BgpPeer"),
            "/apis/network.kubesphere.io/v1alpha2/bgppeers");
  EXPECT_EQ(collection_of_kind("Pod"), "");
}

} // namespace
} // namespace porter::sim
