// Round trips of every message, attribute and capability the codec knows,
// from byte vectors written by hand after the RFC layouts: decode, check the
// values, re-encode byte for byte.
#include "test/unit/bgp_wire_builders.hpp"
#include <gtest/gtest.h>

#include "bgp/codec.hpp"

namespace porter::bgp {
namespace {

using namespace wire;

net::ip_address ip(std::string_view text) {
  return *net::parse_ip(text);
}
net::prefix pfx(std::string_view text) {
  return *net::parse_prefix(text);
}

/// Decodes `in`, expects success without RFC 7606 action, re-encodes and
/// expects the very same bytes.
message round_trip(const bytes& in, const wire_options& opts = {}) {
  auto r = decode_message(in.data(), in.size(), opts);
  EXPECT_TRUE(r) << (r ? "" : describe(r.error()));
  if (!r)
    return keepalive_message{};
  EXPECT_EQ(r->action, update_error_action::none);
  EXPECT_EQ(encode_message(r->msg, opts), in);
  return r->msg;
}

const path_attribute& find(const update_message& u, attr_type t) {
  for (const auto& a : u.attributes)
    if (a.type == static_cast<std::uint8_t>(t))
      return a;
  static const path_attribute none{};
  ADD_FAILURE() << "attribute " << int(t) << " missing";
  return none;
}

template <class T>
const T& value_of(const update_message& u, attr_type t) {
  static const T fallback{};
  const auto* v = std::get_if<T>(&find(u, t).value);
  EXPECT_NE(v, nullptr) << "attribute " << int(t) << " has another type";
  return v != nullptr ? *v : fallback;
}

// ---------------------------------------------------------------- framer --

TEST(BgpFramer, SplitsAStreamFedOneByteAtATime) {
  auto stream = cat({keepalive(), update({}, {}, {}), keepalive()});
  framer f;
  std::vector<bytes> out;
  for (auto b : stream) {
    f.feed(&b, 1);
    while (auto next = f.next()) {
      if (!*next)
        break;
      out.push_back(**next);
    }
  }
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0], keepalive());
  EXPECT_EQ(out[1].size(), 23U);
  EXPECT_EQ(f.buffered(), 0U);
}

TEST(BgpFramer, ErrorIsStickyAndCarriesTheLength) {
  auto bad = keepalive();
  bad[17] = 18; // RFC 4271 §6.1: Length below 19
  framer f;
  f.feed(bad.data(), bad.size());
  auto first = f.next();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error(), (notification{1, 2, {0x00, 0x12}}));
  auto ka = keepalive();
  f.feed(ka.data(), ka.size());
  EXPECT_FALSE(f.next());
}

TEST(BgpFramer, ExtendedMessagesNeedTheRaisedLimit) {
  auto big = update({}, attr(0x90, 99, bytes(5000, 0x5a)), {});
  framer normal;
  normal.feed(big.data(), big.size());
  EXPECT_FALSE(normal.next());
  framer extended(max_extended_message_size);
  extended.feed(big.data(), big.size());
  auto next = extended.next();
  ASSERT_TRUE(next && *next);
  wire_options opts;
  opts.extended_message = true;
  round_trip(**next, opts);
}

// ------------------------------------------------------------------ OPEN --

TEST(BgpCodec, OpenKeepsCapabilityOrderAndGrouping) {
  // Two parameters: four capabilities grouped in one (as BIRD does), then
  // one each (as FRR does), including an unknown capability 128.
  auto grouped
    = param(2, cat({cap(1, hex("0001 00 01")), cap(1, hex("0002 00 01")),
                    cap(2, {}), cap(65, hex("fa56ea01"))}));
  auto in = open(4, as_trans, 90, 0x0a000001,
                 cat({grouped, param(2, cap(69, hex("0001 01 03"))),
                      param(2, cap(128, {})), param(2, cap(6, {}))}));
  auto msg = round_trip(in);
  const auto& o = std::get<open_message>(msg);
  EXPECT_EQ(o.my_as, as_trans);
  EXPECT_EQ(o.hold_time, 90);
  EXPECT_EQ(o.bgp_identifier, 0x0a000001U);
  ASSERT_EQ(o.parameters.size(), 4U);
  EXPECT_EQ(o.parameters[0].capabilities.size(), 4U);
  EXPECT_EQ(o.parameters[2].capabilities[0].code, 128);
}

TEST(BgpCodec, OpenWithoutParameters) {
  auto msg = round_trip(open(4, 65001, 0, 0xc0000201, {}));
  EXPECT_TRUE(std::get<open_message>(msg).parameters.empty());
}

TEST(BgpCodec, OpenKeepsUnknownParameterTypesRaw) {
  auto msg = round_trip(open(4, 65001, 180, 1, param(9, hex("0102"))));
  EXPECT_EQ(std::get<open_message>(msg).parameters[0].raw, hex("0102"));
}

TEST(BgpCapabilities, DecodesEveryKnownCapability) {
  auto caps_bytes = cat(
    {cap(1, hex("0001 00 01")), cap(1, hex("0002 00 01")), cap(2, {}),
     cap(70, {}), cap(6, {}),
     // RFC 4724 §3: R and N bits, 12-bit time 120, IPv4 with F, IPv6 without.
     cap(64, hex("c078 0001 01 80 0002 01 00")), cap(65, hex("fa56ea01")),
     // RFC 7911 §4: IPv4 send+receive, IPv6 receive, bad direction ignored.
     cap(69, hex("0001 01 03 0002 01 01 0001 02 07")), cap(73, hex("0102"))});
  auto in = open(4, as_trans, 90, 1, param(2, caps_bytes));
  auto o = std::get<open_message>(round_trip(in));
  auto caps = decode_capabilities(o);
  ASSERT_TRUE(caps) << describe(caps.error());
  EXPECT_EQ(caps->multiprotocol,
            (std::vector<afi_safi>{ipv4_unicast, ipv6_unicast}));
  EXPECT_TRUE(caps->route_refresh);
  EXPECT_TRUE(caps->enhanced_route_refresh);
  EXPECT_TRUE(caps->extended_message);
  EXPECT_EQ(caps->four_octet_as, 4200000001U);
  ASSERT_TRUE(caps->graceful_restart);
  EXPECT_TRUE(caps->graceful_restart->restarting);
  EXPECT_TRUE(caps->graceful_restart->notification);
  EXPECT_EQ(caps->graceful_restart->restart_time, 120);
  EXPECT_EQ(caps->graceful_restart->families,
            (std::vector<graceful_restart_entry>{{ipv4_unicast, true},
                                                 {ipv6_unicast, false}}));
  EXPECT_EQ(caps->add_path, (std::vector<add_path_entry>{
                              {ipv4_unicast, add_path_direction::both},
                              {ipv6_unicast, add_path_direction::receive}}));
  EXPECT_EQ(caps->unknown, (std::vector<capability>{{73, hex("0102")}}));
}

TEST(BgpCapabilities, EncodeThenDecodeGivesTheSameCapabilities) {
  capabilities caps;
  caps.multiprotocol = {ipv4_unicast, ipv6_unicast};
  caps.four_octet_as = 65001;
  caps.add_path = {{ipv4_unicast, add_path_direction::send}};
  caps.route_refresh = caps.enhanced_route_refresh = true;
  caps.extended_message = true;
  caps.graceful_restart
    = graceful_restart_capability{false, true, 4095, {{ipv6_unicast, true}}};
  caps.unknown = {{200, hex("aa")}};
  open_message o;
  o.bgp_identifier = 1;
  o.parameters = encode_capabilities(caps);
  // One capability per parameter, multiprotocol first.
  ASSERT_EQ(o.parameters.size(), 9U);
  EXPECT_EQ(o.parameters[0].capabilities[0],
            (capability{1, hex("0001 00 01")}));
  auto back = decode_capabilities(o);
  ASSERT_TRUE(back);
  EXPECT_EQ(encode_capabilities(*back), o.parameters);
  EXPECT_EQ(back->graceful_restart, caps.graceful_restart);
}

TEST(BgpCapabilities, MakeOpenUsesAsTransForFourOctetAsns) {
  capabilities caps;
  caps.multiprotocol = {ipv4_unicast};
  auto o = make_open(4200000001U, 90, 0x0a000001, caps);
  EXPECT_EQ(o.my_as, as_trans);
  auto back = decode_capabilities(o);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->four_octet_as, 4200000001U);
  auto small = make_open(65001, 90, 1, caps);
  EXPECT_EQ(small.my_as, 65001);
  EXPECT_FALSE(decode_capabilities(small)->four_octet_as);
}

// ---------------------------------------------------------------- UPDATE --

TEST(BgpCodec, UpdateWithEveryAttributeOnATwoOctetSession) {
  auto attrs = cat({
    hex("40 01 01 02"),                                  // ORIGIN incomplete
    hex("40 02 0a 01 02 fd e9 fd ea 02 01 5b a0"),       // AS_SET, AS_SEQUENCE
    hex("40 03 04 c0 00 02 01"),                         // NEXT_HOP
    hex("80 04 04 00 00 00 64"),                         // MED 100
    hex("40 05 04 00 00 00 c8"),                         // LOCAL_PREF 200
    hex("40 06 00"),                                     // ATOMIC_AGGREGATE
    hex("c0 07 06 5b a0 c6 33 64 01"),                   // AGGREGATOR AS 23456
    hex("c0 08 08 fd e9 00 01 ff ff ff 01"),             // COMMUNITIES
    hex("c0 11 06 02 01 fa 56 ea 01"),                   // AS4_PATH
    hex("c0 12 08 fa 56 ea 01 c6 33 64 01"),             // AS4_AGGREGATOR
    hex("c0 20 0c 00 00 fd e9 00 00 00 01 00 00 00 02"), // LARGE_COMMUNITY
    hex("c0 10 08 00 02 fd e9 00 00 00 01"), // ext. communities: kept raw
  });
  auto in
    = update(hex("0c ac 10"), attrs, hex("08 0a 18 c0 a8 01 20 cb 00 71 07"));
  auto u = std::get<update_message>(round_trip(in));
  EXPECT_EQ(u.withdrawn, (std::vector<nlri>{{0, pfx("172.16.0.0/12")}}));
  EXPECT_EQ(u.announced, (std::vector<nlri>{{0, pfx("10.0.0.0/8")},
                                            {0, pfx("192.168.1.0/24")},
                                            {0, pfx("203.0.113.7/32")}}));
  EXPECT_EQ(value_of<origin>(u, attr_type::origin), origin::incomplete);
  EXPECT_EQ(value_of<as_path>(u, attr_type::as_path),
            (as_path{{{as_segment_type::as_set, {65001, 65002}},
                      {as_segment_type::as_sequence, {23456}}}}));
  EXPECT_EQ(value_of<net::ip_address>(u, attr_type::next_hop), ip("192.0.2.1"));
  EXPECT_EQ(value_of<std::uint32_t>(u, attr_type::multi_exit_disc), 100U);
  EXPECT_EQ(value_of<std::uint32_t>(u, attr_type::local_pref), 200U);
  value_of<atomic_aggregate>(u, attr_type::atomic_aggregate);
  EXPECT_EQ(value_of<aggregator>(u, attr_type::aggregator),
            (aggregator{23456, 0xc6336401}));
  EXPECT_EQ(value_of<std::vector<std::uint32_t>>(u, attr_type::communities),
            (std::vector<std::uint32_t>{0xfde90001, 0xffffff01}));
  EXPECT_EQ(value_of<as_path>(u, attr_type::as4_path),
            (as_path{{{as_segment_type::as_sequence, {4200000001U}}}}));
  EXPECT_EQ(value_of<aggregator>(u, attr_type::as4_aggregator),
            (aggregator{4200000001U, 0xc6336401}));
  EXPECT_EQ(
    value_of<std::vector<large_community>>(u, attr_type::large_communities),
    (std::vector<large_community>{{65001, 1, 2}}));
  EXPECT_EQ(std::get<raw_attribute>(u.attributes.back().value).value,
            hex("00 02 fd e9 00 00 00 01"));
  EXPECT_EQ(u.attributes.back().flags, 0xc0);
}

TEST(BgpCodec, AsPathAndAggregatorUseFourOctetsWhenNegotiated) {
  wire_options opts;
  opts.four_octet_as = true;
  auto attrs
    = cat({origin_igp, hex("40 02 0a 02 02 fa 56 ea 01 00 00 fd e9"),
           next_hop_192_0_2_1, hex("c0 07 08 fa 56 ea 01 0a 00 00 01")});
  auto u
    = std::get<update_message>(round_trip(update({}, attrs, nlri_10_8), opts));
  EXPECT_EQ(value_of<as_path>(u, attr_type::as_path).segments[0].asns,
            (std::vector<std::uint32_t>{4200000001U, 65001}));
  EXPECT_EQ(value_of<aggregator>(u, attr_type::aggregator).asn, 4200000001U);
}

TEST(BgpCodec, EmptyAsPathIsValid) {
  auto attrs = cat({origin_igp, hex("40 02 00"), next_hop_192_0_2_1});
  round_trip(update({}, attrs, nlri_10_8));
}

TEST(BgpCodec, ReceivedExtendedLengthFlagIsKept) {
  // RFC 4271 §4.3: the Extended Length bit may be set for short values too.
  auto attrs = cat({hex("50 01 00 01 00"), as_path_65001, next_hop_192_0_2_1});
  auto u = std::get<update_message>(round_trip(update({}, attrs, nlri_10_8)));
  EXPECT_EQ(u.attributes[0].flags, 0x50);
}

TEST(BgpCodec, EncodeSetsExtendedLengthAbove255Octets) {
  update_message u;
  std::vector<std::uint32_t> many(70, 0xfde90001); // 280 octets
  u.attributes.push_back({0xc0, 8, many});
  auto out = encode_message(u, {});
  EXPECT_EQ(out[23], 0xd0);
  EXPECT_EQ(out[25], 0x01); // 2-octet length 0x0118
  EXPECT_EQ(out[26], 0x18);
  auto back = decode_message(out.data(), out.size(), {});
  ASSERT_TRUE(back);
  EXPECT_EQ(value_of<std::vector<std::uint32_t>>(
              std::get<update_message>(back->msg), attr_type::communities),
            many);
}

TEST(BgpCodec, AddPathIdsOnlyWhereNegotiated) {
  auto in = update(hex("00000001 20 0a000001"),
                   cat({origin_igp, as_path_65001, next_hop_192_0_2_1}),
                   hex("00000002 20 0a000002 00000003 20 0a000002"));
  wire_options opts;
  opts.add_path = {ipv4_unicast};
  auto u = std::get<update_message>(round_trip(in, opts));
  EXPECT_EQ(u.withdrawn, (std::vector<nlri>{{1, pfx("10.0.0.1/32")}}));
  EXPECT_EQ(u.announced, (std::vector<nlri>{{2, pfx("10.0.0.2/32")},
                                            {3, pfx("10.0.0.2/32")}}));
  // The same bytes without ADD-PATH are not a valid NLRI field.
  EXPECT_FALSE(decode_message(in.data(), in.size(), {}));
}

TEST(BgpCodec, MpReachIpv6WithGlobalNextHop) {
  auto mp = hex("0002 01 10 20010db8000000000000000000000001 00"
                " 40 20010db800000001 80 20010db8000000020000000000000000");
  auto in
    = update({}, cat({attr(0x90, 14, mp), origin_igp, hex("40 02 00")}), {});
  auto u = std::get<update_message>(round_trip(in));
  const auto& r = value_of<mp_reach>(u, attr_type::mp_reach_nlri);
  EXPECT_EQ(r.family, ipv6_unicast);
  EXPECT_EQ(r.next_hop, ip("2001:db8::1"));
  EXPECT_FALSE(r.link_local_next_hop);
  EXPECT_EQ(r.announced, (std::vector<nlri>{{0, pfx("2001:db8:0:1::/64")},
                                            {0, pfx("2001:db8:0:2::/128")}}));
}

TEST(BgpCodec, MpReachIpv6WithLinkLocalNextHopAndPathIds) {
  // RFC 2545 §3: 32-octet next hop, global then link-local.
  auto mp = hex("0002 01 20 20010db8000000000000000000000001"
                " fe800000000000000000000000000001 00"
                " 0000002a 80 20010db8000000020000000000000000");
  auto in
    = update({}, cat({origin_igp, hex("40 02 00"), attr(0x80, 14, mp)}), {});
  wire_options opts;
  opts.add_path = {ipv6_unicast};
  auto u = std::get<update_message>(round_trip(in, opts));
  const auto& r = value_of<mp_reach>(u, attr_type::mp_reach_nlri);
  EXPECT_EQ(r.link_local_next_hop, ip("fe80::1"));
  EXPECT_EQ(r.announced, (std::vector<nlri>{{42, pfx("2001:db8:0:2::/128")}}));
}

TEST(BgpCodec, MpReachIpv4AndMpUnreachIpv6) {
  auto reach = hex("0001 01 04 c0000201 00 18 c63364");
  auto unreach = hex("0002 01 30 20010db80001");
  auto in = update({},
                   cat({attr(0x80, 14, reach), attr(0x80, 15, unreach),
                        origin_igp, as_path_65001}),
                   {});
  auto u = std::get<update_message>(round_trip(in));
  EXPECT_EQ(value_of<mp_reach>(u, attr_type::mp_reach_nlri).next_hop,
            ip("192.0.2.1"));
  EXPECT_EQ(value_of<mp_unreach>(u, attr_type::mp_unreach_nlri).withdrawn,
            (std::vector<nlri>{{0, pfx("2001:db8:1::/48")}}));
}

TEST(BgpCodec, MpAttributesOfUnknownFamiliesAreKeptRaw) {
  auto vpn = hex("0001 80 0c 000000000000000000000001 00"); // VPNv4
  auto in = update({}, attr(0x80, 14, vpn), {});
  auto u = std::get<update_message>(round_trip(in));
  EXPECT_EQ(std::get<raw_attribute>(u.attributes[0].value).value, vpn);
}

TEST(BgpCodec, TrailingPrefixBitsAreZeroed) {
  // RFC 4271 §4.3: "the value of trailing bits is irrelevant": 10.1.3.0/23
  // arrives with a host bit set and is read as 10.1.2.0/23.
  auto in = update({}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1}),
                   hex("17 0a 01 03"));
  auto r = decode_message(in.data(), in.size(), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<update_message>(r->msg).announced[0].prefix,
            pfx("10.1.2.0/23"));
}

TEST(BgpCodec, EndOfRibMarkers) {
  // RFC 4724 §2: IPv4 unicast is the empty UPDATE ...
  auto v4 = encode_message(make_end_of_rib(ipv4_unicast), {});
  EXPECT_EQ(v4, update({}, {}, {}));
  // ... other families an UPDATE with only an empty MP_UNREACH_NLRI.
  auto v6 = encode_message(make_end_of_rib(ipv6_unicast), {});
  EXPECT_EQ(v6, update({}, hex("80 0f 03 0002 01"), {}));
  auto u4 = std::get<update_message>(round_trip(v4));
  auto u6 = std::get<update_message>(round_trip(v6));
  EXPECT_EQ(end_of_rib_family(u4), ipv4_unicast);
  EXPECT_EQ(end_of_rib_family(u6), ipv6_unicast);
  auto routes = std::get<update_message>(round_trip(update(
    {}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1}), nlri_10_8)));
  EXPECT_FALSE(end_of_rib_family(routes));
}

// ---------------------------------------------------- other messages ------

TEST(BgpCodec, KeepaliveIsAHeaderOnly) {
  EXPECT_TRUE(
    std::holds_alternative<keepalive_message>(round_trip(keepalive())));
}

TEST(BgpCodec, NotificationRoundTrip) {
  auto in = frame(3, hex("03 05 40 01 02 00 00"));
  auto n = std::get<notification>(round_trip(in));
  EXPECT_EQ(n, (notification{3, 5, hex("40 01 02 00 00")}));
  EXPECT_EQ(describe(n),
            "UPDATE Message Error (3) / Attribute Length Error (5)");
}

TEST(BgpCodec, RouteRefreshAndEnhancedSubtypes) {
  auto rr
    = std::get<route_refresh_message>(round_trip(frame(5, hex("0002 00 01"))));
  EXPECT_EQ(rr.family, ipv6_unicast);
  EXPECT_EQ(rr.subtype, 0);
  // RFC 7313 §3: subtype 1 is Beginning of Route Refresh.
  auto borr
    = std::get<route_refresh_message>(round_trip(frame(5, hex("0001 01 01"))));
  EXPECT_EQ(borr.subtype, 1);
}

TEST(BgpNotification, ShutdownCommunicationRoundTrip) {
  auto n = make_shutdown_notification(cease_subcode::administrative_shutdown,
                                      "maintenance, back at 14:00 ✓");
  EXPECT_EQ(n.code, 6);
  EXPECT_EQ(n.data[0], n.data.size() - 1);
  auto in = encode_message(n, {});
  auto back = std::get<notification>(round_trip(in));
  EXPECT_EQ(shutdown_communication(back), "maintenance, back at 14:00 ✓");
  EXPECT_EQ(describe(back), "Cease (6) / Administrative Shutdown (2): "
                            "\"maintenance, back at 14:00 ✓\"");
}

TEST(BgpNotification, ShutdownCommunicationIsCutOnACharacterBoundary) {
  std::string text(254, 'a');
  text += "é"; // two octets: 255 and 256
  auto n
    = make_shutdown_notification(cease_subcode::administrative_reset, text);
  EXPECT_EQ(n.data[0], 254);
  EXPECT_EQ(shutdown_communication(n), std::string(254, 'a'));
}

TEST(BgpNotification, InvalidShutdownCommunicationsAreIgnored) {
  EXPECT_FALSE(shutdown_communication(notification{6, 2, hex("05 41 42")}));
  EXPECT_FALSE(shutdown_communication(notification{6, 2, hex("02 c3 28")}));
  EXPECT_FALSE(shutdown_communication(notification{6, 3, hex("01 41")}));
  EXPECT_EQ(shutdown_communication(notification{6, 4, hex("00")}), "");
}

} // namespace
} // namespace porter::bgp
