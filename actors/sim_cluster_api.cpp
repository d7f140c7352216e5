// sim_cluster's API calls: requests through porter's own client, the
// objects the model changes, manifests, faults.
#include <algorithm>
#include <future>

#include "porter_crds_yaml.hpp"
#include <rapidjson/document.h>

#include "actors/sim_cluster_parts.hpp"
#include "sim/scenario/cluster_model.hpp"
#include "sim/scenario/manifest_path.hpp"
#include "sim/scenario/yaml_json.hpp"

namespace porter {

namespace {

/// A string member at a path below `root`, "" when absent.
std::string string_at_value(const rapidjson::Value& root,
                            std::initializer_list<const char*> path) {
  const rapidjson::Value* v = &root;
  for (const char* key : path) {
    if (key[0] == '#') { // "#0": the first array element
      if (!v->IsArray() || v->Empty())
        return {};
      v = &(*v)[0];
      continue;
    }
    if (!v->IsObject() || !v->HasMember(key))
      return {};
    v = &(*v)[key];
  }
  return v->IsString() ? std::string{v->GetString()} : std::string{};
}

} // namespace

/// A string member at a JSON path, "" when absent.
std::string sim_string_at(const std::string& json,
                          std::initializer_list<const char*> path) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError())
    return {};
  return string_at_value(d, path);
}

api_answer sim_call(k8s::io::api_client& c, const std::string& method,
                    const std::string& path, const std::string& body,
                    const std::string& content_type) {
  auto done = std::make_shared<std::promise<k8s::io::response_result>>();
  auto f = done->get_future();
  c.request(
    method, path, body, body.empty() ? "" : content_type, {},
    [done](k8s::io::response_result r) { done->set_value(std::move(r)); });
  if (f.wait_for(std::chrono::seconds{20}) != std::future_status::ready)
    return {0, "no answer within 20 s"};
  auto r = f.get();
  if (!r)
    return {0, r.error().what};
  return {r->status, std::move(r->body)};
}

tl::expected<void, std::string> sim_create(k8s::io::api_client& c,
                                           const std::string& path,
                                           const std::string& json) {
  auto a = sim_call(c, "POST", path, json);
  if (a.status != 201 && a.status != 200)
    return tl::unexpected{"POST " + path + ": "
                          + (a.status == 0 ? a.body
                                           : std::to_string(a.status) + " "
                                               + a.body.substr(0, 300))};
  return {};
}

tl::expected<void, std::string> sim_install_crds(k8s::io::api_client& c) {
  for (auto yaml : porter_crds_yaml) {
    auto docs = sim::yaml_documents_to_json(yaml);
    if (!docs)
      return tl::unexpected{"embedded CRD: " + docs.error()};
    for (const auto& d : *docs)
      if (auto r = sim_create(
            c, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", d);
          !r)
        return r;
  }
  return sim_create(c, "/api/v1/namespaces",
                    R"({"apiVersion":"v1","kind":"Namespace",)"
                    R"("metadata":{"name":"porter-system"}})");
}

api_answer sim_cluster::call(const std::string& method, const std::string& path,
                             const std::string& body,
                             const std::string& content_type) {
  return sim_call(*p_->client, method, path, body, content_type);
}

tl::expected<void, std::string> sim_cluster::create(const std::string& path,
                                                    const std::string& json) {
  return sim_create(*p_->client, path, json);
}

std::optional<net::ip_address> sim_cluster::eip_of(const std::string& svc) {
  auto a = call("GET", "/api/v1/namespaces/default/services/" + svc);
  if (a.status != 200)
    return std::nullopt;
  auto text
    = sim_string_at(a.body, {"status", "loadBalancer", "ingress", "#0", "ip"});
  auto parsed = net::parse_ip(text);
  if (!parsed)
    return std::nullopt;
  return *parsed;
}

std::map<std::string, std::vector<net::ip_address>>
sim_cluster::service_eips() {
  std::map<std::string, std::vector<net::ip_address>> out;
  auto a = call("GET", "/api/v1/namespaces/default/services");
  if (a.status != 200)
    return out;
  rapidjson::Document d;
  d.Parse(a.body.c_str());
  if (d.HasParseError() || !d.HasMember("items") || !d["items"].IsArray())
    return out;
  for (const auto& item : d["items"].GetArray()) {
    const auto name = string_at_value(item, {"metadata", "name"});
    if (name.empty() || !item.HasMember("status"))
      continue;
    const auto& status = item["status"];
    if (!status.HasMember("loadBalancer")
        || !status["loadBalancer"].HasMember("ingress")
        || !status["loadBalancer"]["ingress"].IsArray())
      continue;
    std::vector<net::ip_address> ips;
    for (const auto& ingress : status["loadBalancer"]["ingress"].GetArray())
      if (auto ip = net::parse_ip(string_at_value(ingress, {"ip"})))
        ips.push_back(*ip);
    if (!ips.empty())
      out.emplace(name, std::move(ips));
  }
  return out;
}

tl::expected<void, std::string> sim_cluster::apply(const std::string& yaml) {
  auto docs = sim::yaml_documents_to_json(yaml);
  if (!docs)
    return tl::unexpected{"manifests: " + docs.error()};
  for (const auto& d : *docs) {
    auto target = sim::manifest_target_of(d);
    if (!target)
      return tl::unexpected{"manifests: " + target.error()};
    const auto path = target->collection + "/" + target->name
                      + "?fieldManager=porter-sim&force=true";
    auto a = call("PATCH", path, d, "application/apply-patch+yaml");
    if (a.status != 200 && a.status != 201)
      return tl::unexpected{"apply " + target->kind + " " + target->name + ": "
                            + (a.status == 0 ? a.body
                                             : std::to_string(a.status) + " "
                                                 + a.body.substr(0, 300))};
  }
  return {};
}

tl::expected<void, std::string> sim_cluster::remove(const std::string& kind,
                                                    const std::string& name) {
  const auto collection = sim::collection_of_kind(kind);
  if (collection.empty())
    return tl::unexpected{"cannot delete a " + kind};
  auto a = call("DELETE", collection + "/" + name);
  if (a.status != 200 && a.status != 202)
    return tl::unexpected{"delete " + kind + " " + name + ": "
                          + std::to_string(a.status)};
  return {};
}

tl::expected<void, std::string> sim_cluster::api_outage(bool on) {
  auto a = call("POST", "/_porter/faults",
                on ? R"({"fail":{"code":503},"dropWatches":true})"
                   : R"({"clear":true})");
  if (a.status != 200)
    return tl::unexpected{"faults: " + std::to_string(a.status) + " " + a.body};
  return {};
}

std::string sim_cluster::leader() {
  auto a = call("GET", "/apis/coordination.k8s.io/v1/namespaces/"
                       "porter-system/leases/porter-manager");
  return a.status == 200 ? sim_string_at(a.body, {"spec", "holderIdentity"})
                         : std::string{};
}

void sim_cluster::forget_service(const std::string& name) {
  auto& v = model_.services;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [&](const auto& s) { return s.name == name; }),
          v.end());
}

void sim_cluster::set_endpoints(const std::string& service,
                                std::vector<std::string> nodes) {
  for (auto& s : model_.services)
    if (s.name == service) {
      s.endpoint_nodes = std::move(nodes);
      // A merge patch of the whole object replaces the endpoint list.
      call("PATCH",
           "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/"
             + service + "-sim",
           sim::endpoint_slice_json(model_, s), "application/merge-patch+json");
    }
}

void sim_cluster::set_node_ready(const std::string& node, bool ready) {
  for (auto& n : model_.nodes)
    if (n.name == node) {
      n.ready = ready;
      call("PATCH", "/api/v1/nodes/" + node + "/status",
           R"({"status":{"conditions":[{"type":"Ready","status":")"
             + std::string{ready ? "True" : "False"} + R"("}]}})",
           "application/merge-patch+json");
    }
}

} // namespace porter
