// The writes that show porter's view of the BGP objects in the cluster
// (issue #8 item 2): a replica's entry of BgpPeer status.nodesPeerStatus
// and the Valid condition of a BgpConf or BgpPeer. Fire and forget on the
// API client; a failure is logged at debug (the next report rewrites).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bgp/peer_config.hpp"
#include "bgp/peer_stats.hpp"
#include "k8s/bgp_setup.hpp"

namespace porter::k8s::io {
class api_client;
}

namespace porter {

/// One merge patch per session of a configured peer (by BgpPeer name).
void write_peer_status(k8s::io::api_client& client,
                       const std::vector<bgp::peer_stats>& sessions,
                       const std::map<std::string, bgp::peer_config>& peers,
                       const bgp::speaker_config& speaker,
                       const std::string& replica);

/// Valid=False with `problem`'s reason, or Valid=True when it is null.
void write_validity(k8s::io::api_client& client, const std::string& kind,
                    const std::string& name,
                    const k8s::object_problem* problem);

} // namespace porter
