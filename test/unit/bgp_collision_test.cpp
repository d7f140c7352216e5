// Connection collisions (RFC 4271 §6.8, RFC 6286 §2.1): which connection
// survives, and the shell's flow with two FSMs for one peer.
#include <string>
#include <vector>

#include "test/unit/bgp_fsm_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/fsm.hpp"

namespace porter::bgp::test {
namespace {

using origin = connection_origin;

struct winner_case {
  const char* rule;
  speaker_id local;
  speaker_id remote;
  origin winner;
};

class BgpCollisionWinner : public ::testing::TestWithParam<winner_case> {};

TEST_P(BgpCollisionWinner, KeepsTheConnectionOfTheHigherIdentifier) {
  const auto& c = GetParam();
  EXPECT_EQ(collision_winner(c.local, c.remote), c.winner) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  Rfc4271Section68, BgpCollisionWinner,
  ::testing::Values(
    winner_case{"§6.8: our identifier is higher: keep the connection we "
                "initiated",
                {0x0a000002, 65001},
                {0x0a000001, 65002},
                origin::local},
    winner_case{"§6.8: the peer's identifier is higher: keep the one it "
                "initiated",
                {0x0a000001, 65001},
                {0x0a000002, 65002},
                origin::remote},
    winner_case{"§6.8: identifiers compare as unsigned host-order integers "
                "(192.0.2.1 > 10.0.0.1)",
                {0xc0000201, 65001},
                {0x0a000001, 65002},
                origin::local},
    winner_case{"RFC 6286 §2.1: equal identifiers, our ASN is larger",
                {0x0a000001, 65002},
                {0x0a000001, 65001},
                origin::local},
    winner_case{"RFC 6286 §2.1: equal identifiers, the peer's ASN is larger",
                {0x0a000001, 65001},
                {0x0a000001, 4200000000},
                origin::remote}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

struct resolve_case {
  const char* rule;
  fsm_state existing;
  origin existing_origin;
  origin new_origin;
  std::uint32_t remote_id; // ours is 10.0.0.5
  collision_outcome outcome;
};

class BgpCollisionResolution : public ::testing::TestWithParam<resolve_case> {};

TEST_P(BgpCollisionResolution, DecidesWhichConnectionToDump) {
  const auto& c = GetParam();
  EXPECT_EQ(resolve_collision(c.existing, c.existing_origin, c.new_origin,
                              {0x0a000005, 65001}, {c.remote_id, 65002}),
            c.outcome)
    << c.rule;
}

constexpr std::uint32_t lower = 0x0a000001;
constexpr std::uint32_t higher = 0x0a000009;
using co = collision_outcome;
using st = fsm_state;

INSTANTIATE_TEST_SUITE_P(
  Rfc4271Section68, BgpCollisionResolution,
  ::testing::Values(
    resolve_case{"no other connection past Active: no collision", st::idle,
                 origin::local, origin::remote, higher, co::no_collision},
    resolve_case{"an outgoing attempt in Connect is no collision", st::connect,
                 origin::local, origin::remote, higher, co::no_collision},
    resolve_case{"Active has no connection", st::active, origin::local,
                 origin::remote, higher, co::no_collision},
    resolve_case{"an Established connection causes closing of the newly "
                 "created connection",
                 st::established, origin::local, origin::remote, higher,
                 co::dump_new},
    resolve_case{"OpenConfirm, local id lower: close the existing one, accept "
                 "the one initiated by the remote",
                 st::open_confirm, origin::local, origin::remote, higher,
                 co::dump_existing},
    resolve_case{"OpenConfirm, local id higher: close the newly created one",
                 st::open_confirm, origin::local, origin::remote, lower,
                 co::dump_new},
    resolve_case{"OpenSent (peer id known from the new OPEN), our outgoing "
                 "connection is new and our id is higher",
                 st::open_sent, origin::remote, origin::local, lower,
                 co::dump_existing},
    resolve_case{"OpenSent, our outgoing connection is new, the peer's id is "
                 "higher",
                 st::open_sent, origin::remote, origin::local, higher,
                 co::dump_new},
    resolve_case{"porter: two connections from the peer: the newer replaces "
                 "the older",
                 st::open_confirm, origin::remote, origin::remote, lower,
                 co::dump_existing}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(BgpCollision, NotificationIsCeaseConnectionCollisionResolution) {
  // RFC 4486 §4: Cease subcode 7.
  auto n = collision_notification();
  EXPECT_EQ(n.code, static_cast<std::uint8_t>(error_code::cease));
  EXPECT_EQ(n.subcode, cease_subcode::connection_collision_resolution);
}

TEST(BgpCollision, ShellFlowKeepsTheConnectionThePeerInitiated) {
  // Our outgoing connection is in OpenSent when the peer (higher identifier)
  // connects too: the second connection gets its own FSM, started passive.
  fsm first{test_config()};
  first.handle(ev_t::manual_start);
  first.handle(ev_t::tcp_cr_acked);
  EXPECT_TRUE(first.handle(ev_t::tcp_connection_confirmed).empty());

  fsm second{test_config()};
  second.handle(ev_t::manual_start_passive);
  EXPECT_EQ(
    render(second.handle(ev_t::tcp_connection_confirmed)),
    (std::vector<std::string>{"send_open", "start_timer hold 240000ms"}));

  // The OPEN arrives on the second connection.
  auto open = peer_open();
  auto outcome = resolve_collision(first.state(), origin::local, origin::remote,
                                   {test_config().session.local_id, 65001},
                                   {open.bgp_identifier, 65002});
  ASSERT_EQ(outcome, co::dump_existing);
  EXPECT_EQ(render(first.handle(ev_t::open_collision_dump)),
            (std::vector<std::string>{"send_notification 6/7",
                                      "close_connection", "stop_timer hold",
                                      "start_timer idle_hold 1000ms"}));
  second.handle({ev_t::bgp_open, open});
  second.handle(ev_t::keepalive_msg);
  EXPECT_EQ(second.state(), fsm_state::established);
}

} // namespace
} // namespace porter::bgp::test
