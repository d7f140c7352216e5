// Building and packing the UPDATEs porter originates (RFC 4271 §4.3, §5; IPv6
// in MP_REACH_NLRI / MP_UNREACH_NLRI, RFC 4760 §3-4 and RFC 2545 §3; path ids
// RFC 7911 §3; AS_TRANS and AS4_PATH towards 2-octet peers, RFC 6793 §4.2.2).
// Sizes are computed from the RFC layouts, independently of the codec, so
// every message is filled to the size limit and never beyond it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/message.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {

/// What porter attaches to every path of one prefix besides the next hop.
/// ORIGIN is always IGP: BIRD merges paths into ECMP only when ORIGIN is
/// equal, so it is not configurable.
struct route_attributes {
  std::optional<std::uint32_t> med;
  /// iBGP only (RFC 4271 §5.1.5); peer_context::default_local_pref if unset.
  std::optional<std::uint32_t> local_pref;
  std::vector<std::uint32_t> communities;         // RFC 1997
  std::vector<large_community> large_communities; // RFC 8092

  friend bool operator==(const route_attributes& a, const route_attributes& b) {
    return a.med == b.med && a.local_pref == b.local_pref
           && a.communities == b.communities
           && a.large_communities == b.large_communities;
  }
  friend bool operator!=(const route_attributes& a, const route_attributes& b) {
    return !(a == b);
  }
  /// An arbitrary but fixed total order, for grouping.
  friend bool operator<(const route_attributes& a, const route_attributes& b);
};

/// The facts of one established session that shape what we send.
struct peer_context {
  std::uint32_t local_as = 0;
  /// iBGP: empty AS_PATH and LOCAL_PREF; eBGP: AS_PATH [local_as].
  bool ibgp = true;
  /// RFC 6793: ASNs are 4 octets in AS_PATH (else 2, with AS_TRANS).
  bool four_octet_as = false;
  bool ipv4 = true;  // IPv4 unicast negotiated
  bool ipv6 = false; // IPv6 unicast negotiated (RFC 4760)
  /// RFC 7911: we negotiated "send" for the family.
  bool add_path_v4 = false;
  bool add_path_v6 = false;
  std::uint32_t default_local_pref = 100;

  bool add_path(const net::prefix& p) const {
    return p.addr.is_v4() ? add_path_v4 : add_path_v6;
  }
  bool negotiated(const net::prefix& p) const {
    return p.addr.is_v4() ? ipv4 : ipv6;
  }
};

/// 19 (header) + 2 (withdrawn routes length) + 2 (path attributes length).
inline constexpr std::size_t empty_update_size = header_size + 4;

/// Wire size of one NLRI: [path id] length-octet prefix-octets.
std::size_t nlri_size(const nlri& n, bool add_path);
/// Wire size of one attribute, header included, as `ctx` encodes it.
std::size_t attribute_size(const path_attribute& a, const peer_context& ctx);
/// Wire size of a whole UPDATE, header included, as `ctx` encodes it.
std::size_t update_size(const update_message& u, const peer_context& ctx);

/// The attributes of paths via `next_hop` in ascending type order (the order
/// RFC 4271 §5 asks senders for). IPv6 next hops get an MP_REACH_NLRI with no
/// NLRI yet; `link_local` (RFC 2545 §3) is only used with them.
std::vector<path_attribute>
make_path_attributes(const peer_context& ctx, const net::ip_address& next_hop,
                     const std::optional<net::ip_address>& link_local,
                     const route_attributes& attrs);

/// The withdraw-only UPDATE before its routes: empty for IPv4 (RFC 4271
/// §4.3), with an empty MP_UNREACH_NLRI for IPv6 (RFC 4760 §4).
update_message make_withdraw_update(bool ipv6);

/// Packs announcements, then withdrawals, into as few UPDATEs as the size
/// limit allows, as update_message values (update_planner has the rules).
class update_packer {
public:
  /// `max_size` is clamped to [min_max_size, max_extended_message_size].
  update_packer(const peer_context& ctx, std::size_t max_size);

  /// Room for any single withdrawal (an IPv6 /128 with path id needs 51).
  static constexpr std::size_t min_max_size = 64;

  /// Adds NLRI of one family that share `attrs` (from make_path_attributes).
  /// Adds nothing and returns false when even one NLRI with these
  /// attributes would not fit into a message.
  bool announce(const std::vector<path_attribute>& attrs,
                const std::vector<nlri>& routes);
  /// Adds withdrawals; call after the last announce.
  void withdraw(const std::vector<nlri>& routes);
  /// The UPDATEs in sending order; the packer is empty afterwards.
  std::vector<update_message> finish();

private:
  struct group {
    std::vector<path_attribute> attributes;
    std::size_t fixed_size = 0; // the UPDATE without NLRI
    std::size_t first = 0;      // its NLRI in announced_
    std::size_t last = 0;
  };

  peer_context ctx_;
  std::size_t max_size_;
  std::vector<group> groups_;
  std::vector<nlri> announced_;
  std::vector<nlri> withdrawn_;
};

} // namespace porter::bgp
