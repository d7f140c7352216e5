// Counters of one BGP session, kept by its actor and read by inspection and
// metrics: messages by type in and out, paths advertised, flaps, last error.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bgp/message.hpp"

namespace porter::bgp {

struct peer_stats {
  std::string peer;  // name (address unless configured)
  std::string state; // RFC 4271 FSM state name
  /// Indexed by message_type (1..5); index 0 unused.
  std::array<std::uint64_t, 6> messages_in{};
  std::array<std::uint64_t, 6> messages_out{};
  std::uint64_t advertised_paths = 0;
  std::uint64_t established_count = 0; // times the session came up
  std::int64_t uptime_ms = 0;          // 0 unless Established
  bool add_path = false;               // negotiated ADD-PATH send (IPv4)
  std::uint16_t hold_time = 0;         // negotiated
  std::string last_error;              // last NOTIFICATION or socket error

  void count_in(message_type t) { ++messages_in[index(t)]; }
  void count_out(message_type t) { ++messages_out[index(t)]; }

private:
  static std::size_t index(message_type t) {
    auto i = static_cast<std::size_t>(t);
    return i < 6 ? i : 0;
  }
};

/// The type of a decoded message.
message_type type_of(const message& m);

/// The lower-case name of a message type for metric labels ("open",
/// "update", "notification", "keepalive", "route_refresh"; RFC 4271 §4.1,
/// RFC 2918 §3); "unknown" otherwise.
const char* metric_name(message_type t);

/// The FSM state as BGP4-MIB's bgpPeerState numbers it (RFC 4273 §4: idle
/// 1, connect 2, active 3, opensent 4, openconfirm 5, established 6).
int mib_state_number(std::string_view rfc_state_name);

} // namespace porter::bgp
