// Malformed path attributes, one row per rule of RFC 7606 §3(c)-(d) and §7
// (and RFC 6793 §6, RFC 8092 §6): which approach — treat-as-withdraw or
// attribute discard — and which NOTIFICATION names the error.
#include "test/unit/bgp_bad_input.hpp"

namespace porter::bgp {
namespace {

std::vector<bad_input> attribute_rows() {
  auto nh5 = hex("40 03 05 c0000201 00");
  auto origin3 = hex("40 01 01 03");
  auto origin_opt = hex("c0 01 01 00");
  return {
    {"OriginLength2", "RFC 7606 §7.1: ORIGIN length != 1 -> treat-as-withdraw",
     route(cat({hex("40 01 02 00 00"), as_path_65001, next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 5, hex("40 01 02 00 00")},
    {"OriginValue3",
     "RFC 7606 §7.1 / RFC 4271 §6.3: undefined ORIGIN -> Invalid ORIGIN",
     route(cat({origin3, as_path_65001, next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 6, origin3},
    {"OriginFlagsOptional",
     "RFC 7606 §3(c): Optional bit on a well-known attribute -> Attribute "
     "Flags Error, handled as malformed ORIGIN",
     route(cat({origin_opt, as_path_65001, next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 4, origin_opt},
    {"AsPathSegmentOverrun",
     "RFC 7606 §7.2: segment overruns the attribute -> Malformed AS_PATH",
     route(cat({origin_igp, hex("40 02 04 02 02 fd e9"), next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 11, bytes{}},
    {"AsPathZeroLengthSegment",
     "RFC 7606 §7.2: a segment with Path Segment Length 0 is malformed",
     route(cat({origin_igp, hex("40 02 02 02 00"), next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 11, bytes{}},
    {"AsPathUnknownSegmentType",
     "RFC 7606 §7.2: an unrecognized segment type is malformed",
     route(cat({origin_igp, hex("40 02 04 07 01 fd e9"), next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 11, bytes{}},
    {"AsPathLoneTrailingOctet",
     "RFC 7606 §7.2: a single octet after the last segment is malformed",
     route(
       cat({origin_igp, hex("40 02 05 02 01 fd e9 02"), next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 11, bytes{}},
    {"AsPathTwoOctetSegmentOnFourOctetSession",
     "RFC 6793 §4: between NEW speakers AS_PATH carries 4-octet ASNs",
     route(cat(
       {origin_igp, hex("40 02 06 02 02 fd e9 fd ea"), next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 11, bytes{}, four_octet()},
    {"NextHopLength5",
     "RFC 7606 §7.3: NEXT_HOP length != 4 -> treat-as-withdraw, Attribute "
     "Length Error",
     route(cat({origin_igp, as_path_65001, nh5})), outcome::treat_as_withdraw,
     3, 5, nh5},
    {"MedLength3", "RFC 7606 §7.4: MULTI_EXIT_DISC length != 4",
     route_with(hex("80 04 03 000064")), outcome::treat_as_withdraw, 3, 5,
     hex("80 04 03 000064")},
    {"MedFlagsTransitive", "RFC 7606 §3(c): MED is optional non-transitive",
     route_with(hex("c0 04 04 00000064")), outcome::treat_as_withdraw, 3, 4,
     hex("c0 04 04 00000064")},
    {"LocalPrefLength5", "RFC 7606 §7.5: LOCAL_PREF length != 4",
     route_with(hex("40 05 05 0000006400")), outcome::treat_as_withdraw, 3, 5,
     hex("40 05 05 0000006400")},
    {"CommunitiesLengthNotMultipleOf4",
     "RFC 7606 §7.8: COMMUNITIES length not a non-zero multiple of 4",
     route_with(hex("c0 08 05 fde90001 00")), outcome::treat_as_withdraw, 3, 5,
     hex("c0 08 05 fde90001 00")},
    {"CommunitiesEmpty", "RFC 7606 §7.8: an empty COMMUNITIES is malformed",
     route_with(hex("c0 08 00")), outcome::treat_as_withdraw, 3, 5,
     hex("c0 08 00")},
    {"LargeCommunitiesLength13",
     "RFC 8092 §6: LARGE_COMMUNITY length not a non-zero multiple of 12",
     route_with(cat({hex("c0 20 0d"), bytes(13, 1)})),
     outcome::treat_as_withdraw, 3, 5},
    {"AtomicAggregateLength1",
     "RFC 7606 §7.6: ATOMIC_AGGREGATE length != 0 -> attribute discard",
     route_with(hex("40 06 01 00")), outcome::attribute_discard, 3, 5,
     hex("40 06 01 00")},
    {"AggregatorLength7",
     "RFC 7606 §7.7: AGGREGATOR length != 6 (2-octet ASNs) -> attribute "
     "discard",
     route_with(hex("c0 07 07 fde9 c0000201 00")), outcome::attribute_discard,
     3, 5, hex("c0 07 07 fde9 c0000201 00")},
    {"AggregatorLength6OnFourOctetSession",
     "RFC 7606 §7.7: AGGREGATOR length != 8 between NEW speakers",
     route(cat({origin_igp, hex("40 02 06 02 01 0000fde9"), next_hop_192_0_2_1,
                hex("c0 07 06 fde9 c0000201")})),
     outcome::attribute_discard, 3, 5, hex("c0 07 06 fde9 c0000201"),
     four_octet()},
    {"As4PathMalformed",
     "RFC 6793 §6: a malformed AS4_PATH -> attribute discard",
     route_with(hex("c0 11 04 02 02 0000")), outcome::attribute_discard, 3, 9,
     hex("c0 11 04 02 02 0000")},
  };
}

std::vector<bad_input> mandatory_rows() {
  return {
    {"MissingOrigin",
     "RFC 7606 §3(d): missing well-known attribute -> treat-as-withdraw, "
     "Data = its type code",
     route(cat({as_path_65001, next_hop_192_0_2_1})),
     outcome::treat_as_withdraw, 3, 3, hex("01")},
    {"MissingAsPath", "RFC 7606 §3(d): AS_PATH is well-known mandatory",
     route(cat({origin_igp, next_hop_192_0_2_1})), outcome::treat_as_withdraw,
     3, 3, hex("02")},
    {"MissingNextHop",
     "RFC 7606 §3(d): NEXT_HOP is mandatory with NLRI in the NLRI field",
     route(cat({origin_igp, as_path_65001})), outcome::treat_as_withdraw, 3, 3,
     hex("03")},
    {"MpReachNeedsNoNextHop",
     "RFC 4760 §3 / RFC 7606 §3(d): with MP_REACH_NLRI only, NEXT_HOP is "
     "not required",
     update({}, cat({origin_igp, as_path_65001, attr(0x80, 14, mp_v6)}), {}),
     outcome::accepted},
    {"WithdrawalNeedsNoAttributes",
     "RFC 4271 §6.3: mandatory attributes only with reachability",
     update(nlri_10_8, {}, {}), outcome::accepted},
  };
}

std::vector<bad_input> all_rows() {
  std::vector<bad_input> rows;
  for (auto part : {attribute_rows(), mandatory_rows()})
    rows.insert(rows.end(), part.begin(), part.end());
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Rfc7606Section7, BgpBadInput,
                         ::testing::ValuesIn(all_rows()),
                         [](const auto& info) { return info.param.name; });

TEST(BgpBadInput, AttributeDiscardRemovesOnlyTheBadAttribute) {
  auto in = route_with(hex("40 06 01 00"));
  auto r = decode_message(in.data(), in.size(), {});
  ASSERT_TRUE(r);
  const auto& u = std::get<update_message>(r->msg);
  EXPECT_EQ(u.attributes.size(), 3U);
  EXPECT_EQ(u.announced.size(), 1U);
}

TEST(BgpBadInput, DuplicateKeepsTheFirstOccurrence) {
  auto in = route_with(hex("40 01 01 02"));
  auto r = decode_message(in.data(), in.size(), {});
  ASSERT_TRUE(r);
  const auto& u = std::get<update_message>(r->msg);
  ASSERT_EQ(u.attributes.size(), 3U);
  EXPECT_EQ(std::get<origin>(u.attributes[0].value), origin::igp);
}

TEST(BgpBadInput, TreatAsWithdrawStillReportsEveryNlri) {
  auto in = update(hex("08 0b"),
                   cat({hex("40 01 01 07"), as_path_65001, next_hop_192_0_2_1}),
                   nlri_10_8);
  auto r = decode_message(in.data(), in.size(), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, update_error_action::treat_as_withdraw);
  const auto& u = std::get<update_message>(r->msg);
  EXPECT_EQ(u.withdrawn.size(), 1U);
  EXPECT_EQ(u.announced.size(), 1U);
}

} // namespace
} // namespace porter::bgp
