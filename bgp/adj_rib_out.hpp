// Adj-RIB-Out of one BGP peer (RFC 4271 §3.2, §9.2): the paths porter has
// sent, the paths it should have sent, and the fewest UPDATEs between the two.
// Peers with ADD-PATH "send" for a family get one path per next hop under a
// stable id (RFC 7911 §3, path_id.hpp); others one path per prefix. IPv6 rides
// in MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760). Pure: the caller sends the
// bytes, and the End-of-RIB (make_end_of_rib) after the initial table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "bgp/codec.hpp"
#include "bgp/desired_routes.hpp"
#include "bgp/message.hpp"
#include "bgp/negotiation.hpp"
#include "bgp/update_packer.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {

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

/// An arbitrary but fixed total order of paths, for interning.
struct advertised_path_less {
  bool operator()(const advertised_path& a, const advertised_path& b) const;
};

/// Keyed by (prefix, path id); the path id is 0 without ADD-PATH. Only an
/// inspection view: adj_rib_out does not store its tables this way.
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
/// the spare room of a later UPDATE (update_planner).
///
/// Storage, for a million routes: the desired table is the shared snapshot
/// itself (not copied); its paths are expanded on the fly while diffing.
/// What was sent is a sorted vector of 28-byte {NLRI, path} entries whose
/// (next hop, link-local, attributes) are interned here. A diff needs the
/// next table, 4 bytes per changed path and the output bytes.
class adj_rib_out {
public:
  explicit adj_rib_out(peer_context ctx);

  /// Replaces the wanted state (null: nothing); nothing is sent until
  /// write_updates or pending_updates.
  void set_desired(std::shared_ptr<const desired_routes> desired);
  void set_desired(desired_routes desired);

  /// Appends to `out` the UPDATEs that move the peer from what it has to
  /// what is desired, in sending order, each at most `max_size` bytes
  /// (4096, or 65535 with RFC 8654), encoded as the codec would with `opts`
  /// (the session's, matching the context); returns how many. The
  /// advertised table then equals the desired one. Paths that cannot fit a
  /// message even alone (huge community lists) are withdrawn or never sent,
  /// and reported by unsendable().
  std::size_t write_updates(std::size_t max_size, const wire_options& opts,
                            bytes& out);
  /// The same UPDATEs as messages (tests, inspection).
  std::vector<update_message> pending_updates(std::size_t max_size);

  /// The session went down: the peer has nothing. The desired table stays,
  /// so the next write_updates is the whole table.
  void clear() { advertised_ = {}; }

  const peer_context& context() const { return ctx_; }
  std::size_t advertised_paths() const { return advertised_.size(); }
  /// What the peer has, as a map: O(n) copies, for tests and inspection.
  path_table advertised() const;
  /// What the desired table wants the peer to have, path ids assigned (a
  /// map as above).
  path_table desired() const;
  /// Paths left out by the last write_updates/pending_updates, sorted.
  const std::vector<nlri>& unsendable() const { return unsendable_; }

  // Storage layout, public for the diff's helpers and the size tests.

  /// One path the peer has: `path` indexes the interned paths.
  struct entry {
    nlri route;
    std::uint32_t path = 0;
  };
  /// A desired path of a path set, before the prefix is known.
  struct expanded_path {
    std::uint32_t path_id = 0;
    std::uint32_t path = 0;
  };

private:
  struct diff;

  /// Where the expansion of `e`'s path set for its family is in ranges_.
  static std::size_t range_at(const desired_routes::entry& e) {
    return 3 * std::size_t{e.path_set} + (e.prefix.addr.is_v4() ? 0 : 1);
  }
  void expand(const desired_routes& d);
  void expand_family(const desired_routes& d, std::uint32_t path_set,
                     net::family family);
  /// The path via `hop`, with its RFC 2545 link-local address if known.
  static advertised_path make_path(const desired_routes& d,
                                   std::uint32_t path_set,
                                   const net::ip_address& hop);
  std::uint32_t intern(advertised_path p);
  std::size_t desired_path_count() const;
  void merge(diff& d) const;
  void group(diff& d) const;
  void refuse(diff& d, std::uint32_t group);
  void commit(diff& d);
  void compact_paths();
  template <class Sink>
  std::size_t run(std::size_t max_size, Sink sink);

  peer_context ctx_;
  std::shared_ptr<const desired_routes> desired_;
  /// Per path set of desired_: its paths for IPv4 prefixes, then for IPv6
  /// ones, in path id order: expanded_[ranges_[3s] .. ranges_[3s+1]) and
  /// [ranges_[3s+1] .. ranges_[3s+2]).
  std::vector<expanded_path> expanded_;
  std::vector<std::uint32_t> ranges_;
  /// Interned (next hop, link-local, attributes); entries refer to them.
  std::vector<advertised_path> paths_;
  std::map<advertised_path, std::uint32_t, advertised_path_less> path_ids_;
  std::vector<entry> advertised_; // sorted by route
  std::vector<nlri> unsendable_;
};

/// The peer_context of an established session.
peer_context make_peer_context(const session_config& local,
                               const negotiated_session& session);

} // namespace porter::bgp
