// Eip spec.address parsing, range sizes and pool overlap. Each row names the
// OpenELB rule (shared/reference/openelb.md) or RFC it encodes.
#include <algorithm>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "net/ip_range.hpp"
#include "net/pool_overlap.hpp"

namespace porter::net {
namespace {

constexpr auto u64_max = std::numeric_limits<std::uint64_t>::max();

struct parse_case {
  const char* rule;
  const char* input;
  const char* first; // nullptr: must be rejected
  const char* last;
  std::uint64_t size;
};

class EipAddress : public ::testing::TestWithParam<parse_case> {};

TEST_P(EipAddress, ParsesToRangeOrRejects) {
  const auto& c = GetParam();
  auto r = parse_eip_address(c.input);
  if (c.first == nullptr) {
    EXPECT_FALSE(r) << c.rule << ": accepted " << c.input;
    if (!r) {
      EXPECT_FALSE(r.error().what.empty()) << c.rule;
    }
    return;
  }
  ASSERT_TRUE(r) << c.rule << ": " << r.error().what;
  EXPECT_EQ(to_string(r->first), c.first) << c.rule;
  EXPECT_EQ(to_string(r->last), c.last) << c.rule;
  EXPECT_EQ(r->size(), c.size) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  OpenElbGetSize, EipAddress,
  ::testing::Values(
    // §2.2 address: single IP → base, size 1 (types_test.go).
    parse_case{"single v4", "192.168.0.1", "192.168.0.1", "192.168.0.1", 1},
    parse_case{"single v6", "2001:db8::1", "2001:db8::1", "2001:db8::1", 1},
    // §2.2: a CIDR covers all 2^n addresses, network and broadcast included
    // (355f0f4f); host bits are cleared like Go net.ParseCIDR
    // (types_test.go: "192.168.0.1/24" → base 192.168.0.0, size 256).
    parse_case{"cidr with host bits", "192.168.0.1/24", "192.168.0.0",
               "192.168.0.255", 256},
    parse_case{"cidr /16", "10.1.0.0/16", "10.1.0.0", "10.1.255.255", 65536},
    parse_case{"cidr /31 (RFC 3021: both usable)", "10.0.0.0/31", "10.0.0.0",
               "10.0.0.1", 2},
    parse_case{"cidr /32", "10.0.0.7/32", "10.0.0.7", "10.0.0.7", 1},
    parse_case{"cidr /0", "0.0.0.0/0", "0.0.0.0", "255.255.255.255",
               std::uint64_t{1} << 32},
    parse_case{"cidr v6 /128", "2001:db8::5/128", "2001:db8::5", "2001:db8::5",
               1},
    parse_case{"cidr v6 /120", "2001:db8::/120", "2001:db8::", "2001:db8::ff",
               256},
    // §2.2: OpenELB's `1 << 64` is 0 in a Go int; porter saturates.
    parse_case{"cidr v6 /64 saturates", "2001:db8::/64",
               "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", u64_max},
    parse_case{"cidr v6 /65", "2001:db8::/65", "2001:db8::",
               "2001:db8::7fff:ffff:ffff:ffff", std::uint64_t{1} << 63},
    parse_case{"cidr v6 /0 saturates", "::/0",
               "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", u64_max},
    // §2.2 range a-b: size last - first + 1 (types_test.go: 100).
    parse_case{"range v4", "192.168.0.1-192.168.0.100", "192.168.0.1",
               "192.168.0.100", 100},
    parse_case{"range of one", "10.0.0.1-10.0.0.1", "10.0.0.1", "10.0.0.1", 1},
    parse_case{"range v6", "2001:db8::1-2001:db8::1:0", "2001:db8::1",
               "2001:db8::1:0", 65536},
    // §2.8: reversed range → "invalid eip address format".
    parse_case{"reversed range", "10.0.0.9-10.0.0.1", nullptr, nullptr, 0},
    // §2.8: three components.
    parse_case{"three components", "192.168.0.1-192.168.0.100-192.168.0.200",
               nullptr, nullptr, 0},
    // §2.8: unparsable.
    parse_case{"garbage", "xxxx", nullptr, nullptr, 0},
    parse_case{"empty", "", nullptr, nullptr, 0},
    parse_case{"range with spaces", "10.0.0.1 - 10.0.0.5", nullptr, nullptr, 0},
    parse_case{"range half empty", "10.0.0.1-", nullptr, nullptr, 0},
    parse_case{"range of cidrs", "10.0.0.0/24-10.0.1.0/24", nullptr, nullptr,
               0},
    // porter, not OpenELB: a range across families has no meaning.
    parse_case{"mixed families", "10.0.0.1-2001:db8::1", nullptr, nullptr, 0},
    // §2.2: GetSize refuses the netmask form although iprange parses it.
    parse_case{"netmask form", "10.0.0.0/255.255.255.0", nullptr, nullptr, 0},
    // Go net.ParseCIDR reads the length with dtoi: leading zeros are fine.
    parse_case{"prefix with leading zero", "10.0.0.0/030", "10.0.0.0",
               "10.0.0.3", 4},
    parse_case{"prefix too long v4", "10.0.0.0/33", nullptr, nullptr, 0},
    parse_case{"prefix far too long", "10.0.0.0/99999999999", nullptr, nullptr,
               0},
    parse_case{"prefix too long v6", "2001:db8::/129", nullptr, nullptr, 0},
    parse_case{"empty prefix", "10.0.0.0/", nullptr, nullptr, 0},
    parse_case{"signed prefix", "10.0.0.0/+8", nullptr, nullptr, 0},
    // RFC 4291 §2.2 / Go ParseIP: no zone, no leading-zero IPv4 octets.
    parse_case{"zone id", "fe80::1%eth0", nullptr, nullptr, 0},
    parse_case{"leading zero octet", "10.0.0.01", nullptr, nullptr, 0}));

TEST(EipAddress, ErrorsNameTheInputAndTheReason) {
  EXPECT_EQ(parse_eip_address("10.0.0.9-10.0.0.1").error().what,
            "range 10.0.0.9-10.0.0.1: first address is after the last");
  EXPECT_EQ(parse_eip_address("10.0.0.1-2001:db8::1").error().what,
            "range 10.0.0.1-2001:db8::1: first and last address mix IPv4 "
            "and IPv6");
  EXPECT_NE(parse_eip_address("xxxx").error().what.find("\"xxxx\""),
            std::string::npos);
}

TEST(IpRange, ContainsMatchesIpToOrdinal) {
  // types_test.go IPToOrdinal / Contains on 192.168.0.1-192.168.0.100.
  auto r = parse_eip_address("192.168.0.1-192.168.0.100").value();
  auto ip = [](const char* s) { return parse_ip(s).value(); };
  EXPECT_EQ(offset_in(r, ip("192.168.0.2")), 1U);
  EXPECT_EQ(offset_in(r, ip("192.168.0.0")), std::nullopt);
  EXPECT_EQ(offset_in(r, ip("192.168.0.101")), std::nullopt);
  EXPECT_TRUE(r.contains(ip("192.168.0.100")));
  EXPECT_FALSE(r.contains(ip("::ffff:c0a8:1"))) << "other family";
}

TEST(IpRange, SizeIsExactUpToTwoToTheSixtyFourMinusOne) {
  EXPECT_TRUE(parse_eip_address("2001:db8::/65")->size_is_exact());
  EXPECT_FALSE(parse_eip_address("2001:db8::/64")->size_is_exact());
  EXPECT_FALSE(parse_eip_address("::/0")->size_is_exact());
}

TEST(IpRange, NextAndPrevCarryAndStopAtTheFamilyEdge) {
  auto ip = [](const char* s) { return parse_ip(s).value(); };
  EXPECT_EQ(next_address(ip("10.0.0.255")), ip("10.0.1.0"));
  EXPECT_EQ(next_address(ip("255.255.255.255")), std::nullopt);
  EXPECT_EQ(next_address(ip("2001:db8::ffff")), ip("2001:db8::1:0"));
  EXPECT_EQ(prev_address(ip("10.0.1.0")), ip("10.0.0.255"));
  EXPECT_EQ(prev_address(ip("::")), std::nullopt);
}

TEST(IpRange, ToStringRoundTrips) {
  for (const char* s :
       {"10.0.0.1", "10.0.0.1-10.0.0.9", "2001:db8::-2001:db8::ff"}) {
    auto r = parse_eip_address(s).value();
    EXPECT_EQ(to_string(r), s);
    EXPECT_EQ(parse_eip_address(to_string(r)).value(), r);
  }
}

struct overlap_case {
  const char* rule;
  const char* a;
  const char* b;
  bool overlap;
};

class EipOverlap : public ::testing::TestWithParam<overlap_case> {};

TEST_P(EipOverlap, MatchesIsOverlap) {
  const auto& c = GetParam();
  auto a = parse_eip_address(c.a).value();
  auto b = parse_eip_address(c.b).value();
  EXPECT_EQ(a.overlaps(b), c.overlap) << c.rule;
  EXPECT_EQ(b.overlaps(a), c.overlap) << c.rule << " (symmetric)";
  auto found = find_overlaps({{"a", a}, {"b", b}});
  EXPECT_EQ(found.size(), c.overlap ? 1U : 0U) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  OpenElbWebhook, EipOverlap,
  ::testing::Values(
    // §2.8 / types_test.go IsOverlap on 192.168.0.100-192.168.0.200:
    overlap_case{"below", "192.168.0.100-192.168.0.200",
                 "192.168.0.1-192.168.0.99", false},
    overlap_case{"above", "192.168.0.100-192.168.0.200",
                 "192.168.0.201-192.168.0.250", false},
    overlap_case{"touches first", "192.168.0.100-192.168.0.200",
                 "192.168.0.1-192.168.0.100", true},
    overlap_case{"touches last", "192.168.0.100-192.168.0.200",
                 "192.168.0.200-192.168.0.250", true},
    overlap_case{"cidr inside range", "10.0.0.0-10.0.3.255", "10.0.1.0/24",
                 true},
    overlap_case{"single ip inside cidr", "10.0.0.0/24", "10.0.0.0", true},
    overlap_case{"v6 /64 and /120 inside", "2001:db8::/64",
                 "2001:db8::ff00/120", true},
    // Same numeric bits, different family: never the same address.
    overlap_case{"v4 vs v6", "0.0.0.0/0", "::/96", false}));

TEST(PoolOverlap, ReportsEveryPairSortedByName) {
  auto r = [](const char* s) { return parse_eip_address(s).value(); };
  std::vector<named_range> pools{
    {"zeta", r("10.0.0.0/24")}, {"alpha", r("10.0.0.128-10.0.1.5")},
    {"mid", r("10.0.1.0/24")},  {"solo", r("10.9.0.0/16")},
    {"v6", r("2001:db8::/64")}, {"v6b", r("2001:db8::1")}};
  auto found = find_overlaps(pools);
  std::vector<pool_overlap> want{
    {"alpha", "mid"}, {"alpha", "zeta"}, {"v6", "v6b"}};
  EXPECT_EQ(found, want);
  // Input order does not matter.
  std::reverse(pools.begin(), pools.end());
  EXPECT_EQ(find_overlaps(pools), want);
  EXPECT_EQ(overlapping_with(found, "alpha"),
            (std::vector<std::string>{"mid", "zeta"}));
  EXPECT_EQ(overlapping_with(found, "zeta"),
            (std::vector<std::string>{"alpha"}));
  EXPECT_TRUE(overlapping_with(found, "solo").empty());
}

} // namespace
} // namespace porter::net
