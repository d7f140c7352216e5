// Adj-RIB-Out of one BGP peer (RFC 4271 §3.2, §9.2): the paths porter has
// sent, the paths it should have sent, and the fewest UPDATEs between the two.
// Peers with ADD-PATH "send" for a family get one path per next hop under a
// stable id (RFC 7911 §3, path_id.hpp); others one path per prefix. IPv6 rides
// in MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760). Pure: the caller sends the
// messages, and the End-of-RIB (make_end_of_rib) after the initial table.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "bgp/message.hpp"
#include "bgp/negotiation.hpp"
#include "bgp/update_packer.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {

/// The wanted paths of one prefix (one EIP): one per node that serves it.
struct desired_route {
  std::set<net::ip_address> next_hops;
  route_attributes attributes;
};

/// Everything one peer should have. Next hops of the other family than the
/// prefix and unspecified next hops are ignored (no RFC 8950 next hops).
struct desired_routes {
  std::map<net::prefix, desired_route> routes;
  /// RFC 2545 §3: the link-local address that goes with a global IPv6 next
  /// hop, for peers on the same link (then the next hop field is 32 bytes).
  std::map<net::ip_address, net::ip_address> link_local;
};

/// One path as the peer has it (or will have it).
struct advertised_path {
  net::ip_address next_hop;
  std::optional<net::ip_address> link_local;
  route_attributes attributes; // communities sorted, duplicates removed

  friend bool operator==(const advertised_path& a, const advertised_path& b) {
    return a.next_hop == b.next_hop && a.link_local == b.link_local
           && a.attributes == b.attributes;
  }
  friend bool operator!=(const advertised_path& a, const advertised_path& b) {
    return !(a == b);
  }
};

/// Keyed by (prefix, path id); the path id is 0 without ADD-PATH.
using path_table = std::map<nlri, advertised_path>;

/// One per established session (the negotiated context is fixed for its
/// life). Without ADD-PATH for a family a prefix gets the numerically lowest
/// of its next hops: a degraded mode without ECMP, but the same choice on
/// every manager replica; when that choice changes the new path replaces the
/// old one implicitly (same NLRI, no withdraw). With ADD-PATH, a changed
/// attribute of an existing path is likewise an implicit replacement
/// (RFC 7911 §3). Output is deterministic: same tables, same messages.
/// Order: paths sharing next hop and attributes are packed together, groups
/// in the order of their first (prefix, path id); withdrawals come last or in
/// the spare room of a later UPDATE (update_packer).
class adj_rib_out {
public:
  explicit adj_rib_out(peer_context ctx) : ctx_(ctx) {}

  /// Replaces the wanted state; nothing is sent until pending_updates.
  void set_desired(const desired_routes& desired);

  /// The UPDATEs that move the peer from what it has to what is desired, in
  /// sending order, each at most `max_size` bytes (4096, or 65535 with
  /// RFC 8654); the advertised table then equals the desired one. Paths that
  /// cannot fit a message even alone (huge community lists) are withdrawn or
  /// never sent, and reported by unsendable().
  std::vector<update_message> pending_updates(std::size_t max_size);

  /// The session went down: the peer has nothing. The desired table stays,
  /// so the next pending_updates is the whole table.
  void clear() { advertised_.clear(); }

  const peer_context& context() const { return ctx_; }
  std::size_t advertised_paths() const { return advertised_.size(); }
  const path_table& advertised() const { return advertised_; }
  /// What the desired table wants the peer to have, path ids assigned.
  const path_table& desired() const { return desired_; }
  /// Paths left out by the last pending_updates, sorted.
  const std::vector<nlri>& unsendable() const { return unsendable_; }

private:
  peer_context ctx_;
  path_table desired_;
  path_table advertised_;
  std::vector<nlri> unsendable_;
};

/// The peer_context of an established session.
peer_context make_peer_context(const session_config& local,
                               const negotiated_session& session);

} // namespace porter::bgp
