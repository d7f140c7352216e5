// OPEN validation and capability negotiation (RFC 4271 §6.2, RFC 5492,
// RFC 6793 §4, RFC 7911 §4, RFC 8654 §3, RFC 4724 §3): from our settings and
// the peer's OPEN, what the session will actually use.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <tl/expected.hpp>

#include "bgp/codec.hpp"
#include "bgp/message.hpp"

namespace porter::bgp {

/// Our side of a session.
struct session_config {
  std::uint32_t local_as = 0;
  /// Expected peer ASN; 0 accepts any (dynamic neighbours).
  std::uint32_t peer_as = 0;
  std::uint32_t local_id = 0; // BGP identifier, host order
  std::uint16_t hold_time = 90;
  capabilities local_caps;
};

/// The result of a successful OPEN exchange.
struct negotiated_session {
  std::uint32_t peer_as = 0;
  std::uint32_t peer_id = 0;
  std::uint16_t hold_time = 0;      // min of both; 0 disables hold/keepalive
  std::uint16_t keepalive_time = 0; // hold_time / 3
  std::vector<afi_safi> families;   // both advertised (IPv4 unicast implied
                                    // when neither sent multiprotocol)
  wire_options tx;                  // how we encode what we send
  wire_options rx;                  // how we decode what we receive
  bool route_refresh = false;
  std::optional<graceful_restart_capability> peer_graceful_restart;
  capabilities peer_caps;

  bool is_ibgp(const session_config& c) const { return peer_as == c.local_as; }
};

/// Validates the peer's OPEN against our configuration and negotiates.
/// Failures are the NOTIFICATION to send (RFC 4271 §6.2).
tl::expected<negotiated_session, notification>
negotiate(const session_config& local, const open_message& peer_open);

} // namespace porter::bgp
