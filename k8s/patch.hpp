// Patch bodies porter sends (k8s-api.md §2.3, §7.1 items 7–8): JSON patches
// (RFC 6902) that add or remove one finalizer guarded by `test` ops, so a
// concurrent writer makes the patch fail instead of losing its finalizer
// (kube-rs finalizer.rs), and JSON merge patches (RFC 7386).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "k8s/object_meta.hpp"

namespace porter::k8s {

/// Adds `finalizer` unless present (std::nullopt then). The first op tests
/// the list as we saw it: `null` when there was none, which the apiserver's
/// JSON-patch library accepts for a missing path.
std::optional<std::string> add_finalizer_patch(const object_meta& meta,
                                               std::string_view finalizer);

/// Removes `finalizer` by index after testing that the index still holds
/// it; std::nullopt when it is not there.
std::optional<std::string> remove_finalizer_patch(const object_meta& meta,
                                                  std::string_view finalizer);

/// A JSON string literal of `s`, quotes included (RFC 8259 §7).
std::string json_quote(std::string_view s);

} // namespace porter::k8s
