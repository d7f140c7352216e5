// A subscriber's copy of a watched collection: the watcher's objects by key,
// shared (not copied) with the watcher and every other subscriber.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/k8s_watcher.hpp"

namespace porter {

template <class T>
using watch_cache = std::map<std::string, std::shared_ptr<const T>>;

template <class T>
void apply(watch_cache<T>& c, const watch_batch<T>& b) {
  for (const auto& d : b.deltas) {
    auto key = object_key(d.object->metadata);
    if (d.type == k8s::delta_type::deleted)
      c.erase(key);
    else
      c[key] = d.object;
  }
}

/// Pointers into `c`, valid until it changes: what the pure planners read.
template <class T>
std::vector<const T*> values(const watch_cache<T>& c) {
  std::vector<const T*> out;
  out.reserve(c.size());
  for (const auto& [key, obj] : c)
    out.push_back(obj.get());
  return out;
}

} // namespace porter
