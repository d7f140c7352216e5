// The BGP speaker: holds the routes every peer should have and one session
// actor per configured peer. Routes arrive level-triggered (a whole
// snapshot); each session's Adj-RIB-Out turns the snapshot into the minimal
// UPDATEs for its peer. A session that crashes is restarted with backoff.
#pragma once

#include <memory>
#include <vector>

#include "actors/bgp_session.hpp"
#include "actors/restart_policy.hpp"

namespace porter {

struct speaker_args {
  bgp::speaker_config speaker;
  std::shared_ptr<net::io::io_thread> io;
  caf::actor observer; // receives every session's peer_event; may be null
  restart_policy restarts;
};

/// Messages: (add_peer_atom, bgp::peer_config) adds or replaces a peer
/// (by name); (del_peer_atom, std::string name) stops one with a Cease;
/// (routes_atom, routes_snapshot) sets the routes for all peers;
/// (stats_atom) → std::vector<bgp::peer_stats>.
caf::actor spawn_bgp_speaker(caf::actor_system& sys, speaker_args args);

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::bgp::peer_config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<porter::bgp::peer_stats>)
