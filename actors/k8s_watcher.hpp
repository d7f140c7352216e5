// The watcher actor: one per resource kind (and selector). It drives the
// pure watch_machine<T> (k8s/watch_machine.hpp) over the HTTP client: issues
// the LIST/WATCH requests the machine asks for, feeds it the answers, arms
// its backoff timers, and publishes watch_batch<T> — typed deltas plus a
// "synced" flag — to its subscribers. Lines are decoded here, on the actor,
// never on the I/O thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include "k8s/resource_path.hpp"
#include "k8s/watch_machine.hpp"

namespace porter::k8s::io {
class api_client;
}

namespace porter {

/// What subscribers receive. `synced`: the subscriber's view built from
/// all batches so far now equals one consistent LIST of the server.
template <class T>
struct watch_batch {
  std::vector<k8s::delta<T>> deltas;
  bool synced = false;
};

struct watcher_args {
  std::shared_ptr<k8s::io::api_client> client;
  k8s::resource_ref resource;
  std::string namespace_; ///< empty: all namespaces
  std::string label_selector;
  std::string field_selector;
  std::vector<caf::actor> subscribers;
  k8s::watch_options options;
};

/// Spawns the watcher of kind T. Messages: (cache_atom) →
/// std::vector<std::shared_ptr<const T>>, the current cache; (subscribe_atom,
/// caf::actor) adds a subscriber, which first gets the whole cache as one
/// batch of `added` (synced if the watcher is).
template <class T>
caf::actor spawn_watcher(caf::actor_system& sys, watcher_args args);

} // namespace porter

/// Lets watch_batch<T> and cache snapshots of kind T travel in messages
/// (local only; never serialized). Use once per kind, at global scope.
#define PORTER_ALLOW_WATCH_MESSAGES(T)                                         \
  CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::watch_batch<T>)                        \
  CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<std::shared_ptr<const T>>)
