// One actor per Eip (issue #7): it owns that pool's ledger in the cluster —
// the Eip's status (OpenELB's fields, porter's conditions) and the pool's
// Events. The manager's planner decides what every pool should hold; each
// pass it hands this actor its pool's plan and the Eip as last watched, and
// the actor, while the replica leads, writes the difference (one write at a
// time, the newest plan wins) and records the Events once it is written.
#pragma once

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include "k8s/allocation_plan.hpp"

namespace porter::k8s::io {
class api_client;
}

namespace porter {

/// The pool's plan from one pass of the planner.
struct pool_update {
  std::shared_ptr<const k8s::eip> eip; ///< as last watched
  k8s::pool_plan plan;
  bool leading = false; ///< only the leader writes
};

struct eip_pool_args {
  std::shared_ptr<k8s::io::api_client> client;
  caf::actor recorder;            ///< the Event recorder
  std::string reporting_instance; ///< Events' reportingInstance (pod)
  std::string name;               ///< the Eip's name
};

/// Messages: pool_update (fire and forget); (stats_atom) → std::string, a
/// one-line state ("10.0.0.0-10.0.0.255 used 3/256 Ready").
caf::actor spawn_eip_pool(caf::actor_system& sys, eip_pool_args args);

} // namespace porter

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(porter::pool_update)
