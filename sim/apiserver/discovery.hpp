// Discovery documents as kubectl 1.32 reads them (k8s-api.md §5.1, §5.3):
// /version, /api (APIVersions), /apis (APIGroupList), /apis/G (APIGroup),
// /api/v1 and /apis/G/V (APIResourceList incl. `<plural>/status`), all as
// plain application/json (legacy discovery; the aggregated form is optional).
// Plus the minimal /openapi/v3 that makes kubectl trust server-side field
// validation: one PATCH operation per kind advertising `fieldValidation`.
#pragma once

#include <optional>
#include <string>

#include "sim/apiserver/registry.hpp"

namespace porter::sim {

std::string version_json();
std::string api_versions_json(const std::string& server_address);
std::string api_group_list_json(const registry& reg);
std::optional<std::string> api_group_json(const registry& reg,
                                          const std::string& group);
std::optional<std::string> api_resource_list_json(const registry& reg,
                                                  const std::string& group,
                                                  const std::string& version);

/// GET /openapi/v3: the per group-version documents with content hashes.
std::string openapi_v3_root(const registry& reg);
/// GET /openapi/v3/<gv path> ("api/v1", "apis/G/V").
std::optional<std::string> openapi_v3_document(const registry& reg,
                                               const std::string& gv_path);

} // namespace porter::sim
