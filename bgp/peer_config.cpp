#include "bgp/peer_config.hpp"

#include <algorithm>

#include "bgp/codec.hpp"
#include "bgp/peer_stats.hpp"

namespace porter::bgp {

capabilities local_capabilities(const speaker_config& speaker,
                                const peer_config& peer) {
  capabilities caps;
  caps.multiprotocol.push_back(ipv4_unicast);
  if (peer.ipv6)
    caps.multiprotocol.push_back(ipv6_unicast);
  caps.four_octet_as = speaker.local_as;
  caps.route_refresh = true;
  caps.extended_message = true;
  if (peer.add_path || peer.add_path_receive) {
    const auto direction = peer.add_path && peer.add_path_receive
                             ? add_path_direction::both
                           : peer.add_path ? add_path_direction::send
                                           : add_path_direction::receive;
    for (auto f : caps.multiprotocol)
      caps.add_path.push_back({f, direction});
  }
  if (peer.graceful_restart) {
    graceful_restart_capability gr;
    // RFC 4724 §3: Restart Time is 12 bits.
    gr.restart_time = std::min<std::uint16_t>(peer.restart_time, 4095);
    for (auto f : caps.multiprotocol)
      gr.families.push_back({f, true});
    caps.graceful_restart = gr;
  }
  return caps;
}

capabilities open_capabilities(const capabilities& local,
                               bool first_session_since_start) {
  auto caps = local;
  if (caps.graceful_restart)
    caps.graceful_restart->restarting = first_session_since_start;
  return caps;
}

fsm_config make_fsm_config(const speaker_config& speaker,
                           const peer_config& peer) {
  fsm_config cfg;
  cfg.session.local_as = speaker.local_as;
  cfg.session.peer_as = peer.peer_as;
  cfg.session.local_id = speaker.router_id;
  cfg.session.hold_time = peer.hold_time;
  cfg.session.local_caps = local_capabilities(speaker, peer);
  cfg.passive = peer.passive;
  cfg.connect_retry_time = peer.connect_retry;
  return cfg;
}

bool operator==(const peer_config& a, const peer_config& b) {
  return a.name == b.name && a.address == b.address && a.port == b.port
         && a.local_address == b.local_address && a.local_port == b.local_port
         && a.peer_as == b.peer_as && a.md5_password == b.md5_password
         && a.ebgp_multihop == b.ebgp_multihop
         && a.ttl_security_hops == b.ttl_security_hops
         && a.user_timeout == b.user_timeout && a.hold_time == b.hold_time
         && a.connect_retry == b.connect_retry && a.passive == b.passive
         && a.add_path == b.add_path && a.add_path_receive == b.add_path_receive
         && a.ipv6 == b.ipv6 && a.graceful_restart == b.graceful_restart
         && a.restart_time == b.restart_time;
}

transport_settings transport_for(const speaker_config& speaker,
                                 const peer_config& peer) {
  transport_settings t;
  if (peer.ttl_security_hops > 0) {
    t.ttl = 255;
    t.min_ttl = 256 - peer.ttl_security_hops;
  } else if (peer.peer_as != speaker.local_as) {
    t.ttl = peer.ebgp_multihop > 0 ? peer.ebgp_multihop : 1;
  }
  t.user_timeout = peer.user_timeout.count() > 0
                     ? peer.user_timeout
                     : std::chrono::milliseconds(peer.hold_time * 2000 / 3);
  return t;
}

fsm_event_type expiry_event(timer_kind t) {
  switch (t) {
    case timer_kind::connect_retry:
      return fsm_event_type::connect_retry_timer_expires;
    case timer_kind::hold:
      return fsm_event_type::hold_timer_expires;
    case timer_kind::keepalive:
      return fsm_event_type::keepalive_timer_expires;
    case timer_kind::idle_hold:
      return fsm_event_type::idle_hold_timer_expires;
    case timer_kind::idle_hold_reset:
      return fsm_event_type::idle_hold_reset_timer_expires;
  }
  return fsm_event_type::hold_timer_expires;
}

namespace {

struct event_of_message {
  fsm_event operator()(const open_message& o) const {
    return {fsm_event_type::bgp_open, o};
  }
  fsm_event operator()(const update_message&) const {
    return fsm_event_type::update_msg;
  }
  fsm_event operator()(const notification& n) const {
    // RFC 4271 §8.1.5 Event 24: a NOTIFICATION with a version error.
    bool version_error
      = n.code == static_cast<std::uint8_t>(error_code::open_message)
        && n.subcode == open_subcode::unsupported_version;
    return {version_error ? fsm_event_type::notif_msg_ver_err
                          : fsm_event_type::notif_msg,
            n};
  }
  fsm_event operator()(const keepalive_message&) const {
    return fsm_event_type::keepalive_msg;
  }
  // RFC 2918 §4: valid in Established; restarts the hold timer.
  fsm_event operator()(const route_refresh_message&) const {
    return fsm_event_type::route_refresh_msg;
  }
};

} // namespace

fsm_event event_for(const message& msg) {
  return std::visit(event_of_message{}, msg);
}

fsm_event event_for_decode_error(const notification& n) {
  switch (static_cast<error_code>(n.code)) {
    case error_code::open_message:
      return {fsm_event_type::bgp_open_msg_err, n};
    case error_code::update_message:
      return {fsm_event_type::update_msg_err, n};
    default:
      return {fsm_event_type::bgp_header_err, n};
  }
}

namespace {

std::optional<std::uint32_t> parse_uint(const std::string& s,
                                        std::uint64_t max) {
  if (s.empty() || s.size() > 10)
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max)
    return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

} // namespace

std::optional<std::uint32_t> parse_asn(const std::string& text) {
  auto dot = text.find('.');
  if (dot == std::string::npos)
    return parse_uint(text, 0xffffffffULL);
  // RFC 5396 asdot: high.low, each 16 bits.
  auto high = parse_uint(text.substr(0, dot), 0xffff);
  auto low = parse_uint(text.substr(dot + 1), 0xffff);
  if (!high || !low)
    return std::nullopt;
  return (*high << 16) | *low;
}

std::optional<std::uint32_t> parse_router_id(const std::string& text) {
  auto a = net::parse_ip(text);
  if (!a || !a->is_v4())
    return std::nullopt;
  return a->v4_host_order();
}

message_type type_of(const message& m) {
  return static_cast<message_type>(m.index() + 1);
}

} // namespace porter::bgp
