// RFC 4271 names of states and events (§8.2.2, §8.1), and porter's names of
// timers and of the reasons a session goes down, for logs and inspection.
#include "bgp/fsm.hpp"

namespace porter::bgp {

std::string_view to_string(fsm_state s) {
  switch (s) {
    case fsm_state::idle:
      return "Idle";
    case fsm_state::connect:
      return "Connect";
    case fsm_state::active:
      return "Active";
    case fsm_state::open_sent:
      return "OpenSent";
    case fsm_state::open_confirm:
      return "OpenConfirm";
    case fsm_state::established:
      return "Established";
  }
  return "?";
}

std::string_view to_string(timer_kind t) {
  switch (t) {
    case timer_kind::connect_retry:
      return "connect_retry";
    case timer_kind::hold:
      return "hold";
    case timer_kind::keepalive:
      return "keepalive";
    case timer_kind::idle_hold:
      return "idle_hold";
    case timer_kind::idle_hold_reset:
      return "idle_hold_reset";
  }
  return "?";
}

std::string_view to_string(down_reason r) {
  switch (r) {
    case down_reason::manual_stop:
      return "manual_stop";
    case down_reason::notification_sent:
      return "notification_sent";
    case down_reason::notification_received:
      return "notification_received";
    case down_reason::connection_lost:
      return "connection_lost";
  }
  return "?";
}

std::string_view to_string(fsm_event_type e) {
  switch (e) {
    case fsm_event_type::manual_start:
      return "ManualStart";
    case fsm_event_type::manual_start_passive:
      return "ManualStart_with_PassiveTcpEstablishment";
    case fsm_event_type::manual_stop:
      return "ManualStop";
    case fsm_event_type::automatic_start:
      return "AutomaticStart";
    case fsm_event_type::connect_retry_timer_expires:
      return "ConnectRetryTimer_Expires";
    case fsm_event_type::hold_timer_expires:
      return "HoldTimer_Expires";
    case fsm_event_type::keepalive_timer_expires:
      return "KeepaliveTimer_Expires";
    case fsm_event_type::idle_hold_timer_expires:
      return "IdleHoldTimer_Expires";
    case fsm_event_type::idle_hold_reset_timer_expires:
      return "IdleHoldResetTimer_Expires";
    case fsm_event_type::tcp_cr_acked:
      return "Tcp_CR_Acked";
    case fsm_event_type::tcp_connection_confirmed:
      return "TcpConnectionConfirmed";
    case fsm_event_type::tcp_connection_fails:
      return "TcpConnectionFails";
    case fsm_event_type::bgp_open:
      return "BGPOpen";
    case fsm_event_type::bgp_header_err:
      return "BGPHeaderErr";
    case fsm_event_type::bgp_open_msg_err:
      return "BGPOpenMsgErr";
    case fsm_event_type::open_collision_dump:
      return "OpenCollisionDump";
    case fsm_event_type::notif_msg_ver_err:
      return "NotifMsgVerErr";
    case fsm_event_type::notif_msg:
      return "NotifMsg";
    case fsm_event_type::keepalive_msg:
      return "KeepAliveMsg";
    case fsm_event_type::update_msg:
      return "UpdateMsg";
    case fsm_event_type::update_msg_err:
      return "UpdateMsgErr";
    case fsm_event_type::route_refresh_msg:
      return "RouteRefreshMsg";
  }
  return "?";
}

} // namespace porter::bgp
