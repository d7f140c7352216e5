#include "sim/apiserver/discovery.hpp"

#include <cstdio>

namespace porter::sim {

namespace {

json::value strings(const std::vector<std::string>& v, json::allocator& a) {
  json::value out{rapidjson::kArrayType};
  for (const auto& s : v)
    out.PushBack(json::make_string(s, a), a);
  return out;
}

json::value group_version(const std::string& group, const std::string& version,
                          json::allocator& a) {
  json::value gv{rapidjson::kObjectType};
  json::set_string(gv, "groupVersion", group + "/" + version, a);
  json::set_string(gv, "version", version, a);
  return gv;
}

json::value api_group(const registry::group_versions& g, json::allocator& a) {
  json::value out{rapidjson::kObjectType};
  json::set_string(out, "name", g.group, a);
  json::value versions{rapidjson::kArrayType};
  for (const auto& v : g.versions)
    versions.PushBack(group_version(g.group, v, a), a);
  json::set(out, "versions", std::move(versions), a);
  json::set(out, "preferredVersion",
            group_version(g.group, g.versions.front(), a), a);
  return out;
}

json::value api_resource(const resource_info& r, bool status,
                         json::allocator& a) {
  json::value o{rapidjson::kObjectType};
  json::set_string(o, "name", status ? r.resource + "/status" : r.resource, a);
  json::set_string(o, "singularName", status ? "" : r.singular, a);
  json::set(o, "namespaced", json::value{r.namespaced}, a);
  json::set_string(o, "kind", r.kind, a);
  json::set(
    o, "verbs",
    status ? strings({"get", "patch", "update"}, a) : strings(r.verbs, a), a);
  if (!status && !r.short_names.empty())
    json::set(o, "shortNames", strings(r.short_names, a), a);
  if (!status && !r.categories.empty())
    json::set(o, "categories", strings(r.categories, a), a);
  return o;
}

std::string fnv_hex(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(h));
  return buf;
}

std::string gv_path(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

json::value patch_operation(const resource_info& r, json::allocator& a) {
  json::value op{rapidjson::kObjectType};
  json::value gvk{rapidjson::kObjectType};
  json::set_string(gvk, "group", r.group, a);
  json::set_string(gvk, "version", r.version, a);
  json::set_string(gvk, "kind", r.kind, a);
  json::set(op, "x-kubernetes-group-version-kind", std::move(gvk), a);
  json::set_string(op, "x-kubernetes-action", "patch", a);
  json::value param{rapidjson::kObjectType};
  json::set_string(param, "name", "fieldValidation", a);
  json::set_string(param, "in", "query", a);
  json::ensure_object(param, "schema", a);
  json::set_string(*json::find(param, "schema"), "type", "string", a);
  json::value params{rapidjson::kArrayType};
  params.PushBack(std::move(param), a);
  json::set(op, "parameters", std::move(params), a);
  // No strategic-merge-patch content type here: kubectl would then build
  // patches from these (schema-less) documents (k8s-api.md §5.3).
  json::value body{rapidjson::kObjectType};
  json::value& content = json::ensure_object(body, "content", a);
  json::value& merge
    = json::ensure_object(content, "application/merge-patch+json", a);
  json::value& schema = json::ensure_object(merge, "schema", a);
  json::set_string(schema, "type", "object", a);
  json::set(op, "requestBody", std::move(body), a);
  json::value responses{rapidjson::kObjectType};
  json::value& ok = json::ensure_object(responses, "200", a);
  json::set_string(ok, "description", "OK", a);
  json::set(op, "responses", std::move(responses), a);
  return op;
}

std::string item_path(const resource_info& r) {
  std::string base = "/" + gv_path(r.group, r.version);
  if (r.namespaced)
    base += "/namespaces/{namespace}";
  return base + "/" + r.resource + "/{name}";
}

} // namespace

std::string version_json() {
  return R"({"major":"1","minor":"32","gitVersion":"v1.32.0-porter-sim",)"
         R"("gitCommit":"0000000000000000000000000000000000000000",)"
         R"("gitTreeState":"clean","buildDate":"2025-01-01T00:00:00Z",)"
         R"("goVersion":"go1.23","compiler":"gc","platform":"linux/amd64"})";
}

std::string api_versions_json(const std::string& server_address) {
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::set_string(d, "kind", "APIVersions", a);
  json::set(d, "versions", strings({"v1"}, a), a);
  json::value cidr{rapidjson::kObjectType};
  json::set_string(cidr, "clientCIDR", "0.0.0.0/0", a);
  json::set_string(cidr, "serverAddress", server_address, a);
  json::value list{rapidjson::kArrayType};
  list.PushBack(std::move(cidr), a);
  json::set(d, "serverAddressByClientCIDRs", std::move(list), a);
  return json::to_string(d);
}

std::string api_group_list_json(const registry& reg) {
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::set_string(d, "kind", "APIGroupList", a);
  json::set_string(d, "apiVersion", "v1", a);
  json::value groups{rapidjson::kArrayType};
  for (const auto& g : reg.groups())
    groups.PushBack(api_group(g, a), a);
  json::set(d, "groups", std::move(groups), a);
  return json::to_string(d);
}

std::optional<std::string> api_group_json(const registry& reg,
                                          const std::string& group) {
  for (const auto& g : reg.groups()) {
    if (g.group != group)
      continue;
    json::document d;
    auto& a = d.GetAllocator();
    d.SetObject();
    json::set_string(d, "kind", "APIGroup", a);
    json::set_string(d, "apiVersion", "v1", a);
    json::value body = api_group(g, a);
    for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it)
      d.AddMember(json::value{it->name, a}, json::value{it->value, a}, a);
    return json::to_string(d);
  }
  return std::nullopt;
}

std::optional<std::string> api_resource_list_json(const registry& reg,
                                                  const std::string& group,
                                                  const std::string& version) {
  auto resources = reg.resources(group, version);
  if (resources.empty())
    return std::nullopt;
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::set_string(d, "kind", "APIResourceList", a);
  json::set_string(d, "apiVersion", "v1", a);
  json::set_string(d, "groupVersion",
                   group.empty() ? version : group + "/" + version, a);
  json::value list{rapidjson::kArrayType};
  for (const auto& r : resources) {
    list.PushBack(api_resource(*r, false, a), a);
    if (r->has_status)
      list.PushBack(api_resource(*r, true, a), a);
  }
  json::set(d, "resources", std::move(list), a);
  return json::to_string(d);
}

std::string openapi_v3_root(const registry& reg) {
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::value& paths = json::ensure_object(d, "paths", a);
  std::vector<std::string> seen;
  for (const auto& r : reg.all()) {
    auto p = gv_path(r->group, r->version);
    if (json::find(paths, p) != nullptr)
      continue;
    auto doc = openapi_v3_document(reg, p).value_or("");
    json::value entry{rapidjson::kObjectType};
    json::set_string(entry, "serverRelativeURL",
                     "/openapi/v3/" + p + "?hash=" + fnv_hex(doc), a);
    json::set(paths, p, std::move(entry), a);
  }
  return json::to_string(d);
}

std::optional<std::string> openapi_v3_document(const registry& reg,
                                               const std::string& path) {
  json::document d;
  auto& a = d.GetAllocator();
  d.SetObject();
  json::set_string(d, "openapi", "3.0.0", a);
  json::value& info = json::ensure_object(d, "info", a);
  json::set_string(info, "title", "Kubernetes", a);
  json::set_string(info, "version", "v1.32.0", a);
  json::value& comps = json::ensure_object(d, "components", a);
  json::ensure_object(comps, "schemas", a);
  json::value& paths = json::ensure_object(d, "paths", a);
  bool any = false;
  for (const auto& r : reg.all()) {
    if (gv_path(r->group, r->version) != path)
      continue;
    any = true;
    json::value item{rapidjson::kObjectType};
    json::set(item, "patch", patch_operation(*r, a), a);
    json::set(paths, item_path(*r), std::move(item), a);
  }
  if (!any)
    return std::nullopt;
  return json::to_string(d);
}

} // namespace porter::sim
