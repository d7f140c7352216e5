// DELETE of one object and of a collection (k8s-api.md §2.5): objects with
// finalizers get deletionTimestamp (MODIFIED) and stay; others are removed
// (DELETED). Cascades a real cluster's controllers would run: a CRD takes
// its custom resources with it, a namespace its content.
#include "sim/apiserver/crd.hpp"
#include "sim/apiserver/strategy.hpp"
#include "sim/apiserver/watch_spec.hpp"

namespace porter::sim {

namespace {

bool has_finalizers(const json::value& obj) {
  const json::value* f = json::find_path(obj, {"metadata", "finalizers"});
  return f != nullptr && f->IsArray() && !f->Empty();
}

struct delete_outcome {
  int code = 200;
  std::string body;
};

// Deletes (or marks) one object; the response body is the marked object or
// a Success Status.
delete_outcome delete_one(core_state& st, const resource_info& info,
                          const object_key& key, sys_time now, bool dry_run) {
  const auto* existing = st.store.get(info.group, info.resource, key);
  if (existing == nullptr)
    return {404, status_json(not_found({info.group, info.resource, key.name}))};
  json::document doc = parse_stored(*existing->json);
  auto& a = doc.GetAllocator();
  json::value& meta = json::ensure_object(doc, "metadata", a);
  if (has_finalizers(doc)) {
    if (json::find(meta, "deletionTimestamp") != nullptr || dry_run)
      return {200, json::to_string(doc)};
    json::set_string(meta, "deletionTimestamp", format_rfc3339(now), a);
    json::set(meta, "deletionGracePeriodSeconds", json::value{0}, a);
    if (info.tracks_generation)
      json::set(meta, "generation",
                json::value{static_cast<std::int64_t>(
                  json::get_int(meta, "generation").value_or(0) + 1)},
                a);
    return {200, commit(st, info, key, doc)};
  }
  auto uid = std::string(json::get_string(meta, "uid").value_or(""));
  if (!dry_run)
    remove_object(st, info, key, doc, now);
  return {200, success_status_json({info.group, info.resource, key.name}, uid)};
}

void delete_all(core_state& st, const resource_info& info,
                const std::string& ns, sys_time now) {
  const auto* objs = st.store.objects(info.group, info.resource);
  if (objs == nullptr)
    return;
  std::vector<object_key> keys;
  for (const auto& [k, o] : *objs)
    if (ns.empty() || k.ns == ns)
      keys.push_back(k);
  for (const auto& k : keys)
    delete_one(st, info, k, now, false);
}

void cascade(core_state& st, const resource_info& info, const json::value& obj,
             const object_key& key, sys_time now) {
  if (info.group == "apiextensions.k8s.io"
      && info.resource == "customresourcedefinitions") {
    auto gr = crd_group_resource(obj);
    if (auto served = st.reg.find_any(gr.group, gr.plural)) {
      const auto* objs = st.store.objects(gr.group, gr.plural);
      std::vector<object_key> keys;
      if (objs != nullptr)
        for (const auto& kv : *objs)
          keys.push_back(kv.first);
      for (const auto& k : keys) {
        json::document d
          = parse_stored(*st.store.get(gr.group, gr.plural, k)->json);
        remove_object(st, *served, k, d, now);
      }
      st.reg.remove(gr.group, gr.plural);
    }
  } else if (info.group.empty() && info.resource == "namespaces") {
    std::vector<resource_ptr> seen;
    for (const auto& r : st.reg.all()) {
      bool dup = false;
      for (const auto& s : seen)
        dup = dup || (s->group == r->group && s->resource == r->resource);
      if (r->namespaced && !dup) {
        seen.push_back(r);
        delete_all(st, *r, key.name, now);
      }
    }
  }
}

tl::expected<void, api_error> check_preconditions(const op_context& c,
                                                  const stored_object& o) {
  if (c.req.body.empty())
    return {};
  auto opts = json::parse(c.req.body);
  if (!opts || !opts->IsObject())
    return {}; // "null" or garbage: no preconditions, as Go decoding allows
  json::document cur = parse_stored(*o.json);
  auto have_uid = json::string_at(cur, {"metadata", "uid"}).value_or("");
  auto have_rv = std::to_string(o.rv);
  if (auto uid = json::string_at(*opts, {"preconditions", "uid"});
      uid && *uid != have_uid)
    return tl::make_unexpected(
      conflict(c.subject(c.rt.name),
               "Precondition failed: UID in precondition: " + std::string(*uid)
                 + ", UID in object meta: " + std::string(have_uid)));
  if (auto rv = json::string_at(*opts, {"preconditions", "resourceVersion"});
      rv && *rv != have_rv)
    return tl::make_unexpected(conflict(
      c.subject(c.rt.name),
      "Precondition failed: ResourceVersion in precondition: "
        + std::string(*rv) + ", ResourceVersion in object meta: " + have_rv));
  return {};
}

} // namespace

std::string remove_object(core_state& st, const resource_info& info,
                          const object_key& key, json::document& last,
                          sys_time now) {
  cascade(st, info, last, key, now);
  auto& a = last.GetAllocator();
  json::set_string(json::ensure_object(last, "metadata", a), "resourceVersion",
                   std::to_string(st.store.next_resource_version()), a);
  auto text = json::to_string(last);
  st.store.remove(info.group, info.resource, key, text);
  ++st.writes;
  release_allocations(st, info, &last, nullptr);
  return text;
}

api_response handle_delete(op_context& c) {
  object_key key{c.rt.ns, c.rt.name};
  const auto* o = c.st.store.get(c.info->group, c.info->resource, key);
  if (o == nullptr)
    return error_response(not_found(c.subject(c.rt.name)));
  if (auto r = check_preconditions(c, *o); !r)
    return error_response(r.error());
  auto out = delete_one(c.st, *c.info, key, c.now, c.dry_run());
  return json_response(out.code, std::move(out.body));
}

api_response handle_delete_collection(op_context& c) {
  selection sel;
  sel.ns = c.info->namespaced ? c.rt.ns : "";
  auto ls = label_selector::parse(c.param("labelSelector").value_or(""));
  auto fs = field_selector::parse(c.param("fieldSelector").value_or(""));
  if (!ls || !fs)
    return error_response(bad_request(!ls ? ls.error() : fs.error()));
  sel.labels = std::move(*ls);
  sel.fields = std::move(*fs);
  sel.object_fields = true;
  const auto* objs = c.st.store.objects(c.info->group, c.info->resource);
  std::vector<object_key> keys;
  if (objs != nullptr)
    for (const auto& [k, o] : *objs)
      if (sel.matches(k, o.labels, *o.json))
        keys.push_back(k);
  for (const auto& k : keys)
    delete_one(c.st, *c.info, k, c.now, c.dry_run());
  return json_response(
    200,
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"})");
}

} // namespace porter::sim
