// CustomResourceDefinition (apiextensions.k8s.io/v1) handling: validation of
// the definition, the resources it serves (one per served version, with
// names, scope, status subresource, additionalPrinterColumns and the
// openAPIV3Schema), and the status the apiextensions controllers would write
// (NamesAccepted and Established conditions, acceptedNames, storedVersions),
// so `kubectl wait --for condition=established` works.
#pragma once

#include <string>
#include <vector>

#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/json.hpp"
#include "sim/apiserver/resource_info.hpp"

namespace porter::sim {

/// Field errors of a CRD (name = plural.group, scope, one storage version,
/// a schema per version).
std::vector<status_cause> validate_crd(const json::value& crd);

/// The resources served by a valid CRD, one per served version.
std::vector<resource_info> crd_resources(const json::value& crd);

/// The group and plural of a CRD, for storage lookups.
struct crd_names {
  std::string group;
  std::string plural;
};
crd_names crd_group_resource(const json::value& crd);

/// Writes status.acceptedNames, status.conditions and storedVersions;
/// `old` (may be null) keeps transition times and stored versions.
void set_crd_status(json::value& crd, const json::value* old,
                    const std::string& now, json::allocator& a);

} // namespace porter::sim
