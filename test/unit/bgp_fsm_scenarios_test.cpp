// The BGP FSM over several events: negotiated hold and keepalive timers, the
// IdleHoldTimer backoff, passive peers, stale timers, the ConnectRetryCounter,
// and connection collisions (RFC 4271 §6.8, RFC 6286 §2.1).
#include <algorithm>
#include <string>
#include <vector>

#include "test/unit/bgp_fsm_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/codec.hpp"
#include "bgp/fsm.hpp"

namespace porter::bgp::test {
namespace {

bool contains(const std::vector<std::string>& actions, const std::string& a) {
  return std::find(actions.begin(), actions.end(), a) != actions.end();
}

// --- hold and keepalive (RFC 4271 §4.2, §10) ------------------------------

struct hold_case {
  const char* rule;
  std::uint16_t ours;
  std::uint16_t theirs;
  const char* keepalive; // expected start_timer actions
  const char* hold;
};

class BgpFsmHold : public ::testing::TestWithParam<hold_case> {};

TEST_P(BgpFsmHold, NegotiatedHoldIsTheSmallerAndKeepaliveAThird) {
  const auto& c = GetParam();
  auto config = test_config();
  config.session.hold_time = c.ours;
  auto m = fsm_at(from::open_sent, config);
  auto actions = render(m.handle({ev_t::bgp_open, peer_open(c.theirs)}));
  EXPECT_EQ(actions,
            (std::vector<std::string>{"send_keepalive", c.keepalive, c.hold}))
    << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  Rfc4271Section42, BgpFsmHold,
  ::testing::Values(
    hold_case{"equal", 90, 90, "start_timer keepalive 30000ms",
              "start_timer hold 90000ms"},
    hold_case{"the peer's is smaller", 90, 30, "start_timer keepalive 10000ms",
              "start_timer hold 30000ms"},
    hold_case{"ours is smaller", 9, 180, "start_timer keepalive 3000ms",
              "start_timer hold 9000ms"},
    hold_case{"keepalive in whole seconds", 10, 90,
              "start_timer keepalive 3000ms", "start_timer hold 10000ms"}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(BgpFsm, HoldTimeZeroStartsNeitherHoldNorKeepaliveTimer) {
  // RFC 4271 §8.2.2 OpenSent: "If the negotiated hold time value is zero,
  // then the HoldTimer and KeepaliveTimer are not started." The 4-minute
  // OpenSent HoldTimer is stopped.
  auto m = fsm_at(from::open_sent);
  EXPECT_EQ(render(m.handle({ev_t::bgp_open, peer_open(0)})),
            (std::vector<std::string>{"send_keepalive", "stop_timer hold"}));
  EXPECT_EQ(render(m.handle(ev_t::keepalive_msg)),
            (std::vector<std::string>{"session_established"}));
  // Established, Events 26/27: the HoldTimer restarts only "if the
  // negotiated HoldTime value is non-zero".
  EXPECT_TRUE(m.handle(ev_t::keepalive_msg).empty());
  EXPECT_TRUE(m.handle(ev_t::update_msg).empty());
  EXPECT_FALSE(m.timer_running(timer_kind::hold));
  EXPECT_FALSE(m.timer_running(timer_kind::keepalive));
  EXPECT_EQ(m.state(), fsm_state::established);
}

TEST(BgpFsm, OurHoldTimeZeroDisablesTimersToo) {
  auto config = test_config();
  config.session.hold_time = 0;
  auto m = fsm_at(from::open_sent, config);
  EXPECT_EQ(render(m.handle({ev_t::bgp_open, peer_open(90)})),
            (std::vector<std::string>{"send_keepalive", "stop_timer hold"}));
}

TEST(BgpFsm, SessionEstablishedCarriesTheNegotiatedSession) {
  auto m = fsm_at(from::open_confirm);
  auto actions = m.handle(ev_t::keepalive_msg);
  ASSERT_EQ(actions.size(), 2u);
  const auto* up = std::get_if<session_established>(&actions[1]);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->session.peer_as, 65002u);
  EXPECT_EQ(up->session.peer_id, peer_id);
  EXPECT_EQ(up->session.hold_time, 90);
  EXPECT_EQ(up->session.keepalive_time, 30);
  ASSERT_TRUE(m.session());
  EXPECT_EQ(m.session()->peer_id, peer_id);
}

TEST(BgpFsm, ManualStopSendsTheShutdownCommunication) {
  // RFC 9003 §2: Cease / Administrative Shutdown with a UTF-8 message.
  auto m = fsm_at(from::established);
  auto actions = m.handle({ev_t::manual_stop, std::string("maintenance")});
  ASSERT_FALSE(actions.empty());
  const auto* sent = std::get_if<send_notification>(&actions[0]);
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->notif,
            make_shutdown_notification(cease_subcode::administrative_shutdown,
                                       "maintenance"));
  EXPECT_EQ(shutdown_communication(sent->notif), "maintenance");
}

struct unexpected_case {
  from start;
  ev_t event;
  std::uint8_t subcode;
  message_type type;
};

TEST(BgpFsm, FsmErrorCarriesTheTypeOfTheUnexpectedMessage) {
  // RFC 6608 §4: "The Data field is a 1-octet, unsigned integer that
  // indicates the type of the unexpected message."
  const std::vector<unexpected_case> cases = {
    {from::open_sent, ev_t::keepalive_msg, 1, message_type::keepalive},
    {from::open_sent, ev_t::update_msg, 1, message_type::update},
    {from::open_sent, ev_t::route_refresh_msg, 1, message_type::route_refresh},
    {from::open_confirm, ev_t::bgp_open, 2, message_type::open},
    {from::open_confirm, ev_t::update_msg_err, 2, message_type::update},
    {from::established, ev_t::bgp_open, 3, message_type::open},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.event)));
    auto m = fsm_at(c.start);
    auto actions = m.handle(ev(c.event));
    ASSERT_FALSE(actions.empty());
    const auto* sent = std::get_if<send_notification>(&actions[0]);
    ASSERT_NE(sent, nullptr);
    EXPECT_EQ(sent->notif,
              (notification{static_cast<std::uint8_t>(error_code::fsm),
                            c.subcode,
                            {static_cast<std::uint8_t>(c.type)}}));
  }
}

TEST(BgpFsm, BgpOpenEventWithoutAnOpenIsAnUnspecifiedFsmError) {
  auto m = fsm_at(from::open_sent);
  auto actions = render(m.handle(ev_t::bgp_open));
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions[0], "send_notification 5/0");
  EXPECT_EQ(m.state(), fsm_state::idle);
}

// --- IdleHoldTimer backoff ------------------------------------------------

/// Fails in Connect (Event 18) and returns the IdleHoldTimer armed for it.
std::string fail_once(fsm& m) {
  if (m.state() == fsm_state::idle) {
    m.handle(ev_t::idle_hold_timer_expires);
  }
  auto actions = render(m.handle(ev_t::tcp_connection_fails));
  EXPECT_EQ(m.state(), fsm_state::idle);
  return actions.empty() ? "" : actions.back();
}

TEST(BgpFsm, IdleHoldDoublesOnEachFailureUpToTheCap) {
  fsm m{test_config()}; // 1 s doubling up to 8 s
  m.handle(ev_t::manual_start);
  std::vector<std::string> armed;
  armed.reserve(6);
  for (int i = 0; i < 6; ++i) {
    armed.push_back(fail_once(m));
  }
  EXPECT_EQ(armed,
            (std::vector<std::string>{
              "start_timer idle_hold 1000ms", "start_timer idle_hold 2000ms",
              "start_timer idle_hold 4000ms", "start_timer idle_hold 8000ms",
              "start_timer idle_hold 8000ms", "start_timer idle_hold 8000ms"}));
}

TEST(BgpFsm, IdleHoldResetsOnceEstablishedForTheBackoffTime) {
  fsm m{test_config()};
  m.handle(ev_t::manual_start);
  fail_once(m); // 1 s
  fail_once(m); // 2 s, the next one would be 4 s
  m.handle(ev_t::idle_hold_timer_expires);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev(ev_t::bgp_open));
  auto up = render(m.handle(ev_t::keepalive_msg));
  EXPECT_TRUE(contains(up, "start_timer idle_hold_reset 4000ms"));
  EXPECT_TRUE(m.handle(ev_t::idle_hold_reset_timer_expires).empty());
  EXPECT_EQ(m.idle_hold_time(), 1s);
  auto down = render(m.handle(ev_t::tcp_connection_fails));
  EXPECT_EQ(down.back(), "start_timer idle_hold 1000ms");
}

TEST(BgpFsm, IdleHoldKeepsGrowingWhenTheSessionFlapsEarly) {
  fsm m{test_config()};
  m.handle(ev_t::manual_start);
  fail_once(m);
  fail_once(m);
  m.handle(ev_t::idle_hold_timer_expires);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev(ev_t::bgp_open));
  m.handle(ev_t::keepalive_msg);
  auto down = render(m.handle(ev_t::hold_timer_expires));
  EXPECT_TRUE(contains(down, "stop_timer idle_hold_reset"));
  EXPECT_EQ(down.back(), "start_timer idle_hold 4000ms");
  EXPECT_EQ(m.idle_hold_time(), 8s);
}

TEST(BgpFsm, NoIdleHoldResetTimerWithoutBackoff) {
  auto m = fsm_at(from::open_confirm);
  EXPECT_FALSE(contains(render(m.handle(ev_t::keepalive_msg)),
                        "start_timer idle_hold_reset 1000ms"));
  EXPECT_FALSE(m.timer_running(timer_kind::idle_hold_reset));
}

TEST(BgpFsm, ManualStopCancelsRestartAndResetsBackoffAndCounter) {
  fsm m{test_config()};
  m.handle(ev_t::manual_start);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev_t::hold_timer_expires); // OpenSent failure: counted
  EXPECT_EQ(m.connect_retry_counter(), 1u);
  EXPECT_EQ(m.idle_hold_time(), 2s);
  EXPECT_EQ(render(m.handle(ev_t::manual_stop)),
            (std::vector<std::string>{"stop_timer idle_hold"}));
  EXPECT_EQ(m.connect_retry_counter(), 0u);
  EXPECT_EQ(m.idle_hold_time(), 1s);
  // The cancelled timer's expiry is stale: no restart.
  EXPECT_TRUE(m.handle(ev_t::idle_hold_timer_expires).empty());
  EXPECT_EQ(m.state(), fsm_state::idle);
}

TEST(BgpFsm, ConnectRetryCounterCountsFailuresAcrossAutomaticRestarts) {
  fsm m{test_config()};
  m.handle(ev_t::manual_start);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev_t::keepalive_msg); // OpenSent: FSM error, counted
  m.handle(ev_t::idle_hold_timer_expires);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev(ev_t::notif_msg_ver_err)); // OpenSent Event 24: not counted
  m.handle(ev_t::idle_hold_timer_expires);
  m.handle(ev_t::tcp_cr_acked);
  m.handle(ev(ev_t::notif_msg)); // counted
  EXPECT_EQ(m.connect_retry_counter(), 2u);
  m.handle(ev_t::manual_start); // Idle, Event 1: "sets ConnectRetryCounter
  EXPECT_EQ(m.connect_retry_counter(), 0u); // to zero"
}

TEST(BgpFsm, ExpiryOfATimerThatIsNotArmedIsIgnored) {
  const std::vector<std::pair<from, ev_t>> stale = {
    {from::idle, ev_t::idle_hold_timer_expires},
    {from::connect, ev_t::hold_timer_expires},
    {from::open_sent, ev_t::connect_retry_timer_expires},
    {from::open_sent, ev_t::keepalive_timer_expires},
    {from::open_confirm, ev_t::connect_retry_timer_expires},
    {from::established, ev_t::idle_hold_timer_expires},
    {from::established, ev_t::idle_hold_reset_timer_expires},
  };
  for (const auto& [start, event] : stale) {
    SCOPED_TRACE(std::string(to_string(event)));
    auto m = fsm_at(start);
    auto before = m.state();
    EXPECT_TRUE(m.handle(event).empty());
    EXPECT_EQ(m.state(), before);
  }
}

// --- passive peers (RFC 4271 §8.1.1 PassiveTcpEstablishment) -------------

TEST(BgpFsm, PassivePeerWaitsInActiveAndNeverConnects) {
  auto config = test_config();
  config.passive = true;
  fsm m{config};
  std::vector<std::string> all;
  auto step = [&](const fsm_event& e) {
    auto a = render(m.handle(e));
    all.insert(all.end(), a.begin(), a.end());
    return a;
  };
  EXPECT_TRUE(step(ev_t::manual_start).empty());
  EXPECT_EQ(m.state(), fsm_state::active);
  step(ev_t::tcp_connection_confirmed);
  EXPECT_EQ(m.state(), fsm_state::open_sent);
  // OpenSent, Event 18: back to Active, still without a ConnectRetryTimer.
  EXPECT_EQ(step(ev_t::tcp_connection_fails),
            (std::vector<std::string>{"close_connection", "stop_timer hold"}));
  EXPECT_EQ(m.state(), fsm_state::active);
  step(ev_t::tcp_connection_confirmed);
  step(ev(ev_t::bgp_open));
  step(ev(ev_t::notif_msg));
  EXPECT_EQ(m.state(), fsm_state::idle);
  EXPECT_TRUE(step(ev_t::idle_hold_timer_expires).empty());
  EXPECT_EQ(m.state(), fsm_state::active);
  EXPECT_FALSE(contains(all, "initiate_connection"));
  EXPECT_FALSE(contains(all, "start_timer connect_retry 5000ms"));
}

TEST(BgpFsm, ManualStartPassiveAppliesToThatStartOnly) {
  fsm m{test_config()}; // not passive
  EXPECT_TRUE(m.handle(ev_t::manual_start_passive).empty());
  m.handle(ev_t::tcp_connection_confirmed);
  m.handle(ev_t::hold_timer_expires);
  // The automatic restart follows fsm_config::passive.
  EXPECT_TRUE(contains(render(m.handle(ev_t::idle_hold_timer_expires)),
                       "initiate_connection"));
  EXPECT_EQ(m.state(), fsm_state::connect);
}

TEST(BgpFsm, StateNamesAreTheRfcNames) {
  EXPECT_EQ(to_string(fsm_state::idle), "Idle");
  EXPECT_EQ(to_string(fsm_state::connect), "Connect");
  EXPECT_EQ(to_string(fsm_state::active), "Active");
  EXPECT_EQ(to_string(fsm_state::open_sent), "OpenSent");
  EXPECT_EQ(to_string(fsm_state::open_confirm), "OpenConfirm");
  EXPECT_EQ(to_string(fsm_state::established), "Established");
}

} // namespace
} // namespace porter::bgp::test
