// Shared by the BGP FSM tests: a test configuration, the peer's OPEN, events
// with their wire payloads, a way to reach each state through real events,
// and a short text form of actions ("send_notification 4/0",
// "start_timer hold 90000ms") so that expectations read like the RFC.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "bgp/fsm.hpp"

namespace porter::bgp {

inline void PrintTo(fsm_state s, // NOLINT(readability-identifier-naming)
                    std::ostream* os) {
  *os << to_string(s);
}

namespace test {

using namespace std::chrono_literals;
using ev_t = fsm_event_type;

constexpr std::uint32_t our_id = 0x0a000001;  // 10.0.0.1
constexpr std::uint32_t peer_id = 0x0a000002; // 10.0.0.2

inline fsm_config test_config() {
  fsm_config c;
  c.session.local_as = 65001;
  c.session.peer_as = 65002;
  c.session.local_id = our_id;
  c.session.hold_time = 90;
  c.connect_retry_time = 5s;
  c.idle_hold_time = 1s;
  c.max_idle_hold_time = 8s;
  return c;
}

inline open_message peer_open(std::uint16_t hold = 90,
                              std::uint16_t as = 65002) {
  open_message o;
  o.my_as = as;
  o.hold_time = hold;
  o.bgp_identifier = peer_id;
  return o;
}

inline notification notif(error_code code, std::uint8_t subcode) {
  return {static_cast<std::uint8_t>(code), subcode, {}};
}

/// An event with the payload it has on the wire.
inline fsm_event ev(ev_t type) {
  switch (type) {
    case ev_t::bgp_open:
      return {type, peer_open()};
    case ev_t::bgp_header_err:
      return {type, notif(error_code::message_header,
                          header_subcode::bad_message_length)};
    case ev_t::bgp_open_msg_err:
      return {type, notif(error_code::open_message,
                          open_subcode::unsupported_optional_parameter)};
    case ev_t::update_msg_err:
      return {type, notif(error_code::update_message,
                          update_subcode::malformed_attribute_list)};
    case ev_t::notif_msg:
      return {type,
              notif(error_code::cease, cease_subcode::administrative_shutdown)};
    case ev_t::notif_msg_ver_err:
      return {type, notif(error_code::open_message,
                          open_subcode::unsupported_version)};
    default:
      return type;
  }
}

inline std::string code_of(const notification& n) {
  return std::to_string(n.code) + "/" + std::to_string(n.subcode);
}

struct renderer {
  std::string operator()(const initiate_connection&) const {
    return "initiate_connection";
  }
  std::string operator()(const close_connection&) const {
    return "close_connection";
  }
  std::string operator()(const send_open&) const { return "send_open"; }
  std::string operator()(const send_keepalive&) const {
    return "send_keepalive";
  }
  std::string operator()(const send_notification& a) const {
    return "send_notification " + code_of(a.notif);
  }
  std::string operator()(const start_timer& a) const {
    return "start_timer " + std::string(to_string(a.timer)) + " "
           + std::to_string(a.duration.count()) + "ms";
  }
  std::string operator()(const stop_timer& a) const {
    return "stop_timer " + std::string(to_string(a.timer));
  }
  std::string operator()(const session_established&) const {
    return "session_established";
  }
  std::string operator()(const session_down& a) const {
    return "session_down " + std::string(to_string(a.reason))
           + (a.cause ? " " + code_of(*a.cause) : "");
  }
};

inline std::vector<std::string> render(const std::vector<fsm_action>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions)
    out.push_back(std::visit(renderer{}, a));
  return out;
}

/// Where a row starts. idle_damped: Idle after a failure, the IdleHoldTimer
/// running; active: back from OpenSent, the ConnectRetryTimer running.
enum class from {
  idle,
  idle_damped,
  connect,
  active,
  open_sent,
  open_confirm,
  established,
};

inline std::vector<fsm_event> path_to(from f) {
  switch (f) {
    case from::idle:
      return {};
    case from::idle_damped:
      return {ev_t::manual_start, ev_t::tcp_connection_fails};
    case from::connect:
      return {ev_t::manual_start};
    case from::active:
      return {ev_t::manual_start, ev_t::tcp_cr_acked,
              ev_t::tcp_connection_fails};
    case from::open_sent:
      return {ev_t::manual_start, ev_t::tcp_cr_acked};
    case from::open_confirm:
      return {ev_t::manual_start, ev_t::tcp_cr_acked, ev(ev_t::bgp_open)};
    case from::established:
      return {ev_t::manual_start, ev_t::tcp_cr_acked, ev(ev_t::bgp_open),
              ev_t::keepalive_msg};
  }
  return {};
}

inline fsm fsm_at(from f, fsm_config config = test_config()) {
  fsm m{std::move(config)};
  for (const auto& e : path_to(f))
    m.handle(e);
  return m;
}

} // namespace test
} // namespace porter::bgp
