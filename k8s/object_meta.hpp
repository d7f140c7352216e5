// The part of ObjectMeta (meta/v1) porter keeps after decoding: identity,
// optimistic-concurrency version, labels/annotations and deletion state.
// `managedFields`, `ownerReferences` and kubectl's last-applied annotation
// are dropped at ingest (issue #6 §3) so a cached object stays small.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porter::k8s {

/// Sorted by key; Kubernetes label/annotation maps are small.
using string_pairs = std::vector<std::pair<std::string, std::string>>;

struct object_meta {
  std::string name;
  std::string namespace_; ///< empty for cluster-scoped objects
  std::string uid;
  std::string resource_version; ///< opaque: compared for equality only
  std::int64_t generation = 0;
  std::string creation_timestamp;
  string_pairs labels;
  string_pairs annotations;
  std::vector<std::string> finalizers;
  bool deleting = false; ///< metadata.deletionTimestamp is set
};

/// "namespace/name", or "name" for cluster-scoped objects (client-go's
/// MetaNamespaceKeyFunc), the cache key of a watcher.
inline std::string object_key(const object_meta& m) {
  return m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name;
}

/// The value of `key` in a sorted pair list, or nullptr.
inline const std::string* find_value(const string_pairs& pairs,
                                     std::string_view key) {
  for (const auto& [k, v] : pairs)
    if (k == key)
      return &v;
  return nullptr;
}

} // namespace porter::k8s
