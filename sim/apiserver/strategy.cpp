#include "sim/apiserver/strategy.hpp"

#include <algorithm>

#include "sim/apiserver/crd.hpp"
#include "sim/apiserver/schema_rules.hpp"

namespace porter::sim {

namespace {

bool is_core(const resource_info& info, std::string_view resource) {
  return info.group.empty() && info.resource == resource;
}

bool is_crd(const resource_info& info) {
  return info.group == "apiextensions.k8s.io"
         && info.resource == "customresourcedefinitions";
}

// The status a create starts with (each kind's PrepareForCreate).
void reset_status(const resource_info& info, json::value& obj,
                  json::allocator& a) {
  if (!info.has_status || is_core(info, "nodes") || is_crd(info))
    return;
  if (info.custom) {
    json::erase(obj, "status");
    return;
  }
  json::value status{rapidjson::kObjectType};
  if (is_core(info, "services"))
    json::set(status, "loadBalancer", json::value{rapidjson::kObjectType}, a);
  else if (is_core(info, "pods"))
    json::set_string(status, "phase", "Pending", a);
  else if (is_core(info, "namespaces"))
    json::set_string(status, "phase", "Active", a);
  json::set(obj, "status", std::move(status), a);
}

void prepare_namespace(json::value& ns, json::allocator& a) {
  json::value& meta = json::ensure_object(ns, "metadata", a);
  auto name = std::string(json::get_string(meta, "name").value_or(""));
  json::set_string(json::ensure_object(meta, "labels", a),
                   "kubernetes.io/metadata.name", name, a);
  json::value& spec = json::ensure_object(ns, "spec", a);
  if (json::find(spec, "finalizers") == nullptr) {
    json::value f{rapidjson::kArrayType};
    f.PushBack(json::make_string("kubernetes", a), a);
    json::set(spec, "finalizers", std::move(f), a);
  }
}

tl::expected<void, api_error>
validate_custom(core_state& st, const resource_info& info, json::document& obj,
                const json::value* old, const write_options& opts) {
  if (!info.schema)
    return {};
  auto r = st.validator.validate(obj, *info.schema, old);
  auto name
    = std::string(json::string_at(obj, {"metadata", "name"}).value_or(""));
  if (!r.unknown_fields.empty()
      && opts.validation == field_validation::strict) {
    std::string msg = info.kind + " in version \"" + info.version
                      + "\" cannot be handled as a " + info.kind
                      + ": strict decoding error: ";
    for (std::size_t i = 0; i < r.unknown_fields.size(); ++i)
      msg += (i ? ", " : "") + std::string("unknown field \"")
             + r.unknown_fields[i] + "\"";
    return tl::make_unexpected(bad_request(msg));
  }
  if (opts.validation == field_validation::warn && opts.warnings != nullptr)
    for (const auto& f : r.unknown_fields)
      opts.warnings->push_back("unknown field \"" + f + "\"");
  if (!r.errors.empty())
    return tl::make_unexpected(
      invalid(info.qualified_kind(), name, std::move(r.errors)));
  return {};
}

tl::expected<void, api_error>
kind_rules(core_state& st, const resource_info& info, json::document& obj,
           const json::value* old, sys_time now, const write_options& opts) {
  auto& a = obj.GetAllocator();
  auto name
    = std::string(json::string_at(obj, {"metadata", "name"}).value_or(""));
  if (is_core(info, "namespaces"))
    prepare_namespace(obj, a);
  // SetDefaults_Secret.
  if (is_core(info, "secrets")
      && json::get_string(obj, "type").value_or("").empty())
    json::set_string(obj, "type", "Opaque", a);
  if (is_crd(info)) {
    auto causes = validate_crd(obj);
    for (auto& c : validate_crd_rules(obj))
      causes.push_back(std::move(c));
    auto gr = crd_group_resource(obj);
    if (auto served = st.reg.find_any(gr.group, gr.plural);
        served && !served->custom)
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: \"" + gr.group
                          + "\": a built-in resource already serves "
                          + gr.plural + "." + gr.group,
                        "spec.group"});
    if (!causes.empty())
      return tl::make_unexpected(
        invalid(info.qualified_kind(), name, std::move(causes)));
    set_crd_status(obj, old, format_rfc3339(now), a);
  }
  if (info.custom)
    return validate_custom(st, info, obj, old, opts);
  if (is_core(info, "services")) {
    auto causes = prepare_service(st, obj, old, a);
    if (!causes.empty())
      return tl::make_unexpected(
        invalid(info.qualified_kind(), name, std::move(causes)));
  }
  return {};
}

// Everything but metadata (and status when it is a subresource): a change
// there bumps metadata.generation.
bool spec_changed(const resource_info& info, const json::value& a,
                  const json::value& b) {
  auto relevant = [&](std::string_view k) {
    return k != "metadata" && !(info.has_status && k == "status");
  };
  for (const auto* pair : {&a, &b}) {
    const json::value& x = *pair;
    const json::value& y = pair == &a ? b : a;
    for (auto it = x.MemberBegin(); it != x.MemberEnd(); ++it) {
      std::string_view k{it->name.GetString(), it->name.GetStringLength()};
      if (!relevant(k))
        continue;
      const json::value* other = json::find(y, k);
      if (other == nullptr || *other != it->value)
        return true;
    }
  }
  return false;
}

void copy_member(json::value& to, const json::value& from, std::string_view k,
                 json::allocator& a) {
  if (const json::value* v = json::find(from, k))
    json::set(to, k, json::copy(*v, a), a);
  else
    json::erase(to, k);
}

std::vector<std::string> finalizers(const json::value& obj) {
  std::vector<std::string> out;
  const json::value* f = json::find_path(obj, {"metadata", "finalizers"});
  if (f != nullptr && f->IsArray())
    for (const auto& v : f->GetArray())
      if (auto s = json::as_string(v))
        out.emplace_back(*s);
  return out;
}

std::optional<status_cause> new_finalizers_check(const json::value& obj,
                                                 const json::value& old) {
  if (json::find_path(old, {"metadata", "deletionTimestamp"}) == nullptr)
    return std::nullopt;
  auto before = finalizers(old);
  std::string added;
  for (const auto& f : finalizers(obj))
    if (std::find(before.begin(), before.end(), f) == before.end())
      added += (added.empty() ? "\"" : ", \"") + f + "\"";
  if (added.empty())
    return std::nullopt;
  return status_cause{"FieldValueForbidden",
                      "Forbidden: no new finalizers can be added if the "
                      "object is being deleted, found new finalizers "
                      "[]string{"
                        + added + "}",
                      "metadata.finalizers"};
}

} // namespace

tl::expected<void, api_error> prepare_create(core_state& st,
                                             const resource_info& info,
                                             json::document& obj, sys_time now,
                                             const write_options& opts) {
  auto& a = obj.GetAllocator();
  json::value& meta = json::ensure_object(obj, "metadata", a);
  json::set_string(meta, "uid", make_uuid(st.rng), a);
  json::set_string(meta, "creationTimestamp", format_rfc3339(now), a);
  for (auto k : {"deletionTimestamp", "deletionGracePeriodSeconds",
                 "resourceVersion", "selfLink", "generation"})
    json::erase(meta, k);
  if (info.tracks_generation)
    json::set(meta, "generation", json::value{1}, a);
  reset_status(info, obj, a);
  return kind_rules(st, info, obj, nullptr, now, opts);
}

tl::expected<void, api_error>
prepare_update(core_state& st, const resource_info& info, json::document& obj,
               const json::value& old, bool status_only, sys_time now,
               const write_options& opts) {
  auto& a = obj.GetAllocator();
  if (status_only) {
    // Status strategy: the old object with only the new .status.
    json::value status{rapidjson::kNullType};
    if (json::value* s = json::find(obj, "status"))
      status = std::move(*s);
    obj.CopyFrom(old, a);
    if (status.IsNull())
      json::erase(obj, "status");
    else
      json::set(obj, "status", std::move(status), a);
  } else if (info.has_status) {
    copy_member(obj, old, "status", a);
  }
  json::value& meta = json::ensure_object(obj, "metadata", a);
  const json::value* old_meta = json::find(old, "metadata");
  for (auto k : {"uid", "creationTimestamp", "deletionTimestamp",
                 "deletionGracePeriodSeconds", "generation"})
    copy_member(meta, old_meta != nullptr ? *old_meta : old, k, a);
  if (auto bad = new_finalizers_check(obj, old))
    return tl::make_unexpected(invalid(
      info.qualified_kind(),
      std::string(json::get_string(meta, "name").value_or("")), {*bad}));
  auto r = kind_rules(st, info, obj, &old, now, opts);
  if (!r)
    return r;
  if (info.tracks_generation && spec_changed(info, obj, old)) {
    auto gen = json::get_int(*json::find(obj, "metadata"), "generation");
    json::set(*json::find(obj, "metadata"), "generation",
              json::value{static_cast<std::int64_t>(gen.value_or(0) + 1)}, a);
  }
  return {};
}

void release_allocations(core_state& st, const resource_info& info,
                         const json::value* from, const json::value* to) {
  if (is_core(info, "services"))
    release_service(st, from, to);
}

label_map labels_of(const json::value& obj) {
  label_map out;
  const json::value* l = json::find_path(obj, {"metadata", "labels"});
  if (l == nullptr || !l->IsObject())
    return out;
  for (auto it = l->MemberBegin(); it != l->MemberEnd(); ++it)
    if (auto v = json::as_string(it->value))
      out.emplace(std::string(it->name.GetString(), it->name.GetStringLength()),
                  std::string(*v));
  return out;
}

} // namespace porter::sim
