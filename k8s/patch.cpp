#include "k8s/patch.hpp"

#include <algorithm>

#include "k8s/object_writer.hpp"

namespace porter::k8s {

std::string json_quote(std::string_view s) {
  detail::json_writer w;
  w.string(s);
  return w.take();
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
