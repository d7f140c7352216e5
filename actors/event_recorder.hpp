// The event recorder actor: controllers send it k8s::event_request; it
// deduplicates them (k8s/event.hpp, after client-go's EventCorrelator) so a
// flapping condition becomes one Event with a growing count rather than a
// flood, and writes them as events.k8s.io/v1 — falling back to core/v1 for
// good when the server does not serve that API (404).
#pragma once

#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include "k8s/event.hpp"

namespace porter::k8s {
struct event_write;
}
namespace porter::k8s::io {
class api_client;
}

namespace porter {

struct event_recorder_args {
  std::shared_ptr<k8s::io::api_client> client;
  /// `api` is the preferred API; the rest tunes deduplication.
  k8s::event_dedup_config dedup{k8s::event_api::events_v1};
};

/// Messages: a k8s::event_request records one occurrence (fire and
/// forget); (stats_atom) → std::size_t, the events written to the API.
caf::actor spawn_event_recorder(caf::actor_system& sys,
                                event_recorder_args args);

/// Sends `e` (a planned Event of the allocation) to `recorder` and logs it.
void record_event(const caf::actor& recorder, const k8s::event_write& e,
                  const std::string& reporting_instance);

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::k8s::event_request)
