#include "sim/apiserver/schema_rules.hpp"

namespace porter::sim {

namespace {

std::string trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

struct rule_text {
  std::string rule;
  std::string message;
};

std::vector<rule_text> rules_of(const json::value& schema) {
  std::vector<rule_text> out;
  const json::value* rules = json::find(schema, "x-kubernetes-validations");
  if (rules == nullptr || !rules->IsArray())
    return out;
  for (const auto& r : rules->GetArray())
    out.push_back({std::string(json::get_string(r, "rule").value_or("")),
                   std::string(json::get_string(r, "message").value_or(""))});
  return out;
}

// validation.go ruleErrorString / ruleMessageOrDefault.
std::string rule_error_string(const rule_text& r) {
  return r.message.empty() ? trimmed(r.rule) : trimmed(r.message);
}

std::string type_of(const json::value& schema) {
  return std::string(json::get_string(schema, "type").value_or(""));
}

bool map_correlates(const json::value& schema) {
  return json::get_string(schema, "x-kubernetes-map-type") != "atomic";
}

// The old item of a map-list with the same key values as `item`.
const json::value* old_item(const json::value& item, const json::value* old,
                            const json::value& schema) {
  const json::value* keys = json::find(schema, "x-kubernetes-list-map-keys");
  if (old == nullptr || !old->IsArray()
      || json::get_string(schema, "x-kubernetes-list-type") != "map"
      || keys == nullptr || !keys->IsArray())
    return nullptr;
  for (const auto& o : old->GetArray()) {
    bool same = true;
    for (const auto& k : keys->GetArray()) {
      auto name = json::as_string(k).value_or("");
      const json::value* a = json::find(item, name);
      const json::value* b = json::find(o, name);
      same = same && (a == nullptr) == (b == nullptr) && (!a || *a == *b);
    }
    if (same)
      return &o;
  }
  return nullptr;
}

std::string quoted(const std::string& s) {
  rapidjson::Value v(rapidjson::StringRef(s.data(), s.size()));
  return json::to_string(v);
}

} // namespace

struct rule_engine::walk {
  rule_engine& self;
  std::vector<status_cause>& out;

  void error(const std::string& path, const json::value& schema,
             const std::string& detail) {
    out.push_back({"FieldValueInvalid",
                   "Invalid value: \"" + type_of(schema) + "\": " + detail,
                   path.empty() ? "<nil>" : path});
  }

  void rules(const json::value& v, const json::value* old, const json::value& s,
             const std::string& path, bool root) {
    cel::scope scope{&s, root};
    std::optional<cel::value> self_value;
    std::optional<cel::value> old_value;
    for (const auto& r : rules_of(s)) {
      if (trimmed(r.rule).empty())
        continue;
      const compiled& c = self.compile(r.rule, scope);
      if (!c.program) {
        error(path, s, "rule compile error: " + c.error);
        continue;
      }
      bool transition = c.program->uses_old_self();
      if (transition ? old == nullptr : old != nullptr && *old == v)
        continue;
      if (!self_value)
        self_value = cel::from_json(v, scope);
      if (transition && !old_value)
        old_value = cel::from_json(*old, scope);
      cel::activation act{&*self_value, transition ? &*old_value : nullptr};
      auto result = cel::evaluate(*c.program, act, self.regexes_);
      if (!result && result.error().message == "no such overload")
        error(path, s,
              "'no such overload': call arguments did not match a supported "
              "operator, function or macro signature for rule: "
                + rule_error_string(r));
      else if (!result)
        error(path, s,
              result.error().message
                + " evaluating rule: " + rule_error_string(r));
      else if (result->type() != cel::kind::bool_type || !result->as_bool())
        error(path, s,
              r.message.empty() ? "failed rule: " + trimmed(r.rule)
                                : trimmed(r.message));
    }
  }

  void node(const json::value& v, const json::value* old, const json::value& s,
            const std::string& path, bool root) {
    if (v.IsNull() || !s.IsObject())
      return;
    rules(v, old, s, path, root);
    if (v.IsObject()) {
      const json::value* props = json::find(s, "properties");
      const json::value* extra = json::find(s, "additionalProperties");
      bool old_ok = old != nullptr && old->IsObject();
      for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
        std::string_view key{m->name.GetString(), m->name.GetStringLength()};
        if (root && key == "metadata")
          continue;
        const json::value* ps = props ? json::find(*props, key) : nullptr;
        if (ps != nullptr) {
          node(m->value, old_ok ? json::find(*old, key) : nullptr, *ps,
               path.empty() ? std::string(key) : path + "." + std::string(key),
               false);
        } else if (extra != nullptr && extra->IsObject()) {
          node(m->value,
               old_ok && map_correlates(s) ? json::find(*old, key) : nullptr,
               *extra, path + "[" + std::string(key) + "]", false);
        }
      }
    } else if (const json::value* items = json::find(s, "items");
               v.IsArray() && items != nullptr) {
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        node(v[i], old_item(v[i], old, s), *items,
             path + "[" + std::to_string(i) + "]", false);
    }
  }
};

const rule_engine::compiled& rule_engine::compile(const std::string& rule,
                                                  const cel::scope& self) {
  auto it = programs_.find(rule);
  if (it != programs_.end())
    return it->second;
  compiled c;
  auto p = cel::compile(rule, self);
  if (p)
    c.program = std::move(*p);
  else
    c.error = "compilation failed: " + p.error();
  return programs_.emplace(rule, std::move(c)).first->second;
}

void rule_engine::validate(const json::value& obj, const json::value* old,
                           const json::value& schema,
                           std::vector<status_cause>& out) {
  walk w{*this, out};
  w.node(obj, old, schema, "", true);
}

namespace {

struct crd_walk {
  std::vector<status_cause>& out;

  void rule_errors(const json::value& s, const std::string& path, bool root,
                   const std::string& uncorrelatable) {
    const json::value* rules = json::find(s, "x-kubernetes-validations");
    if (rules == nullptr || !rules->IsArray())
      return;
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
      auto at = path + ".x-kubernetes-validations[" + std::to_string(i) + "]";
      rule_text r{
        std::string(json::get_string((*rules)[i], "rule").value_or("")),
        std::string(json::get_string((*rules)[i], "message").value_or(""))};
      if (r.rule.find('\n') != std::string::npos && r.message.empty())
        out.push_back({"FieldValueRequired",
                       "Required value: message must be specified if rule "
                       "contains line breaks",
                       at + ".message"});
      if (r.message.find('\n') != std::string::npos)
        out.push_back({"FieldValueInvalid",
                       "Invalid value: " + quoted(r.message)
                         + ": message must not contain line breaks",
                       at + ".message"});
      auto p = cel::compile(r.rule, cel::scope{&s, root});
      if (!p)
        out.push_back({"FieldValueInvalid",
                       "Invalid value: apiextensions.ValidationRule{Rule:"
                         + quoted(r.rule) + ", Message:" + quoted(r.message)
                         + "}: compilation failed: " + p.error(),
                       at + ".rule"});
      else if (p->uses_old_self() && !uncorrelatable.empty())
        out.push_back({"FieldValueInvalid",
                       "Invalid value: " + quoted(r.rule)
                         + ": oldSelf cannot be used on the uncorrelatable "
                           "portion of the schema within "
                         + uncorrelatable,
                       at + ".rule"});
    }
  }

  void node(const json::value& s, const std::string& path, bool root,
            std::string uncorrelatable) {
    if (!s.IsObject())
      return;
    rule_errors(s, path, root, uncorrelatable);
    if (const json::value* props = json::find(s, "properties");
        props != nullptr && props->IsObject())
      for (auto m = props->MemberBegin(); m != props->MemberEnd(); ++m)
        node(m->value,
             path + ".properties["
               + std::string(m->name.GetString(), m->name.GetStringLength())
               + "]",
             false, uncorrelatable);
    if (const json::value* extra = json::find(s, "additionalProperties")) {
      bool atomic = !map_correlates(s) && uncorrelatable.empty();
      node(*extra, path + ".additionalProperties", false,
           atomic ? path : uncorrelatable);
    }
    if (const json::value* items = json::find(s, "items")) {
      bool keyed = json::get_string(s, "x-kubernetes-list-type") == "map";
      node(*items, path + ".items", false,
           !keyed && uncorrelatable.empty() ? path : uncorrelatable);
    }
  }
};

} // namespace

std::vector<status_cause> validate_crd_rules(const json::value& crd) {
  std::vector<status_cause> out;
  const json::value* versions = json::find_path(crd, {"spec", "versions"});
  if (versions == nullptr || !versions->IsArray())
    return out;
  crd_walk w{out};
  for (rapidjson::SizeType i = 0; i < versions->Size(); ++i)
    if (const json::value* s
        = json::find_path((*versions)[i], {"schema", "openAPIV3Schema"}))
      w.node(*s,
             "spec.versions[" + std::to_string(i) + "].schema.openAPIV3Schema",
             true, "");
  return out;
}

} // namespace porter::sim
