#include <gtest/gtest.h>

#include "bgp/peer_config.hpp"
#include "bgp/peer_stats.hpp"

namespace porter::bgp {
namespace {

using namespace std::chrono_literals;

peer_config peer_with(std::uint32_t peer_as) {
  peer_config p;
  p.address = net::parse_ip("192.0.2.1").value();
  p.peer_as = peer_as;
  return p;
}

struct transport_case {
  const char* rule;
  std::uint32_t peer_as;
  std::uint8_t multihop;
  std::uint8_t gtsm_hops;
  int ttl;
  int min_ttl;
};

class TransportFor : public ::testing::TestWithParam<transport_case> {};

TEST_P(TransportFor, SetsTtlAndMinTtl) {
  const auto& c = GetParam();
  speaker_config sp{65000, 1, 0, {}};
  auto p = peer_with(c.peer_as);
  p.ebgp_multihop = c.multihop;
  p.ttl_security_hops = c.gtsm_hops;
  auto t = transport_for(sp, p);
  EXPECT_EQ(t.ttl, c.ttl) << c.rule;
  EXPECT_EQ(t.min_ttl, c.min_ttl) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  Rfc5082AndMultihop, TransportFor,
  ::testing::Values(
    transport_case{"eBGP is directly connected: TTL 1", 65001, 0, 0, 1, 0},
    transport_case{"eBGP multihop sets the TTL", 65001, 3, 0, 3, 0},
    transport_case{"iBGP keeps the OS default TTL", 65000, 0, 0, 0, 0},
    transport_case{"RFC 5082 §3: GTSM sends 255, accepts >= 255 for 1 hop",
                   65001, 0, 1, 255, 255},
    transport_case{"RFC 5082 §3: GTSM with 2 hops accepts >= 254", 65001, 0, 2,
                   255, 254},
    transport_case{"GTSM wins over multihop", 65001, 5, 1, 255, 255}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(TransportFor, UserTimeoutIsTwoThirdsOfHoldUnlessSet) {
  speaker_config sp{65000, 1, 0, {}};
  auto p = peer_with(65001);
  p.hold_time = 9;
  EXPECT_EQ(transport_for(sp, p).user_timeout, 6000ms);
  p.user_timeout = 1500ms;
  EXPECT_EQ(transport_for(sp, p).user_timeout, 1500ms);
}

TEST(LocalCapabilities, OffersWhatEcmpNeeds) {
  speaker_config sp{4200000001U, 1, 0, {}};
  auto p = peer_with(65001);
  auto caps = local_capabilities(sp, p);
  ASSERT_EQ(caps.multiprotocol.size(), 2U);
  EXPECT_EQ(caps.four_octet_as, 4200000001U);
  EXPECT_TRUE(caps.route_refresh);
  EXPECT_TRUE(caps.extended_message);
  ASSERT_EQ(caps.add_path.size(), 2U);
  EXPECT_EQ(caps.add_path[0].direction, add_path_direction::send);
  EXPECT_FALSE(caps.graceful_restart);
  p.add_path = false;
  p.ipv6 = false;
  caps = local_capabilities(sp, p);
  EXPECT_EQ(caps.multiprotocol.size(), 1U);
  EXPECT_TRUE(caps.add_path.empty());
  // RFC 7911 §4 Send/Receive field: a virtual switch receives every path.
  p.add_path_receive = true;
  caps = local_capabilities(sp, p);
  ASSERT_EQ(caps.add_path.size(), 1U);
  EXPECT_EQ(caps.add_path[0].direction, add_path_direction::receive);
  p.add_path = true;
  caps = local_capabilities(sp, p);
  EXPECT_EQ(caps.add_path[0].direction, add_path_direction::both);
}

TEST(LocalCapabilities, GracefulRestartRestartTimeIsTwelveBits) {
  speaker_config sp{65000, 1, 0, {}};
  auto p = peer_with(65001);
  p.graceful_restart = true;
  p.restart_time = 9999;
  auto caps = local_capabilities(sp, p);
  ASSERT_TRUE(caps.graceful_restart);
  EXPECT_EQ(caps.graceful_restart->restart_time, 4095);
  ASSERT_EQ(caps.graceful_restart->families.size(), 2U);
  EXPECT_TRUE(caps.graceful_restart->families[0].forwarding_preserved);
}

TEST(OpenCapabilities, RestartStateBitOnlyOnTheFirstSession) {
  speaker_config sp{65000, 1, 0, {}};
  auto p = peer_with(65001);
  p.graceful_restart = true;
  auto caps = local_capabilities(sp, p);
  EXPECT_TRUE(open_capabilities(caps, true).graceful_restart->restarting);
  EXPECT_FALSE(open_capabilities(caps, false).graceful_restart->restarting);
}

TEST(ExpiryEvent, EachTimerHasItsRfc4271Event) {
  EXPECT_EQ(expiry_event(timer_kind::connect_retry),
            fsm_event_type::connect_retry_timer_expires);
  EXPECT_EQ(expiry_event(timer_kind::hold), fsm_event_type::hold_timer_expires);
  EXPECT_EQ(expiry_event(timer_kind::keepalive),
            fsm_event_type::keepalive_timer_expires);
  EXPECT_EQ(expiry_event(timer_kind::idle_hold),
            fsm_event_type::idle_hold_timer_expires);
  EXPECT_EQ(expiry_event(timer_kind::idle_hold_reset),
            fsm_event_type::idle_hold_reset_timer_expires);
}

struct decode_error_case {
  const char* rule;
  error_code code;
  fsm_event_type event;
};

class EventForDecodeError : public ::testing::TestWithParam<decode_error_case> {
};

TEST_P(EventForDecodeError, MapsTheNotificationCodeToTheFsmEvent) {
  const auto& c = GetParam();
  notification n{static_cast<std::uint8_t>(c.code), 1, {}};
  auto ev = event_for_decode_error(n);
  EXPECT_EQ(ev.type, c.event) << c.rule;
  ASSERT_TRUE(ev.notif) << c.rule;
  EXPECT_EQ(*ev.notif, n) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  Rfc4271Section8, EventForDecodeError,
  ::testing::Values(
    decode_error_case{"Event 21 BGPHeaderErr", error_code::message_header,
                      fsm_event_type::bgp_header_err},
    decode_error_case{"Event 22 BGPOpenMsgErr", error_code::open_message,
                      fsm_event_type::bgp_open_msg_err},
    decode_error_case{"Event 28 UpdateMsgErr", error_code::update_message,
                      fsm_event_type::update_msg_err}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(EventFor, ReceivedMessagesMapToRfc4271Events) {
  EXPECT_EQ(event_for(keepalive_message{}).type, fsm_event_type::keepalive_msg);
  EXPECT_EQ(event_for(update_message{}).type, fsm_event_type::update_msg);
  EXPECT_EQ(event_for(route_refresh_message{}).type,
            fsm_event_type::route_refresh_msg);
  EXPECT_EQ(event_for(open_message{}).type, fsm_event_type::bgp_open);
  // RFC 4271 §8.1.5 Event 24: NOTIFICATION with a version error.
  EXPECT_EQ(event_for(notification{2, 1, {}}).type,
            fsm_event_type::notif_msg_ver_err);
  EXPECT_EQ(event_for(notification{6, 2, {}}).type, fsm_event_type::notif_msg);
}

TEST(TypeOf, FollowsTheMessageTypeCodes) {
  EXPECT_EQ(type_of(open_message{}), message_type::open);
  EXPECT_EQ(type_of(update_message{}), message_type::update);
  EXPECT_EQ(type_of(notification{}), message_type::notification);
  EXPECT_EQ(type_of(keepalive_message{}), message_type::keepalive);
  EXPECT_EQ(type_of(route_refresh_message{}), message_type::route_refresh);
}

TEST(ParseAsn, AcceptsAsplainAndRfc5396Asdot) {
  EXPECT_EQ(parse_asn("65000"), 65000U);
  EXPECT_EQ(parse_asn("4200000000"), 4200000000U);
  EXPECT_EQ(parse_asn("1.10"), 65546U);
  EXPECT_FALSE(parse_asn("4294967296"));
  EXPECT_FALSE(parse_asn("65536.1"));
  EXPECT_FALSE(parse_asn("-1"));
  EXPECT_FALSE(parse_asn(""));
}

TEST(ParseRouterId, IsADottedQuad) {
  EXPECT_EQ(parse_router_id("10.0.0.1"), 0x0a000001U);
  EXPECT_FALSE(parse_router_id("::1"));
  EXPECT_FALSE(parse_router_id("10.0.0"));
}

} // namespace
} // namespace porter::bgp
