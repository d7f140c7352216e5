#include "sim/apiserver/api_core.hpp"

#include "sim/apiserver/core_state.hpp"
#include "sim/apiserver/discovery.hpp"
#include "sim/apiserver/strategy.hpp"
#include "sim/apiserver/watch.hpp"

namespace porter::sim {

namespace {

const char* default_namespaces[]
  = {"default", "kube-system", "kube-public", "kube-node-lease"};

void create_default_namespaces(core_state& st, sys_time now) {
  auto info = st.reg.find("", "v1", "namespaces");
  for (const char* name : default_namespaces) {
    if (st.store.get("", "namespaces", {"", name}) != nullptr)
      continue;
    json::document doc;
    doc.SetObject();
    auto& a = doc.GetAllocator();
    json::set_string(json::ensure_object(doc, "metadata", a), "name", name, a);
    (void) prepare_create(st, *info, doc, now, {});
    commit(st, *info, {"", name}, doc);
  }
}

api_response text_response(int code, std::string body) {
  api_response r;
  r.code = code;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

api_response optional_json(const std::optional<std::string>& body) {
  return body ? json_response(200, *body) : error_response(path_not_found());
}

api_response discovery(core_state& st, const route& rt) {
  switch (rt.kind) {
    case route_kind::version:
      return json_response(200, version_json());
    case route_kind::health:
      return text_response(200, "ok");
    case route_kind::core_versions:
      return json_response(200, api_versions_json(st.opts.server_address));
    case route_kind::group_list:
      return json_response(200, api_group_list_json(st.reg));
    case route_kind::group:
      return optional_json(api_group_json(st.reg, rt.group));
    case route_kind::resource_list:
      if (rt.group.empty() && rt.version != "v1")
        return error_response(path_not_found());
      return optional_json(
        api_resource_list_json(st.reg, rt.group, rt.version));
    case route_kind::openapi_v3_root:
      return json_response(200, openapi_v3_root(st.reg));
    case route_kind::openapi_v3_doc:
      return optional_json(openapi_v3_document(st.reg, rt.doc_path));
    default:
      return error_response(path_not_found());
  }
}

// Scope and subresource checks, then one verb handler.
handle_result resource_request(core_state& st, const api_request& req,
                               const route& rt, const query_map& q,
                               sys_time now) {
  auto info = st.reg.find(rt.group, rt.version, rt.resource);
  if (!info || (!info->namespaced && !rt.ns.empty())
      || (!rt.subresource.empty()
          && (rt.subresource != "status" || !info->has_status
              || rt.name.empty())))
    return {error_response(path_not_found()), nullptr};
  op_context c{st, req, rt, q, info, now};
  const auto& m = req.method;
  bool watch
    = rt.watch_prefix
      || parse_go_bool(c.param("watch").value_or("false")).value_or(false);
  if (rt.name.empty()) {
    if (m == "GET" && watch)
      return handle_watch(c);
    if (m == "GET")
      return {handle_list(c), nullptr};
    if (m == "POST")
      return {handle_create(c), nullptr};
    if (m == "DELETE")
      return {handle_delete_collection(c), nullptr};
  } else if (m == "GET" && watch) {
    // /watch/.../NAME: a watch of one object.
    return handle_watch(c);
  } else {
    if (m == "GET")
      return {handle_get(c), nullptr};
    if (m == "PUT")
      return {handle_update(c), nullptr};
    if (m == "PATCH")
      return {handle_patch(c), nullptr};
    if (m == "DELETE" && rt.subresource.empty())
      return {handle_delete(c), nullptr};
  }
  return {error_response(method_not_allowed(
            "the server does not allow this method on the requested resource")),
          nullptr};
}

} // namespace

api_response error_response(const api_error& e) {
  api_response r;
  r.code = e.code;
  r.body = status_json(e);
  if (e.retry_after_seconds > 0)
    r.headers.emplace_back("Retry-After",
                           std::to_string(e.retry_after_seconds));
  return r;
}

api_response json_response(int code, std::string body) {
  api_response r;
  r.code = code;
  r.body = std::move(body);
  return r;
}

json::document parse_stored(const std::string& text) {
  auto doc = json::parse(text);
  if (doc)
    return std::move(*doc);
  json::document empty;
  empty.SetObject();
  return empty;
}

std::shared_ptr<const std::string> served_json(const stored_object& o,
                                               const resource_info& info) {
  if (o.api_version == info.api_version())
    return o.json;
  json::document doc = parse_stored(*o.json);
  json::set_string(doc, "apiVersion", info.api_version(), doc.GetAllocator());
  return std::make_shared<const std::string>(json::to_string(doc));
}

api_core::api_core(core_options opts, sys_time now)
    : st_(std::make_unique<core_state>(opts)) {
  for (auto& r : builtin_resources())
    st_->reg.add(std::move(r));
  create_default_namespaces(*st_, now);
}

api_core::~api_core() = default;

handle_result api_core::handle(const api_request& req, sys_time now) {
  auto qpos = req.target.find('?');
  auto path = std::string_view(req.target).substr(0, qpos);
  auto q = parse_query(qpos == std::string::npos
                         ? std::string_view{}
                         : std::string_view(req.target).substr(qpos + 1));
  route rt = parse_route(path);
  if (rt.kind == route_kind::resource)
    return resource_request(*st_, req, rt, q, now);
  if (req.method != "GET")
    return {error_response(rt.kind == route_kind::not_found
                             ? path_not_found()
                             : method_not_allowed("the server does not allow "
                                                  "this method on the "
                                                  "requested resource")),
            nullptr};
  return {discovery(*st_, rt), nullptr};
}

std::uint64_t api_core::resource_version() const {
  return st_->store.resource_version();
}

std::uint64_t api_core::write_count() const {
  return st_->writes;
}

std::size_t api_core::object_count() const {
  return st_->store.size();
}

void api_core::expire_watch_cache() {
  st_->store.expire_history();
  st_->continue_floor = st_->store.resource_version() + 1;
}

void reset_contents(core_state& st) {
  st.store.clear();
  st.services.clear();
  st.reg = registry{};
  for (auto& r : builtin_resources())
    st.reg.add(std::move(r));
  st.continue_floor = st.store.resource_version() + 1;
  ++st.writes;
}

void ensure_default_namespaces(core_state& st, sys_time now) {
  create_default_namespaces(st, now);
}

void api_core::clear(sys_time now) {
  reset_contents(*st_);
  create_default_namespaces(*st_, now);
}

} // namespace porter::sim
