#include "sim/apiserver/crd.hpp"

#include <algorithm>
#include <cctype>

namespace porter::sim {

namespace {

std::string str(const json::value& v,
                std::initializer_list<std::string_view> p) {
  return std::string(json::string_at(v, p).value_or(""));
}

std::vector<std::string> strings(const json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->IsArray())
    return out;
  for (const auto& e : v->GetArray())
    if (auto s = json::as_string(e))
      out.emplace_back(*s);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

const json::value* versions_of(const json::value& crd) {
  const json::value* v = json::find_path(crd, {"spec", "versions"});
  return v != nullptr && v->IsArray() ? v : nullptr;
}

void validate_versions(const json::value& crd, std::vector<status_cause>& out) {
  const json::value* versions = versions_of(crd);
  if (versions == nullptr || versions->Empty()) {
    out.push_back({"FieldValueRequired", "Required value", "spec.versions"});
    return;
  }
  int storage = 0;
  rapidjson::SizeType i = 0;
  for (const auto& v : versions->GetArray()) {
    auto path = "spec.versions[" + std::to_string(i++) + "]";
    if (json::get_string(v, "name").value_or("").empty())
      out.push_back({"FieldValueRequired", "Required value", path + ".name"});
    storage += json::get_bool(v, "storage").value_or(false) ? 1 : 0;
    const json::value* schema
      = json::find_path(v, {"schema", "openAPIV3Schema"});
    if (schema == nullptr || !schema->IsObject())
      out.push_back({"FieldValueRequired",
                     "Required value: schemas are required",
                     path + ".schema.openAPIV3Schema"});
  }
  if (storage != 1)
    out.push_back({"FieldValueInvalid",
                   "Invalid value: " + std::to_string(storage)
                     + ": must have exactly one version marked as storage "
                       "version",
                   "spec.versions"});
}

printer_column make_column(const json::value& c) {
  printer_column col;
  col.name = str(c, {"name"});
  col.type = str(c, {"type"});
  col.format = str(c, {"format"});
  col.description = str(c, {"description"});
  col.json_path = str(c, {"jsonPath"});
  col.priority = static_cast<int>(json::get_int(c, "priority").value_or(0));
  return col;
}

resource_info version_resource(const json::value& crd, const json::value& v) {
  resource_info r;
  r.group = str(crd, {"spec", "group"});
  r.version = str(v, {"name"});
  r.resource = str(crd, {"spec", "names", "plural"});
  r.kind = str(crd, {"spec", "names", "kind"});
  r.singular = str(crd, {"spec", "names", "singular"});
  if (r.singular.empty())
    r.singular = lower(r.kind);
  r.namespaced = str(crd, {"spec", "scope"}) != "Cluster";
  r.short_names
    = strings(json::find_path(crd, {"spec", "names", "shortNames"}));
  r.categories = strings(json::find_path(crd, {"spec", "names", "categories"}));
  r.verbs = {"delete", "deletecollection", "get",    "list",
             "patch",  "create",           "update", "watch"};
  r.has_status = json::find_path(v, {"subresources", "status"}) != nullptr;
  r.tracks_generation = true;
  r.custom = true;
  r.allow_unconditional_update = false;
  r.printer = printer_kind::custom;
  if (const json::value* cols = json::find(v, "additionalPrinterColumns");
      cols != nullptr && cols->IsArray())
    for (const auto& c : cols->GetArray())
      r.columns.push_back(make_column(c));
  if (const json::value* s
      = json::find_path(v, {"schema", "openAPIV3Schema"})) {
    auto doc = std::make_shared<json::document>();
    doc->CopyFrom(*s, doc->GetAllocator());
    r.schema = std::move(doc);
  }
  return r;
}

json::value condition(std::string_view type, std::string_view reason,
                      std::string_view message, const std::string& time,
                      json::allocator& a) {
  json::value c{rapidjson::kObjectType};
  json::set_string(c, "type", type, a);
  json::set_string(c, "status", "True", a);
  json::set_string(c, "lastTransitionTime", time, a);
  json::set_string(c, "reason", reason, a);
  json::set_string(c, "message", message, a);
  return c;
}

std::string old_transition(const json::value* old, std::string_view type) {
  const json::value* conds = old != nullptr
                               ? json::find_path(*old, {"status", "conditions"})
                               : nullptr;
  if (conds == nullptr || !conds->IsArray())
    return {};
  for (const auto& c : conds->GetArray())
    if (json::get_string(c, "type") == type)
      return std::string(
        json::get_string(c, "lastTransitionTime").value_or(""));
  return {};
}

} // namespace

std::vector<status_cause> validate_crd(const json::value& crd) {
  std::vector<status_cause> out;
  auto group = str(crd, {"spec", "group"});
  auto plural = str(crd, {"spec", "names", "plural"});
  if (group.empty())
    out.push_back({"FieldValueRequired", "Required value", "spec.group"});
  if (plural.empty())
    out.push_back(
      {"FieldValueRequired", "Required value", "spec.names.plural"});
  if (str(crd, {"spec", "names", "kind"}).empty())
    out.push_back({"FieldValueRequired", "Required value", "spec.names.kind"});
  auto name = str(crd, {"metadata", "name"});
  if (!group.empty() && !plural.empty() && name != plural + "." + group)
    out.push_back({"FieldValueInvalid",
                   "Invalid value: \"" + name
                     + "\": must be spec.names.plural+\".\"+spec.group",
                   "metadata.name"});
  auto scope = str(crd, {"spec", "scope"});
  if (scope != "Namespaced" && scope != "Cluster")
    out.push_back({"FieldValueNotSupported",
                   "Unsupported value: \"" + scope
                     + "\": supported values: \"Cluster\", \"Namespaced\"",
                   "spec.scope"});
  validate_versions(crd, out);
  return out;
}

std::vector<resource_info> crd_resources(const json::value& crd) {
  std::vector<resource_info> out;
  const json::value* versions = versions_of(crd);
  if (versions == nullptr)
    return out;
  for (const auto& v : versions->GetArray())
    if (json::get_bool(v, "served").value_or(false))
      out.push_back(version_resource(crd, v));
  return out;
}

crd_names crd_group_resource(const json::value& crd) {
  return {str(crd, {"spec", "group"}), str(crd, {"spec", "names", "plural"})};
}

void set_crd_status(json::value& crd, const json::value* old,
                    const std::string& now, json::allocator& a) {
  json::value& status = json::ensure_object(crd, "status", a);
  json::value names{rapidjson::kObjectType};
  if (const json::value* n = json::find_path(crd, {"spec", "names"}))
    names.CopyFrom(*n, a);
  if (!json::find(names, "singular"))
    json::set_string(names, "singular",
                     lower(str(crd, {"spec", "names", "kind"})), a);
  if (!json::find(names, "listKind"))
    json::set_string(names, "listKind",
                     str(crd, {"spec", "names", "kind"}) + "List", a);
  json::set(status, "acceptedNames", std::move(names), a);
  json::value conds{rapidjson::kArrayType};
  auto t1 = old_transition(old, "NamesAccepted");
  auto t2 = old_transition(old, "Established");
  conds.PushBack(condition("NamesAccepted", "NoConflicts", "no conflicts found",
                           t1.empty() ? now : t1, a),
                 a);
  conds.PushBack(condition("Established", "InitialNamesAccepted",
                           "the initial names have been accepted",
                           t2.empty() ? now : t2, a),
                 a);
  json::set(status, "conditions", std::move(conds), a);
  std::vector<std::string> stored
    = old != nullptr
        ? strings(json::find_path(*old, {"status", "storedVersions"}))
        : std::vector<std::string>{};
  if (const json::value* versions = versions_of(crd))
    for (const auto& v : versions->GetArray())
      if (json::get_bool(v, "storage").value_or(false)) {
        auto name = str(v, {"name"});
        if (std::find(stored.begin(), stored.end(), name) == stored.end())
          stored.push_back(name);
      }
  json::value sv{rapidjson::kArrayType};
  for (const auto& s : stored)
    sv.PushBack(json::make_string(s, a), a);
  json::set(status, "storedVersions", std::move(sv), a);
}

} // namespace porter::sim
