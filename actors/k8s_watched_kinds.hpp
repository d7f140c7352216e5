// The kinds porter watches, allowed in CAF messages as watch_batch<T> and
// cache snapshots (local only, never serialized). actors/k8s_watchers.cpp
// instantiates spawn_watcher<T> for each, so subscribers include only this
// and actors/k8s_watcher.hpp.
#pragma once

#include "actors/k8s_watcher.hpp"
#include "k8s/lease.hpp"
#include "k8s/objects.hpp"

PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::service)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::endpoint_slice)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::endpoints)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::node)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::namespace_object)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::secret)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::config_map)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::lease)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::eip)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::bgp_conf)
PORTER_ALLOW_WATCH_MESSAGES(porter::k8s::bgp_peer)

namespace porter {

/// A watcher of kind T at its REST resource (kind_info<T>).
template <class T>
watcher_args watch_of(std::shared_ptr<k8s::io::api_client> client) {
  watcher_args a;
  a.client = std::move(client);
  a.resource = k8s::resource_of<T>();
  return a;
}

} // namespace porter
