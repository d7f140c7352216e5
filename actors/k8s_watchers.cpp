// spawn_watcher<T> for every kind in actors/k8s_watched_kinds.hpp, compiled
// once here rather than in each subscriber.
#include "actors/k8s_watched_kinds.hpp"
#include "actors/k8s_watcher_impl.hpp"

namespace porter {

#define PORTER_INSTANTIATE_WATCHER(T)                                          \
  template caf::actor spawn_watcher<T>(caf::actor_system&, watcher_args);

PORTER_INSTANTIATE_WATCHER(k8s::service)
PORTER_INSTANTIATE_WATCHER(k8s::endpoint_slice)
PORTER_INSTANTIATE_WATCHER(k8s::endpoints)
PORTER_INSTANTIATE_WATCHER(k8s::node)
PORTER_INSTANTIATE_WATCHER(k8s::namespace_object)
PORTER_INSTANTIATE_WATCHER(k8s::secret)
PORTER_INSTANTIATE_WATCHER(k8s::config_map)
PORTER_INSTANTIATE_WATCHER(k8s::lease)
PORTER_INSTANTIATE_WATCHER(k8s::eip)
PORTER_INSTANTIATE_WATCHER(k8s::bgp_conf)
PORTER_INSTANTIATE_WATCHER(k8s::bgp_peer)

#undef PORTER_INSTANTIATE_WATCHER

} // namespace porter
