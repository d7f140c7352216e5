// `--state FILE` persistence of the core: every object plus the RV counter
// in one JSON document. CRDs come first so loading registers their
// resources before their instances; the watch history is not kept, so a
// client resuming from an RV before the restart gets 410 (as after a real
// apiserver restart with a cold watch cache).
#include <charconv>

#include "sim/apiserver/core_state.hpp"
#include "sim/apiserver/crd.hpp"
#include "sim/apiserver/strategy.hpp"

namespace porter::sim {

namespace {

constexpr const char* crd_group = "apiextensions.k8s.io";

void append_entries(const object_store& store, bool crds, std::string& out,
                    bool& first) {
  for (const auto& [gr, table] : store.tables()) {
    if ((gr.first == crd_group) != crds)
      continue;
    for (const auto& [key, obj] : table) {
      out += first ? "" : ",\n";
      first = false;
      out += "{\"group\":\"" + gr.first + "\",\"resource\":\"" + gr.second
             + "\",\"object\":" + *obj.json + "}";
    }
  }
}

std::uint64_t object_rv(const json::value& obj) {
  auto text
    = json::string_at(obj, {"metadata", "resourceVersion"}).value_or("");
  std::uint64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

void reserve_service(core_state& st, const json::value& svc) {
  auto ip = json::string_at(svc, {"spec", "clusterIP"}).value_or("");
  if (!ip.empty() && ip != "None")
    st.services.reserve_ip(ip);
  const json::value* ports = json::find_path(svc, {"spec", "ports"});
  if (ports != nullptr && ports->IsArray())
    for (const auto& p : ports->GetArray())
      if (auto n = json::get_int(p, "nodePort"); n && *n > 0)
        st.services.reserve_port(static_cast<int>(*n));
  if (const json::value* spec = json::find(svc, "spec"))
    if (auto hc = json::get_int(*spec, "healthCheckNodePort"); hc && *hc > 0)
      st.services.reserve_port(static_cast<int>(*hc));
}

tl::expected<void, std::string> load_entry(core_state& st,
                                           const json::value& e) {
  auto group = json::get_string(e, "group");
  auto resource = json::get_string(e, "resource");
  const json::value* obj = json::find(e, "object");
  if (!group || !resource || obj == nullptr || !obj->IsObject())
    return tl::make_unexpected("state entry without group/resource/object");
  auto info = st.reg.find_any(*group, *resource);
  if (!info)
    return tl::make_unexpected("state holds " + std::string(*resource) + "."
                               + std::string(*group) + " but no CRD serves it");
  object_key key{
    std::string(json::string_at(*obj, {"metadata", "namespace"}).value_or("")),
    std::string(json::string_at(*obj, {"metadata", "name"}).value_or(""))};
  stored_object so;
  so.json = std::make_shared<const std::string>(json::to_string(*obj));
  so.rv = object_rv(*obj);
  so.labels = labels_of(*obj);
  so.api_version
    = std::string(json::get_string(*obj, "apiVersion").value_or(""));
  st.store.restore(info->group, info->resource, key, std::move(so));
  if (info->group == crd_group)
    for (auto& r : crd_resources(*obj))
      st.reg.add(std::move(r));
  if (info->group.empty() && info->resource == "services")
    reserve_service(st, *obj);
  return {};
}

} // namespace

std::string api_core::save_state() const {
  std::string out = "{\"kind\":\"PorterSimState\",\"resourceVersion\":\""
                    + std::to_string(st_->store.resource_version())
                    + "\",\"objects\":[\n";
  bool first = true;
  append_entries(st_->store, true, out, first);
  append_entries(st_->store, false, out, first);
  return out + "\n]}\n";
}

tl::expected<void, std::string> api_core::load_state(std::string_view text,
                                                     sys_time now) {
  auto doc = json::parse(text);
  if (!doc)
    return tl::make_unexpected("state file is not JSON: " + doc.error());
  const json::value* objects = json::find(*doc, "objects");
  if (json::get_string(*doc, "kind") != "PorterSimState" || objects == nullptr
      || !objects->IsArray())
    return tl::make_unexpected("state file is not a PorterSimState document");
  reset_contents(*st_);
  for (const auto& e : objects->GetArray())
    if (auto r = load_entry(*st_, e); !r)
      return r;
  auto rv = json::get_string(*doc, "resourceVersion").value_or("0");
  std::uint64_t v = 0;
  std::from_chars(rv.data(), rv.data() + rv.size(), v);
  st_->store.restore_resource_version(v);
  st_->continue_floor = st_->store.resource_version() + 1;
  ensure_default_namespaces(*st_, now);
  return {};
}

} // namespace porter::sim
