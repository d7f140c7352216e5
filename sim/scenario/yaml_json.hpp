// YAML manifests as the JSON the API server takes (issue #10 items 1, 3):
// the CRDs the demo installs and the plain manifests of scenario files —
// the same YAML a user would `kubectl apply`. Scalars are typed by the
// YAML 1.2 core schema (quoted ones stay strings), as sigs.k8s.io/yaml does
// for everything Kubernetes manifests use. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace porter::sim {

/// Every non-empty document of `yaml` ("---" separated) as compact JSON.
/// Errors name the line and column: "line 3, column 5: illegal map value".
tl::expected<std::vector<std::string>, std::string>
yaml_documents_to_json(std::string_view yaml);

} // namespace porter::sim
