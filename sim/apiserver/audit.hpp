// What kube-apiserver's authorizer sees of a request (k8s.io/apiserver
// pkg/endpoints/request/requestinfo.go, RequestInfoFactory.NewRequestInfo):
// the RBAC verb derived from method, path and query (a GET of a collection
// is `list`, `?watch=true` or a /watch/ path is `watch`, a DELETE of a
// collection is `deletecollection`), API group, resource, subresource,
// namespace and name; and the line `porter sim apiserver --audit-log`
// writes per request, which the RBAC test compares with config/rbac/.
#pragma once

#include <string>
#include <string_view>

namespace porter::sim {

struct request_attributes {
  /// false: a non-resource URL (/version, /api, /apis/G/V, /openapi/...),
  /// whose verb is the lowercase method (RBAC nonResourceURLs).
  bool resource_request = false;
  std::string verb;
  std::string path; ///< without the query
  std::string group;
  std::string version;
  std::string resource;
  std::string subresource;
  std::string namespace_;
  /// From the path, or from a list/watch `fieldSelector=metadata.name=N`
  /// (which is how RBAC resourceNames can allow a single-object watch).
  std::string name;
};

/// The attributes of a request, as NewRequestInfo computes them.
request_attributes request_attributes_of(std::string_view method,
                                         std::string_view target);

/// One line, fields separated by one space, `-` for an empty field:
/// `user verb group resource subresource namespace name code`; for a
/// non-resource request the resource field is the path.
std::string audit_line(std::string_view user, const request_attributes& r,
                       int code);

} // namespace porter::sim
