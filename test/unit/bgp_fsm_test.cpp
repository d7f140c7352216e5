// RFC 4271 §8.2.2, one row per transition: the FSM is brought to the row's
// state through real events, handles the row's event, and must reach the
// expected state with exactly the expected actions. A row naming several
// events is the RFC's grouped rule ("Events 1, 3-7 are ignored", "any other
// event") and becomes one test per event.
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "test/unit/bgp_fsm_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/fsm.hpp"

namespace porter::bgp::test {
namespace {

using s = fsm_state;
using strings = std::vector<std::string>;

struct rule_row {
  std::string name; // <State>_*_<Outcome>: '*' is the RFC name of each event
  std::string rule; // what RFC 4271 §8.2.2 says
  from start;
  std::vector<fsm_event> events; // without a payload: the usual one (ev)
  fsm_state expected;
  strings actions;
};

const std::vector<fsm_event> starts
  = {ev_t::manual_start, ev_t::manual_start_passive, ev_t::automatic_start};
const std::vector<fsm_event> second_connection
  = {ev_t::tcp_cr_acked, ev_t::tcp_connection_confirmed};
const std::vector<fsm_event> messages_and_errors
  = {ev_t::bgp_open,          ev_t::bgp_header_err,
     ev_t::bgp_open_msg_err,  ev_t::open_collision_dump,
     ev_t::notif_msg_ver_err, ev_t::notif_msg,
     ev_t::keepalive_msg,     ev_t::update_msg,
     ev_t::update_msg_err,    ev_t::route_refresh_msg};

const strings starting
  = {"start_timer connect_retry 5000ms", "initiate_connection"};
const strings sending_open
  = {"stop_timer connect_retry", "send_open", "start_timer hold 240000ms"};

/// The way to Idle from OpenSent, after sending `sent` (if any).
strings open_sent_fails(const std::string& sent) {
  strings out;
  if (!sent.empty()) {
    out.push_back("send_notification " + sent);
  }
  out.insert(out.end(), {"close_connection", "stop_timer hold",
                         "start_timer idle_hold 1000ms"});
  return out;
}

/// The way to Idle from OpenConfirm or Established.
strings confirmed_fails(const std::string& sent, const std::string& down) {
  strings out;
  if (!sent.empty()) {
    out.push_back("send_notification " + sent);
  }
  out.insert(out.end(),
             {"close_connection", "stop_timer hold", "stop_timer keepalive"});
  if (!down.empty()) {
    out.push_back("session_down " + down);
  }
  out.emplace_back("start_timer idle_hold 1000ms");
  return out;
}

const std::vector<rule_row> idle_rows = {
  {"Idle_*_InitiatesConnectionAndGoesConnect",
   "Idle, Event 1: starts the ConnectRetryTimer, initiates a TCP connection, "
   "changes its state to Connect",
   from::idle,
   {ev_t::manual_start},
   s::connect,
   starting},
  {"Idle_*_InitiatesConnectionAndGoesConnect",
   "Idle, Event 3: as Event 1",
   from::idle,
   {ev_t::automatic_start},
   s::connect,
   starting},
  {"Idle_*_ListensAndGoesActive",
   "Idle, Event 4: listens for a connection, changes its state to Active "
   "(passive: no ConnectRetryTimer)",
   from::idle,
   {ev_t::manual_start_passive},
   s::active,
   {}},
  {"Idle_*_Ignored",
   "Idle: the ManualStop event (Event 2) is ignored",
   from::idle,
   {ev_t::manual_stop},
   s::idle,
   {}},
  {"Idle_*_Ignored",
   "Idle: any other event (Events 9-12, 15-28) does not cause change in the "
   "state",
   from::idle,
   {ev_t::tcp_cr_acked, ev_t::tcp_connection_confirmed,
    ev_t::tcp_connection_fails, ev_t::bgp_open, ev_t::bgp_header_err,
    ev_t::bgp_open_msg_err, ev_t::open_collision_dump, ev_t::notif_msg_ver_err,
    ev_t::notif_msg, ev_t::keepalive_msg, ev_t::update_msg,
    ev_t::update_msg_err, ev_t::route_refresh_msg},
   s::idle,
   {}},
  {"IdleDamped_*_RestartsAutomatically",
   "§8.1.1 DampPeerOscillations: IdleHoldTimer_Expires (Event 13) is the "
   "automatic restart",
   from::idle_damped,
   {ev_t::idle_hold_timer_expires},
   s::connect,
   starting},
  {"IdleDamped_*_DampedWhileIdleHoldRuns",
   "§8.1.1 DampPeerOscillations: no automatic start before the IdleHoldTimer "
   "expires",
   from::idle_damped,
   {ev_t::automatic_start},
   s::idle,
   {}},
  {"IdleDamped_*_StartsAtOnce",
   "Idle, Event 1: an operator start is not damped",
   from::idle_damped,
   {ev_t::manual_start},
   s::connect,
   {"stop_timer idle_hold", "start_timer connect_retry 5000ms",
    "initiate_connection"}},
  {"IdleDamped_*_CancelsAutomaticRestart",
   "Idle, Event 2: ignored, but the pending restart is cancelled",
   from::idle_damped,
   {ev_t::manual_stop},
   s::idle,
   {"stop_timer idle_hold"}},
};

const std::vector<rule_row> connect_rows = {
  {"Connect_*_Ignored",
   "Connect: Events 1, 3-7 are ignored",
   from::connect,
   starts,
   s::connect,
   {}},
  {"Connect_*_DropsConnectionAndGoesIdle",
   "Connect, Event 2: drops the TCP connection, sets ConnectRetryCounter to "
   "zero, stops the ConnectRetryTimer, Idle",
   from::connect,
   {ev_t::manual_stop},
   s::idle,
   {"close_connection", "stop_timer connect_retry"}},
  {"Connect_*_RetriesConnection",
   "Connect, Event 9: drops the TCP connection, restarts the "
   "ConnectRetryTimer, initiates a TCP connection, stays",
   from::connect,
   {ev_t::connect_retry_timer_expires},
   s::connect,
   {"close_connection", "start_timer connect_retry 5000ms",
    "initiate_connection"}},
  {"Connect_*_SendsOpenAndGoesOpenSent",
   "Connect, Events 16/17: stops the ConnectRetryTimer, sends an OPEN, sets "
   "the HoldTimer to a large value (4 min), OpenSent",
   from::connect, second_connection, s::open_sent, sending_open},
  {"Connect_*_GoesIdle",
   "Connect, Event 18 (no DelayOpenTimer): stops the ConnectRetryTimer, drops "
   "the TCP connection, Idle",
   from::connect,
   {ev_t::tcp_connection_fails},
   s::idle,
   {"close_connection", "stop_timer connect_retry",
    "start_timer idle_hold 1000ms"}},
  {"Connect_*_GoesIdle",
   "Connect, any other event (8, 10-11, 13, 19, 23, 25-28; 21, 22, 24 without "
   "DelayOpen): drops the TCP connection, increments the ConnectRetryCounter, "
   "damping, Idle",
   from::connect,
   messages_and_errors,
   s::idle,
   {"close_connection", "stop_timer connect_retry",
    "start_timer idle_hold 1000ms"}},
};

const std::vector<rule_row> active_rows = {
  {"Active_*_Ignored",
   "Active: Events 1, 3-7 are ignored",
   from::active,
   starts,
   s::active,
   {}},
  {"Active_*_GoesIdle",
   "Active, Event 2: sets ConnectRetryCounter to zero, stops the "
   "ConnectRetryTimer, Idle",
   from::active,
   {ev_t::manual_stop},
   s::idle,
   {"stop_timer connect_retry"}},
  {"Active_*_InitiatesConnection",
   "Active, Event 9: restarts the ConnectRetryTimer, initiates a TCP "
   "connection, changes its state to Connect",
   from::active,
   {ev_t::connect_retry_timer_expires},
   s::connect,
   starting},
  {"Active_*_SendsOpenAndGoesOpenSent",
   "Active, Events 16/17: stops the ConnectRetryTimer, sends the OPEN, sets "
   "its HoldTimer to a large value, OpenSent",
   from::active, second_connection, s::open_sent, sending_open},
  {"Active_*_GoesIdle",
   "Active, Event 18: increments the ConnectRetryCounter, damping, Idle",
   from::active,
   {ev_t::tcp_connection_fails},
   s::idle,
   {"stop_timer connect_retry", "start_timer idle_hold 1000ms"}},
  {"Active_*_GoesIdle",
   "Active, any other event (8, 10-11, 13, 19, 23, 25-28; 21, 22, 24): sets "
   "the ConnectRetryTimer to zero, increments the ConnectRetryCounter, "
   "damping, Idle",
   from::active,
   messages_and_errors,
   s::idle,
   {"stop_timer connect_retry", "start_timer idle_hold 1000ms"}},
};

const std::vector<rule_row> open_sent_rows = {
  {"OpenSent_*_Ignored",
   "OpenSent: Events 1, 3-7 are ignored",
   from::open_sent,
   starts,
   s::open_sent,
   {}},
  {"OpenSent_*_SendsCeaseAndGoesIdle",
   "OpenSent, Event 2: sends the NOTIFICATION with a Cease, sets the "
   "ConnectRetryCounter to zero, Idle",
   from::open_sent,
   {ev_t::manual_stop},
   s::idle,
   {"send_notification 6/2", "close_connection", "stop_timer hold"}},
  {"OpenSent_*_SendsHoldTimerExpired",
   "OpenSent, Event 10: sends a NOTIFICATION with the error code Hold Timer "
   "Expired, increments the ConnectRetryCounter, Idle",
   from::open_sent,
   {ev_t::hold_timer_expires},
   s::idle,
   {"send_notification 4/0", "close_connection",
    "start_timer idle_hold 1000ms"}},
  {"OpenSent_*_TracksSecondConnection",
   "OpenSent, Events 14, 16, 17: a second TCP connection is tracked per §6.8 "
   "until an OPEN is received",
   from::open_sent,
   second_connection,
   s::open_sent,
   {}},
  {"OpenSent_*_ListensAgainInActive",
   "OpenSent, Event 18: closes the BGP connection, restarts the "
   "ConnectRetryTimer, continues to listen, Active",
   from::open_sent,
   {ev_t::tcp_connection_fails},
   s::active,
   {"close_connection", "stop_timer hold", "start_timer connect_retry 5000ms"}},
  {"OpenSent_*_SendsKeepaliveAndGoesOpenConfirm",
   "OpenSent, Event 19: sends a KEEPALIVE, sets a KeepaliveTimer, sets the "
   "HoldTimer according to the negotiated value, OpenConfirm",
   from::open_sent,
   {ev_t::bgp_open},
   s::open_confirm,
   {"send_keepalive", "start_timer keepalive 30000ms",
    "start_timer hold 90000ms"}},
  {"OpenSent_*WithBadPeerAs_SendsOpenError",
   "OpenSent, Event 22 from OPEN checking (§6.2 Bad Peer AS): sends a "
   "NOTIFICATION with the appropriate error code, Idle",
   from::open_sent,
   {{ev_t::bgp_open, peer_open(90, 65099)}},
   s::idle,
   open_sent_fails("2/2")},
  {"OpenSent_*_SendsItsNotification",
   "OpenSent, Event 21: sends a NOTIFICATION with the appropriate error code, "
   "increments the ConnectRetryCounter, Idle",
   from::open_sent,
   {ev_t::bgp_header_err},
   s::idle,
   open_sent_fails("1/2")},
  {"OpenSent_*_SendsItsNotification",
   "OpenSent, Event 22: as Event 21",
   from::open_sent,
   {ev_t::bgp_open_msg_err},
   s::idle,
   open_sent_fails("2/4")},
  {"OpenSent_*_SendsCease",
   "OpenSent, Event 23: sends a NOTIFICATION with a Cease (RFC 4486 subcode "
   "7), Idle",
   from::open_sent,
   {ev_t::open_collision_dump},
   s::idle,
   open_sent_fails("6/7")},
  {"OpenSent_*_GoesIdle",
   "OpenSent, Event 24: drops the TCP connection, Idle (not counted)",
   from::open_sent,
   {ev_t::notif_msg_ver_err},
   s::idle,
   open_sent_fails("")},
  {"OpenSent_*_GoesIdleWithoutReply",
   "OpenSent, Event 25 (porter: as in OpenConfirm, a NOTIFICATION is not "
   "answered)",
   from::open_sent,
   {ev_t::notif_msg},
   s::idle,
   open_sent_fails("")},
  {"OpenSent_*_SendsFsmError",
   "OpenSent, any other event (9, 11-13, 20, 25-28): sends the NOTIFICATION "
   "with the Error Code Finite State Machine Error (RFC 6608 subcode 1), Idle",
   from::open_sent,
   {ev_t::keepalive_msg, ev_t::update_msg, ev_t::update_msg_err,
    ev_t::route_refresh_msg},
   s::idle,
   open_sent_fails("5/1")},
};

const std::vector<rule_row> open_confirm_rows = {
  {"OpenConfirm_*_Ignored",
   "OpenConfirm: Events 1, 3-7 are ignored",
   from::open_confirm,
   starts,
   s::open_confirm,
   {}},
  {"OpenConfirm_*_SendsCeaseAndGoesIdle",
   "OpenConfirm, Event 2: sends the NOTIFICATION message with a Cease, sets "
   "the ConnectRetryCounter to zero, Idle",
   from::open_confirm,
   {ev_t::manual_stop},
   s::idle,
   {"send_notification 6/2", "close_connection", "stop_timer hold",
    "stop_timer keepalive"}},
  {"OpenConfirm_*_SendsHoldTimerExpired",
   "OpenConfirm, Event 10: sends the NOTIFICATION message with the Error Code "
   "Hold Timer Expired, Idle",
   from::open_confirm,
   {ev_t::hold_timer_expires},
   s::idle,
   {"send_notification 4/0", "close_connection", "stop_timer keepalive",
    "start_timer idle_hold 1000ms"}},
  {"OpenConfirm_*_SendsKeepalive",
   "OpenConfirm, Event 11: sends a KEEPALIVE message, restarts the "
   "KeepaliveTimer, remains in OpenConfirm",
   from::open_confirm,
   {ev_t::keepalive_timer_expires},
   s::open_confirm,
   {"send_keepalive", "start_timer keepalive 30000ms"}},
  {"OpenConfirm_*_TracksSecondConnection",
   "OpenConfirm, Events 14, 16, 17: the local system will track the second "
   "connection",
   from::open_confirm,
   second_connection,
   s::open_confirm,
   {}},
  {"OpenConfirm_*_GoesIdle",
   "OpenConfirm, Events 18, 24, 25: drops the TCP connection, Idle",
   from::open_confirm,
   {ev_t::tcp_connection_fails, ev_t::notif_msg, ev_t::notif_msg_ver_err},
   s::idle,
   confirmed_fails("", "")},
  {"OpenConfirm_*_SendsItsNotification",
   "OpenConfirm, Event 21: sends a NOTIFICATION message with the appropriate "
   "error code, Idle",
   from::open_confirm,
   {ev_t::bgp_header_err},
   s::idle,
   confirmed_fails("1/2", "")},
  {"OpenConfirm_*_SendsItsNotification",
   "OpenConfirm, Event 22: as Event 21",
   from::open_confirm,
   {ev_t::bgp_open_msg_err},
   s::idle,
   confirmed_fails("2/4", "")},
  {"OpenConfirm_*_SendsCease",
   "OpenConfirm, Event 23: sends a NOTIFICATION with a Cease, Idle",
   from::open_confirm,
   {ev_t::open_collision_dump},
   s::idle,
   confirmed_fails("6/7", "")},
  {"OpenConfirm_*_GoesEstablished",
   "OpenConfirm, Event 26: restarts the HoldTimer and changes its state to "
   "Established",
   from::open_confirm,
   {ev_t::keepalive_msg},
   s::established,
   {"start_timer hold 90000ms", "session_established"}},
  {"OpenConfirm_*_SendsFsmError",
   "OpenConfirm, any other event (9, 12-13, 20, 27-28; 19 on this "
   "connection): Finite State Machine Error, RFC 6608 subcode 2, Idle",
   from::open_confirm,
   {ev_t::bgp_open, ev_t::update_msg, ev_t::update_msg_err,
    ev_t::route_refresh_msg},
   s::idle,
   confirmed_fails("5/2", "")},
};

const std::vector<rule_row> established_rows = {
  {"Established_*_Ignored",
   "Established: Events 1, 3-7 are ignored",
   from::established,
   starts,
   s::established,
   {}},
  {"Established_*_SendsCeaseAndGoesIdle",
   "Established, Event 2: sends the NOTIFICATION message with a Cease, "
   "deletes all routes, sets the ConnectRetryCounter to zero, Idle",
   from::established,
   {ev_t::manual_stop},
   s::idle,
   {"send_notification 6/2", "close_connection", "stop_timer hold",
    "stop_timer keepalive", "session_down manual_stop 6/2"}},
  {"Established_*_SendsHoldTimerExpired",
   "Established, Event 10: sends a NOTIFICATION message with the Error Code "
   "Hold Timer Expired, Idle",
   from::established,
   {ev_t::hold_timer_expires},
   s::idle,
   {"send_notification 4/0", "close_connection", "stop_timer keepalive",
    "session_down notification_sent 4/0", "start_timer idle_hold 1000ms"}},
  {"Established_*_SendsKeepalive",
   "Established, Event 11: sends a KEEPALIVE message, and restarts its "
   "KeepaliveTimer",
   from::established,
   {ev_t::keepalive_timer_expires},
   s::established,
   {"send_keepalive", "start_timer keepalive 30000ms"}},
  {"Established_*_TracksSecondConnection",
   "Established, Events 14, 16, 17: the second connection SHALL be tracked "
   "until it sends an OPEN message",
   from::established,
   second_connection,
   s::established,
   {}},
  {"Established_*_SendsCease",
   "Established, Event 23 (CollisionDetectEstablishedState): sends a "
   "NOTIFICATION with a Cease, Idle",
   from::established,
   {ev_t::open_collision_dump},
   s::idle,
   confirmed_fails("6/7", "notification_sent 6/7")},
  {"Established_*_GoesIdle",
   "Established, Event 24: deletes all routes, drops the TCP connection, Idle",
   from::established,
   {ev_t::notif_msg_ver_err},
   s::idle,
   confirmed_fails("", "notification_received 2/1")},
  {"Established_*_GoesIdle",
   "Established, Event 25: as Event 24",
   from::established,
   {ev_t::notif_msg},
   s::idle,
   confirmed_fails("", "notification_received 6/2")},
  {"Established_*_GoesIdle",
   "Established, Event 18: as Event 24",
   from::established,
   {ev_t::tcp_connection_fails},
   s::idle,
   confirmed_fails("", "connection_lost")},
  {"Established_*_RestartsHoldTimer",
   "Established, Events 26/27 (and ROUTE-REFRESH): restarts its HoldTimer, "
   "if the negotiated HoldTime value is non-zero, and remains Established",
   from::established,
   {ev_t::keepalive_msg, ev_t::update_msg, ev_t::route_refresh_msg},
   s::established,
   {"start_timer hold 90000ms"}},
  {"Established_*_SendsItsNotification",
   "Established, Event 28: sends a NOTIFICATION message with an Update error, "
   "Idle",
   from::established,
   {ev_t::update_msg_err},
   s::idle,
   confirmed_fails("3/1", "notification_sent 3/1")},
  {"Established_*_SendsItsNotification",
   "Established, Event 21 (porter, per RFC 4271 §6.1): sends the Message "
   "Header Error",
   from::established,
   {ev_t::bgp_header_err},
   s::idle,
   confirmed_fails("1/2", "notification_sent 1/2")},
  {"Established_*_SendsFsmError",
   "Established, any other event (9, 12-13, 20-22): Finite State Machine "
   "Error, RFC 6608 subcode 3, Idle",
   from::established,
   {ev_t::bgp_open, ev_t::bgp_open_msg_err},
   s::idle,
   confirmed_fails("5/3", "notification_sent 5/3")},
};

// --- expansion into one test per event -------------------------------------

struct transition {
  std::string name;
  std::string rule;
  from start;
  fsm_event event;
  fsm_state expected;
  strings actions;
};

void PrintTo(const transition& t, // NOLINT(readability-identifier-naming)
             std::ostream* os) {
  *os << t.name;
}

std::string camel(ev_t e) {
  std::string out;
  bool upper = true;
  for (char c : to_string(e)) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper
             ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
             : c;
    upper = false;
  }
  return out;
}

/// One transition per event of `row`; an event without a payload gets the
/// usual one.
void expand(const rule_row& row, std::vector<transition>& out) {
  for (const auto& e : row.events) {
    auto name = row.name;
    name.replace(name.find('*'), 1, camel(e.type));
    const bool bare = !e.open && !e.notif && e.shutdown_message.empty();
    out.push_back({name, row.rule, row.start, bare ? ev(e.type) : e,
                   row.expected, row.actions});
  }
}

std::vector<transition> rfc4271_transitions() {
  std::vector<transition> out;
  for (const auto* table :
       {&idle_rows, &connect_rows, &active_rows, &open_sent_rows,
        &open_confirm_rows, &established_rows}) {
    for (const auto& row : *table) {
      expand(row, out);
    }
  }
  return out;
}

class BgpFsmTransition : public ::testing::TestWithParam<transition> {};

TEST_P(BgpFsmTransition, FollowsRfc4271) {
  const auto& t = GetParam();
  SCOPED_TRACE("RFC 4271 §8.2.2 " + t.rule);
  auto m = fsm_at(t.start);
  auto actions = render(m.handle(t.event));
  EXPECT_EQ(m.state(), t.expected);
  EXPECT_EQ(actions, t.actions);
}

INSTANTIATE_TEST_SUITE_P(Rfc4271Section822, BgpFsmTransition,
                         ::testing::ValuesIn(rfc4271_transitions()),
                         [](const auto& info) { return info.param.name; });

} // namespace
} // namespace porter::bgp::test
