// negotiate(): one row per rule of RFC 4271 §6.2 (OPEN checks) and of the
// capability RFCs (what the session ends up using). Each row quotes its rule.
#include <functional>

#include <gtest/gtest.h>

#include "bgp/negotiation.hpp"

namespace porter::bgp {
namespace {

struct negotiation_case {
  const char* name;
  const char* rule;
  std::function<void(session_config&, capabilities& peer_caps)> setup;
  std::function<void(open_message&)> edit_open; // after make_open
  std::optional<notification> error;            // expected failure
  std::function<void(const negotiated_session&)> check;
};

std::ostream& operator<<(std::ostream& os, const negotiation_case& c) {
  return os << c.name << " — " << c.rule;
}

constexpr std::uint32_t our_id = 0x0a000001;
constexpr std::uint32_t peer_id = 0x0a000002;

session_config base_config() {
  session_config c;
  c.local_as = 65000;
  c.peer_as = 65001;
  c.local_id = our_id;
  c.hold_time = 90;
  c.local_caps.multiprotocol = {ipv4_unicast, ipv6_unicast};
  c.local_caps.four_octet_as = 65000;
  c.local_caps.route_refresh = true;
  c.local_caps.extended_message = true;
  c.local_caps.add_path = {{ipv4_unicast, add_path_direction::both}};
  return c;
}

capabilities base_peer_caps() {
  capabilities caps;
  caps.multiprotocol = {ipv4_unicast};
  caps.four_octet_as = 65001;
  caps.route_refresh = true;
  return caps;
}

auto no_setup = [](session_config&, capabilities&) {};
auto no_edit = [](open_message&) {};
auto no_check = [](const negotiated_session&) {};

notification open_err(std::uint8_t subcode, bytes data = {}) {
  return notification{2, subcode, std::move(data)};
}

std::vector<negotiation_case> open_check_rows() {
  return {
    {"Version3", "RFC 4271 §6.2: version must be 4; Data = 2-octet 4", no_setup,
     [](open_message& o) { o.version = 3; }, open_err(1, {0, 4}), no_check},
    {"HoldTime1", "RFC 4271 §6.2: Hold Time MUST be 0 or at least 3", no_setup,
     [](open_message& o) { o.hold_time = 1; }, open_err(6), no_check},
    {"HoldTime2", "RFC 4271 §6.2: Hold Time MUST be 0 or at least 3", no_setup,
     [](open_message& o) { o.hold_time = 2; }, open_err(6), no_check},
    {"IdentifierZero", "RFC 6286 §2.2: the BGP Identifier is non-zero",
     no_setup, [](open_message& o) { o.bgp_identifier = 0; }, open_err(3),
     no_check},
    {"IbgpSameIdentifier",
     "RFC 6286 §2.2: within an AS the identifiers must differ",
     [](session_config& c, capabilities& p) {
       c.peer_as = 65000;
       p.four_octet_as = 65000;
     },
     [](open_message& o) { o.bgp_identifier = our_id; }, open_err(3), no_check},
    {"EbgpSameIdentifierAccepted",
     "RFC 6286 §2.2: equal identifiers only matter for iBGP", no_setup,
     [](open_message& o) { o.bgp_identifier = our_id; }, std::nullopt,
     no_check},
    {"PeerAsMismatch", "RFC 4271 §6.2: the peer AS must be the expected one",
     [](session_config& c, capabilities&) { c.peer_as = 65002; }, no_edit,
     open_err(2), no_check},
    {"PeerAsFromFourOctetCapability",
     "RFC 6793 §4.1: My AS is AS_TRANS, the real ASN is in the capability",
     [](session_config& c, capabilities& p) {
       c.peer_as = 4200000001U;
       p.four_octet_as = 4200000001U;
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) { EXPECT_EQ(s.peer_as, 4200000001U); }},
    {"PeerAsZero", "RFC 7607 §2: AS 0 in an OPEN is Bad Peer AS",
     [](session_config& c, capabilities& p) {
       c.peer_as = 0;
       p.four_octet_as.reset();
     },
     [](open_message& o) { o.my_as = 0; }, open_err(2), no_check},
    {"AnyPeerAsWhenUnconfigured",
     "porter: peer_as 0 accepts any ASN (dynamic neighbours)",
     [](session_config& c, capabilities& p) {
       c.peer_as = 0;
       p.four_octet_as = 64999;
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) { EXPECT_EQ(s.peer_as, 64999U); }},
    {"TwoOctetPeerAsFromMyAs",
     "RFC 4271 §4.2: without the capability the ASN is My AS",
     [](session_config&, capabilities& p) { p.four_octet_as.reset(); }, no_edit,
     std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.peer_as, 65001U);
       EXPECT_FALSE(s.tx.four_octet_as);
     }},
    {"UnsupportedOptionalParameter",
     "RFC 4271 §6.2: unrecognized Optional Parameter", no_setup,
     [](open_message& o) {
       o.parameters.push_back({9, {}, {1, 2}});
     },
     open_err(4), no_check},
    {"MalformedCapability",
     "RFC 6793 §3: the 4-octet AS capability has length 4", no_setup,
     [](open_message& o) {
       o.parameters.push_back({2, {{65, {0, 1}}}, {}});
     },
     open_err(0, {65, 2, 0, 1}), no_check},
  };
}

std::vector<negotiation_case> timer_and_family_rows() {
  return {
    {"HoldTimeIsTheSmaller",
     "RFC 4271 §4.2: the smaller Hold Time; keepalive a third of it", no_setup,
     [](open_message& o) { o.hold_time = 30; }, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.hold_time, 30);
       EXPECT_EQ(s.keepalive_time, 10);
     }},
    {"HoldTimeZeroDisablesKeepalives",
     "RFC 4271 §4.4: Hold Time 0 means no KEEPALIVEs", no_setup,
     [](open_message& o) { o.hold_time = 0; }, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.hold_time, 0);
       EXPECT_EQ(s.keepalive_time, 0);
     }},
    {"FamiliesAreTheIntersection",
     "RFC 4760 §8 / RFC 5492: a family is used when both advertised it",
     no_setup, no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.families, std::vector<afi_safi>{ipv4_unicast});
     }},
    {"NoMultiprotocolMeansIpv4Unicast",
     "RFC 4760 §8: without the capability only IPv4 unicast",
     [](session_config& c, capabilities& p) {
       c.local_caps.multiprotocol.clear();
       p.multiprotocol.clear();
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.families, std::vector<afi_safi>{ipv4_unicast});
     }},
    {"PeerWithoutMultiprotocolGetsIpv4Only",
     "RFC 4760 §8: a peer without the capability does IPv4 unicast",
     [](session_config& c, capabilities& p) {
       c.local_caps.multiprotocol = {ipv6_unicast, ipv4_unicast};
       p.multiprotocol.clear();
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.families, std::vector<afi_safi>{ipv4_unicast});
     }},
  };
}

auto add_path_row(const char* name, const char* rule, add_path_direction ours,
                  add_path_direction theirs, bool tx, bool rx) {
  return negotiation_case{name,
                          rule,
                          [=](session_config& c, capabilities& p) {
                            c.local_caps.add_path = {{ipv4_unicast, ours}};
                            p.add_path = {{ipv4_unicast, theirs}};
                          },
                          no_edit,
                          std::nullopt,
                          [=](const negotiated_session& s) {
                            EXPECT_EQ(s.tx.has_add_path(ipv4_unicast), tx);
                            EXPECT_EQ(s.rx.has_add_path(ipv4_unicast), rx);
                          }};
}

std::vector<negotiation_case> capability_rows() {
  using d = add_path_direction;
  return {
    add_path_row("AddPathWeSendPeerReceives",
                 "RFC 7911 §4: path ids flow from a sender to a receiver",
                 d::both, d::receive, true, false),
    add_path_row("AddPathPeerSendsWeReceive",
                 "RFC 7911 §4: path ids flow from a sender to a receiver",
                 d::both, d::send, false, true),
    add_path_row("AddPathBothWays", "RFC 7911 §4: both directions", d::both,
                 d::both, true, true),
    add_path_row("AddPathBothOnlySend",
                 "RFC 7911 §4: send meets send -> nothing", d::send, d::send,
                 false, false),
    {"AddPathOnlyForNegotiatedFamilies",
     "RFC 7911 §4: ADD-PATH is per AFI/SAFI of the session",
     [](session_config& c, capabilities& p) {
       c.local_caps.add_path = {{ipv6_unicast, add_path_direction::both}};
       p.add_path = {{ipv6_unicast, add_path_direction::both}};
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_TRUE(s.tx.add_path.empty());
       EXPECT_TRUE(s.rx.add_path.empty());
     }},
    {"FourOctetAsNeedsBothSides",
     "RFC 6793 §4: 4-octet AS_PATH only between NEW speakers",
     [](session_config& c, capabilities&) {
       c.local_caps.four_octet_as.reset();
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_FALSE(s.tx.four_octet_as);
       EXPECT_FALSE(s.rx.four_octet_as);
     }},
    {"FourOctetAsBothSides", "RFC 6793 §4: both advertised", no_setup, no_edit,
     std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_TRUE(s.tx.four_octet_as);
       EXPECT_TRUE(s.rx.four_octet_as);
     }},
    {"ExtendedMessageNeedsBothSides",
     "RFC 8654 §3: extended messages only when both advertised it", no_setup,
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_FALSE(s.tx.extended_message);
       EXPECT_EQ(s.rx.max_size(), max_message_size);
     }},
    {"ExtendedMessageBothSides", "RFC 8654 §3: both advertised",
     [](session_config&, capabilities& p) { p.extended_message = true; },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       EXPECT_EQ(s.rx.max_size(), max_extended_message_size);
       EXPECT_EQ(s.tx.max_size(), max_extended_message_size);
     }},
    {"RouteRefreshWhenPeerSentIt",
     "RFC 2918 §4: ROUTE-REFRESH only to a peer that advertised it", no_setup,
     no_edit, std::nullopt,
     [](const negotiated_session& s) { EXPECT_TRUE(s.route_refresh); }},
    {"NoRouteRefreshWhenPeerDidNot",
     "RFC 2918 §4: ROUTE-REFRESH only to a peer that advertised it",
     [](session_config&, capabilities& p) { p.route_refresh = false; }, no_edit,
     std::nullopt,
     [](const negotiated_session& s) { EXPECT_FALSE(s.route_refresh); }},
    {"PeerGracefulRestartIsReported",
     "RFC 4724 §3: the peer's restart time and families",
     [](session_config&, capabilities& p) {
       p.graceful_restart = graceful_restart_capability{
         true, false, 120, {{ipv4_unicast, true}}};
     },
     no_edit, std::nullopt,
     [](const negotiated_session& s) {
       ASSERT_TRUE(s.peer_graceful_restart);
       EXPECT_EQ(s.peer_graceful_restart->restart_time, 120);
       EXPECT_TRUE(s.peer_graceful_restart->restarting);
     }},
  };
}

std::vector<negotiation_case> all_rows() {
  std::vector<negotiation_case> rows;
  for (auto part :
       {open_check_rows(), timer_and_family_rows(), capability_rows()})
    rows.insert(rows.end(), part.begin(), part.end());
  return rows;
}

class BgpNegotiation : public ::testing::TestWithParam<negotiation_case> {};

TEST_P(BgpNegotiation, FollowsTheRule) {
  const auto& row = GetParam();
  auto config = base_config();
  auto peer_caps = base_peer_caps();
  row.setup(config, peer_caps);
  auto peer_as = peer_caps.four_octet_as.value_or(65001);
  auto open = make_open(peer_as, 90, peer_id, peer_caps);
  if (!peer_caps.four_octet_as)
    open.my_as = 65001;
  row.edit_open(open);
  auto result = negotiate(config, open);
  if (row.error) {
    ASSERT_FALSE(result) << "negotiated although it must fail";
    EXPECT_EQ(result.error(), *row.error) << describe(result.error());
    return;
  }
  ASSERT_TRUE(result) << describe(result.error());
  EXPECT_EQ(result->peer_id, open.bgp_identifier);
  row.check(*result);
}

INSTANTIATE_TEST_SUITE_P(Rfc4271Section6_2AndCapabilities, BgpNegotiation,
                         ::testing::ValuesIn(all_rows()),
                         [](const auto& info) { return info.param.name; });

} // namespace
} // namespace porter::bgp
