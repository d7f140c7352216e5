#include "sim/apiserver/request.hpp"

namespace porter::sim {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// The part after /api/v1 or /apis/G/V.
route resource_route(route r, const std::vector<std::string>& s,
                     std::size_t i) {
  if (i < s.size() && s[i] == "watch") {
    r.watch_prefix = true;
    ++i;
  }
  std::size_t n = s.size() - i;
  if (n == 0) {
    r.kind = route_kind::resource_list;
    return r;
  }
  r.kind = route_kind::resource;
  // /namespaces/NS/RES...; but /namespaces/NAME[/status|/finalize] is the
  // namespace object itself.
  if (s[i] == "namespaces" && n >= 3
      && !(n == 3 && (s[i + 2] == "status" || s[i + 2] == "finalize"))) {
    r.ns = s[i + 1];
    i += 2;
    n -= 2;
  }
  if (n > 3) {
    r.kind = route_kind::not_found;
    return r;
  }
  r.resource = s[i];
  if (n >= 2)
    r.name = s[i + 1];
  if (n == 3)
    r.subresource = s[i + 2];
  return r;
}

route only(route_kind k) {
  route r;
  r.kind = k;
  return r;
}

} // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    auto seg = path.substr(0, slash);
    if (!seg.empty())
      out.push_back(percent_decode(seg));
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0
        && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

query_map parse_query(std::string_view q) {
  query_map out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto pair = q.substr(0, amp);
    auto eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    std::string val(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    for (auto& c : val)
      c = c == '+' ? ' ' : c;
    for (auto& c : key)
      c = c == '+' ? ' ' : c;
    if (!key.empty())
      out.emplace(percent_decode(key), percent_decode(val));
    if (amp == std::string_view::npos)
      break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<bool> parse_go_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true"
      || s == "True")
    return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false"
      || s == "False")
    return false;
  return std::nullopt;
}

std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ')
    t.remove_suffix(1);
  std::string out(t);
  for (auto& c : out)
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool accepts_table(std::string_view accept) {
  // Each comma-separated alternative: "application/json;as=Table;v=v1;g=..."
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto alt = accept.substr(0, comma);
    if (alt.find("as=Table") != std::string_view::npos
        && alt.find("g=meta.k8s.io") != std::string_view::npos)
      return true;
    if (comma == std::string_view::npos)
      break;
    accept.remove_prefix(comma + 1);
  }
  return false;
}

route parse_route(std::string_view path) {
  auto s = split_path(path);
  route r;
  if (s.empty())
    return r;
  if (s.size() == 1 && s[0] == "version")
    return only(route_kind::version);
  if (s.size() == 1
      && (s[0] == "healthz" || s[0] == "livez" || s[0] == "readyz"))
    return only(route_kind::health);
  if (s[0] == "openapi" && s.size() >= 2) {
    if (s[1] == "v2" && s.size() == 2)
      return only(route_kind::openapi_v2);
    if (s[1] != "v3")
      return r;
    if (s.size() == 2)
      return only(route_kind::openapi_v3_root);
    r.kind = route_kind::openapi_v3_doc;
    for (std::size_t i = 2; i < s.size(); ++i)
      r.doc_path += (i == 2 ? "" : "/") + s[i];
    return r;
  }
  if (s[0] == "api") {
    if (s.size() == 1)
      return only(route_kind::core_versions);
    r.version = s[1];
    return resource_route(r, s, 2);
  }
  if (s[0] != "apis")
    return r;
  if (s.size() == 1)
    return only(route_kind::group_list);
  r.group = s[1];
  if (s.size() == 2) {
    r.kind = route_kind::group;
    return r;
  }
  r.version = s[2];
  return resource_route(r, s, 3);
}

} // namespace porter::sim
