// An HTTP request as the pure core sees it, and its decoding: query strings
// (percent-decoding, Go's strconv.ParseBool spellings, which the Python
// client needs: `watch=True`), media types, and the REST path grammar of
// kube-apiserver (k8s-api.md §1.1): /api/v1/[watch/][namespaces/NS/]RES
// [/NAME[/SUB]] and /apis/G/V/... .
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porter::sim {

struct api_request {
  std::string method; // GET, POST, PUT, PATCH, DELETE
  std::string target; // path and query, as received
  std::string content_type;
  std::string accept;
  std::string body;
};

struct api_response {
  int code = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using query_map = std::map<std::string, std::string, std::less<>>;

std::string percent_decode(std::string_view s);

/// The non-empty segments of a URL path, each percent-decoded.
std::vector<std::string> split_path(std::string_view path);
query_map parse_query(std::string_view q);
/// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view s);
/// "application/json; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type);
/// Whether `accept` asks for a meta.k8s.io Table (v1 or v1beta1).
bool accepts_table(std::string_view accept);

enum class route_kind {
  not_found,
  version,
  health,
  core_versions,   // /api
  group_list,      // /apis
  group,           // /apis/G
  resource_list,   // /api/v1, /apis/G/V
  openapi_v3_root, // /openapi/v3
  openapi_v3_doc,  // /openapi/v3/api/v1, /openapi/v3/apis/G/V
  openapi_v2,
  resource,
};

struct route {
  route_kind kind = route_kind::not_found;
  std::string group;
  std::string version;
  bool watch_prefix = false; // deprecated /watch/ path form
  std::string ns;
  std::string resource;
  std::string name;
  std::string subresource;
  std::string doc_path; // openapi_v3_doc: "api/v1", "apis/G/V"
};

route parse_route(std::string_view path);

} // namespace porter::sim
