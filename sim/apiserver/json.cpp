#include "sim/apiserver/json.hpp"

#include <algorithm>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace porter::sim::json {

const value* find(const value& obj, std::string_view key) {
  if (!obj.IsObject())
    return nullptr;
  auto it = obj.FindMember(ref(key));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

value* find(value& obj, std::string_view key) {
  if (!obj.IsObject())
    return nullptr;
  auto it = obj.FindMember(ref(key));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

const value* find_path(const value& root,
                       std::initializer_list<std::string_view> path) {
  const value* cur = &root;
  for (auto key : path) {
    cur = find(*cur, key);
    if (cur == nullptr)
      return nullptr;
  }
  return cur;
}

std::optional<std::string_view> as_string(const value& v) {
  if (!v.IsString())
    return std::nullopt;
  return std::string_view{v.GetString(), v.GetStringLength()};
}

std::optional<std::int64_t> as_int(const value& v) {
  if (v.IsInt64())
    return v.GetInt64();
  // 3.0 is a valid integer in JSON as Go's decoder sees it.
  if (v.IsDouble()) {
    double d = v.GetDouble();
    auto i = static_cast<std::int64_t>(d);
    if (static_cast<double>(i) == d)
      return i;
  }
  return std::nullopt;
}

std::optional<std::string_view> get_string(const value& obj,
                                           std::string_view key) {
  const value* v = find(obj, key);
  return v == nullptr ? std::nullopt : as_string(*v);
}

std::optional<std::int64_t> get_int(const value& obj, std::string_view key) {
  const value* v = find(obj, key);
  return v == nullptr ? std::nullopt : as_int(*v);
}

std::optional<bool> get_bool(const value& obj, std::string_view key) {
  const value* v = find(obj, key);
  if (v == nullptr || !v->IsBool())
    return std::nullopt;
  return v->GetBool();
}

std::optional<std::string_view>
string_at(const value& root, std::initializer_list<std::string_view> path) {
  const value* v = find_path(root, path);
  return v == nullptr ? std::nullopt : as_string(*v);
}

value make_string(std::string_view s, allocator& a) {
  return value{s.data(), static_cast<rapidjson::SizeType>(s.size()), a};
}

void set(value& obj, std::string_view key, value&& v, allocator& a) {
  if (!obj.IsObject())
    obj.SetObject();
  if (value* existing = find(obj, key)) {
    *existing = std::move(v);
    return;
  }
  obj.AddMember(make_string(key, a), std::move(v), a);
}

void set_string(value& obj, std::string_view key, std::string_view s,
                allocator& a) {
  set(obj, key, make_string(s, a), a);
}

value& ensure_object(value& obj, std::string_view key, allocator& a) {
  value* v = find(obj, key);
  if (v != nullptr) {
    if (!v->IsObject())
      v->SetObject();
    return *v;
  }
  set(obj, key, value{rapidjson::kObjectType}, a);
  return *find(obj, key);
}

void erase(value& obj, std::string_view key) {
  if (!obj.IsObject())
    return;
  auto it = obj.FindMember(ref(key));
  if (it != obj.MemberEnd())
    obj.EraseMember(it);
}

std::string to_string(const value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  v.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

namespace {

// Nesting depth of a JSON text, counted without recursion.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

} // namespace

tl::expected<document, std::string> parse(std::string_view text) {
  // Everything downstream (copies, patches, schema walks, the writer)
  // recurses per level: bound it, as decoders of untrusted input must.
  if (nesting_depth(text) > max_depth)
    return tl::make_unexpected("JSON nested deeper than "
                               + std::to_string(max_depth) + " levels");
  document d;
  d.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (d.HasParseError())
    return tl::make_unexpected(
      std::string(rapidjson::GetParseError_En(d.GetParseError()))
      + " at offset " + std::to_string(d.GetErrorOffset()));
  return d;
}

value copy(const value& v, allocator& a) {
  return value{v, a};
}

} // namespace porter::sim::json
