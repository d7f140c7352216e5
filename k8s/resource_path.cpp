#include "k8s/resource_path.hpp"

namespace porter::k8s {

std::string collection_path(const resource_ref& r, std::string_view ns) {
  std::string p = r.group.empty() ? "/api/" + r.version
                                  : "/apis/" + r.group + "/" + r.version;
  if (r.namespaced && !ns.empty())
    p += "/namespaces/" + std::string{ns};
  return p + "/" + r.plural;
}

std::string object_path(const resource_ref& r, std::string_view ns,
                        std::string_view name, std::string_view subresource) {
  std::string p = collection_path(r, r.namespaced ? ns : std::string_view{})
                  + "/" + std::string{name};
  if (!subresource.empty())
    p += "/" + std::string{subresource};
  return p;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9') || c == '-' || c == '.'
                            || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::string with_query(
  std::string path,
  const std::vector<std::pair<std::string_view, std::string>>& params) {
  char sep = '?';
  for (const auto& [key, value] : params) {
    if (value.empty())
      continue;
    path += sep;
    path += key;
    path += '=';
    path += percent_encode(value);
    sep = '&';
  }
  return path;
}

} // namespace porter::k8s
