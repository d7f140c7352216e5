// What one UPDATE does to the receiver's Adj-RIB-In (RFC 4271 §3.1, §9.1),
// for porter's virtual switches (issue #10): the paths it withdraws and the
// paths it announces with their next hop and AS_PATH length. IPv4 in the
// classic fields (§4.3), IPv6 in MP_REACH/MP_UNREACH (RFC 4760 §3, §4);
// a path is (prefix, path identifier) — 0 without ADD-PATH (RFC 7911 §3).
// Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/message.hpp"

namespace porter::bgp {

struct received_path {
  nlri route;
  net::ip_address next_hop;
  /// RFC 4271 §9.1.2.2 a: an AS_SET counts as one.
  std::uint32_t as_path_length = 0;

  friend bool operator==(const received_path& a, const received_path& b) {
    return a.route == b.route && a.next_hop == b.next_hop
           && a.as_path_length == b.as_path_length;
  }
};

struct received_changes {
  std::vector<nlri> withdrawn;
  std::vector<received_path> announced;
  /// Set when the UPDATE is an End-of-RIB marker (RFC 4724 §2).
  std::optional<afi_safi> end_of_rib;
};

/// Withdrawals come before announcements, as a receiver applies them
/// (§4.3: a route both withdrawn and announced in one UPDATE is announced).
/// Announcements without a usable next hop (no NEXT_HOP attribute for IPv4
/// NLRI) are left out; an End-of-RIB (empty) UPDATE yields nothing. With
/// `treat_as_withdraw` (RFC 7606 §2: a malformed attribute the codec chose
/// not to reset the session for) every announced route is withdrawn.
received_changes changes_of(const update_message& u,
                            bool treat_as_withdraw = false);

} // namespace porter::bgp
