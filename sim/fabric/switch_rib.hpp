// A virtual switch's routing state (issue #10 item 1): the paths each BGP
// session gave it (one Adj-RIB-In per session, RFC 4271 §3.2), the best
// paths per prefix — shortest AS_PATH (§9.1.2.2 a); porter's paths are
// otherwise equal — and all best paths' next hops as the ECMP set, as a
// switch with multipath (BIRD `merge paths`, FRR `maximum-paths`) installs
// them. Pure.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/received_routes.hpp"

namespace porter::sim {

/// prefix → the ECMP next hops, ascending and distinct.
using forwarding_table = std::map<net::prefix, std::vector<net::ip_address>>;

class switch_rib {
public:
  /// One UPDATE from `session` (withdrawals first, then announcements).
  void apply(const std::string& session, const bgp::received_changes& c);
  /// The session went down: its paths go.
  void drop_session(const std::string& session);
  /// RFC 4724 §4.2, the receiving speaker: the session of a peer that
  /// advertised graceful restart ended without a NOTIFICATION, so its
  /// paths stay — marked stale, under the peer's BGP Identifier — and keep
  /// forwarding until the peer is back with its End-of-RIB or its restart
  /// time runs out (the caller's timer; then drop_stale).
  void keep_stale(const std::string& session, std::uint32_t peer_id);
  /// End-of-RIB from `peer_id` on a new session, or its restart time ran
  /// out: its stale paths go.
  void drop_stale(std::uint32_t peer_id);

  forwarding_table forwarding() const;
  std::size_t paths() const;       ///< current sessions' paths
  std::size_t stale_paths() const; ///< kept for restarting peers

private:
  using adj_rib_in = std::map<bgp::nlri, bgp::received_path>;
  std::map<std::string, adj_rib_in> in_;
  std::map<std::uint32_t, adj_rib_in> stale_;
};

/// RFC 4724 §4.2: a receiving speaker retains a graceful-restart peer's
/// routes when the TCP session ends ("connection_lost"); a NOTIFICATION
/// either way, or our own stop, deletes them (RFC 8538's N-bit aside).
/// `why` is the session's down reason (bgp::down_reason's text first).
bool keeps_paths_when_down(std::string_view why, bool peer_graceful_restart);

/// The entry of `fib` that covers `dst` with the longest prefix (RFC 1812
/// §5.2.4.3); empty when none does.
std::vector<net::ip_address> lookup(const forwarding_table& fib,
                                    const net::ip_address& dst);

} // namespace porter::sim
