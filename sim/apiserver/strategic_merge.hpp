// Strategic merge patch (k8s-api.md §2.3, apimachinery strategicpatch) for
// the built-in kinds: lists merge by their `patchMergeKey` (Service
// spec.ports by port, containers by name, conditions by type, ...), primitive
// `merge` lists are sets (metadata.finalizers), other lists are atomic; and
// the directives kubectl apply emits: `$patch: delete|replace`,
// `$setElementOrder/<f>`, `$deleteFromPrimitiveList/<f>`, `$retainKeys`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "sim/apiserver/json.hpp"

namespace porter::sim {

enum class list_strategy { atomic, merge_by_key, merge_set };

/// The patch strategy of one list field; `path` names object members from
/// the root with list items transparent ("spec.containers.ports").
struct smp_field {
  std::string_view path;
  list_strategy strategy;
  std::string_view merge_key;
};

/// The list strategies of `kind` in `group` (common metadata lists for
/// every kind, plus the kind's own).
std::vector<smp_field> smp_schema_for(std::string_view group,
                                      std::string_view kind);

/// Applies `patch` to `target` in place.
tl::expected<void, std::string>
apply_strategic_merge_patch(json::value& target, const json::value& patch,
                            const std::vector<smp_field>& schema,
                            json::allocator& a);

} // namespace porter::sim
