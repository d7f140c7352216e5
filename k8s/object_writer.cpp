// The encoders' writer (object_writer.hpp): Go encoding/json's omitempty per
// type, switchable off for merge patches; IntOrString; TypeMeta/ObjectMeta.
#include "k8s/object_writer.hpp"

#include <charconv>
#include <limits>

namespace porter::k8s::detail {

namespace {

rapidjson::SizeType size_of(std::string_view s) {
  return static_cast<rapidjson::SizeType>(s.size());
}

void write_string(json_writer& w, const std::string& s) {
  w.string(s);
}

} // namespace

void json_writer::key(std::string_view k) {
  w_.Key(k.data(), size_of(k));
}

void json_writer::string(std::string_view v) {
  w_.String(v.data(), size_of(v));
}

void json_writer::begin_object(std::string_view k) {
  key(k);
  w_.StartObject();
}

void json_writer::begin_array(std::string_view k) {
  key(k);
  w_.StartArray();
}

void json_writer::member(std::string_view k, std::string_view v) {
  key(k);
  string(v);
}

void json_writer::member(std::string_view k, std::int64_t v) {
  key(k);
  w_.Int64(v);
}

void json_writer::str(std::string_view k, std::string_view v) {
  if (v.empty() && !explicit_)
    return;
  key(k);
  string(v);
}

void json_writer::flag(std::string_view k, bool v) {
  if (!v && !explicit_)
    return;
  key(k);
  w_.Bool(v);
}

void json_writer::num(std::string_view k, std::int64_t v) {
  if (v == 0 && !explicit_)
    return;
  key(k);
  w_.Int64(v);
}

void json_writer::strings(std::string_view k,
                          const std::vector<std::string>& v) {
  list(k, v, write_string);
}

void json_writer::pairs(std::string_view k, const string_pairs& v) {
  map(k, v, write_string);
}

void json_writer::opt_flag(std::string_view k, const std::optional<bool>& v) {
  if (!v)
    return;
  key(k);
  w_.Bool(*v);
}

void json_writer::opt_num(std::string_view k,
                          const std::optional<std::int32_t>& v) {
  if (!v)
    return;
  key(k);
  w_.Int64(*v);
}

void json_writer::int_or_string(std::string_view k, const std::string& v) {
  if (v.empty())
    return;
  key(k);
  // Only the canonical text of an int32 goes back as a number, so "08" or
  // "http" stay strings and decode to the same text.
  std::int32_t i = 0;
  const char* end = v.data() + v.size();
  auto [ptr, ec] = std::from_chars(v.data(), end, i);
  if (ec == std::errc{} && ptr == end && std::to_string(i) == v)
    w_.Int64(i);
  else
    string(v);
}

void json_writer::type_meta(std::string_view api_version,
                            std::string_view kind) {
  str("apiVersion", api_version);
  str("kind", kind);
}

void json_writer::metadata(const object_meta& m) {
  begin_object("metadata");
  member("name", m.name);
  str("namespace", m.namespace_);
  str("uid", m.uid);
  str("resourceVersion", m.resource_version);
  num("generation", m.generation);
  str("creationTimestamp", m.creation_timestamp);
  // The model keeps only whether deletionTimestamp is set.
  if (m.deleting)
    str("deletionTimestamp", "1970-01-01T00:00:00Z");
  pairs("labels", m.labels);
  pairs("annotations", m.annotations);
  strings("finalizers", m.finalizers);
  end_object();
}

void begin_named(json_writer& w, std::string_view kind,
                 std::string_view api_version, std::string_view name,
                 std::string_view namespace_) {
  w.begin_object();
  w.member("kind", kind);
  w.member("apiVersion", api_version);
  w.begin_object("metadata");
  w.member("name", name);
  w.member("namespace", namespace_);
  w.end_object();
}

} // namespace porter::k8s::detail
