// The set of served resources: built-ins plus whatever the stored CRDs add.
// Answers the lookups of URL routing and discovery (`/api`, `/apis`,
// `/apis/G/V`, k8s-api.md §5.3), with API groups and versions ordered the
// way the apiserver orders them (kube-aware version priority: v1 > v1beta2 >
// v1beta1 > v1alpha1 > others).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/apiserver/resource_info.hpp"

namespace porter::sim {

/// <0 when `a` has higher priority than `b` (sorts first).
int compare_kube_versions(std::string_view a, std::string_view b);

class registry {
public:
  struct group_versions {
    std::string group;
    std::vector<std::string> versions; // preferred first
  };

  /// Adds or replaces the resource with the same group/version/plural.
  void add(resource_info info);
  /// Removes every version of group/resource (a deleted CRD).
  void remove(std::string_view group, std::string_view resource);

  resource_ptr find(std::string_view group, std::string_view version,
                    std::string_view resource) const;
  /// Any served version of group/resource (storage is per group-resource).
  resource_ptr find_any(std::string_view group,
                        std::string_view resource) const;

  /// Named API groups (not the core group), built-ins first.
  std::vector<group_versions> groups() const;
  std::vector<resource_ptr> resources(std::string_view group,
                                      std::string_view version) const;
  const std::vector<resource_ptr>& all() const { return infos_; }

private:
  std::vector<resource_ptr> infos_;
};

/// The built-in resources of issue #5 (core/v1 namespaces, nodes, services,
/// endpoints, pods, configmaps, secrets, events; CRDs, leases,
/// endpointslices, events.k8s.io) and, stored only, those of porter's
/// manifests (issue #12: serviceaccounts, deployments, daemonsets,
/// poddisruptionbudgets, RBAC roles and bindings).
std::vector<resource_info> builtin_resources();

} // namespace porter::sim
