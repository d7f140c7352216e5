// RFC 4271 §8.2.2, one handler per state, each one switch on the event, in
// the order of the RFC's text. Quotes are the RFC's; where porter deviates
// the comment says why. Timer expiries reach these handlers only when the
// timer was armed (see fsm::handle).
#include "bgp/fsm.hpp"

namespace porter::bgp {

namespace {

using ev_t = fsm_event_type;

/// The NOTIFICATION an error event carries; a shell that forgot it gets the
/// bare error code.
notification carried(const fsm_event& ev, error_code fallback) {
  if (ev.notif) {
    return *ev.notif;
  }
  return {static_cast<std::uint8_t>(fallback), 0, {}};
}

notification hold_timer_expired() {
  return {static_cast<std::uint8_t>(error_code::hold_timer_expired), 0, {}};
}

bool is_start(ev_t e) {
  return e == ev_t::manual_start || e == ev_t::manual_start_passive
         || e == ev_t::automatic_start;
}

} // namespace

void fsm::on_idle(const fsm_event& ev) {
  switch (ev.type) {
    case ev_t::automatic_start:
      // DampPeerOscillations: no automatic start while the IdleHoldTimer runs.
      if (timer_running(timer_kind::idle_hold)) {
        return;
      }
      [[fallthrough]];
    case ev_t::manual_start:
      connect_retry_counter_ = 0;
      start(config_.passive);
      return;
    case ev_t::manual_start_passive:
      connect_retry_counter_ = 0;
      start(true);
      return;
    case ev_t::idle_hold_timer_expires:
      // Event 13 ends the damping: the automatic restart (Event 3 or 5).
      start(config_.passive);
      return;
    case ev_t::manual_stop:
      // "The ManualStop event (Event 2) is ignored in the Idle state", but a
      // pending automatic restart is cancelled.
      stop(ev);
      return;
    default:
      // "Any other event (Events 9-12, 15-28) received in the Idle state does
      // not cause change in the state of the local system."
      return;
  }
}

void fsm::on_connect(const fsm_event& ev) {
  // "Events 1, 3-7 are ignored in the Connect state."
  if (is_start(ev.type)) {
    return;
  }
  switch (ev.type) {
    case ev_t::manual_stop:
      stop(ev);
      return;
    case ev_t::connect_retry_timer_expires:
      // "drops the TCP connection, restarts the ConnectRetryTimer, [...]
      // initiates a TCP connection to the other BGP peer, continues to listen
      // for a connection that may be initiated by the remote BGP peer, and
      // stays in the Connect state."
      emit(close_connection{});
      arm(timer_kind::connect_retry, config_.connect_retry_time);
      emit(initiate_connection{});
      return;
    case ev_t::tcp_cr_acked:
    case ev_t::tcp_connection_confirmed:
      send_open_and_wait();
      return;
    case ev_t::tcp_connection_fails:
      // "If the DelayOpenTimer is not running, the local system: stops the
      // ConnectRetryTimer to zero, drops the TCP connection, releases all BGP
      // resources, and changes its state to Idle." (Not counted.)
      fail(ev, std::nullopt, false);
      return;
    default:
      // Events 21, 22, 24 without DelayOpen, and "any other events (Events 8,
      // 10-11, 13, 19, 23, 25-28)": "[...] releases all BGP resources, drops
      // the TCP connection, increments the ConnectRetryCounter by 1, performs
      // peer oscillation damping [...], and changes its state to Idle."
      fail(ev, std::nullopt);
      return;
  }
}

void fsm::on_active(const fsm_event& ev) {
  // "Events 1, 3-7 are ignored in the Active state."
  if (is_start(ev.type)) {
    return;
  }
  switch (ev.type) {
    case ev_t::manual_stop:
      stop(ev);
      return;
    case ev_t::connect_retry_timer_expires:
      // "restarts the ConnectRetryTimer (with initial value), initiates a TCP
      // connection to the other BGP peer, continues to listen for a TCP
      // connection that may be initiated by a remote BGP peer, and changes
      // its state to Connect." (Never armed when passive.)
      arm(timer_kind::connect_retry, config_.connect_retry_time);
      emit(initiate_connection{});
      state_ = fsm_state::connect;
      return;
    case ev_t::tcp_cr_acked:
    case ev_t::tcp_connection_confirmed:
      send_open_and_wait();
      return;
    default:
      // Event 18: "restarts the ConnectRetryTimer (with the initial value),
      // [...] releases all BGP resource, increments the ConnectRetryCounter
      // by 1, optionally performs peer oscillation damping [...], and changes
      // its state to Idle" (porter stops the timer: Idle ignores it). Events
      // 21, 22, 24 and "any other event (Events 8, 10-11, 13, 19, 23,
      // 25-28)": the same.
      fail(ev, std::nullopt);
      return;
  }
}

void fsm::on_open_sent(const fsm_event& ev) {
  // "Events 1, 3-7 are ignored in the OpenSent state."
  if (is_start(ev.type)) {
    return;
  }
  switch (ev.type) {
    case ev_t::manual_stop:
      stop(ev);
      return;
    case ev_t::hold_timer_expires:
      // "sends a NOTIFICATION message with the error code Hold Timer Expired,
      // sets the ConnectRetryTimer to zero, releases all BGP resources, drops
      // the TCP connection, increments the ConnectRetryCounter, (optionally)
      // performs peer oscillation damping [...], and changes its state to
      // Idle."
      fail(ev, hold_timer_expired());
      return;
    case ev_t::tcp_cr_acked:
    case ev_t::tcp_connection_confirmed:
      // "a second TCP connection may be in progress. This second TCP
      // connection is tracked per Connection Collision processing (Section
      // 6.8) until an OPEN message is received." (By the shell.)
      return;
    case ev_t::tcp_connection_fails:
      listen_again();
      return;
    case ev_t::bgp_open:
      accept_open(ev);
      return;
    case ev_t::bgp_header_err:
    case ev_t::bgp_open_msg_err:
      // "sends a NOTIFICATION message with the appropriate error code, [...]
      // increments the ConnectRetryCounter by 1, [...] Idle."
      fail(ev, carried(ev, ev.type == ev_t::bgp_header_err
                             ? error_code::message_header
                             : error_code::open_message));
      return;
    case ev_t::open_collision_dump:
      // "sends a NOTIFICATION with a Cease, [...] Idle."
      fail(ev, collision_notification());
      return;
    case ev_t::notif_msg_ver_err:
      // "sets the ConnectRetryTimer to zero, releases all BGP resources, drops
      // the TCP connection, and changes its state to Idle."
      fail(ev, std::nullopt, false);
      return;
    case ev_t::notif_msg:
      // Deviation: the RFC lists Event 25 under "any other event" (answer
      // with an FSM Error). A NOTIFICATION is not answered: the peer is
      // closing already. Handled as in OpenConfirm.
      fail(ev, std::nullopt);
      return;
    default:
      // "any other event (Events 9, 11-13, 20, 25-28)".
      fsm_error(ev, fsm_subcode::unexpected_in_open_sent);
      return;
  }
}

void fsm::on_open_confirm(const fsm_event& ev) {
  // "Events 1, 3-7 are ignored in the OpenConfirm state."
  if (is_start(ev.type)) {
    return;
  }
  switch (ev.type) {
    case ev_t::manual_stop:
      stop(ev);
      return;
    case ev_t::hold_timer_expires:
      fail(ev, hold_timer_expired()); // as in OpenSent
      return;
    case ev_t::keepalive_timer_expires:
      // "sends a KEEPALIVE message, restarts the KeepaliveTimer, and remains
      // in the OpenConfirmed state."
      send_keepalive_and_rearm();
      return;
    case ev_t::tcp_cr_acked:
    case ev_t::tcp_connection_confirmed:
      // "the local system will track the second connection."
      return;
    case ev_t::tcp_connection_fails:
    case ev_t::notif_msg:
      // "sets the ConnectRetryTimer to zero, releases all BGP resources, drops
      // the TCP connection, increments the ConnectRetryCounter by 1,
      // (optionally) performs peer oscillation damping [...] Idle."
      fail(ev, std::nullopt);
      return;
    case ev_t::notif_msg_ver_err:
      fail(ev, std::nullopt, false); // as in OpenSent: not counted
      return;
    case ev_t::bgp_header_err:
    case ev_t::bgp_open_msg_err:
      fail(ev, carried(ev, ev.type == ev_t::bgp_header_err
                             ? error_code::message_header
                             : error_code::open_message));
      return;
    case ev_t::open_collision_dump:
      fail(ev, collision_notification());
      return;
    case ev_t::keepalive_msg:
      enter_established();
      return;
    default:
      // "any other event (Events 9, 12-13, 20, 27-28)". Also Event 19 on this
      // connection: collision detection between two connections is the
      // shell's (resolve_collision); a second OPEN here is unexpected.
      fsm_error(ev, fsm_subcode::unexpected_in_open_confirm);
      return;
  }
}

void fsm::on_established(const fsm_event& ev) {
  // "Events 1, 3-7 are ignored in the Established state."
  if (is_start(ev.type)) {
    return;
  }
  switch (ev.type) {
    case ev_t::manual_stop:
      stop(ev);
      return;
    case ev_t::hold_timer_expires:
      fail(ev, hold_timer_expired());
      return;
    case ev_t::keepalive_timer_expires:
      send_keepalive_and_rearm();
      return;
    case ev_t::tcp_cr_acked:
    case ev_t::tcp_connection_confirmed:
      // "the second connection SHALL be tracked until it sends an OPEN
      // message."
      return;
    case ev_t::open_collision_dump:
      fail(ev, collision_notification());
      return;
    case ev_t::notif_msg_ver_err:
    case ev_t::notif_msg:
    case ev_t::tcp_connection_fails:
      // "sets the ConnectRetryTimer to zero, deletes all routes associated
      // with this connection, releases all the BGP resources, drops the TCP
      // connection, increments the ConnectRetryCounter by 1, changes its
      // state to Idle."
      fail(ev, std::nullopt);
      return;
    case ev_t::keepalive_msg:
    case ev_t::update_msg:
    case ev_t::route_refresh_msg:
      // "restarts its HoldTimer, if the negotiated HoldTime value is non-zero,
      // and remains in the Established state."
      restart_hold_timer();
      return;
    case ev_t::update_msg_err:
      // "sends a NOTIFICATION message with an Update error, [...] Idle."
      fail(ev, carried(ev, error_code::update_message));
      return;
    case ev_t::bgp_header_err:
      // Deviation: the RFC lists Event 21 under "any other event"; RFC 4271
      // §6.1 wants the Message Header Error itself sent.
      fail(ev, carried(ev, error_code::message_header));
      return;
    case ev_t::idle_hold_reset_timer_expires:
      idle_hold_time_ = config_.idle_hold_time; // stable: forget the backoff
      return;
    default:
      // "any other event (Events 9, 12-13, 20-22)": RFC 6608 §3 subcode 3,
      // e.g. an OPEN on an Established connection.
      fsm_error(ev, fsm_subcode::unexpected_in_established);
      return;
  }
}

} // namespace porter::bgp
