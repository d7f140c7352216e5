// Checked reads of untrusted Kubernetes JSON (STYLE.md §3): RapidJSON only
// through these getters, so a member of the wrong type is a decode_error
// naming its JSON path ("spec.ports[1].port"), never an assert. Absent and
// null members read as the field's zero value, as Go's encoding/json does.
// The path is built only when an error is reported, so reads stay cheap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <tl/expected.hpp>

#include "k8s/object_meta.hpp"

namespace porter::k8s {

/// Why an object could not be decoded: where (a JSON path from the
/// object's root; empty for the whole text) and what was wrong.
struct decode_error {
  std::string path;
  std::string what;
};
/// "spec.ports[1].port: expected an integer"
std::string to_string(const decode_error& e);

template <class T>
using decoded = tl::expected<T, decode_error>;

/// A value inside a document plus how it was reached. Children point at
/// their parent, so a json_at must not outlive the one it came from.
class json_at {
public:
  explicit json_at(const rapidjson::Value& v) : v_(&v) {}

  const rapidjson::Value& value() const { return *v_; }
  std::string path() const;
  decode_error error(std::string what) const;

  /// The member `key`; std::nullopt when absent or null. An error when
  /// this value is not an object.
  decoded<std::optional<json_at>> member(std::string_view key) const;
  /// Like member(), but absent or null is an error ("is required").
  decoded<json_at> required(std::string_view key) const;

  decoded<std::string> string(std::string_view key) const;
  decoded<std::string> required_string(std::string_view key) const;
  decoded<std::optional<std::string>>
  optional_string(std::string_view key) const;
  decoded<std::int64_t> int64(std::string_view key) const;
  decoded<std::optional<std::int64_t>>
  optional_int64(std::string_view key) const;
  decoded<bool> boolean(std::string_view key) const;
  decoded<std::optional<bool>> optional_bool(std::string_view key) const;
  /// A map of strings (labels, annotations, ConfigMap data), sorted by key.
  decoded<string_pairs> string_map(std::string_view key) const;
  decoded<std::vector<std::string>> string_list(std::string_view key) const;

  /// Calls `f(const json_at& element)` for each element of the array
  /// member `key` (absent/null: none); stops at the first error `f`
  /// returns (decoded<void>).
  template <class F>
  decoded<void> for_each(std::string_view key, F&& f) const {
    auto arr = member(key);
    if (!arr)
      return tl::make_unexpected(arr.error());
    if (!*arr)
      return {};
    const json_at& a = **arr;
    if (!a.v_->IsArray())
      return tl::make_unexpected(a.error("expected an array"));
    int index = 0;
    for (const auto& element : a.v_->GetArray()) {
      json_at item{element, &a, {}, index++};
      if (auto r = f(item); !r)
        return r;
    }
    return {};
  }

  /// Calls `f(std::string_view name, const json_at& value)` for each
  /// member of the object member `key` (absent/null: none; null values are
  /// skipped, as in string_map); stops at the first error `f` returns.
  template <class F>
  decoded<void> for_each_member(std::string_view key, F&& f) const {
    auto obj = member(key);
    if (!obj)
      return tl::make_unexpected(obj.error());
    if (!*obj)
      return {};
    const json_at& o = **obj;
    if (!o.v_->IsObject())
      return tl::make_unexpected(o.error("expected an object"));
    for (const auto& m : o.v_->GetObject()) {
      if (m.value.IsNull())
        continue;
      std::string_view name{m.name.GetString(), m.name.GetStringLength()};
      json_at item{m.value, &o, name, -1};
      if (auto r = f(name, item); !r)
        return r;
    }
    return {};
  }

  /// The string itself (for arrays of strings decoded element-wise).
  decoded<std::string> as_string() const;
  decoded<std::int64_t> as_int64() const;

private:
  json_at(const rapidjson::Value& v, const json_at* parent,
          std::string_view key, int index)
      : v_(&v), parent_(parent), key_(key), index_(index) {}

  const rapidjson::Value* v_;
  const json_at* parent_ = nullptr;
  std::string_view key_; // member name in the parent, or empty
  int index_ = -1;       // array index in the parent, or -1
};

/// Parses `text` in place (RapidJSON in-situ: strings point into `text`,
/// which is modified and must outlive the document). About twice as fast as
/// parse_json on large LIST bodies: no copy of every string.
decoded<rapidjson::Document> parse_json_insitu(std::string& text);

/// Decodes a whole object of kind T; specialised per kind (k8s/objects.hpp,
/// k8s/lease.hpp).
template <class T>
decoded<T> decode(const json_at& object);

/// Parses `text`; an error carries RapidJSON's reason and offset.
decoded<rapidjson::Document> parse_json(std::string_view text);

/// ObjectMeta from the object's `metadata` (required: name). Drops
/// managedFields, ownerReferences and the kubectl last-applied annotation.
decoded<object_meta> decode_object_meta(const json_at& object);

} // namespace porter::k8s
