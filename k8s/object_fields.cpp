// Typed reads for the object decoders (object_fields.hpp): Go's integer
// widths range-checked with the member's path in the error, IntOrString as
// text, the TypeMeta check, strings copied straight into their target.
#include "k8s/object_fields.hpp"

#include <limits>

namespace porter::k8s::detail {

namespace {

std::string range_text(std::int64_t lo, std::int64_t hi) {
  return "out of range [" + std::to_string(lo) + ", " + std::to_string(hi)
         + "]";
}

} // namespace

decoded<void> read_string(const json_at& o, std::string_view key,
                          std::string& out) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m) {
    out.clear();
    return {};
  }
  const rapidjson::Value& v = (*m)->value();
  if (!v.IsString()) // as_string() words the error
    return tl::make_unexpected((*m)->as_string().error());
  out.assign(v.GetString(), v.GetStringLength());
  return {};
}

decoded<std::optional<std::int64_t>> optional_ranged(const json_at& o,
                                                     std::string_view key,
                                                     std::int64_t lo,
                                                     std::int64_t hi) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m)
    return std::optional<std::int64_t>{};
  auto i = (*m)->as_int64();
  if (!i)
    return tl::make_unexpected(i.error());
  if (*i < lo || *i > hi)
    return tl::make_unexpected((*m)->error(range_text(lo, hi)));
  return std::optional<std::int64_t>{*i};
}

decoded<std::int64_t> ranged(const json_at& o, std::string_view key,
                             std::int64_t lo, std::int64_t hi) {
  return optional_ranged(o, key, lo, hi).map([](std::optional<std::int64_t> i) {
    return i.value_or(0);
  });
}

decoded<std::int32_t> int32(const json_at& o, std::string_view key) {
  using limits = std::numeric_limits<std::int32_t>;
  return ranged(o, key, limits::min(), limits::max()).map([](std::int64_t i) {
    return static_cast<std::int32_t>(i);
  });
}

decoded<std::optional<std::int32_t>> optional_int32(const json_at& o,
                                                    std::string_view key) {
  using limits = std::numeric_limits<std::int32_t>;
  return optional_ranged(o, key, limits::min(), limits::max())
    .map([](std::optional<std::int64_t> i) {
      return i ? std::optional<std::int32_t>{static_cast<std::int32_t>(*i)}
               : std::optional<std::int32_t>{};
    });
}

decoded<std::uint32_t> uint32(const json_at& o, std::string_view key) {
  return ranged(o, key, 0, std::numeric_limits<std::uint32_t>::max())
    .map([](std::int64_t i) { return static_cast<std::uint32_t>(i); });
}

decoded<std::uint16_t> port_number(const json_at& o, std::string_view key) {
  return ranged(o, key, 0, 65535).map([](std::int64_t i) {
    return static_cast<std::uint16_t>(i);
  });
}

decoded<std::string> int_or_string(const json_at& o, std::string_view key) {
  auto m = o.member(key);
  if (!m)
    return tl::make_unexpected(m.error());
  if (!*m)
    return std::string{};
  const json_at& v = **m;
  // intstr.IntOrString: a JSON string, or an int32 number.
  if (v.value().IsString())
    return v.as_string();
  if (!v.value().IsNumber())
    return tl::make_unexpected(v.error("expected an integer or a string"));
  auto i = v.as_int64();
  if (!i)
    return tl::make_unexpected(i.error());
  using limits = std::numeric_limits<std::int32_t>;
  if (*i < limits::min() || *i > limits::max())
    return tl::make_unexpected(
      v.error(range_text(limits::min(), limits::max())));
  return std::to_string(*i);
}

decoded<std::uint32_t> as_uint32(const json_at& v) {
  auto i = v.as_int64();
  if (!i)
    return tl::make_unexpected(i.error());
  if (*i < 0 || *i > std::numeric_limits<std::uint32_t>::max())
    return tl::make_unexpected(
      v.error(range_text(0, std::numeric_limits<std::uint32_t>::max())));
  return static_cast<std::uint32_t>(*i);
}

decoded<void> check_type_meta(const json_at& o, std::string_view group,
                              std::string_view version, std::string_view kind) {
  auto v = o.optional_string("apiVersion");
  if (!v)
    return tl::make_unexpected(v.error());
  if (*v) {
    const std::string& found = **v;
    const bool match
      = group.empty()
          ? found == version
          : found.size() == group.size() + 1 + version.size()
              && found.compare(0, group.size(), group) == 0
              && found[group.size()] == '/'
              && found.compare(group.size() + 1, std::string::npos, version)
                   == 0;
    if (!match) {
      std::string want{group};
      if (!want.empty())
        want += '/';
      want += version;
      return tl::make_unexpected(
        o.required("apiVersion")
          ->error("expected " + want + ", found " + found));
    }
  }
  auto k = o.optional_string("kind");
  if (!k)
    return tl::make_unexpected(k.error());
  if (*k && **k != kind)
    return tl::make_unexpected(o.required("kind")->error(
      "expected " + std::string{kind} + ", found " + **k));
  return {};
}

} // namespace porter::k8s::detail
