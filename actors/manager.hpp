// `porter manager`'s root actor (issue #7): watches Services, Eips and
// Namespaces, keeps the world they describe, and — coalescing bursts of
// changes — asks the pure allocation planner (k8s/allocation_plan.hpp) what
// every Service and pool should have. Every replica plans (a follower stays
// warm); only the Lease leader writes the plan's difference to the cluster.
// Its children: the watchers, the leader elector, the Event recorder, one
// eip_pool per Eip, and the announcer (issue #8) with the BGP speaker.
#pragma once

#include <chrono>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/announcer.hpp"
#include "k8s/leader_election.hpp"

namespace porter::k8s::io {
class api_client;
}
namespace porter::net::io {
class readiness;
class status_board;
} // namespace porter::net::io

namespace porter {

struct manager_args {
  std::shared_ptr<k8s::io::api_client> client;
  k8s::election_config election;
  /// --default-class: LoadBalancer Services without a class are porter's.
  bool default_class = false;
  /// Changes within this window of the last pass are planned together; a
  /// lone change is planned at once, and a long pass stretches the window
  /// to its own length (net/coalescer.hpp).
  std::chrono::milliseconds coalesce{10};
  std::string reporting_instance; ///< Events' reportingInstance (pod)
  /// /readyz checks the manager keeps (one per watch); may be null.
  /// The /debug/ pages' documents (may be null).
  std::shared_ptr<net::io::status_board> board;
  std::shared_ptr<net::io::readiness> readiness;
  /// The BGP side (issue #8); the manager fills in the client, recorder,
  /// readiness and reporting instance.
  announcer_args announce;
  /// Secrets the BgpPeers refer to are read from this namespace.
  std::string secrets_namespace;
};

caf::actor spawn_manager(caf::actor_system& sys, manager_args args);

} // namespace porter
