#include "k8s/patch.hpp"

#include <algorithm>
#include <cstdio>

namespace porter::k8s {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::optional<std::string> add_finalizer_patch(const object_meta& meta,
                                               std::string_view finalizer) {
  const auto& f = meta.finalizers;
  if (std::find(f.begin(), f.end(), finalizer) != f.end())
    return std::nullopt;
  if (f.empty())
    return R"([{"op":"test","path":"/metadata/finalizers","value":null},)"
           R"({"op":"add","path":"/metadata/finalizers","value":[)"
           + json_quote(finalizer) + "]}]";
  std::string current = "[";
  for (std::size_t i = 0; i < f.size(); ++i)
    current += (i == 0 ? "" : ",") + json_quote(f[i]);
  current += "]";
  return R"([{"op":"test","path":"/metadata/finalizers","value":)" + current
         + R"(},{"op":"add","path":"/metadata/finalizers/-","value":)"
         + json_quote(finalizer) + "}]";
}

std::optional<std::string> remove_finalizer_patch(const object_meta& meta,
                                                  std::string_view finalizer) {
  const auto& f = meta.finalizers;
  auto it = std::find(f.begin(), f.end(), finalizer);
  if (it == f.end())
    return std::nullopt;
  const std::string path
    = "/metadata/finalizers/" + std::to_string(it - f.begin());
  return R"([{"op":"test","path":")" + path + R"(","value":)"
         + json_quote(finalizer) + R"(},{"op":"remove","path":")" + path
         + R"("}])";
}

} // namespace porter::k8s
