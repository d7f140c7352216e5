// Internal to the JSON encoders of k8s/ (object_encode.cpp, crd_encode.cpp,
// event.cpp, lease.cpp, patch.cpp): a RapidJSON Writer with Go
// encoding/json's omitempty rules spelled out per type (empty string, false,
// 0, empty list/map are left out), TypeMeta and ObjectMeta.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "k8s/objects.hpp"

namespace porter::k8s::detail {

class json_writer {
public:
  json_writer() : w_(buf_) {}

  void key(std::string_view k);
  void string(std::string_view v);
  void boolean(bool v) { w_.Bool(v); }
  void number(std::int64_t v) { w_.Int64(v); }
  void null() { w_.Null(); }

  void begin_object() { w_.StartObject(); }
  void begin_object(std::string_view k);
  void end_object() { w_.EndObject(); }
  void begin_array(std::string_view k);
  void end_array() { w_.EndArray(); }

  /// Members without omitempty: written whatever the value.
  void member(std::string_view k, std::string_view v);
  void member(std::string_view k, std::int64_t v);

  /// In merge patches a left-out member keeps its old value, so there
  /// zero values must be written: explicit(true) turns omitempty off.
  void explicit_zero_values(bool on) { explicit_ = on; }

  // omitempty members: written only when not the zero value.
  void str(std::string_view k, std::string_view v);
  void flag(std::string_view k, bool v);
  void num(std::string_view k, std::int64_t v);
  void strings(std::string_view k, const std::vector<std::string>& v);
  void pairs(std::string_view k, const string_pairs& v);
  /// A list; `write_item(*this, item)` writes each element.
  template <class T, class Write>
  void list(std::string_view k, const std::vector<T>& v, Write&& write_item);
  /// A map kept as (name, value) pairs in order; `write_value(*this,
  /// value)` writes each value.
  template <class V, class Write>
  void map(std::string_view k, const std::vector<std::pair<std::string, V>>& v,
           Write&& write_value);
  // Pointer members: written when set, whatever the value.
  void opt_flag(std::string_view k, const std::optional<bool>& v);
  void opt_num(std::string_view k, const std::optional<std::int32_t>& v);
  /// intstr.IntOrString: a number when `v` is the text of an int32.
  void int_or_string(std::string_view k, const std::string& v);

  /// apiVersion, kind.
  void type_meta(std::string_view api_version, std::string_view kind);
  /// "metadata": {...}.
  void metadata(const object_meta& m);

  std::string take() { return {buf_.GetString(), buf_.GetSize()}; }

private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
  bool explicit_ = false;
};

template <class T, class Write>
void json_writer::list(std::string_view k, const std::vector<T>& v,
                       Write&& write_item) {
  if (v.empty() && !explicit_)
    return;
  begin_array(k);
  for (const T& item : v)
    write_item(*this, item);
  end_array();
}

template <class V, class Write>
void json_writer::map(std::string_view k,
                      const std::vector<std::pair<std::string, V>>& v,
                      Write&& write_value) {
  if (v.empty() && !explicit_)
    return;
  begin_object(k);
  for (const auto& [name, value] : v) {
    key(name);
    write_value(*this, value);
  }
  end_object();
}

/// Opens the object and writes TypeMeta and ObjectMeta of kind T.
template <class T>
void begin_kind(json_writer& w, const object_meta& m) {
  w.begin_object();
  w.type_meta(api_version<T>(), kind_info<T>::kind);
  w.metadata(m);
}

/// Opens an object porter creates by name (Event, Lease): kind and
/// apiVersion in that order, then metadata with name and namespace, both
/// written even when empty.
void begin_named(json_writer& w, std::string_view kind,
                 std::string_view api_version, std::string_view name,
                 std::string_view namespace_);

} // namespace porter::k8s::detail
