#include "sim/scenario/manifest_path.hpp"

#include <rapidjson/document.h>

namespace porter::sim {

namespace {

struct kind_info {
  std::string_view kind, api_version, prefix, resource;
  bool namespaced;
};

constexpr kind_info kinds[] = {
  {"Namespace", "v1", "/api/v1", "namespaces", false},
  {"Node", "v1", "/api/v1", "nodes", false},
  {"Service", "v1", "/api/v1", "services", true},
  {"Secret", "v1", "/api/v1", "secrets", true},
  {"ConfigMap", "v1", "/api/v1", "configmaps", true},
  {"EndpointSlice", "discovery.k8s.io/v1", "/apis/discovery.k8s.io/v1",
   "endpointslices", true},
  {"Eip", "network.kubesphere.io/v1alpha2",
   "/apis/network.kubesphere.io/v1alpha2", "eips", false},
  {"BgpConf", "network.kubesphere.io/v1alpha2",
   "/apis/network.kubesphere.io/v1alpha2", "bgpconfs", false},
  {"BgpPeer", "network.kubesphere.io/v1alpha2",
   "/apis/network.kubesphere.io/v1alpha2", "bgppeers", false},
};

const kind_info* find(std::string_view kind) {
  for (const auto& k : kinds)
    if (k.kind == kind)
      return &k;
  return nullptr;
}

std::string collection(const kind_info& k, std::string_view ns) {
  std::string out{k.prefix};
  if (k.namespaced)
    out += "/namespaces/" + std::string{ns};
  return out + "/" + std::string{k.resource};
}

} // namespace

std::string collection_of_kind(std::string_view kind, std::string_view ns) {
  const auto* k = find(kind);
  return k == nullptr ? std::string{} : collection(*k, ns);
}

tl::expected<manifest_target, std::string>
manifest_target_of(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject())
    return tl::unexpected{std::string{"not a JSON object"}};
  auto str = [&](const rapidjson::Value& v, const char* key) -> std::string {
    return v.IsObject() && v.HasMember(key) && v[key].IsString()
             ? v[key].GetString()
             : "";
  };
  const auto kind = str(d, "kind");
  const auto api_version = str(d, "apiVersion");
  if (kind.empty() || api_version.empty())
    return tl::unexpected{std::string{"needs apiVersion and kind"}};
  const auto* k = find(kind);
  if (k == nullptr || k->api_version != api_version)
    return tl::unexpected{api_version + " " + kind
                          + ": not a kind porter sim creates (Namespace, "
                            "Node, Service, Secret, ConfigMap, "
                            "EndpointSlice, Eip, BgpConf, BgpPeer)"};
  if (!d.HasMember("metadata") || str(d["metadata"], "name").empty())
    return tl::unexpected{kind + ": needs metadata.name"};
  const auto& meta = d["metadata"];
  auto ns = str(meta, "namespace");
  if (ns.empty())
    ns = "default";
  return manifest_target{collection(*k, ns), str(meta, "name"), kind};
}

} // namespace porter::sim
