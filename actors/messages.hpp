// Everything CAF-0.17-specific about porter's messages in one place: the
// type-ID block (0.17.6 accepts the 0.18 macros, which eases the upgrade),
// atoms (at most 10 characters), and `inspect` overloads for core structs.
#pragma once

#include <cstdint>
#include <string>

#include <caf/all.hpp>

CAF_BEGIN_TYPE_ID_BLOCK(porter, caf::first_custom_type_id)

  // supervisor
  CAF_ADD_ATOM(porter, porter::atoms, restart_atom, "restart")
  CAF_ADD_ATOM(porter, porter::atoms, children_atom, "children")

  // BGP speaker and sessions
  CAF_ADD_ATOM(porter, porter::atoms, routes_atom, "routes")
  CAF_ADD_ATOM(porter, porter::atoms, stats_atom, "stats")
  CAF_ADD_ATOM(porter, porter::atoms, peer_event_atom, "peer_event")
  CAF_ADD_ATOM(porter, porter::atoms, io_up_atom, "io_up")
  CAF_ADD_ATOM(porter, porter::atoms, io_data_atom, "io_data")
  CAF_ADD_ATOM(porter, porter::atoms, io_down_atom, "io_down")
  CAF_ADD_ATOM(porter, porter::atoms, timer_atom, "timer")
  CAF_ADD_ATOM(porter, porter::atoms, add_peer_atom, "add_peer")
  CAF_ADD_ATOM(porter, porter::atoms, del_peer_atom, "del_peer")
  CAF_ADD_ATOM(porter, porter::atoms, incoming_atom, "incoming")
  CAF_ADD_ATOM(porter, porter::atoms, routes_in_atom, "routes_in")

  // Kubernetes watchers and the leader elector
  CAF_ADD_ATOM(porter, porter::atoms, list_resp_atom, "list_resp")
  CAF_ADD_ATOM(porter, porter::atoms, watch_in_atom, "watch_in")
  CAF_ADD_ATOM(porter, porter::atoms, cache_atom, "cache")
  CAF_ADD_ATOM(porter, porter::atoms, subscribe_atom, "subscribe")
  CAF_ADD_ATOM(porter, porter::atoms, role_atom, "role")
  CAF_ADD_ATOM(porter, porter::atoms, lease_resp_atom, "lease_resp")
  CAF_ADD_ATOM(porter, porter::atoms, release_atom, "release")

  // the agent
  CAF_ADD_ATOM(porter, porter::atoms, resync_atom, "resync")

  // porter sim
  CAF_ADD_ATOM(porter, porter::atoms, partition_atom, "partition")

CAF_END_TYPE_ID_BLOCK(porter)

namespace porter {

/// What the supervisor reports about one child (for inspection and tests).
struct child_status {
  std::string name;
  bool running = false;
  std::uint32_t restarts = 0;
  std::uint32_t consecutive_failures = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_status& x) {
  return f(caf::meta::type_name("child_status"), x.name, x.running, x.restarts,
           x.consecutive_failures);
}

/// What a BGP session tells its observer (the speaker, a test, the probe).
struct peer_event {
  std::string peer;
  /// "state" (detail: the new FSM state), "established" (detail:
  /// "add_path=<0|1> add_path6=<0|1> hold=<s> peer_id=<a.b.c.d>
  /// restart_time=<s, or - without graceful restart>"), "down" (detail: the
  /// reason), "updates" (detail: the number of UPDATEs just sent).
  std::string kind;
  std::string detail;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, peer_event& x) {
  return f(caf::meta::type_name("peer_event"), x.peer, x.kind, x.detail);
}

} // namespace porter
