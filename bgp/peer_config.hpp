// One BGP neighbour as porter is told to peer with it (later mapped from the
// OpenELB BgpPeer object or the seed's config.toml), and the pure rules that
// turn it into what the session runs: FSM configuration, our capabilities,
// the event a decoded message or a decode failure is (RFC 4271 §8.1), and
// what a timer's expiry is.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bgp/fsm.hpp"
#include "bgp/message.hpp"
#include "net/ip_address.hpp"

namespace porter::bgp {

/// The speaker's own identity (BgpConf `as`, `routerId`).
struct speaker_config {
  std::uint32_t local_as = 0;
  std::uint32_t router_id = 0; // host order
  /// BgpConf `listenPort`: accept connections from configured peers
  /// (Porter used 17900 beside Calico's BIRD on 179); 0: do not listen.
  std::uint16_t listen_port = 0;
  std::optional<net::ip_address> listen_address; // default: any
};

struct peer_config {
  std::string name; // for logs and inspection; defaults to the address
  net::ip_address address;
  std::uint16_t port = 179;
  std::optional<net::ip_address> local_address;
  std::uint16_t local_port = 0; // source port of active connections
  std::uint32_t peer_as = 0;    // 0: any (dynamic neighbour)
  std::string md5_password;     // RFC 2385; empty: none
  /// eBGP multihop: the TTL of our packets; 0: 1 (directly connected).
  std::uint8_t ebgp_multihop = 0;
  /// RFC 5082 GTSM: the peer is at most this many hops away; 0: off.
  std::uint8_t ttl_security_hops = 0;
  /// TCP_USER_TIMEOUT; 0: two thirds of the hold time.
  std::chrono::milliseconds user_timeout{0};
  std::uint16_t hold_time = 90;
  std::chrono::milliseconds connect_retry{5'000};
  bool passive = false;
  /// Offer ADD-PATH send (RFC 7911) for the families we speak: ECMP needs it.
  bool add_path = true;
  /// Offer ADD-PATH receive instead: the switch's side, for the virtual
  /// switches of `porter sim` (issue #10), which keep every path porter
  /// sends.
  bool add_path_receive = false;
  bool ipv6 = true; // offer IPv6 unicast (RFC 4760) besides IPv4
  /// RFC 4724: advertise Graceful Restart so that the switch keeps
  /// forwarding on porter's routes (stale) for `restart_time` seconds after
  /// porter's session drops, until porter is back and has sent End-of-RIB.
  bool graceful_restart = false;
  std::uint16_t restart_time = 120; // seconds, at most 4095

  friend bool operator==(const peer_config& a, const peer_config& b);
  friend bool operator!=(const peer_config& a, const peer_config& b) {
    return !(a == b);
  }
};

/// Socket-level settings of one peer's transport.
struct transport_settings {
  int ttl = 0;     // 0: OS default
  int min_ttl = 0; // 0: no GTSM
  std::chrono::milliseconds user_timeout{0};
};

/// RFC 5082 §3: with GTSM we send TTL 255 and accept only TTL >= 256 - hops;
/// otherwise eBGP uses TTL 1 unless multihop is configured, iBGP the OS
/// default. The user timeout defaults to two thirds of the hold time so a
/// dead link fails the socket before the hold timer would.
transport_settings transport_for(const speaker_config& speaker,
                                 const peer_config& peer);

/// Our capabilities towards this peer: multiprotocol IPv4 (+IPv6), 4-octet
/// AS (RFC 6793), route refresh (RFC 2918), extended message (RFC 8654),
/// ADD-PATH send or receive (RFC 7911) and graceful restart (RFC 4724) when
/// enabled.
capabilities local_capabilities(const speaker_config& speaker,
                                const peer_config& peer);

/// RFC 4724 §3: the Restart State bit is set in the OPEN of a speaker that
/// has restarted — for porter, the first session of a process to a peer;
/// the forwarding state (the nodes) survives porter's restart, so F is set
/// for every family.
capabilities open_capabilities(const capabilities& local,
                               bool first_session_since_start);

fsm_config make_fsm_config(const speaker_config& speaker,
                           const peer_config& peer);

/// RFC 4271 §8.1.2: each timer's expiry event.
fsm_event_type expiry_event(timer_kind t);

/// RFC 4271 §8.1.4/§8.1.5: the FSM event of a received, decoded message.
fsm_event event_for(const message& msg);

/// RFC 4271 §6: which FSM event a decode failure is, by the NOTIFICATION
/// the codec produced (header errors are Event 21, OPEN errors Event 22,
/// UPDATE errors Event 28).
fsm_event event_for_decode_error(const notification& n);

/// Decodes 4-octet ASNs and router ids written "65000" / "1.2" (asdot,
/// RFC 5396) and dotted-quad identifiers.
std::optional<std::uint32_t> parse_asn(const std::string& text);
std::optional<std::uint32_t> parse_router_id(const std::string& text);

} // namespace porter::bgp
