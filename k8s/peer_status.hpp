// What one manager replica writes into BgpPeer status.nodesPeerStatus[its
// name] (issue #8 item 2: per replica the session state, uptime, last
// error and prefixes sent), in OpenELB's shape (gobgp's PeerState and
// TimersState, openelb.md §2.2) plus porter's lastError and
// advertisedPaths. Pure.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bgp/peer_config.hpp"
#include "bgp/peer_stats.hpp"
#include "k8s/porter_crds.hpp"

namespace porter::k8s {

/// `now` turns the session's uptime into the time it came up (gobgp's
/// timersState.uptime is that time, RFC 3339); message counters are
/// strings, as gobgp's jsonpb writes uint64s.
node_peer_status make_peer_status(const bgp::peer_stats& stats,
                                  const bgp::peer_config& peer,
                                  const bgp::speaker_config& speaker,
                                  std::chrono::system_clock::time_point now);

/// Merge patch setting the Valid condition of a BgpConf or BgpPeer (issue
/// #8 item 2: "Invalid objects: status condition + Event"): False with the
/// problem's reason and message, or True ("Accepted") once it is usable;
/// lastTransitionTime is `now` (the caller writes only on a change).
std::string encode_validity_patch(bool valid, std::string_view reason,
                                  std::string_view message,
                                  std::chrono::system_clock::time_point now);

} // namespace porter::k8s
