// REST paths and query strings of the Kubernetes API (k8s-api.md §1.1):
// /api/v1/... for the core group, /apis/<group>/<version>/... otherwise;
// namespaced collections under namespaces/<ns>; subresources after the name.
// Query values are percent-encoded (label selectors hold '=' and ',').
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porter::k8s {

/// Which REST resource: group ("" for core), version, plural, scope.
struct resource_ref {
  std::string group;
  std::string version;
  std::string plural;
  bool namespaced = true;
};

/// The collection URL; `ns` empty on a namespaced resource means all
/// namespaces.
std::string collection_path(const resource_ref& r, std::string_view ns);
/// One object's URL, optionally a subresource ("status").
std::string object_path(const resource_ref& r, std::string_view ns,
                        std::string_view name,
                        std::string_view subresource = {});

/// RFC 3986 percent-encoding of a query value (unreserved kept).
std::string percent_encode(std::string_view s);

/// path + "?" + k=v&... with values encoded; pairs with empty values
/// are left out.
std::string
with_query(std::string path,
           const std::vector<std::pair<std::string_view, std::string>>& params);

} // namespace porter::k8s
