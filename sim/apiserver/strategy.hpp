// Registry strategies (apiserver pkg/registry/*/strategy.go, k8s-api.md §2):
// what create and update do to an object before it is stored. System
// metadata (uid, creationTimestamp, generation, deletionTimestamp) is the
// server's; the main endpoint ignores .status and /status changes only
// .status (§2.4); finalizers cannot be added once deleting (§2.5); kinds add
// their defaults (Service ClusterIP/NodePorts, Namespace phase, CRD status)
// and custom resources are validated against their schema.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/core_state.hpp"

namespace porter::sim {

enum class field_validation { ignore, warn, strict };

struct write_options {
  field_validation validation = field_validation::warn;
  /// Warnings for the response (`Warning: 299 - "..."` headers).
  std::vector<std::string>* warnings = nullptr;
};

/// Create: the name is set; fills metadata, resets status, defaults and
/// validates. On success may have reserved Service allocations.
tl::expected<void, api_error> prepare_create(core_state& st,
                                             const resource_info& info,
                                             json::document& obj, sys_time now,
                                             const write_options& opts);

/// Update of the main resource or (status_only) its /status subresource.
tl::expected<void, api_error>
prepare_update(core_state& st, const resource_info& info, json::document& obj,
               const json::value& old, bool status_only, sys_time now,
               const write_options& opts);

/// Releases the allocations `from` holds and `to` does not (either may be
/// null): after an update, a delete, or an abandoned (dry-run) write.
void release_allocations(core_state& st, const resource_info& info,
                         const json::value* from, const json::value* to);

/// Service defaulting and allocation (service_strategy.cpp).
std::vector<status_cause> prepare_service(core_state& st, json::value& svc,
                                          const json::value* old,
                                          json::allocator& a);
void release_service(core_state& st, const json::value* from,
                     const json::value* to);

/// metadata.labels as a map (non-string values are skipped).
label_map labels_of(const json::value& obj);
/// metadata.name validation for the kind: DNS-1123 subdomain, DNS-1123
/// label (namespaces) or DNS-1035 label (services).
std::optional<status_cause> validate_name(const resource_info& info,
                                          std::string_view name);

} // namespace porter::sim
