// POST (create), PUT (update, incl. /status) and PATCH (JSON patch, merge
// patch, strategic merge patch, apply) of one object: k8s-api.md §2.1-2.5.
#include "sim/apiserver/crd.hpp"
#include "sim/apiserver/json_patch.hpp"
#include "sim/apiserver/protobuf.hpp"
#include "sim/apiserver/strategic_merge.hpp"
#include "sim/apiserver/strategy.hpp"

namespace porter::sim {

namespace {

std::string meta_string(const json::value& obj, std::string_view key) {
  return std::string(json::string_at(obj, {"metadata", key}).value_or(""));
}

bool same_group(const resource_info& info, std::string_view api_version) {
  auto slash = api_version.find('/');
  auto group = slash == std::string_view::npos ? std::string_view{}
                                               : api_version.substr(0, slash);
  return group == info.group;
}

// `apply`: the body of an apply patch (JSON is valid YAML).
tl::expected<json::document, api_error> decode_body(op_context& c,
                                                    bool apply = false) {
  auto type = media_type(c.req.content_type);
  std::string converted;
  if (type == protobuf_media_type) {
    auto j = protobuf_to_json(c.req.body);
    if (!j)
      return tl::make_unexpected(unsupported_media_type(
        j.error() + "; accepted media types include: application/json"));
    converted = std::move(*j);
  } else if (!apply && !type.empty() && type != "application/json"
             && type != "*/*") {
    return tl::make_unexpected(unsupported_media_type(
      "the body of the request was in an unknown format - accepted media "
      "types include: application/json"));
  }
  auto doc = json::parse(converted.empty() ? c.req.body : converted);
  if (!doc)
    return tl::make_unexpected(bad_request(
      "couldn't get version/kind; json parse error: " + doc.error()));
  if (!doc->IsObject())
    return tl::make_unexpected(bad_request("the body must be a JSON object"));
  auto& a = doc->GetAllocator();
  auto kind = json::get_string(*doc, "kind");
  auto av = json::get_string(*doc, "apiVersion");
  if (kind && !kind->empty() && *kind != c.info->kind)
    return tl::make_unexpected(bad_request(
      "the kind of the object (" + std::string(*kind)
      + ") does not match the expected kind (" + c.info->kind + ")"));
  // Another served version of the same group converts (conversion: None).
  if (av && !av->empty() && *av != c.info->api_version()
      && !same_group(*c.info, *av))
    return tl::make_unexpected(
      bad_request("the API version in the data (" + std::string(*av)
                  + ") does not match the expected API version ("
                  + c.info->api_version() + ")"));
  json::set_string(*doc, "kind", c.info->kind, a);
  json::set_string(*doc, "apiVersion", c.info->api_version(), a);
  return std::move(*doc);
}

tl::expected<write_options, api_error> parse_write_options(op_context& c) {
  write_options o;
  auto v = c.param("fieldValidation").value_or("Warn");
  if (v == "Strict")
    o.validation = field_validation::strict;
  else if (v == "Ignore")
    o.validation = field_validation::ignore;
  else if (v != "Warn" && !v.empty())
    return tl::make_unexpected(
      bad_request("fieldValidation: Invalid value: \"" + v
                  + "\": must be one of: Ignore, Warn, Strict"));
  return o;
}

api_response with_warnings(api_response r, const std::vector<std::string>& w) {
  for (const auto& msg : w) {
    std::string escaped;
    for (char ch : msg)
      escaped += ch == '"' || ch == '\\' ? std::string("\\") + ch
                                         : std::string(1, ch);
    r.headers.emplace_back("Warning", "299 - \"" + escaped + "\"");
  }
  return r;
}

// Namespace scoping: the URL decides; a different one in the body is 400.
tl::expected<void, api_error> scope_namespace(op_context& c,
                                              json::document& doc) {
  auto& meta = json::ensure_object(doc, "metadata", doc.GetAllocator());
  auto ns = json::get_string(meta, "namespace").value_or("");
  if (!c.info->namespaced) {
    json::erase(meta, "namespace");
    return {};
  }
  if (!ns.empty() && ns != c.rt.ns)
    return tl::make_unexpected(
      bad_request("the namespace of the provided object does not match the "
                  "namespace sent on the request"));
  json::set_string(meta, "namespace", c.rt.ns, doc.GetAllocator());
  return {};
}

tl::expected<void, api_error> namespace_open(op_context& c) {
  if (!c.info->namespaced)
    return {};
  const auto* ns = c.st.store.get("", "namespaces", {"", c.rt.ns});
  if (ns == nullptr)
    return tl::make_unexpected(not_found({"", "namespaces", c.rt.ns}));
  if (ns->json->find("\"deletionTimestamp\"") != std::string::npos)
    return tl::make_unexpected(
      make_error(403, "Forbidden",
                 "unable to create new content in namespace " + c.rt.ns
                   + " because it is being terminated"));
  return {};
}

void on_written(core_state& st, const resource_info& info,
                const json::value& obj) {
  if (info.group != "apiextensions.k8s.io"
      || info.resource != "customresourcedefinitions")
    return;
  auto gr = crd_group_resource(obj);
  st.reg.remove(gr.group, gr.plural);
  for (auto& r : crd_resources(obj))
    st.reg.add(std::move(r));
}

tl::expected<std::string, api_error> pick_name(op_context& c,
                                               json::document& doc) {
  auto& meta = *json::find(doc, "metadata");
  auto name = meta_string(doc, "name");
  auto prefix = meta_string(doc, "generateName");
  if (name.empty() && prefix.empty())
    return tl::make_unexpected(invalid(
      c.info->qualified_kind(), "",
      {{"FieldValueRequired",
        "Required value: name or generateName is required", "metadata.name"}}));
  for (int i = 0; name.empty() && i < 8; ++i) {
    auto candidate = generate_name(prefix, c.st.rng);
    if (!c.st.store.get(c.info->group, c.info->resource, {c.rt.ns, candidate}))
      name = candidate;
  }
  json::set_string(meta, "name", name, doc.GetAllocator());
  if (auto bad = validate_name(*c.info, name))
    return tl::make_unexpected(invalid(c.info->qualified_kind(), name, {*bad}));
  return name;
}

api_response create_object(op_context& c, json::document& doc,
                           write_options& wo) {
  std::vector<std::string> warnings;
  wo.warnings = &warnings;
  if (auto r = scope_namespace(c, doc); !r)
    return error_response(r.error());
  if (!meta_string(doc, "resourceVersion").empty())
    return error_response(internal_error(
      "resourceVersion should not be set on objects to be created"));
  auto name = pick_name(c, doc);
  if (!name)
    return error_response(name.error());
  if (auto r = namespace_open(c); !r)
    return error_response(r.error());
  object_key key{c.info->namespaced ? c.rt.ns : "", *name};
  if (c.st.store.get(c.info->group, c.info->resource, key))
    return error_response(already_exists(c.subject(*name)));
  if (auto r = prepare_create(c.st, *c.info, doc, c.now, wo); !r)
    return error_response(r.error());
  if (c.dry_run()) {
    release_allocations(c.st, *c.info, &doc, nullptr);
    return with_warnings(json_response(201, json::to_string(doc)), warnings);
  }
  auto body = commit(c.st, *c.info, key, doc);
  on_written(c.st, *c.info, doc);
  return with_warnings(json_response(201, std::move(body)), warnings);
}

bool deleting(const json::value& obj) {
  return json::find_path(obj, {"metadata", "deletionTimestamp"}) != nullptr;
}

bool no_finalizers(const json::value& obj) {
  const json::value* f = json::find_path(obj, {"metadata", "finalizers"});
  return f == nullptr || !f->IsArray() || f->Empty();
}

api_response update_object(op_context& c, json::document& doc,
                           const stored_object& existing, write_options& wo) {
  std::vector<std::string> warnings;
  wo.warnings = &warnings;
  json::document old = parse_stored(*existing.json);
  bool status_only = c.rt.subresource == "status";
  if (auto r = prepare_update(c.st, *c.info, doc, old, status_only, c.now, wo);
      !r)
    return error_response(r.error());
  auto& a = doc.GetAllocator();
  json::set_string(json::ensure_object(doc, "metadata", a), "resourceVersion",
                   std::to_string(existing.rv), a);
  object_key key{c.rt.ns, c.rt.name};
  if (doc == old) // a no-op update writes nothing and emits no event
    return with_warnings(json_response(200, *served_json(existing, *c.info)),
                         warnings);
  if (c.dry_run()) {
    release_allocations(c.st, *c.info, &doc, &old);
    return with_warnings(json_response(200, json::to_string(doc)), warnings);
  }
  if (deleting(old) && no_finalizers(doc)) // §2.5: the last finalizer went
    return with_warnings(
      json_response(200, remove_object(c.st, *c.info, key, doc, c.now)),
      warnings);
  auto body = commit(c.st, *c.info, key, doc);
  release_allocations(c.st, *c.info, &old, &doc);
  on_written(c.st, *c.info, doc);
  return with_warnings(json_response(200, std::move(body)), warnings);
}

tl::expected<void, api_error> check_identity(op_context& c,
                                             json::document& doc) {
  auto name = meta_string(doc, "name");
  if (!name.empty() && name != c.rt.name)
    return tl::make_unexpected(bad_request(
      "the name of the object (" + name
      + ") does not match the name on the URL (" + c.rt.name + ")"));
  json::set_string(json::ensure_object(doc, "metadata", doc.GetAllocator()),
                   "name", c.rt.name, doc.GetAllocator());
  return scope_namespace(c, doc);
}

api_response apply_create(op_context& c, write_options& wo) {
  auto doc = decode_body(c, true);
  if (!doc)
    return error_response(doc.error());
  if (auto r = check_identity(c, *doc); !r)
    return error_response(r.error());
  return create_object(c, *doc, wo);
}

// Applies a PATCH body to the stored object by its media type (k8s-api.md
// §2.3: no strategic merge patch for custom resources).
tl::expected<void, api_error> apply_patch(op_context& c,
                                          const std::string& type,
                                          json::document& doc,
                                          const json::value& patch) {
  auto& a = doc.GetAllocator();
  tl::expected<void, std::string> r;
  if (type == "application/json-patch+json")
    r = apply_json_patch(doc, patch, a);
  else if (type == "application/merge-patch+json"
           || type == "application/apply-patch+yaml")
    apply_merge_patch(doc, patch, a);
  else if (type == "application/strategic-merge-patch+json" && !c.info->custom)
    r = apply_strategic_merge_patch(
      doc, patch, smp_schema_for(c.info->group, c.info->kind), a);
  else
    return tl::make_unexpected(unsupported_media_type(
      "the body of the request was in an unknown format - accepted media "
      "types include: application/json-patch+json, "
      "application/merge-patch+json, application/apply-patch+yaml"
      + std::string(
        c.info->custom ? "" : ", application/strategic-merge-patch+json")));
  if (!r)
    return tl::make_unexpected(make_error(422, "Invalid", r.error()));
  if (!doc.IsObject())
    return tl::make_unexpected(
      bad_request("the patched object is not a JSON object"));
  return {};
}

} // namespace

std::string commit(core_state& st, const resource_info& info,
                   const object_key& key, json::document& obj) {
  auto& a = obj.GetAllocator();
  // kind and apiVersion first, as Go's encoder writes TypeMeta.
  json::value ordered{rapidjson::kObjectType};
  ordered.AddMember("kind", json::make_string(info.kind, a), a);
  ordered.AddMember("apiVersion", json::make_string(info.api_version(), a), a);
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it)
    if (it->name != "kind" && it->name != "apiVersion")
      ordered.AddMember(std::move(it->name), std::move(it->value), a);
  static_cast<json::value&>(obj) = std::move(ordered);
  json::set_string(json::ensure_object(obj, "metadata", a), "resourceVersion",
                   std::to_string(st.store.next_resource_version()), a);
  stored_object o;
  auto text = json::to_string(obj);
  o.json = std::make_shared<const std::string>(text);
  o.labels = labels_of(obj);
  o.api_version = info.api_version();
  st.store.put(info.group, info.resource, key, std::move(o));
  ++st.writes;
  return text;
}

api_response handle_create(op_context& c) {
  if (c.info->namespaced && c.rt.ns.empty())
    return error_response(method_not_allowed(
      "the server does not allow this method on the requested resource"));
  auto wo = parse_write_options(c);
  if (!wo)
    return error_response(wo.error());
  auto doc = decode_body(c);
  if (!doc)
    return error_response(doc.error());
  return create_object(c, *doc, *wo);
}

api_response handle_update(op_context& c) {
  auto wo = parse_write_options(c);
  if (!wo)
    return error_response(wo.error());
  auto doc = decode_body(c);
  if (!doc)
    return error_response(doc.error());
  if (auto r = check_identity(c, *doc); !r)
    return error_response(r.error());
  const auto* existing
    = c.st.store.get(c.info->group, c.info->resource, {c.rt.ns, c.rt.name});
  if (existing == nullptr)
    return error_response(not_found(c.subject(c.rt.name)));
  auto rv = meta_string(*doc, "resourceVersion");
  // k8s-api.md §2.2: Leases and custom resources need the RV.
  if (rv.empty() && !c.info->allow_unconditional_update)
    return error_response(
      invalid(c.info->qualified_kind(), c.rt.name,
              {{"FieldValueInvalid",
                "Invalid value: 0x0: must be specified for an update",
                "metadata.resourceVersion"}}));
  if (!rv.empty() && rv != std::to_string(existing->rv))
    return error_response(conflict(c.subject(c.rt.name)));
  return update_object(c, *doc, *existing, *wo);
}

api_response handle_patch(op_context& c) {
  auto wo = parse_write_options(c);
  if (!wo)
    return error_response(wo.error());
  auto type = media_type(c.req.content_type);
  const auto* existing
    = c.st.store.get(c.info->group, c.info->resource, {c.rt.ns, c.rt.name});
  auto patch = json::parse(c.req.body);
  if (!patch)
    return error_response(
      bad_request("error decoding patch: " + patch.error()));
  if (type == "application/apply-patch+yaml") {
    if (c.param("fieldManager").value_or("").empty())
      return error_response(invalid(
        "PatchOptions.meta.k8s.io", "",
        {{"FieldValueRequired", "Required value: is required for apply patch",
          "fieldManager"}}));
    if (existing == nullptr) // server-side apply creates
      return apply_create(c, *wo);
  }
  if (existing == nullptr)
    return error_response(not_found(c.subject(c.rt.name)));
  json::document doc = parse_stored(*existing->json);
  if (auto r = apply_patch(c, type, doc, *patch); !r)
    return error_response(r.error());
  // A resourceVersion in the patch is a precondition (k8s-api.md §2.3).
  auto rv = meta_string(doc, "resourceVersion");
  if (!rv.empty() && rv != std::to_string(existing->rv))
    return error_response(conflict(c.subject(c.rt.name)));
  json::set_string(doc, "kind", c.info->kind, doc.GetAllocator());
  json::set_string(doc, "apiVersion", c.info->api_version(),
                   doc.GetAllocator());
  if (auto r = check_identity(c, doc); !r)
    return error_response(r.error());
  return update_object(c, doc, *existing, *wo);
}

} // namespace porter::sim
