// One BGP session: owns one TCP connection (net/io adapter), one RFC 4271
// FSM, the framer and this peer's Adj-RIB-Out. Handlers feed events to the
// pure core and perform the actions it returns; nothing else decides.
#pragma once

#include <memory>
#include <string>

#include "actors/messages.hpp"
#include "bgp/adj_rib_out.hpp"
#include "bgp/peer_config.hpp"
#include "bgp/peer_stats.hpp"
#include "bgp/received_routes.hpp"

namespace porter::net::io {
class io_thread;
class tcp_connection;
} // namespace porter::net::io

namespace porter {

/// Immutable snapshot of the routes all peers should have.
using routes_snapshot = std::shared_ptr<const bgp::desired_routes>;

/// A connection accepted by the speaker's listener, handed to a session.
using connection_ptr = std::shared_ptr<net::io::tcp_connection>;

struct session_args {
  bgp::speaker_config speaker;
  bgp::peer_config peer;
  std::shared_ptr<net::io::io_thread> io;
  /// Null until the routes are known (the controller synced): no
  /// End-of-RIB goes out before that, so a graceful-restart helper keeps
  /// forwarding on our stale routes meanwhile (RFC 4724 §4.1).
  routes_snapshot routes;
  caf::actor observer; // may be null
  /// RFC 4724 §3 Restart State: this process has not had a session with
  /// this peer yet (a restarted session actor is no restarted speaker).
  bool first_since_start = true;
  /// Send the observer (routes_in_atom, peer name, bgp::received_changes)
  /// for every UPDATE received while Established (the virtual switches of
  /// `porter sim`; porter itself ignores what its peers announce).
  bool report_received = false;
};

/// Spawns the session and starts it (RFC 4271 ManualStart). Messages:
/// (routes_atom, routes_snapshot) replaces the desired routes;
/// (stats_atom) → bgp::peer_stats; (incoming_atom, connection_ptr) offers a
/// connection the peer opened to us. An exit message sends a Cease
/// (administrative shutdown) before the actor terminates.
caf::actor spawn_bgp_session(caf::actor_system& sys, session_args args);
caf::actor spawn_bgp_session(caf::local_actor* parent, session_args args);

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::routes_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::bgp::peer_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::connection_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::bgp::received_changes)
