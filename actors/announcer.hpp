// The announcer (issue #8): joins the BGP speaker to the allocations. From
// the watched Services, EndpointSlices and Nodes it plans, level-triggered
// and coalesced, one /32 (/128) per EIP with a path per node that can serve
// it (k8s/next_hops.hpp); from BgpConf "default", BgpPeer and their Secrets
// (or a static config.toml) it configures the speaker (k8s/bgp_setup.hpp).
// Every replica keeps its sessions up; only the Lease leader advertises.
// On shutdown a leader keeps advertising for a grace period, so the next
// leader's paths are in place before its own go.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "bgp/static_config.hpp"
#include "k8s/porter_crds.hpp"

namespace porter::k8s::io {
class api_client;
}
namespace porter::net::io {
class io_thread;
class readiness;
class status_board;
} // namespace porter::net::io

namespace porter {

struct announcer_args {
  std::shared_ptr<k8s::io::api_client> client;
  std::shared_ptr<net::io::io_thread> io;
  /// --node-name (NODE_NAME): the node this replica runs on, for the
  /// routerId fallback (its InternalIP) and BgpPeer nodeSelector.
  std::string node_name;
  bool default_class = false;                       ///< --default-class
  std::optional<k8s::label_selector> node_selector; ///< --node-selector
  std::optional<bgp::static_config> static_config;  ///< --bgp-config
  /// Short: a Service's route should follow its IP within milliseconds
  /// (issue #8 item 5: p50 ≤ 20 ms); a pass over a big world stretches the
  /// window to its own length (net/coalescer.hpp), so bursts still batch.
  std::chrono::milliseconds coalesce{5};
  /// How long a leader that is stopping keeps advertising (--shutdown-grace).
  std::chrono::milliseconds grace{5000};
  caf::actor recorder;
  std::string reporting_instance;
  /// The /debug/ pages' documents (may be null).
  std::shared_ptr<net::io::status_board> board;
  std::shared_ptr<net::io::readiness> readiness; ///< may be null
};

/// Messages: watch_batch<T> of Services, EndpointSlices, Nodes, BgpConfs,
/// BgpPeers, Secrets; (role_atom, bool leading, std::string holder) from the
/// elector. An exit message starts the shutdown (grace if leading).
caf::actor spawn_announcer(caf::actor_system& sys, announcer_args args);

} // namespace porter
