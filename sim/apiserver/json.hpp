// Checked access to RapidJSON values for the API server emulator. Every read
// of untrusted JSON (request bodies, stored objects, CRD schemas) goes through
// these helpers: a missing member or a member of the wrong type yields an
// empty optional / nullptr, never an assert (STYLE.md §3). Objects keep member
// order on edits (EraseMember), as Kubernetes clients print them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <tl/expected.hpp>

namespace porter::sim::json {

using value = rapidjson::Value;
using document = rapidjson::Document;
using allocator = rapidjson::Document::AllocatorType;

/// The member `key` of `obj`, or nullptr when `obj` is not an object or has
/// no such member.
const value* find(const value& obj, std::string_view key);
value* find(value& obj, std::string_view key);

/// Follows object members along `path`; nullptr as soon as one is missing.
const value* find_path(const value& root,
                       std::initializer_list<std::string_view> path);

std::optional<std::string_view> get_string(const value& obj,
                                           std::string_view key);
std::optional<std::int64_t> get_int(const value& obj, std::string_view key);
std::optional<bool> get_bool(const value& obj, std::string_view key);
std::optional<std::string_view>
string_at(const value& root, std::initializer_list<std::string_view> path);
std::optional<std::string_view> as_string(const value& v);
std::optional<std::int64_t> as_int(const value& v);

/// A RapidJSON string view of `s` (not copied: `s` must outlive the use).
inline rapidjson::Value::StringRefType ref(std::string_view s) {
  return {s.data(), static_cast<rapidjson::SizeType>(s.size())};
}
/// A value holding a copy of `s`.
value make_string(std::string_view s, allocator& a);

/// Sets (adding or replacing) member `key` of object `obj` to `v`.
void set(value& obj, std::string_view key, value&& v, allocator& a);
void set_string(value& obj, std::string_view key, std::string_view s,
                allocator& a);
/// The object member `key`, created (or replacing a non-object) if needed.
value& ensure_object(value& obj, std::string_view key, allocator& a);
/// Removes member `key` if present, keeping the order of the others.
void erase(value& obj, std::string_view key);

/// Compact serialization (what the apiserver writes on the wire).
std::string to_string(const value& v);
/// Deepest nesting parse() accepts.
inline constexpr std::size_t max_depth = 200;

/// Parses `text`; the error says where and why it failed.
tl::expected<document, std::string> parse(std::string_view text);
/// Deep copy into `a`.
value copy(const value& v, allocator& a);

} // namespace porter::sim::json
