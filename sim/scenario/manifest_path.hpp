// Where a manifest goes in the API (issue #10 item 3): the collection URL
// of its kind and its name, for the kinds a scenario creates — core
// (Namespace, Node, Service, Secret, ConfigMap), discovery.k8s.io
// EndpointSlice and porter's Eip, BgpConf, BgpPeer. Namespaced kinds
// without a namespace go to "default", as kubectl sends them. Pure.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace porter::sim {

struct manifest_target {
  std::string collection; ///< "/api/v1/namespaces/default/services"
  std::string name;
  std::string kind;
};

/// `json` is one object; the error names what is missing or unknown.
tl::expected<manifest_target, std::string>
manifest_target_of(std::string_view json);

/// The collection of a kind by name (for deletes): "" if unknown.
std::string collection_of_kind(std::string_view kind,
                               std::string_view ns = "default");

} // namespace porter::sim
