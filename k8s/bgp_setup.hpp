// What porter's BGP speaker runs, derived from the cluster's BGP objects:
// the BgpConf named "default" becomes the speaker's identity and the
// BgpPeers this node selects become its neighbours (openelb.md §2.2 BgpConf,
// BgpPeer; §1.2 for the 17900 listen port). Invalid objects become problems
// (a status condition and a Warning Event on that object), never
// exceptions; a bad BgpPeer never affects another. Pure: no I/O, no clock.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/peer_config.hpp"
#include "k8s/object_meta.hpp"
#include "k8s/porter_crds.hpp"
#include "net/ip_address.hpp"

namespace porter::k8s {

/// Porter's extension to BgpPeer: "<secret-name>/<key>" of a Secret (in
/// porter's namespace) that holds the TCP MD5 password, so the password
/// need not sit in spec.conf.authPassword of a cluster-scoped object.
inline constexpr std::string_view auth_password_secret_annotation
  = "porter.kubesphere.io/auth-password-secret";

/// Porter's listen port when BgpConf spec.listenPort is 0: 17900, as Porter
/// chose because Calico's BIRD already listens on 179 (openelb.md §1.2).
inline constexpr std::uint16_t default_listen_port = 17900;

/// Why an object was not (fully) applied; becomes a status condition and a
/// Warning Event on the object.
struct object_problem {
  std::string kind;    ///< "BgpConf" / "BgpPeer"
  std::string name;    ///< metadata.name
  std::string reason;  ///< CamelCase, e.g. "InvalidNeighborAddress"
  std::string message; ///< one line naming the field path

  friend bool operator==(const object_problem& a, const object_problem& b) {
    return a.kind == b.kind && a.name == b.name && a.reason == b.reason
           && a.message == b.message;
  }
};

struct bgp_setup_input {
  /// The BgpConf named "default", or nullptr.
  const bgp_conf* conf = nullptr;
  std::vector<const bgp_peer*> peers; ///< any order
  /// Labels of the node this replica runs on (for spec.nodeSelector).
  string_pairs node_labels;
  /// The routerId when spec.routerId is empty (OpenELB: node InternalIP).
  std::optional<net::ip_address> node_ip;
  /// Secret lookup for a peer's password reference: (secret name, key) ->
  /// value, nullopt if either is missing. An empty function finds nothing.
  std::function<std::optional<std::string>(std::string_view, std::string_view)>
    secret;
};

struct bgp_setup {
  /// nullopt: no (valid, live) BgpConf, so no BGP at all.
  std::optional<bgp::speaker_config> speaker;
  std::vector<bgp::peer_config> peers;  ///< sorted by name (BgpPeer name)
  std::vector<object_problem> problems; ///< sorted by kind, name
};

/// Maps the objects to the speaker's configuration. Objects being deleted
/// count as absent. Peers are skipped without a problem when
/// spec.conf.adminDown is set or spec.nodeSelector does not match this node.
bgp_setup make_bgp_setup(const bgp_setup_input& in);

} // namespace porter::k8s
