// Malformed messages, one row per rule: message header and lengths
// (RFC 4271 §6.1), OPEN (§6.2), UPDATE framing, NLRI and MP_REACH/MP_UNREACH
// (RFC 4271 §6.3, RFC 7606 §4-5), duplicates (RFC 7606 §3(g)). Per-attribute
// rules are in bgp_bad_attribute_test.cpp.
#include "test/unit/bgp_bad_input.hpp"

namespace porter::bgp {
namespace {

std::vector<bad_input> header_rows() {
  return {
    {"MarkerNotAllOnes",
     "RFC 4271 §6.1: Marker not all ones -> Connection Not Synchronized",
     with_marker_byte(keepalive(), 3, 0x7f), outcome::session_reset, 1, 1,
     bytes{}},
    {"LengthBelow19",
     "RFC 4271 §6.1: Length < 19 -> Bad Message Length, Data = Length",
     with_marker_byte(keepalive(), 17, 18), outcome::session_reset, 1, 2,
     hex("0012")},
    {"LengthAbove4096",
     "RFC 4271 §6.1: Length > 4096 -> Bad Message Length, Data = Length",
     update({}, attr(0x90, 99, bytes(4070, 0)), {}), outcome::session_reset, 1,
     2, hex("1001")},
    {"KeepaliveLengthNot19",
     "RFC 4271 §6.1: KEEPALIVE Length must be exactly 19", frame(4, {0}),
     outcome::session_reset, 1, 2, hex("0014")},
    {"OpenShorterThan29", "RFC 4271 §6.1: OPEN Length below 29",
     frame(1, hex("04 fde9 005a 0a000001")), outcome::session_reset, 1, 2,
     hex("001c")},
    {"UpdateShorterThan23", "RFC 4271 §6.1: UPDATE Length below 23",
     frame(2, hex("0000 00")), outcome::session_reset, 1, 2, hex("0016")},
    {"NotificationShorterThan21", "RFC 4271 §6.1: NOTIFICATION Length below 21",
     frame(3, hex("06")), outcome::session_reset, 1, 2, hex("0014")},
    {"RouteRefreshLengthNot23",
     "RFC 2918 §3 / RFC 4271 §6.1: ROUTE-REFRESH is 4 octets of body",
     frame(5, hex("0001 00")), outcome::session_reset, 1, 2, hex("0016")},
    {"EnhancedRouteRefreshLengthNot23",
     "RFC 7313 §5: subtype 1/2 with body != 4 -> ROUTE-REFRESH Message "
     "Error / Invalid Message Length, Data = the message",
     frame(5, hex("0001 01 01 00")), outcome::session_reset, 7, 1,
     frame(5, hex("0001 01 01 00"))},
    {"UnknownMessageType",
     "RFC 4271 §6.1: unknown Type -> Bad Message Type, Data = Type",
     frame(9, {}), outcome::session_reset, 1, 3, hex("09")},
  };
}

std::vector<bad_input> open_rows() {
  return {
    {"OpenVersion3",
     "RFC 4271 §6.2: unsupported version -> Data = 2-octet version 4",
     open(3, 65001, 90, 1, open_caps), outcome::session_reset, 2, 1,
     hex("0004")},
    {"OpenHoldTime1",
     "RFC 4271 §6.2: Hold Time MUST be zero or at least three seconds",
     open(4, 65001, 1, 1, open_caps), outcome::session_reset, 2, 6, bytes{}},
    {"OpenHoldTime2",
     "RFC 4271 §6.2: Hold Time MUST be zero or at least three seconds",
     open(4, 65001, 2, 1, open_caps), outcome::session_reset, 2, 6, bytes{}},
    {"OpenHoldTime0Accepted", "RFC 4271 §4.2: Hold Time 0 is allowed",
     open(4, 65001, 0, 1, open_caps), outcome::accepted},
    {"OpenBgpIdentifierZero",
     "RFC 6286 §2.2 / RFC 4271 §6.2: BGP Identifier 0 -> Bad BGP Identifier",
     open(4, 65001, 90, 0, open_caps), outcome::session_reset, 2, 3, bytes{}},
    {"OpenParametersTruncated",
     "RFC 4271 §4.2: Optional Parameters Length beyond the message",
     frame(1, hex("04 fde9 005a 0a000001 08 02 06 01 04 0001")),
     outcome::session_reset, 2, 0},
    {"OpenParameterOverrunsList",
     "RFC 4271 §4.2: a parameter longer than Optional Parameters Length",
     frame(1, hex("04 fde9 005a 0a000001 04 02 06 0104")),
     outcome::session_reset, 2, 0},
    {"OpenCapabilityOverrunsParameter",
     "RFC 5492 §4: a capability longer than its parameter",
     open(4, 65001, 90, 1, param(2, hex("41 04 0000"))), outcome::session_reset,
     2, 0},
    {"OpenTrailingOctets",
     "RFC 4271 §4.2: octets after the Optional Parameters",
     frame(1, hex("04 fde9 005a 0a000001 00 ff")), outcome::session_reset, 2,
     0},
  };
}

std::vector<bad_input> update_structure_rows() {
  return {
    {"WithdrawnLengthOverrun",
     "RFC 4271 §6.3: Withdrawn Routes Length too large -> Malformed "
     "Attribute List",
     frame(2, hex("0010 0000")), outcome::session_reset, 3, 1, bytes{}},
    {"TotalAttributeLengthOverrun",
     "RFC 4271 §6.3: Total Attribute Length too large -> Malformed "
     "Attribute List",
     frame(2, hex("0000 0008 40010100")), outcome::session_reset, 3, 1,
     bytes{}},
    {"AttributeLengthOverrunsList",
     "RFC 7606 §4/§5.3: attribute length past the attribute list (the rest "
     "cannot be parsed) -> session reset",
     update({}, hex("40 01 0a 00"), {}), outcome::session_reset, 3, 1, bytes{}},
    {"AttributeHeaderTruncated",
     "RFC 7606 §4: fewer than 3 octets left for an attribute header",
     update({}, cat({origin_igp, hex("40 02")}), {}), outcome::session_reset, 3,
     1, bytes{}},
    {"NlriOverrunsMessage",
     "RFC 7606 §5.3: a prefix overrunning the NLRI field -> session reset "
     "(Invalid Network Field)",
     update({}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1}),
            hex("18 0a 00")),
     outcome::session_reset, 3, 10, bytes{}},
    {"NlriPrefixLength33",
     "RFC 7606 §5.3: IPv4 prefix length above 32 -> Invalid Network Field",
     update({}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1}),
            hex("21 0a000000 00")),
     outcome::session_reset, 3, 10, bytes{}},
    {"WithdrawnPrefixLength33",
     "RFC 7606 §5.3: the Withdrawn Routes field follows the same rule",
     update(hex("21 0a000000 00"), {}, {}), outcome::session_reset, 3, 10,
     bytes{}},
    {"AddPathNlriWithoutPathId",
     "RFC 7911 §3: with ADD-PATH each prefix has a 4-octet Path Identifier",
     update({}, cat({origin_igp, as_path_65001, next_hop_192_0_2_1}),
            hex("18 0a 00 00")),
     outcome::session_reset, 3, 10, bytes{}, add_path_v4()},
    {"UnrecognizedWellKnownAttribute",
     "RFC 4271 §6.3: unknown attribute with Optional bit 0 -> Unrecognized "
     "Well-known Attribute, Data = the attribute",
     route_with(hex("40 63 01 00")), outcome::session_reset, 3, 2,
     hex("40 63 01 00")},
    {"UnknownOptionalAttributeKept",
     "RFC 4271 §5: unrecognized optional attributes are kept",
     route_with(hex("c0 63 01 00")), outcome::accepted},
  };
}

std::vector<bad_input> duplicate_rows() {
  return {
    {"DuplicateOrigin",
     "RFC 7606 §3(g): repeated attribute -> all but the first discarded",
     route_with(hex("40 01 01 01")), outcome::attribute_discard, 3, 1},
    {"DuplicateUnknownOptional",
     "RFC 7606 §3(g): applies to unrecognized attributes too",
     route_with(hex("c0 63 01 00 c0 63 01 01")), outcome::attribute_discard, 3,
     1},
    {"DuplicateMpReach",
     "RFC 7606 §3(g): MP_REACH_NLRI more than once -> Malformed Attribute "
     "List",
     update({},
            cat({origin_igp, as_path_65001, attr(0x80, 14, mp_v6),
                 attr(0x80, 14, mp_v6)}),
            {}),
     outcome::session_reset, 3, 1, bytes{}},
    {"DuplicateMpUnreach",
     "RFC 7606 §3(g): MP_UNREACH_NLRI more than once -> Malformed Attribute "
     "List",
     update({}, cat({hex("80 0f 03 0002 01"), hex("80 0f 03 0002 01")}), {}),
     outcome::session_reset, 3, 1, bytes{}},
  };
}

std::vector<bad_input> mp_rows() {
  return {
    {"MpReachIpv6NextHopLength4",
     "RFC 7606 §7.11: next hop length inconsistent with the AFI -> session "
     "reset (RFC 4760 §7: Optional Attribute Error, Data = attribute)",
     update({},
            cat({origin_igp, as_path_65001,
                 attr(0x80, 14, hex("0002 01 04 c0000201 00"))}),
            {}),
     outcome::session_reset, 3, 9, hex("80 0e 09 0002 01 04 c0000201 00")},
    {"MpReachPrefixLength129",
     "RFC 7606 §5.3: MP_REACH_NLRI with an IPv6 prefix longer than 128",
     update({},
            cat({origin_igp, as_path_65001,
                 attr(0x80, 14,
                      cat({hex("0002 01 10"), bytes(16, 0x20), hex("00 81"),
                           bytes(17, 0)}))}),
            {}),
     outcome::session_reset, 3, 9},
    {"MpReachTruncated",
     "RFC 4760 §7: MP_REACH_NLRI shorter than its fixed fields",
     update({}, cat({origin_igp, as_path_65001, attr(0x80, 14, hex("0002"))}),
            {}),
     outcome::session_reset, 3, 9, hex("80 0e 02 0002")},
    {"MpUnreachPrefixOverrun",
     "RFC 7606 §5.3: MP_UNREACH_NLRI prefix overruns the attribute",
     update({}, attr(0x80, 15, hex("0002 01 40 2001")), {}),
     outcome::session_reset, 3, 9, hex("80 0f 06 0002 01 40 2001")},
    {"MpReachFlagsWellKnown",
     "RFC 7606 §3(c)/§5.3: flags error on MP_REACH_NLRI cannot be "
     "treat-as-withdraw -> session reset",
     update({}, cat({origin_igp, as_path_65001, attr(0x40, 14, mp_v6)}), {}),
     outcome::session_reset, 3, 4},
    {"UpdateAbove4096WithoutExtendedMessages",
     "RFC 8654 §4: above 4096 only once extended messages are negotiated",
     route_with(attr(0xd0, 99, bytes(4100, 0))), outcome::session_reset, 1, 2},
  };
}

std::vector<bad_input> all_rows() {
  std::vector<bad_input> rows;
  for (auto part : {header_rows(), open_rows(), update_structure_rows(),
                    duplicate_rows(), mp_rows()})
    rows.insert(rows.end(), part.begin(), part.end());
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Rfc4271And7606, BgpBadInput,
                         ::testing::ValuesIn(all_rows()),
                         [](const auto& info) { return info.param.name; });

TEST(BgpBadInput, DecodeNeverReadsBeyondTheGivenBytes) {
  // Every prefix of a valid UPDATE, with the Length field adjusted, either
  // decodes or fails with a NOTIFICATION (run under ASan to catch reads).
  auto full
    = route_with(cat({hex("c0 08 04 fde90001"), attr(0x80, 14, mp_v6)}));
  for (std::size_t n = 0; n <= full.size(); ++n) {
    bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    if (n >= 18) {
      cut[16] = static_cast<std::uint8_t>(n >> 8);
      cut[17] = static_cast<std::uint8_t>(n);
    }
    auto r = decode_message(cut.data(), cut.size(), {});
    if (!r) {
      EXPECT_GE(r.error().code, 1);
    }
  }
}

struct framer_case {
  const char* name;
  const char* rule;
  bytes stream;
  std::size_t max_size;
  notification expected;
};

TEST(BgpFramer, RejectsBadHeadersPerRfc4271Section6_1) {
  const framer_case rows[] = {
    {"BadMarker", "RFC 4271 §6.1: Marker must be all ones",
     with_marker_byte(keepalive(), 0, 0), max_message_size,
     notification{1, 1, {}}},
    {"LengthBelow19", "RFC 4271 §6.1: Length below 19",
     with_marker_byte(keepalive(), 17, 0), max_message_size,
     notification{1, 2, hex("0000")}},
    {"LengthAbove4096", "RFC 4271 §6.1: Length above 4096",
     with_marker_byte(with_marker_byte(keepalive(), 16, 0x10), 17, 1),
     max_message_size, notification{1, 2, hex("1001")}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(row.name) + ": " + row.rule);
    framer f(row.max_size);
    f.feed(row.stream.data(), row.stream.size());
    auto next = f.next();
    ASSERT_FALSE(next);
    EXPECT_EQ(next.error(), row.expected);
  }
}

} // namespace
} // namespace porter::bgp
