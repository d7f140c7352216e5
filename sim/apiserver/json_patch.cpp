#include "sim/apiserver/json_patch.hpp"

#include <vector>

namespace porter::sim {

namespace {

using expected_void = tl::expected<void, std::string>;

// RFC 6901 §4: "~1" is '/', "~0" is '~'.
tl::expected<std::vector<std::string>, std::string>
split_pointer(std::string_view p) {
  std::vector<std::string> out;
  if (p.empty())
    return out;
  if (p.front() != '/')
    return tl::make_unexpected("JSON pointer must start with '/': \""
                               + std::string(p) + "\"");
  p.remove_prefix(1);
  while (true) {
    auto slash = p.find('/');
    std::string token;
    auto raw = p.substr(0, slash);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && raw[i + 1] == '1') {
        token += '/';
        ++i;
      } else if (raw[i] == '~' && i + 1 < raw.size() && raw[i + 1] == '0') {
        token += '~';
        ++i;
      } else {
        token += raw[i];
      }
    }
    out.push_back(std::move(token));
    if (slash == std::string_view::npos)
      return out;
    p.remove_prefix(slash + 1);
  }
}

// An array index token: digits only, no leading zero (RFC 6901 §4).
bool parse_index(const std::string& t, std::size_t& out) {
  if (t.empty() || t.size() > 9 || (t.size() > 1 && t[0] == '0'))
    return false;
  out = 0;
  for (char c : t) {
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

json::value* child(json::value& v, const std::string& token) {
  if (v.IsObject())
    return json::find(v, token);
  std::size_t i = 0;
  if (v.IsArray() && parse_index(token, i) && i < v.Size())
    return &v[static_cast<rapidjson::SizeType>(i)];
  return nullptr;
}

json::value* resolve(json::value& root, const std::vector<std::string>& path,
                     std::size_t depth) {
  json::value* cur = &root;
  for (std::size_t i = 0; i < depth && cur != nullptr; ++i)
    cur = child(*cur, path[i]);
  return cur;
}

void array_insert(json::value& arr, std::size_t at, json::value&& v,
                  json::allocator& a) {
  arr.PushBack(std::move(v), a);
  for (auto i = arr.Size() - 1; i > at; --i)
    arr[i].Swap(arr[i - 1]);
}

expected_void add(json::value& root, const std::vector<std::string>& path,
                  json::value&& v, json::allocator& a, const std::string& p) {
  if (path.empty()) {
    root = std::move(v);
    return {};
  }
  json::value* parent = resolve(root, path, path.size() - 1);
  const auto& last = path.back();
  if (parent != nullptr && parent->IsObject()) {
    json::set(*parent, last, std::move(v), a);
    return {};
  }
  std::size_t i = 0;
  if (parent != nullptr && parent->IsArray()) {
    if (last == "-") {
      parent->PushBack(std::move(v), a);
      return {};
    }
    if (parse_index(last, i) && i <= parent->Size()) {
      array_insert(*parent, i, std::move(v), a);
      return {};
    }
  }
  return tl::make_unexpected("add operation does not apply: doc is missing "
                             "path: \""
                             + p + "\": missing value");
}

tl::expected<json::value, std::string>
take(json::value& root, const std::vector<std::string>& path,
     const std::string& op, const std::string& p) {
  json::value* parent
    = path.empty() ? nullptr : resolve(root, path, path.size() - 1);
  std::size_t i = 0;
  if (parent != nullptr && parent->IsObject()) {
    auto it = parent->FindMember(json::ref(path.back()));
    if (it != parent->MemberEnd()) {
      json::value out = std::move(it->value);
      parent->EraseMember(it);
      return out;
    }
  } else if (parent != nullptr && parent->IsArray()
             && parse_index(path.back(), i) && i < parent->Size()) {
    json::value out = std::move((*parent)[static_cast<rapidjson::SizeType>(i)]);
    parent->Erase(parent->Begin() + i);
    return out;
  }
  return tl::make_unexpected(op
                             + " operation does not apply: doc is missing "
                               "path: \""
                             + p + "\": missing value");
}

// evanphx/json-patch: a missing path equals null for `test`.
expected_void test(json::value& root, const std::vector<std::string>& path,
                   const json::value* want, const std::string& p) {
  json::value* have = resolve(root, path, path.size());
  bool want_null = want == nullptr || want->IsNull();
  if (have == nullptr ? want_null : (want != nullptr && *have == *want))
    return {};
  return tl::make_unexpected("testing value " + p + " failed: test failed");
}

expected_void replace(json::value& root, const std::vector<std::string>& path,
                      const json::value& v, json::allocator& a,
                      const std::string& p) {
  json::value* t = resolve(root, path, path.size());
  if (t == nullptr)
    return tl::make_unexpected("replace operation does not apply: doc is "
                               "missing key: \""
                               + p + "\": missing value");
  *t = json::copy(v, a);
  return {};
}

// move and copy: take the value at "from", add it at "path".
expected_void move_or_copy(json::value& root, const json::value& op, bool move,
                           const std::vector<std::string>& path,
                           json::allocator& a, const std::string& p) {
  auto from = json::get_string(op, "from");
  if (!from)
    return tl::make_unexpected("move/copy operation must have a \"from\"");
  std::string fs(*from);
  auto fpath = split_pointer(fs);
  if (!fpath)
    return tl::make_unexpected(fpath.error());
  if (move) {
    auto v = take(root, *fpath, "move", fs);
    if (!v)
      return tl::make_unexpected(v.error());
    return add(root, path, std::move(*v), a, p);
  }
  json::value* src = resolve(root, *fpath, fpath->size());
  if (src == nullptr)
    return tl::make_unexpected("copy operation does not apply: doc is "
                               "missing from path: \""
                               + fs + "\"");
  return add(root, path, json::copy(*src, a), a, p);
}

expected_void apply_op(json::value& root, const json::value& op,
                       json::allocator& a) {
  auto name = json::get_string(op, "op");
  auto p = json::get_string(op, "path");
  if (!name || !p)
    return tl::make_unexpected("operation must have string \"op\" and "
                               "\"path\"");
  std::string ps(*p);
  auto path = split_pointer(ps);
  if (!path)
    return tl::make_unexpected(path.error());
  const json::value* val = json::find(op, "value");
  if (*name == "test")
    return test(root, *path, val, ps);
  if (*name == "remove")
    return take(root, *path, "remove", ps).map([](auto&&) {});
  if (*name == "move" || *name == "copy")
    return move_or_copy(root, op, *name == "move", *path, a, ps);
  if (*name != "add" && *name != "replace")
    return tl::make_unexpected("Unexpected kind: " + std::string(*name));
  if (val == nullptr)
    return tl::make_unexpected(std::string(*name)
                               + " operation must have a \"value\"");
  if (*name == "replace")
    return replace(root, *path, *val, a, ps);
  return add(root, *path, json::copy(*val, a), a, ps);
}

} // namespace

void apply_merge_patch(json::value& target, const json::value& patch,
                       json::allocator& a) {
  if (!patch.IsObject()) {
    target.CopyFrom(patch, a);
    return;
  }
  if (!target.IsObject())
    target.SetObject();
  for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
    std::string_view key{it->name.GetString(), it->name.GetStringLength()};
    if (it->value.IsNull()) {
      json::erase(target, key);
      continue;
    }
    json::value* existing = json::find(target, key);
    if (existing == nullptr) {
      json::set(target, key, json::value{rapidjson::kObjectType}, a);
      existing = json::find(target, key);
      existing->SetNull();
    }
    apply_merge_patch(*existing, it->value, a);
  }
}

tl::expected<void, std::string> apply_json_patch(json::value& target,
                                                 const json::value& ops,
                                                 json::allocator& a) {
  if (!ops.IsArray())
    return tl::make_unexpected("a JSON patch must be an array of operations");
  for (const auto& op : ops.GetArray()) {
    auto r = apply_op(target, op, a);
    if (!r)
      return r;
  }
  return {};
}

} // namespace porter::sim
