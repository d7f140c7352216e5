#include "bgp/peer_stats.hpp"

#include <array>

namespace porter::bgp {

const char* metric_name(message_type t) {
  switch (t) {
    case message_type::open:
      return "open";
    case message_type::update:
      return "update";
    case message_type::notification:
      return "notification";
    case message_type::keepalive:
      return "keepalive";
    case message_type::route_refresh:
      return "route_refresh";
  }
  return "unknown";
}

int mib_state_number(std::string_view rfc_state_name) {
  // In RFC 4271 §8.2.2 order, which is bgpPeerState's.
  static constexpr std::array<std::string_view, 6> names{
    "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == rfc_state_name)
      return static_cast<int>(i) + 1;
  return 0;
}

} // namespace porter::bgp
