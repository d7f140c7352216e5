#include "sim/apiserver/schema_validation.hpp"

#include <algorithm>

namespace porter::sim {

namespace {

constexpr std::size_t max_pattern_input = 4096;

std::string json_type_name(const json::value& v) {
  if (v.IsNull())
    return "null";
  if (v.IsBool())
    return "boolean";
  if (v.IsObject())
    return "object";
  if (v.IsArray())
    return "array";
  if (v.IsString())
    return "string";
  return json::as_int(v) ? "integer" : "number";
}

bool type_matches(const json::value& v, std::string_view type) {
  if (type == "object")
    return v.IsObject();
  if (type == "array")
    return v.IsArray();
  if (type == "string")
    return v.IsString();
  if (type == "boolean")
    return v.IsBool();
  if (type == "integer")
    return v.IsNumber() && json::as_int(v).has_value();
  if (type == "number")
    return v.IsNumber();
  return true;
}

// Go's %q / %v rendering of a value in field errors: JSON is close enough.
std::string display(const json::value& v) {
  return json::to_string(v);
}

std::string join_path(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

bool flag(const json::value& schema, std::string_view key) {
  return json::get_bool(schema, key).value_or(false);
}

bool has_rules(const json::value& s) {
  if (!s.IsObject())
    return false;
  if (json::find(s, "x-kubernetes-validations") != nullptr)
    return true;
  if (const json::value* props = json::find(s, "properties");
      props != nullptr && props->IsObject())
    for (auto m = props->MemberBegin(); m != props->MemberEnd(); ++m)
      if (has_rules(m->value))
        return true;
  for (auto key : {"items", "additionalProperties"})
    if (const json::value* sub = json::find(s, key); sub && has_rules(*sub))
      return true;
  return false;
}

} // namespace

struct schema_validator::walk {
  schema_validator& self;
  schema_result& out;

  void error(const std::string& path, std::string reason, std::string msg) {
    out.errors.push_back({std::move(reason), std::move(msg), path});
  }

  void node(json::value& v, const json::value& s, const std::string& path);
  bool check_type(const json::value& v, const json::value& s,
                  const std::string& path);
  void scalar(const json::value& v, const json::value& s,
              const std::string& path);
  void number(const json::value& v, const json::value& s,
              const std::string& path);
  void object(json::value& v, const json::value& s, const std::string& path);
  void check_enum(const json::value& v, const json::value& s,
                  const std::string& path);
};

bool schema_validator::walk::check_type(const json::value& v,
                                        const json::value& s,
                                        const std::string& path) {
  if (flag(s, "x-kubernetes-int-or-string")) {
    if (v.IsString() || json::as_int(v))
      return true;
    error(path, "FieldValueInvalid",
          "Invalid value: \"" + json_type_name(v) + "\": " + path
            + " in body must be of type int-or-string");
    return false;
  }
  auto type = json::get_string(s, "type");
  if (!type || type_matches(v, *type))
    return true;
  auto actual = json_type_name(v);
  error(path, "FieldValueInvalid",
        "Invalid value: \"" + actual + "\": " + path
          + " in body must be of type " + std::string(*type) + ": \"" + actual
          + "\"");
  return false;
}

void schema_validator::walk::check_enum(const json::value& v,
                                        const json::value& s,
                                        const std::string& path) {
  const json::value* e = json::find(s, "enum");
  if (e == nullptr || !e->IsArray())
    return;
  for (const auto& allowed : e->GetArray())
    if (allowed == v)
      return;
  std::string list;
  for (const auto& allowed : e->GetArray())
    list += (list.empty() ? "" : ", ") + display(allowed);
  error(path, "FieldValueNotSupported",
        "Unsupported value: " + display(v) + ": supported values: " + list);
}

void schema_validator::walk::number(const json::value& v, const json::value& s,
                                    const std::string& path) {
  double d = v.GetDouble();
  auto bound = [&](std::string_view key) -> const json::value* {
    const json::value* b = json::find(s, key);
    return b != nullptr && b->IsNumber() ? b : nullptr;
  };
  if (const json::value* mx = bound("maximum")) {
    bool excl = flag(s, "exclusiveMaximum");
    if (excl ? d >= mx->GetDouble() : d > mx->GetDouble())
      error(path, "FieldValueInvalid",
            "Invalid value: " + display(v) + ": " + path
              + " in body should be less than " + (excl ? "" : "or equal to ")
              + json::to_string(*mx));
  }
  if (const json::value* mn = bound("minimum")) {
    bool excl = flag(s, "exclusiveMinimum");
    if (excl ? d <= mn->GetDouble() : d < mn->GetDouble())
      error(path, "FieldValueInvalid",
            "Invalid value: " + display(v) + ": " + path
              + " in body should be greater than "
              + (excl ? "" : "or equal to ") + json::to_string(*mn));
  }
}

void schema_validator::walk::scalar(const json::value& v, const json::value& s,
                                    const std::string& path) {
  check_enum(v, s, path);
  if (v.IsNumber()) {
    number(v, s, path);
    return;
  }
  auto str = json::as_string(v);
  if (!str)
    return;
  auto len = static_cast<std::int64_t>(str->size());
  if (auto mx = json::get_int(s, "maxLength"); mx && len > *mx)
    error(path, "TooLong",
          "Too long: may not be more than " + std::to_string(*mx) + " bytes");
  if (auto mn = json::get_int(s, "minLength"); mn && len < *mn)
    error(path, "FieldValueInvalid",
          "Invalid value: " + display(v) + ": " + path
            + " in body should be at least " + std::to_string(*mn)
            + " chars long");
  auto pattern = json::get_string(s, "pattern");
  if (!pattern)
    return;
  const std::regex* re = self.compiled(std::string(*pattern));
  bool ok = true;
  try {
    // std::regex recurses per character: very long values are not matched
    // (accepted) rather than risking the stack.
    ok = re == nullptr || str->size() > max_pattern_input
         || std::regex_search(str->begin(), str->end(), *re);
  } catch (const std::regex_error&) {
    ok = true; // too complex to decide here: the apiserver's RE2 would know
  }
  if (!ok)
    error(path, "FieldValueInvalid",
          "Invalid value: " + display(v) + ": " + path
            + " in body should match '" + std::string(*pattern) + "'");
}

void schema_validator::walk::object(json::value& v, const json::value& s,
                                    const std::string& path) {
  const json::value* props = json::find(s, "properties");
  const json::value* extra = json::find(s, "additionalProperties");
  bool preserve = flag(s, "x-kubernetes-preserve-unknown-fields");
  if (const json::value* req = json::find(s, "required"); req && req->IsArray())
    for (const auto& r : req->GetArray())
      if (auto name = json::as_string(r); name && !json::find(v, *name))
        error(join_path(path, *name), "FieldValueRequired", "Required value");
  for (auto m = v.MemberBegin(); m != v.MemberEnd();) {
    std::string_view key{m->name.GetString(), m->name.GetStringLength()};
    auto child = join_path(path, key);
    bool root_meta
      = path.empty()
        && (key == "apiVersion" || key == "kind" || key == "metadata");
    const json::value* ps
      = props != nullptr ? json::find(*props, key) : nullptr;
    if (ps == nullptr && extra != nullptr && extra->IsObject())
      ps = extra;
    if (ps != nullptr && !(root_meta && key == "metadata")) {
      node(m->value, *ps, child);
    } else if (ps == nullptr && !root_meta && !preserve
               && !(extra != nullptr && extra->IsBool() && extra->GetBool())) {
      out.unknown_fields.push_back(child);
      m = v.EraseMember(m);
      continue;
    }
    ++m;
  }
}

void schema_validator::walk::node(json::value& v, const json::value& s,
                                  const std::string& path) {
  if (v.IsNull()) {
    if (!flag(s, "nullable") && json::find(s, "type") != nullptr)
      error(path, "FieldValueInvalid",
            "Invalid value: \"null\": " + path + " in body must be of type "
              + std::string(json::get_string(s, "type").value_or("")) + ": "
              + "\"null\"");
    return;
  }
  if (!check_type(v, s, path))
    return;
  if (v.IsObject()) {
    check_enum(v, s, path);
    object(v, s, path);
    return;
  }
  if (v.IsArray()) {
    auto n = static_cast<std::int64_t>(v.Size());
    if (auto mx = json::get_int(s, "maxItems"); mx && n > *mx)
      error(path, "TooMany",
            "Too many: " + std::to_string(n) + ": must have at most "
              + std::to_string(*mx) + " items");
    if (auto mn = json::get_int(s, "minItems"); mn && n < *mn)
      error(path, "FieldValueInvalid",
            "Invalid value: " + std::to_string(n) + ": " + path
              + " in body should have at least " + std::to_string(*mn)
              + " items");
    const json::value* items = json::find(s, "items");
    if (items != nullptr && items->IsObject())
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        node(v[i], *items, path + "[" + std::to_string(i) + "]");
    return;
  }
  scalar(v, s, path);
}

const std::regex* schema_validator::compiled(const std::string& pattern) {
  auto it = regex_cache_.find(pattern);
  if (it != regex_cache_.end())
    return it->second.get();
  std::shared_ptr<std::regex> re;
  try {
    re = std::make_shared<std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    re = nullptr; // not enforceable; CRD authors see no error here
  }
  regex_cache_[pattern] = re;
  return re.get();
}

schema_result schema_validator::validate(json::value& obj,
                                         const json::value& schema,
                                         const json::value* old) {
  schema_result out;
  walk w{*this, out};
  w.node(obj, schema, "");
  if (!has_rules(schema))
    return out;
  // apiextensions strategy.go hasBlockingErr: rules see only values of the
  // declared types and shapes.
  bool blocked = std::any_of(
    out.errors.begin(), out.errors.end(), [](const status_cause& c) {
      return c.reason == "FieldValueNotSupported"
             || c.reason == "FieldValueRequired" || c.reason == "TooLong"
             || c.reason == "TooMany"
             || c.message.find(" in body must be of type ")
                  != std::string::npos;
    });
  if (blocked)
    out.errors.push_back({"FieldValueInvalid",
                          "Invalid value: \"null\": some validation rules "
                          "were not checked because the object was invalid; "
                          "correct the existing errors to complete validation",
                          "<nil>"});
  else
    rules_.validate(obj, old, schema, out.errors);
  return out;
}

} // namespace porter::sim
