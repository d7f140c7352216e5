#include "sim/apiserver/strategic_merge.hpp"

#include <algorithm>

namespace porter::sim {

namespace {

using expected_void = tl::expected<void, std::string>;
using ls = list_strategy;

constexpr std::string_view patch_key = "$patch";
constexpr std::string_view retain_keys = "$retainKeys";
constexpr std::string_view order_prefix = "$setElementOrder/";
constexpr std::string_view delete_prefix = "$deleteFromPrimitiveList/";

// k8s.io/api types.go `patchStrategy`/`patchMergeKey` tags of the kinds
// served here.
const std::vector<smp_field> common_fields = {
  {"metadata.finalizers", ls::merge_set, ""},
  {"metadata.ownerReferences", ls::merge_by_key, "uid"},
};

const std::vector<smp_field>& pod_fields() {
  static const std::vector<smp_field> f = {
    {"spec.containers", ls::merge_by_key, "name"},
    {"spec.initContainers", ls::merge_by_key, "name"},
    {"spec.ephemeralContainers", ls::merge_by_key, "name"},
    {"spec.containers.ports", ls::merge_by_key, "containerPort"},
    {"spec.containers.env", ls::merge_by_key, "name"},
    {"spec.containers.volumeMounts", ls::merge_by_key, "mountPath"},
    {"spec.containers.volumeDevices", ls::merge_by_key, "devicePath"},
    {"spec.initContainers.ports", ls::merge_by_key, "containerPort"},
    {"spec.initContainers.env", ls::merge_by_key, "name"},
    {"spec.initContainers.volumeMounts", ls::merge_by_key, "mountPath"},
    {"spec.volumes", ls::merge_by_key, "name"},
    {"spec.imagePullSecrets", ls::merge_by_key, "name"},
    {"spec.hostAliases", ls::merge_by_key, "ip"},
    {"spec.topologySpreadConstraints", ls::merge_by_key, "topologyKey"},
    {"status.conditions", ls::merge_by_key, "type"},
  };
  return f;
}

// A workload's pod template carries the Pod's list strategies under
// spec.template (apps/v1 DeploymentSpec, DaemonSetSpec).
const std::vector<smp_field>& template_fields() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> out;
    for (const auto& f : pod_fields())
      if (f.path.substr(0, 5) == "spec.")
        out.push_back("spec.template." + std::string(f.path));
    return out;
  }();
  static const std::vector<smp_field> f = [] {
    std::vector<smp_field> out;
    std::size_t i = 0;
    for (const auto& p : pod_fields())
      if (p.path.substr(0, 5) == "spec.")
        out.push_back({paths[i++], p.strategy, p.merge_key});
    out.push_back({"status.conditions", ls::merge_by_key, "type"});
    return out;
  }();
  return f;
}

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string_view name_of(const json::value& v) {
  return {v.GetString(), v.GetStringLength()};
}

bool is_directive(std::string_view key) {
  return !key.empty() && key.front() == '$';
}

class smp {
public:
  smp(const std::vector<smp_field>& schema, json::allocator& a)
      : schema_(schema), a_(a) {}

  expected_void merge_map(json::value& target, const json::value& patch,
                          const std::string& path);

private:
  const smp_field* lookup(const std::string& path) const {
    for (const auto& f : schema_)
      if (f.path == path)
        return &f;
    return nullptr;
  }

  expected_void merge_member(json::value& target, std::string_view key,
                             const json::value& val, const std::string& path);
  expected_void merge_keyed_list(json::value& target, const json::value& patch,
                                 std::string_view key, const std::string& path);
  void merge_set(json::value& target, const json::value& patch);
  json::value stripped(const json::value& v, const std::string& path);
  void apply_order(json::value& list, const json::value& order,
                   const smp_field* field);
  void apply_map_directives(json::value& target, const json::value& patch);

  const std::vector<smp_field>& schema_;
  json::allocator& a_;
};

// A copy without directives and null members, for values that are new.
json::value smp::stripped(const json::value& v, const std::string& path) {
  json::value out{rapidjson::kObjectType};
  if (v.IsObject()) {
    (void) merge_map(out, v, path);
    return out;
  }
  if (v.IsArray()) {
    out.SetArray();
    for (const auto& e : v.GetArray())
      out.PushBack(stripped(e, path), a_);
    return out;
  }
  return json::copy(v, a_);
}

expected_void smp::merge_member(json::value& target, std::string_view key,
                                const json::value& val,
                                const std::string& path) {
  if (val.IsNull()) {
    json::erase(target, key);
    return {};
  }
  auto field_path = child_path(path, key);
  if (val.IsObject()) {
    auto directive = json::get_string(val, patch_key);
    if (directive && *directive == "delete") {
      json::erase(target, key);
      return {};
    }
    if (directive && *directive == "replace") {
      json::set(target, key, stripped(val, field_path), a_);
      return {};
    }
    return merge_map(json::ensure_object(target, key, a_), val, field_path);
  }
  const smp_field* f = val.IsArray() ? lookup(field_path) : nullptr;
  if (f == nullptr || f->strategy == ls::atomic) {
    json::set(target, key, stripped(val, field_path), a_);
    return {};
  }
  json::value* list = json::find(target, key);
  if (list == nullptr || !list->IsArray()) {
    json::set(target, key, json::value{rapidjson::kArrayType}, a_);
    list = json::find(target, key);
  }
  if (f->strategy == ls::merge_set) {
    merge_set(*list, val);
    return {};
  }
  return merge_keyed_list(*list, val, f->merge_key, field_path);
}

void smp::merge_set(json::value& target, const json::value& patch) {
  for (const auto& v : patch.GetArray()) {
    bool present = false;
    for (const auto& t : target.GetArray())
      present = present || t == v;
    if (!present)
      target.PushBack(json::copy(v, a_), a_);
  }
}

expected_void smp::merge_keyed_list(json::value& target,
                                    const json::value& patch,
                                    std::string_view key,
                                    const std::string& path) {
  for (const auto& e : patch.GetArray()) {
    auto d = json::get_string(e, patch_key);
    if (d && *d == "replace") {
      json::value fresh{rapidjson::kArrayType};
      for (const auto& x : patch.GetArray())
        if (!json::get_string(x, patch_key))
          fresh.PushBack(stripped(x, path), a_);
      target = std::move(fresh);
      return {};
    }
  }
  for (const auto& e : patch.GetArray()) {
    const json::value* k = json::find(e, key);
    if (!e.IsObject() || k == nullptr)
      return tl::make_unexpected("map: " + json::to_string(e)
                                 + " does not contain declared merge key: "
                                 + std::string(key));
    auto it = std::find_if(target.Begin(), target.End(), [&](const auto& t) {
      const json::value* tk = json::find(t, key);
      return tk != nullptr && *tk == *k;
    });
    auto d = json::get_string(e, patch_key);
    if (d && *d == "delete") {
      if (it != target.End())
        target.Erase(it);
      continue;
    }
    if (it != target.End()) {
      auto r = merge_map(*it, e, path);
      if (!r)
        return r;
    } else {
      target.PushBack(stripped(e, path), a_);
    }
  }
  return {};
}

// $setElementOrder: the listed items first, in that order; items the server
// has and the patch does not mention keep their relative order after them.
void smp::apply_order(json::value& list, const json::value& order,
                      const smp_field* field) {
  if (!list.IsArray() || !order.IsArray())
    return;
  auto rank = [&](const json::value& item) -> std::size_t {
    std::size_t i = 0;
    for (const auto& o : order.GetArray()) {
      if (field != nullptr && field->strategy == ls::merge_by_key) {
        const json::value* a = json::find(item, field->merge_key);
        const json::value* b = json::find(o, field->merge_key);
        if (a != nullptr && b != nullptr && *a == *b)
          return i;
      } else if (item == o) {
        return i;
      }
      ++i;
    }
    return order.Size();
  };
  std::vector<std::pair<std::size_t, json::value>> items;
  for (auto& v : list.GetArray())
    items.emplace_back(rank(v), std::move(v));
  std::stable_sort(
    items.begin(), items.end(),
    [](const auto& x, const auto& y) { return x.first < y.first; });
  list.Clear();
  for (auto& it : items)
    list.PushBack(std::move(it.second), a_);
}

void smp::apply_map_directives(json::value& target, const json::value& patch) {
  for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
    auto name = name_of(it->name);
    if (name.substr(0, delete_prefix.size()) != delete_prefix
        || !it->value.IsArray())
      continue;
    json::value* list = json::find(target, name.substr(delete_prefix.size()));
    if (list == nullptr || !list->IsArray())
      continue;
    for (const auto& gone : it->value.GetArray())
      for (auto e = list->Begin(); e != list->End();)
        e = *e == gone ? list->Erase(e) : e + 1;
  }
}

expected_void smp::merge_map(json::value& target, const json::value& patch,
                             const std::string& path) {
  if (!target.IsObject())
    target.SetObject();
  apply_map_directives(target, patch);
  for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
    auto key = name_of(it->name);
    if (is_directive(key))
      continue;
    auto r = merge_member(target, key, it->value, path);
    if (!r)
      return r;
  }
  for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
    auto name = name_of(it->name);
    if (name.substr(0, order_prefix.size()) != order_prefix)
      continue;
    auto field = name.substr(order_prefix.size());
    if (json::value* list = json::find(target, field))
      apply_order(*list, it->value, lookup(child_path(path, field)));
  }
  if (const json::value* keep = json::find(patch, retain_keys)) {
    if (keep->IsArray()) {
      for (auto m = target.MemberBegin(); m != target.MemberEnd();) {
        bool kept = std::any_of(keep->Begin(), keep->End(), [&](auto& k) {
          return k.IsString() && k == m->name;
        });
        m = kept ? m + 1 : target.EraseMember(m);
      }
    }
  }
  return {};
}

} // namespace

std::vector<smp_field> smp_schema_for(std::string_view group,
                                      std::string_view kind) {
  std::vector<smp_field> out = common_fields;
  auto add = [&](std::vector<smp_field> more) {
    out.insert(out.end(), more.begin(), more.end());
  };
  if (group == "apps" && (kind == "Deployment" || kind == "DaemonSet"))
    add(template_fields());
  else if (group == "policy" && kind == "PodDisruptionBudget")
    add({{"status.conditions", ls::merge_by_key, "type"}});
  if (!group.empty())
    return out;
  if (kind == "ServiceAccount")
    add({{"secrets", ls::merge_by_key, "name"}});
  else if (kind == "Service")
    add({{"spec.ports", ls::merge_by_key, "port"},
         {"status.conditions", ls::merge_by_key, "type"}});
  else if (kind == "Pod")
    add(pod_fields());
  else if (kind == "Node")
    add({{"spec.taints", ls::merge_by_key, "key"},
         {"spec.podCIDRs", ls::merge_set, ""},
         {"status.addresses", ls::merge_by_key, "type"},
         {"status.conditions", ls::merge_by_key, "type"}});
  else if (kind == "Namespace")
    add({{"status.conditions", ls::merge_by_key, "type"}});
  return out;
}

tl::expected<void, std::string>
apply_strategic_merge_patch(json::value& target, const json::value& patch,
                            const std::vector<smp_field>& schema,
                            json::allocator& a) {
  if (!patch.IsObject())
    return tl::make_unexpected("a strategic merge patch must be a JSON "
                               "object");
  return smp(schema, a).merge_map(target, patch, "");
}

} // namespace porter::sim
