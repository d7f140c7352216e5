// The leader elector actor: performs what the pure leader_election machine
// (k8s/leader_election.hpp, client-go's algorithm) asks — Lease GET/POST/PUT
// over the API client, timers — and tells its subscribers the role. It also
// watches its Lease, so a graceful release by the old leader is acted on at
// once rather than at the next retry. On exit it releases the Lease before
// it quits, so a follower takes over without waiting for expiry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "k8s/leader_election.hpp"

namespace porter::k8s::io {
class api_client;
}

namespace porter {

struct elector_args {
  std::shared_ptr<k8s::io::api_client> client;
  k8s::election_config config;
  /// Each receives (role_atom, bool leading, std::string holder) on every
  /// change of role or of the observed holder, and once at start.
  std::vector<caf::actor> subscribers;
};

/// Messages: (role_atom) → (bool leading, std::string holder).
caf::actor spawn_leader_elector(caf::actor_system& sys, elector_args args);

} // namespace porter
