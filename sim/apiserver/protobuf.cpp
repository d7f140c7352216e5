#include "sim/apiserver/protobuf.hpp"

#include <cstdint>
#include <optional>

#include "sim/apiserver/encoding.hpp"
#include "sim/apiserver/json.hpp"

namespace porter::sim {

namespace {

// One protobuf field: number, wire type and payload (varint value or bytes).
struct field {
  int number = 0;
  int wire = 0;
  std::uint64_t varint = 0;
  std::string_view bytes;
};

class reader {
public:
  explicit reader(std::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }

  std::optional<field> next() {
    auto key = read_varint();
    if (!key)
      return std::nullopt;
    field f;
    f.number = static_cast<int>(*key >> 3);
    f.wire = static_cast<int>(*key & 7);
    if (f.wire == 0) {
      auto v = read_varint();
      if (!v)
        return std::nullopt;
      f.varint = *v;
    } else if (f.wire == 2) {
      auto len = read_varint();
      if (!len || *len > in_.size())
        return std::nullopt;
      f.bytes = in_.substr(0, *len);
      in_.remove_prefix(*len);
    } else if (f.wire == 1 || f.wire == 5) {
      std::size_t n = f.wire == 1 ? 8 : 4;
      if (in_.size() < n)
        return std::nullopt;
      in_.remove_prefix(n);
    } else {
      return std::nullopt;
    }
    return f;
  }

private:
  std::optional<std::uint64_t> read_varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && !in_.empty(); shift += 7) {
      auto b = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return v;
    }
    return std::nullopt;
  }

  std::string_view in_;
};

using result = tl::expected<void, std::string>;

result bad() {
  return tl::make_unexpected("malformed protobuf body");
}

// A map<string, string|bytes> entry: key = 1, value = 2.
result map_entry(std::string_view entry, json::value& obj, bool bytes,
                 json::allocator& a) {
  reader r(entry);
  std::string_view key, value;
  while (!r.done()) {
    auto f = r.next();
    if (!f)
      return bad();
    (f->number == 1 ? key : value) = f->bytes;
  }
  if (bytes)
    json::set_string(obj, key, base64_encode(value), a);
  else
    json::set_string(obj, key, value, a);
  return {};
}

void push_string(json::value& obj, std::string_view key, std::string_view v,
                 json::allocator& a) {
  json::value* list = json::find(obj, key);
  if (list == nullptr || !list->IsArray()) {
    json::set(obj, key, json::value{rapidjson::kArrayType}, a);
    list = json::find(obj, key);
  }
  list->PushBack(json::make_string(v, a), a);
}

// meta/v1 ObjectMeta: name 1, generateName 2, namespace 3, labels 11,
// annotations 12, finalizers 14 (the fields a client sets on create).
result object_meta(std::string_view raw, json::value& meta,
                   json::allocator& a) {
  reader r(raw);
  while (!r.done()) {
    auto f = r.next();
    if (!f)
      return bad();
    // gogo-protobuf writes empty strings too: they mean "unset".
    if ((f->number == 1 || f->number == 2 || f->number == 3)
        && !f->bytes.empty()) {
      const char* key[] = {"", "name", "generateName", "namespace"};
      json::set_string(meta, key[f->number], f->bytes, a);
    } else if (f->number == 11 || f->number == 12) {
      auto& m = json::ensure_object(
        meta, f->number == 11 ? "labels" : "annotations", a);
      if (auto e = map_entry(f->bytes, m, false, a); !e)
        return e;
    } else if (f->number == 14) {
      push_string(meta, "finalizers", f->bytes, a);
    }
  }
  return {};
}

// The kind's own fields; `maps` says which numbers are maps (true: bytes
// values, base64 in JSON), `strings` which are scalar strings.
struct kind_layout {
  const char* kind;
  std::vector<std::pair<int, std::pair<const char*, bool>>> maps;
  std::vector<std::pair<int, const char*>> strings;
  std::vector<std::pair<int, const char*>> bools;
};

const kind_layout* layout_of(std::string_view kind) {
  static const std::vector<kind_layout> layouts = {
    {"ConfigMap",
     {{2, {"data", false}}, {3, {"binaryData", true}}},
     {},
     {{4, "immutable"}}},
    {"Secret",
     {{2, {"data", true}}, {4, {"stringData", false}}},
     {{3, "type"}},
     {{5, "immutable"}}},
    {"Namespace", {}, {}, {}},
  };
  for (const auto& l : layouts)
    if (kind == l.kind)
      return &l;
  return nullptr;
}

result object_field(const field& f, const kind_layout& l, json::value& obj,
                    json::allocator& a) {
  if (f.number == 1)
    return object_meta(f.bytes, json::ensure_object(obj, "metadata", a), a);
  for (const auto& [n, m] : l.maps)
    if (n == f.number)
      return map_entry(f.bytes, json::ensure_object(obj, m.first, a), m.second,
                       a);
  for (const auto& [n, name] : l.strings)
    if (n == f.number && !f.bytes.empty())
      json::set_string(obj, name, f.bytes, a);
  for (const auto& [n, name] : l.bools)
    if (n == f.number)
      json::set(obj, name, json::value{f.varint != 0}, a);
  // Namespace spec (2): finalizers (1).
  if (std::string_view(l.kind) == "Namespace" && f.number == 2) {
    reader r(f.bytes);
    while (!r.done())
      if (auto s = r.next(); s && s->number == 1)
        push_string(json::ensure_object(obj, "spec", a), "finalizers", s->bytes,
                    a);
  }
  return {};
}

} // namespace

tl::expected<std::string, std::string> protobuf_to_json(std::string_view body) {
  constexpr std::string_view magic{"k8s\0", 4};
  if (body.substr(0, 4) != magic)
    return tl::make_unexpected("protobuf body without the k8s magic");
  // runtime.Unknown: typeMeta 1 {apiVersion 1, kind 2}, raw 2.
  reader unknown(body.substr(4));
  std::string_view api_version, kind, raw;
  while (!unknown.done()) {
    auto f = unknown.next();
    if (!f)
      return tl::make_unexpected("malformed protobuf body");
    if (f->number == 2)
      raw = f->bytes;
    if (f->number != 1)
      continue;
    reader tm(f->bytes);
    while (!tm.done())
      if (auto t = tm.next())
        (t->number == 1 ? api_version : kind) = t->bytes;
      else
        return tl::make_unexpected("malformed protobuf body");
  }
  const kind_layout* l = api_version == "v1" ? layout_of(kind) : nullptr;
  if (l == nullptr)
    return tl::make_unexpected("protobuf is only understood for v1 Namespace, "
                               "ConfigMap and Secret");
  json::document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  json::set_string(doc, "kind", kind, a);
  json::set_string(doc, "apiVersion", api_version, a);
  reader r(raw);
  while (!r.done()) {
    auto f = r.next();
    if (!f)
      return tl::make_unexpected("malformed protobuf body");
    if (auto e = object_field(*f, *l, doc, a); !e)
      return tl::make_unexpected(e.error());
  }
  return json::to_string(doc);
}

} // namespace porter::sim
