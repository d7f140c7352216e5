#include "k8s/json_reader.hpp"

#include <algorithm>

#include <rapidjson/error/en.h>

namespace porter::k8s {

namespace {

const char* type_name(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

/// kubectl's last-applied copy doubles an object's size for nothing porter
/// reads.
constexpr std::string_view last_applied_annotation
  = "kubectl.kubernetes.io/last-applied-configuration";

} // namespace

std::string to_string(const decode_error& e) {
  return e.path.empty() ? e.what : e.path + ": " + e.what;
}

std::string json_at::path() const {
  if (parent_ == nullptr)
    return {};
  std::string prefix = parent_->path();
  if (index_ >= 0)
    return prefix + "[" + std::to_string(index_) + "]";
  if (prefix.empty())
    return std::string{key_};
  return prefix + "." + std::string{key_};
}

decode_error json_at::error(std::string what) const {
  return {path(), std::move(what)};
}

decoded<std::optional<json_at>> json_at::member(std::string_view key) const {
  if (!v_->IsObject())
    return tl::make_unexpected(
      error(std::string{"expected an object, found "} + type_name(*v_)));
  auto it = v_->FindMember(rapidjson::Value::StringRefType(
    key.data(), static_cast<rapidjson::SizeType>(key.size())));
  if (it == v_->MemberEnd() || it->value.IsNull())
    return std::optional<json_at>{};
  return std::optional<json_at>{json_at{it->value, this, key, -1}};
}

decoded<json_at> json_at::required(std::string_view key) const {
  auto m = member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m) {
    json_at missing{*v_, this, key, -1};
    return tl::make_unexpected(missing.error("is required"));
  }
  return **m;
}

decoded<std::string> json_at::as_string() const {
  if (!v_->IsString())
    return tl::make_unexpected(
      error(std::string{"expected a string, found "} + type_name(*v_)));
  return std::string{v_->GetString(), v_->GetStringLength()};
}

decoded<std::int64_t> json_at::as_int64() const {
  if (v_->IsInt64())
    return v_->GetInt64();
  // Go's int64 fields accept 1.0 but not 1.5 or strings.
  if (v_->IsDouble()) {
    const double d = v_->GetDouble();
    if (d >= -9.2e18 && d <= 9.2e18
        && d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  return tl::make_unexpected(
    error(std::string{"expected an integer, found "} + type_name(*v_)));
}

namespace {

/// An optional member read with `convert` (a json_at → decoded<T>):
/// absent or null is std::nullopt, a conversion error is the error.
template <class Convert>
auto optional_member(const json_at& at, std::string_view key, Convert convert) {
  using value = typename decltype(convert(at))::value_type;
  using result = decoded<std::optional<value>>;
  auto m = at.member(key);
  if (!m)
    return result{tl::make_unexpected(m.error())};
  if (!*m)
    return result{std::optional<value>{}};
  auto v = convert(**m);
  if (!v)
    return result{tl::make_unexpected(v.error())};
  return result{std::optional<value>{std::move(*v)}};
}

} // namespace

decoded<std::optional<std::string>>
json_at::optional_string(std::string_view key) const {
  return optional_member(*this, key,
                         [](const json_at& m) { return m.as_string(); });
}

decoded<std::string> json_at::string(std::string_view key) const {
  return optional_string(key).map(
    // std::move: value_or on an lvalue would copy the string.
    [](std::optional<std::string> s) {
      return std::move(s).value_or(std::string{});
    });
}

decoded<std::string> json_at::required_string(std::string_view key) const {
  auto m = required(key);
  if (!m)
    return tl::make_unexpected(m.error());
  return m->as_string();
}

decoded<std::optional<std::int64_t>>
json_at::optional_int64(std::string_view key) const {
  return optional_member(*this, key,
                         [](const json_at& m) { return m.as_int64(); });
}

decoded<std::int64_t> json_at::int64(std::string_view key) const {
  return optional_int64(key).map(
    [](std::optional<std::int64_t> i) { return i.value_or(0); });
}

decoded<std::optional<bool>>
json_at::optional_bool(std::string_view key) const {
  return optional_member(*this, key, [](const json_at& m) -> decoded<bool> {
    if (!m.value().IsBool())
      return tl::make_unexpected(m.error(
        std::string{"expected a boolean, found "} + type_name(m.value())));
    return m.value().GetBool();
  });
}

decoded<bool> json_at::boolean(std::string_view key) const {
  return optional_bool(key).map(
    [](std::optional<bool> b) { return b.value_or(false); });
}

decoded<string_pairs> json_at::string_map(std::string_view key) const {
  auto m = member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  string_pairs out;
  if (!*m)
    return out;
  const json_at& map = **m;
  if (!map.v_->IsObject())
    return tl::make_unexpected(map.error(
      std::string{"expected an object, found "} + type_name(*map.v_)));
  out.reserve(map.v_->MemberCount());
  for (const auto& member : map.v_->GetObject()) {
    std::string_view name{member.name.GetString(),
                          member.name.GetStringLength()};
    if (member.value.IsNull())
      continue;
    json_at item{member.value, &map, name, -1};
    auto s = item.as_string();
    if (!s)
      return tl::make_unexpected(s.error());
    out.emplace_back(std::string{name}, std::move(*s));
  }
  std::sort(out.begin(), out.end());
  return out;
}

decoded<std::vector<std::string>>
json_at::string_list(std::string_view key) const {
  std::vector<std::string> out;
  auto r = for_each(key, [&](const json_at& item) -> decoded<void> {
    auto s = item.as_string();
    if (!s)
      return tl::make_unexpected(s.error());
    out.push_back(std::move(*s));
    return {};
  });
  if (!r)
    return tl::make_unexpected(r.error());
  return out;
}

decoded<rapidjson::Document> parse_json(std::string_view text) {
  rapidjson::Document doc;
  // Iterative: nesting depth costs heap, not stack, so a deeply nested
  // body cannot overflow the stack (the recursive parser crashes near
  // 300k levels); measured as fast as the recursive one.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(
    text.data(), text.size());
  if (doc.HasParseError())
    return tl::make_unexpected(
      decode_error{{},
                   std::string{"invalid JSON at offset "}
                     + std::to_string(doc.GetErrorOffset()) + ": "
                     + rapidjson::GetParseError_En(doc.GetParseError())});
  return doc;
}

decoded<rapidjson::Document> parse_json_insitu(std::string& text) {
  rapidjson::Document doc;
  // c_str(): the terminating NUL lets RapidJSON scan without a length.
  doc.ParseInsitu<rapidjson::kParseIterativeFlag
                  | rapidjson::kParseStopWhenDoneFlag>(text.data());
  if (doc.HasParseError())
    return tl::make_unexpected(
      decode_error{{},
                   std::string{"invalid JSON at offset "}
                     + std::to_string(doc.GetErrorOffset()) + ": "
                     + rapidjson::GetParseError_En(doc.GetParseError())});
  return doc;
}

decoded<object_meta> decode_object_meta(const json_at& object) {
  auto meta = object.required("metadata");
  if (!meta)
    return tl::make_unexpected(meta.error());
  object_meta m;
  auto name = meta->required_string("name");
  if (!name)
    return tl::make_unexpected(name.error());
  m.name = std::move(*name);
  auto ns = meta->string("namespace");
  auto uid = meta->string("uid");
  auto rv = meta->string("resourceVersion");
  auto gen = meta->int64("generation");
  auto created = meta->string("creationTimestamp");
  auto labels = meta->string_map("labels");
  auto annotations = meta->string_map("annotations");
  auto finalizers = meta->string_list("finalizers");
  auto deleting = meta->optional_string("deletionTimestamp");
  for (const decode_error* e :
       {ns ? nullptr : &ns.error(), uid ? nullptr : &uid.error(),
        rv ? nullptr : &rv.error(), gen ? nullptr : &gen.error(),
        created ? nullptr : &created.error(),
        labels ? nullptr : &labels.error(),
        annotations ? nullptr : &annotations.error(),
        finalizers ? nullptr : &finalizers.error(),
        deleting ? nullptr : &deleting.error()})
    if (e != nullptr)
      return tl::make_unexpected(*e);
  m.namespace_ = std::move(*ns);
  m.uid = std::move(*uid);
  m.resource_version = std::move(*rv);
  m.generation = *gen;
  m.creation_timestamp = std::move(*created);
  m.labels = std::move(*labels);
  m.annotations = std::move(*annotations);
  m.annotations.erase(std::remove_if(m.annotations.begin(), m.annotations.end(),
                                     [](const auto& kv) {
                                       return kv.first
                                              == last_applied_annotation;
                                     }),
                      m.annotations.end());
  // The dropped last-applied copy leaves spare capacity; cached objects
  // should not carry it.
  if (m.annotations.size() < m.annotations.capacity())
    m.annotations.shrink_to_fit();
  m.finalizers = std::move(*finalizers);
  m.deleting = deleting->has_value();
  return m;
}

} // namespace porter::k8s
