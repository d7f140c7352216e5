// The BGP finite state machine of one connection (RFC 4271 §8), as a pure
// value: `handle(event)` returns the actions the shell performs. No clock is
// read: timers are actions and their expiry is an event. Also: connection
// collision resolution (RFC 4271 §6.8, RFC 6286 §2.1), FSM error subcodes
// (RFC 6608), and the IdleHoldTimer backoff that damps peer oscillations
// (RFC 4271 §8.1.1 DampPeerOscillations, as OpenBGPD's IdleHoldTime).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bgp/message.hpp"
#include "bgp/negotiation.hpp"

namespace porter::bgp {

/// RFC 4271 §8.2.2 states.
enum class fsm_state : std::uint8_t {
  idle,
  connect,
  active,
  open_sent,
  open_confirm,
  established,
};

/// The RFC names: "Idle", "Connect", "Active", "OpenSent", "OpenConfirm",
/// "Established".
std::string_view to_string(fsm_state s);

/// RFC 4271 §8.1 events (event numbers in comments). Not modelled: 8
/// AutomaticStop, 12/20 DelayOpen, 14/15 (a user-space accept() already is
/// Event 17).
enum class fsm_event_type : std::uint8_t {
  manual_start,                  // 1 (4 when fsm_config::passive)
  manual_start_passive,          // 4: this start only, see `fsm`
  manual_stop,                   // 2, Cease with a shutdown communication
  automatic_start,               // 3 (5 when fsm_config::passive)
  connect_retry_timer_expires,   // 9
  hold_timer_expires,            // 10
  keepalive_timer_expires,       // 11
  idle_hold_timer_expires,       // 13: automatic restart after a failure
  idle_hold_reset_timer_expires, // porter: stable long enough, reset backoff
  tcp_cr_acked,                  // 16: our connection attempt succeeded
  tcp_connection_confirmed,      // 17: we accepted the peer's connection
  tcp_connection_fails,          // 18
  bgp_open,                      // 19: carries the peer's OPEN
  bgp_header_err,                // 21: carries the NOTIFICATION to send
  bgp_open_msg_err,              // 22: carries the NOTIFICATION to send
  open_collision_dump,           // 23: see resolve_collision
  notif_msg_ver_err,             // 24: carries the NOTIFICATION received
  notif_msg,                     // 25: carries the NOTIFICATION received
  keepalive_msg,                 // 26
  update_msg,                    // 27
  update_msg_err,                // 28: carries the NOTIFICATION to send
  route_refresh_msg,             // porter: RFC 2918, handled as UpdateMsg
};

std::string_view to_string(fsm_event_type e);

/// One event with its payload, if it has one.
struct fsm_event {
  /// Implicit, so that `handle(fsm_event_type::keepalive_msg)` reads well.
  fsm_event(fsm_event_type t) // NOLINT(google-explicit-constructor)
      : type(t) {}
  fsm_event(fsm_event_type t, open_message o) : type(t), open(std::move(o)) {}
  fsm_event(fsm_event_type t, notification n) : type(t), notif(std::move(n)) {}
  fsm_event(fsm_event_type t, std::string text)
      : type(t), shutdown_message(std::move(text)) {}

  fsm_event_type type;
  std::optional<open_message> open; // bgp_open
  /// *_err: the NOTIFICATION to send; notif_msg*: the one received.
  std::optional<notification> notif;
  /// manual_stop: RFC 9003 Shutdown Communication, may be empty.
  std::string shutdown_message;
};

enum class timer_kind : std::uint8_t {
  connect_retry,   // RFC 4271 §10 ConnectRetryTimer
  hold,            // HoldTimer
  keepalive,       // KeepaliveTimer
  idle_hold,       // §8.1.1 IdleHoldTimer: automatic restart delay
  idle_hold_reset, // porter: Established this long resets the backoff
};
inline constexpr std::size_t timer_kind_count = 5;

std::string_view to_string(timer_kind t);

/// Why an Established session went down (for logs, metrics, status).
enum class down_reason : std::uint8_t {
  manual_stop,
  notification_sent,
  notification_received,
  connection_lost,
};

std::string_view to_string(down_reason r);

// --- actions, performed by the shell in order ---------------------------

/// "initiates a TCP connection to the other BGP peer".
struct initiate_connection {};
/// "drops the TCP connection" (aborts a pending attempt in Connect). After a
/// send_notification, close once the NOTIFICATION is written.
struct close_connection {};
/// Our OPEN, built by the shell from session_config (make_open).
struct send_open {};
struct send_keepalive {};
struct send_notification {
  notification notif;
};
/// Arms `timer` for `duration`, replacing a running one of the same kind;
/// its expiry comes back as the matching *_expires event.
struct start_timer {
  timer_kind timer;
  std::chrono::milliseconds duration;
};
struct stop_timer {
  timer_kind timer;
};
/// Entered Established: start advertising with what was negotiated.
struct session_established {
  negotiated_session session;
};
/// Left Established: "deletes all routes associated with this connection".
struct session_down {
  down_reason reason;
  std::optional<notification> cause; // sent or received, if any
};

using fsm_action
  = std::variant<initiate_connection, close_connection, send_open,
                 send_keepalive, send_notification, start_timer, stop_timer,
                 session_established, session_down>;

struct fsm_config {
  /// Our ASN, BGP Identifier, Hold Time and capabilities: what negotiate()
  /// checks the peer's OPEN against.
  session_config session;
  /// §8.1.1 PassiveTcpEstablishment: wait in Active, never connect.
  bool passive = false;
  /// §10 ConnectRetryTime (120 s suggested).
  std::chrono::milliseconds connect_retry_time{120'000};
  /// §8.2.2: the HoldTimer in OpenSent, "a large value" (4 min suggested).
  std::chrono::milliseconds open_sent_hold_time{240'000};
  /// IdleHoldTimer after the first failure; doubles on each further one...
  std::chrono::milliseconds idle_hold_time{1'000};
  /// ...up to this cap.
  std::chrono::milliseconds max_idle_hold_time{120'000};
};

/// RFC 4271 §8 for one TCP connection.
///
/// Timers: the FSM remembers which timers it armed; the expiry of a timer
/// it did not arm (or stopped) is stale and ignored. Entering Idle or
/// Active stops the timers of the dropped connection.
///
/// Backoff: every failure (entering Idle other than by manual_stop) arms
/// the IdleHoldTimer with the current idle-hold time, then doubles it (capped
/// at max_idle_hold_time); its expiry restarts the FSM (automatic_start is
/// damped meanwhile, manual_start is not). Once Established, an
/// idle_hold_reset timer of the current idle-hold time is armed when that
/// time has grown; if the session is still Established at its expiry, the
/// idle-hold time goes back to fsm_config::idle_hold_time. manual_stop
/// cancels a pending restart and resets the backoff.
///
/// Passive (fsm_config::passive or manual_start_passive): Active without a
/// ConnectRetryTimer, so it never connects. manual_start_passive applies to
/// that start only (automatic restarts follow fsm_config::passive): the
/// shell uses it for the FSM of a second, inbound connection (RFC 4271
/// §6.8) while the first one is in OpenSent or later.
///
/// Connections: the shell accepts the peer's connection only in Connect or
/// Active (RFC 4271 §8.2.2: Idle "refuses all incoming BGP connections");
/// in Connect it then abandons its own pending attempt. From OpenSent on, an
/// inbound connection is a second one with its own FSM (resolve_collision).
class fsm {
public:
  explicit fsm(fsm_config config);

  /// Processes one event; the actions are to be performed in order.
  std::vector<fsm_action> handle(const fsm_event& ev);

  fsm_state state() const { return state_; }
  const fsm_config& config() const { return config_; }
  /// RFC 4271 §8: failures since the last start or stop.
  std::uint32_t connect_retry_counter() const { return connect_retry_counter_; }
  /// The IdleHoldTimer duration the next failure will use.
  std::chrono::milliseconds idle_hold_time() const { return idle_hold_time_; }
  /// Set from OpenConfirm on (the result of negotiate()).
  const std::optional<negotiated_session>& session() const { return session_; }
  bool timer_running(timer_kind t) const {
    return running_[static_cast<std::size_t>(t)];
  }

private:
  // One handler per RFC 4271 §8.2.2 state, each one switch on the event.
  void on_idle(const fsm_event& ev);
  void on_connect(const fsm_event& ev);
  void on_active(const fsm_event& ev);
  void on_open_sent(const fsm_event& ev);
  void on_open_confirm(const fsm_event& ev);
  void on_established(const fsm_event& ev);

  void start(bool passive);
  void send_open_and_wait();
  void accept_open(const fsm_event& ev);
  void enter_established();
  void send_keepalive_and_rearm();
  void restart_hold_timer();
  void listen_again();
  void stop(const fsm_event& ev);
  void fail(const fsm_event& ev, const std::optional<notification>& send,
            bool count = true);
  void fsm_error(const fsm_event& ev, std::uint8_t subcode);
  void drop_connection(const std::optional<notification>& send);

  void arm(timer_kind t, std::chrono::milliseconds d);
  void disarm(timer_kind t);
  void disarm_connection_timers();
  void emit(fsm_action a) { out_.push_back(std::move(a)); }
  std::chrono::milliseconds negotiated_hold() const;
  std::chrono::milliseconds negotiated_keepalive() const;

  fsm_config config_;
  fsm_state state_ = fsm_state::idle;
  bool passive_ = false;
  std::uint32_t connect_retry_counter_ = 0;
  std::chrono::milliseconds idle_hold_time_;
  std::optional<negotiated_session> session_;
  std::array<bool, timer_kind_count> running_{};
  std::vector<fsm_action> out_;
};

// --- connection collisions (RFC 4271 §6.8) ------------------------------

enum class connection_origin : std::uint8_t {
  local,  // we connected to the peer
  remote, // the peer connected to us
};

/// One side of a collision: BGP Identifier (host order) and ASN.
struct speaker_id {
  std::uint32_t bgp_identifier = 0;
  std::uint32_t asn = 0;
};

/// RFC 4271 §6.8: keep the connection initiated by the speaker with the
/// higher BGP Identifier; RFC 6286 §2.1: if equal, by the larger ASN.
connection_origin collision_winner(speaker_id local, speaker_id remote);

enum class collision_outcome : std::uint8_t {
  no_collision,  // the other connection has not reached OpenSent
  dump_existing, // open_collision_dump to the existing connection's FSM
  dump_new,      // open_collision_dump to the new one instead of bgp_open
};

/// An OPEN from `remote` arrived on a new connection while another
/// connection to the same peer is in `existing_state`. RFC 4271 §6.8: an
/// Established connection always stays; otherwise collision_winner decides.
/// Two connections of the same origin are no §6.8 collision: the newer one
/// replaces the older. The shell calls this before handing the OPEN to the
/// new connection's FSM; the dumped connection's FSM sends the Cease, closes,
/// and is then discarded; the survivor carries on (bgp_open if it is new).
collision_outcome resolve_collision(fsm_state existing_state,
                                    connection_origin existing_origin,
                                    connection_origin new_origin,
                                    speaker_id local, speaker_id remote);

/// Cease / Connection Collision Resolution (RFC 4486 §4), sent on the
/// dropped connection by its FSM on open_collision_dump.
notification collision_notification();

} // namespace porter::bgp
