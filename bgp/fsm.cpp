// The moves shared by the RFC 4271 §8.2.2 states (start, send OPEN, accept
// OPEN, stop, fail), timer bookkeeping, and connection collision resolution
// (§6.8). The per-state handlers are in fsm_states.cpp, names in
// fsm_names.cpp.
#include "bgp/fsm.hpp"

#include <algorithm>
#include <utility>

#include "bgp/codec.hpp"

namespace porter::bgp {

namespace {

using std::chrono::milliseconds;

std::size_t index(timer_kind t) {
  return static_cast<std::size_t>(t);
}

/// The timer whose expiry `e` reports, if it is a timer event.
std::optional<timer_kind> expiring_timer(fsm_event_type e) {
  switch (e) {
    case fsm_event_type::connect_retry_timer_expires:
      return timer_kind::connect_retry;
    case fsm_event_type::hold_timer_expires:
      return timer_kind::hold;
    case fsm_event_type::keepalive_timer_expires:
      return timer_kind::keepalive;
    case fsm_event_type::idle_hold_timer_expires:
      return timer_kind::idle_hold;
    case fsm_event_type::idle_hold_reset_timer_expires:
      return timer_kind::idle_hold_reset;
    default:
      return std::nullopt;
  }
}

/// RFC 6608 §4: the type of the unexpected message, if the event is one.
std::optional<message_type> message_of(fsm_event_type e) {
  switch (e) {
    case fsm_event_type::bgp_open:
    case fsm_event_type::bgp_open_msg_err:
      return message_type::open;
    case fsm_event_type::update_msg:
    case fsm_event_type::update_msg_err:
      return message_type::update;
    case fsm_event_type::notif_msg:
    case fsm_event_type::notif_msg_ver_err:
      return message_type::notification;
    case fsm_event_type::keepalive_msg:
      return message_type::keepalive;
    case fsm_event_type::route_refresh_msg:
      return message_type::route_refresh;
    default:
      return std::nullopt;
  }
}

/// RFC 4486 §4 / RFC 9003: Cease, Administrative Shutdown, with the
/// operator's Shutdown Communication when there is one.
notification shutdown_cease(const std::string& text) {
  if (text.empty()) {
    return {static_cast<std::uint8_t>(error_code::cease),
            cease_subcode::administrative_shutdown,
            {}};
  }
  return make_shutdown_notification(cease_subcode::administrative_shutdown,
                                    text);
}

down_reason reason_for(const fsm_event& ev, bool sent) {
  if (sent) {
    return down_reason::notification_sent;
  }
  if (ev.type == fsm_event_type::notif_msg
      || ev.type == fsm_event_type::notif_msg_ver_err) {
    return down_reason::notification_received;
  }
  return down_reason::connection_lost;
}

} // namespace

fsm::fsm(fsm_config config)
    : config_(std::move(config)),
      passive_(config_.passive),
      idle_hold_time_(config_.idle_hold_time) {}

std::vector<fsm_action> fsm::handle(const fsm_event& ev) {
  out_.clear();
  if (auto t = expiring_timer(ev.type)) {
    // A timer the FSM did not arm (or has stopped) cannot expire: stale.
    if (!running_[index(*t)]) {
      return {};
    }
    running_[index(*t)] = false;
  }
  switch (state_) {
    case fsm_state::idle:
      on_idle(ev);
      break;
    case fsm_state::connect:
      on_connect(ev);
      break;
    case fsm_state::active:
      on_active(ev);
      break;
    case fsm_state::open_sent:
      on_open_sent(ev);
      break;
    case fsm_state::open_confirm:
      on_open_confirm(ev);
      break;
    case fsm_state::established:
      on_established(ev);
      break;
  }
  return std::exchange(out_, {});
}

// Idle, Events 1/3: "initializes all BGP resources for the peer connection,
// sets ConnectRetryCounter to zero, starts the ConnectRetryTimer with the
// initial value, initiates a TCP connection to the other BGP peer, listens
// for a connection that may be initiated by the remote BGP peer, and changes
// its state to Connect." Events 4/5 (passive): "... listens for a connection
// ..., and changes its state to Active" (no ConnectRetryTimer: see fsm).
// The caller resets the counter: an automatic restart after damping keeps it.
void fsm::start(bool passive) {
  disarm(timer_kind::idle_hold);
  passive_ = passive;
  session_.reset();
  if (passive) {
    state_ = fsm_state::active;
    return;
  }
  arm(timer_kind::connect_retry, config_.connect_retry_time);
  emit(initiate_connection{});
  state_ = fsm_state::connect;
}

// Connect/Active, Events 16/17: "stops the ConnectRetryTimer (if running) and
// sets the ConnectRetryTimer to zero, completes BGP initialization, sends an
// OPEN message to its peer, sets the HoldTimer to a large value, and changes
// its state to OpenSent."
void fsm::send_open_and_wait() {
  disarm(timer_kind::connect_retry);
  emit(send_open{});
  arm(timer_kind::hold, config_.open_sent_hold_time);
  state_ = fsm_state::open_sent;
}

// OpenSent, Event 19: "When an OPEN message is received, all fields are
// checked for correctness. If there are no errors in the OPEN message, the
// local system: [...] sends a KEEPALIVE message, and sets a KeepaliveTimer,
// sets the HoldTimer according to the negotiated value (see Section 4.2),
// changes its state to OpenConfirm. If the negotiated hold time value is
// zero, then the HoldTimer and KeepaliveTimer are not started."
// An error found by negotiate() is Event 22 (BGPOpenMsgErr).
void fsm::accept_open(const fsm_event& ev) {
  if (!ev.open) { // a bgp_open event without an OPEN: a shell bug
    fail(ev, notification{static_cast<std::uint8_t>(error_code::fsm),
                          fsm_subcode::unspecified,
                          {}});
    return;
  }
  auto negotiated = negotiate(config_.session, *ev.open);
  if (!negotiated) {
    fail(ev, negotiated.error());
    return;
  }
  session_ = std::move(*negotiated);
  emit(send_keepalive{});
  if (negotiated_hold() > milliseconds::zero()) {
    arm(timer_kind::keepalive, negotiated_keepalive());
    arm(timer_kind::hold, negotiated_hold());
  } else {
    disarm(timer_kind::hold);
  }
  state_ = fsm_state::open_confirm;
}

// OpenConfirm, Event 26: "restarts the HoldTimer and changes its state to
// Established." Backoff: see fsm.
void fsm::enter_established() {
  restart_hold_timer();
  state_ = fsm_state::established;
  if (idle_hold_time_ > config_.idle_hold_time) {
    arm(timer_kind::idle_hold_reset, idle_hold_time_);
  }
  emit(session_established{*session_});
}

// Event 11: "sends a KEEPALIVE message, and restarts its KeepaliveTimer,
// unless the negotiated HoldTime value is zero."
void fsm::send_keepalive_and_rearm() {
  emit(send_keepalive{});
  if (negotiated_hold() > milliseconds::zero()) {
    arm(timer_kind::keepalive, negotiated_keepalive());
  }
}

// Events 26/27: "restarts its HoldTimer, if the negotiated HoldTime value is
// non-zero".
void fsm::restart_hold_timer() {
  if (negotiated_hold() > milliseconds::zero()) {
    arm(timer_kind::hold, negotiated_hold());
  }
}

// OpenSent, Event 18: "closes the BGP connection, restarts the
// ConnectRetryTimer, continues to listen for a connection that may be
// initiated by the remote BGP peer, and changes its state to Active."
void fsm::listen_again() {
  drop_connection(std::nullopt);
  if (!passive_) {
    arm(timer_kind::connect_retry, config_.connect_retry_time);
  }
  state_ = fsm_state::active;
}

// ManualStop (Event 2). Connect/Active: "drops the TCP connection, releases
// all BGP resources, sets ConnectRetryCounter to zero, stops the
// ConnectRetryTimer and sets ConnectRetryTimer to zero, and changes its state
// to Idle." OpenSent and later first "sends the NOTIFICATION with a Cease";
// Established also "deletes all routes associated with this connection".
// In Idle it cancels a pending automatic restart.
void fsm::stop(const fsm_event& ev) {
  std::optional<notification> cease;
  if (state_ >= fsm_state::open_sent) {
    cease = shutdown_cease(ev.shutdown_message);
  }
  const bool was_established = state_ == fsm_state::established;
  drop_connection(cease);
  disarm(timer_kind::idle_hold);
  if (was_established) {
    emit(session_down{down_reason::manual_stop, cease});
  }
  connect_retry_counter_ = 0;
  idle_hold_time_ = config_.idle_hold_time;
  state_ = fsm_state::idle;
}

// The common way to Idle after an error: "[sends a NOTIFICATION,] sets the
// ConnectRetryTimer to zero, [deletes all routes associated with this
// connection,] releases all BGP resources, drops the TCP connection,
// increments the ConnectRetryCounter by 1, (optionally) performs peer
// oscillation damping if the DampPeerOscillations attribute is set to TRUE,
// and changes its state to Idle." Damping is always on: it is also the
// automatic restart.
void fsm::fail(const fsm_event& ev, const std::optional<notification>& send,
               bool count) {
  const bool was_established = state_ == fsm_state::established;
  drop_connection(send);
  if (was_established) {
    emit(
      session_down{reason_for(ev, send.has_value()), send ? send : ev.notif});
  }
  if (count) {
    ++connect_retry_counter_;
  }
  arm(timer_kind::idle_hold, idle_hold_time_);
  idle_hold_time_ = std::min(idle_hold_time_ * 2, config_.max_idle_hold_time);
  state_ = fsm_state::idle;
}

// RFC 4271 §8.2.2 "any other event": "sends the NOTIFICATION with the Error
// Code Finite State Machine Error", with the RFC 6608 §3 subcode of the state
// and, §4, "a 1-octet, unsigned integer that indicates the type of the
// unexpected message" as Data.
void fsm::fsm_error(const fsm_event& ev, std::uint8_t subcode) {
  notification n{static_cast<std::uint8_t>(error_code::fsm), subcode, {}};
  if (auto type = message_of(ev.type)) {
    n.data.push_back(static_cast<std::uint8_t>(*type));
  } else {
    n.subcode = fsm_subcode::unspecified;
  }
  fail(ev, n);
}

// "[sends the NOTIFICATION,] releases all BGP resources, drops the TCP
// connection" and stops the connection's timers.
void fsm::drop_connection(const std::optional<notification>& send) {
  if (send) {
    emit(send_notification{*send});
  }
  if (state_ != fsm_state::idle && state_ != fsm_state::active) {
    emit(close_connection{});
  }
  disarm_connection_timers();
  session_.reset();
}

void fsm::arm(timer_kind t, milliseconds d) {
  running_[index(t)] = true;
  emit(start_timer{t, d});
}

void fsm::disarm(timer_kind t) {
  if (!running_[index(t)]) {
    return;
  }
  running_[index(t)] = false;
  emit(stop_timer{t});
}

void fsm::disarm_connection_timers() {
  disarm(timer_kind::connect_retry);
  disarm(timer_kind::hold);
  disarm(timer_kind::keepalive);
  disarm(timer_kind::idle_hold_reset);
}

milliseconds fsm::negotiated_hold() const {
  if (!session_) {
    return milliseconds::zero();
  }
  return std::chrono::seconds{session_->hold_time};
}

// RFC 4271 §10: KeepaliveTime "one third of HoldTime" (negotiate() sets it).
milliseconds fsm::negotiated_keepalive() const {
  if (session_ && session_->keepalive_time > 0) {
    return std::chrono::seconds{session_->keepalive_time};
  }
  return negotiated_hold() / 3;
}

// --- connection collisions ------------------------------------------------

connection_origin collision_winner(speaker_id local, speaker_id remote) {
  // RFC 4271 §6.8: "Comparing BGP Identifiers is done by converting them to
  // host byte order and treating them as 4-octet unsigned integers."
  if (local.bgp_identifier != remote.bgp_identifier) {
    return local.bgp_identifier > remote.bgp_identifier
             ? connection_origin::local
             : connection_origin::remote;
  }
  // RFC 6286 §2.1: "If the BGP Identifiers of the peers involved in the
  // connection collision are identical, then the connection initiated by the
  // BGP speaker with the larger AS number is preserved."
  return local.asn > remote.asn ? connection_origin::local
                                : connection_origin::remote;
}

collision_outcome resolve_collision(fsm_state existing_state,
                                    connection_origin existing_origin,
                                    connection_origin new_origin,
                                    speaker_id local, speaker_id remote) {
  switch (existing_state) {
    case fsm_state::idle:
    case fsm_state::connect:
    case fsm_state::active:
      return collision_outcome::no_collision;
    case fsm_state::established:
      // "a connection collision with an existing BGP connection that is in
      // the Established state causes closing of the newly created
      // connection."
      return collision_outcome::dump_new;
    case fsm_state::open_sent:
    case fsm_state::open_confirm:
      break;
  }
  if (existing_origin == new_origin) {
    return collision_outcome::dump_existing;
  }
  return collision_winner(local, remote) == new_origin
           ? collision_outcome::dump_existing
           : collision_outcome::dump_new;
}

notification collision_notification() {
  return {static_cast<std::uint8_t>(error_code::cease),
          cease_subcode::connection_collision_resolution,
          {}};
}

} // namespace porter::bgp
