// The two document patch formats every resource accepts (k8s-api.md §2.3):
// JSON Merge Patch (RFC 7386: objects merge, null deletes, arrays replace)
// and JSON Patch (RFC 6902 with JSON Pointer, RFC 6901), following
// evanphx/json-patch as the apiserver does: a `test` of a missing path
// against null succeeds (kube-rs's finalizer helper relies on it).
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "sim/apiserver/json.hpp"

namespace porter::sim {

/// RFC 7386 §2 MergePatch(target, patch), in place.
void apply_merge_patch(json::value& target, const json::value& patch,
                       json::allocator& a);

/// RFC 6902: applies the operations in `ops` (an array) in order; on error
/// `target` may be partly modified (callers patch a copy).
tl::expected<void, std::string> apply_json_patch(json::value& target,
                                                 const json::value& ops,
                                                 json::allocator& a);

} // namespace porter::sim
