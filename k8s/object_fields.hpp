// Internal to the object decoders (core_objects.cpp, discovery_objects.cpp,
// porter_crds.cpp): typed reads on top of json_at for the Kubernetes
// scalar types (int32, uint32, port numbers, IntOrString), the TypeMeta
// check, and `fields`, which reads many members and keeps the first error
// so a decoder reads like the API type's field list.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "k8s/json_reader.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s::detail {

decoded<void> read_string(const json_at& o, std::string_view key,
                          std::string& out);

/// Reads members into a struct; after the first failed read the others are
/// ignored and done() reports that failure.
class fields {
public:
  template <class T, class U>
  fields& read(decoded<T> r, U& out) {
    if (!error_) {
      if (r)
        out = std::move(*r);
      else
        error_ = std::move(r.error());
    }
    return *this;
  }
  /// A string member copied straight from the document into `out`
  /// (absent/null: empty), without the intermediate strings of
  /// json_at::string().
  fields& str(const json_at& o, std::string_view key, std::string& out) {
    if (!error_)
      check(read_string(o, key, out));
    return *this;
  }
  /// A nested decode that wrote into its target itself.
  fields& check(decoded<void> r) {
    if (!error_ && !r)
      error_ = std::move(r.error());
    return *this;
  }
  decoded<void> done() {
    if (error_)
      return tl::make_unexpected(std::move(*error_));
    return {};
  }

private:
  std::optional<decode_error> error_;
};

/// An integer member in [lo, hi]; absent or null reads as 0 (which must
/// then lie in the range too).
decoded<std::int64_t> ranged(const json_at& o, std::string_view key,
                             std::int64_t lo, std::int64_t hi);
decoded<std::optional<std::int64_t>> optional_ranged(const json_at& o,
                                                     std::string_view key,
                                                     std::int64_t lo,
                                                     std::int64_t hi);

/// Go int32 (Kubernetes `int32` fields).
decoded<std::int32_t> int32(const json_at& o, std::string_view key);
decoded<std::optional<std::int32_t>> optional_int32(const json_at& o,
                                                    std::string_view key);
/// Go uint32 (OpenELB's AS numbers, timers, counters).
decoded<std::uint32_t> uint32(const json_at& o, std::string_view key);
/// A TCP/UDP port number, 0..65535 (0: unset).
decoded<std::uint16_t> port_number(const json_at& o, std::string_view key);
/// intstr.IntOrString as text: 8080 -> "8080", "http" -> "http".
decoded<std::string> int_or_string(const json_at& o, std::string_view key);

/// A closed API enum E (objects.hpp) from its spelling: absent, null or
/// "" read as `absent`; a spelling this build does not know as
/// E::unknown (a newer server's value is kept, not fatal).
template <class E>
decoded<E> enum_value(const json_at& o, std::string_view key, E absent) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m)
    return absent;
  const rapidjson::Value& v = (*m)->value();
  if (!v.IsString())
    return tl::make_unexpected((*m)->error("expected a string"));
  const std::string_view text{v.GetString(), v.GetStringLength()};
  if (text.empty())
    return absent;
  for (int i = 0; i < static_cast<int>(E::unknown); ++i)
    if (to_string(static_cast<E>(i)) == text)
      return static_cast<E>(i);
  return E::unknown;
}

/// A uint32 array element or map value.
decoded<std::uint32_t> as_uint32(const json_at& v);

/// TypeMeta: apiVersion and kind are optional (LIST items of built-in
/// kinds omit them) but, when present, must be "<group>/<version>" (or
/// "<version>" for the core group) and `kind`.
decoded<void> check_type_meta(const json_at& o, std::string_view group,
                              std::string_view version, std::string_view kind);

/// The frame every kind shares: TypeMeta check, ObjectMeta, then
/// `body(const json_at& object, T& out) -> decoded<void>`.
template <class T, class F>
decoded<T> decode_kind(const json_at& o, F&& body) {
  using info = kind_info<T>;
  if (auto t = check_type_meta(o, info::api_group, info::version, info::kind);
      !t)
    return tl::make_unexpected(std::move(t.error()));
  auto meta = decode_object_meta(o);
  if (!meta)
    return tl::make_unexpected(std::move(meta.error()));
  T out{};
  out.metadata = std::move(*meta);
  if (auto r = body(o, out); !r)
    return tl::make_unexpected(std::move(r.error()));
  return out;
}

/// Decodes the array member `key` element-wise with
/// `f(const json_at&, T&) -> decoded<void>`, appending to `out` (reserved to
/// the array's size, so cached vectors carry no spare capacity).
template <class T, class F>
decoded<void> read_list(const json_at& o, std::string_view key,
                        std::vector<T>& out, F&& f) {
  if (auto m = o.member(key); m && *m && (*m)->value().IsArray())
    out.reserve(out.size() + (*m)->value().Size());
  return o.for_each(key, [&](const json_at& item) -> decoded<void> {
    // Decoded in place: no move of a finished element.
    auto r = f(item, out.emplace_back());
    if (!r)
      out.pop_back();
    return r;
  });
}

/// Decodes the object member `key` with `f(const json_at&) -> decoded<void>`
/// when present (absent/null: nothing happens).
template <class F>
decoded<void> read_object(const json_at& o, std::string_view key, F&& f) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m)
    return {};
  return f(**m);
}

/// A Go pointer-to-struct member: std::nullopt when absent or null.
template <class T, class F>
decoded<void> read_optional_object(const json_at& o, std::string_view key,
                                   std::optional<T>& out, F&& f) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m)
    return {};
  T value{};
  if (auto r = f(**m, value); !r)
    return r;
  out = std::move(value);
  return {};
}

/// A map[string]V member as a vector of pairs sorted by key (stable, so
/// duplicate keys keep their order), with
/// `f(const json_at&, V&) -> decoded<void>` per value.
template <class V, class F>
decoded<void> read_map(const json_at& o, std::string_view key,
                       std::vector<std::pair<std::string, V>>& out, F&& f) {
  auto r = o.for_each_member(
    key, [&](std::string_view name, const json_at& item) -> decoded<void> {
      V value{};
      if (auto d = f(item, value); !d)
        return d;
      out.emplace_back(std::string{name}, std::move(value));
      return {};
    });
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  return r;
}

/// OpenELB GracefulRestart, shared by BgpConf and BgpPeer
/// (porter_crds.cpp).
decoded<void> decode_graceful_restart(const json_at& g,
                                      bgp_graceful_restart& out);

} // namespace porter::k8s::detail
