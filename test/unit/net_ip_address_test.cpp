#include <gtest/gtest.h>

#include "net/ip_address.hpp"

namespace porter::net {
namespace {

struct text_case {
  const char* rule;
  const char* input;
  const char* canonical; // nullptr: must be rejected
};

class IpAddressText : public ::testing::TestWithParam<text_case> {};

TEST_P(IpAddressText, ParsesToCanonicalFormOrRejects) {
  const auto& c = GetParam();
  auto parsed = parse_ip(c.input);
  if (c.canonical == nullptr) {
    EXPECT_FALSE(parsed) << c.rule << ": accepted " << c.input;
    return;
  }
  ASSERT_TRUE(parsed) << c.rule << ": " << parsed.error().what;
  EXPECT_EQ(to_string(*parsed), c.canonical) << c.rule;
  // The canonical form parses back to the same address.
  EXPECT_EQ(parse_ip(to_string(*parsed)).value(), *parsed);
}

INSTANTIATE_TEST_SUITE_P(
  Rfc4291And5952, IpAddressText,
  ::testing::Values(
    text_case{"dotted quad", "192.0.2.1", "192.0.2.1"},
    text_case{"all zero v4", "0.0.0.0", "0.0.0.0"},
    text_case{"octet above 255", "192.0.2.256", nullptr},
    text_case{"three octets", "192.0.2", nullptr},
    text_case{"leading zero octet is ambiguous", "192.0.2.01", nullptr},
    text_case{"trailing junk", "192.0.2.1x", nullptr},
    text_case{"RFC 5952 §4.3 lower case", "2001:DB8::1", "2001:db8::1"},
    text_case{"RFC 5952 §4.1 leading zeros dropped", "2001:0db8::0001",
              "2001:db8::1"},
    text_case{"RFC 5952 §4.2.2 single zero group not compressed",
              "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
    text_case{"RFC 5952 §4.2.3 first of equal runs compressed",
              "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    text_case{"RFC 5952 §4.2.1 longest run compressed", "2001:0:0:1:0:0:0:1",
              "2001:0:0:1::1"},
    text_case{"unspecified", "::", "::"}, text_case{"loopback", "::1", "::1"},
    text_case{"RFC 4291 §2.2 embedded IPv4", "::ffff:192.0.2.1",
              "::ffff:c000:201"},
    text_case{"two double colons", "1::2::3", nullptr},
    text_case{"nine groups", "1:2:3:4:5:6:7:8:9", nullptr},
    text_case{"group of five digits", "12345::1", nullptr},
    text_case{"empty", "", nullptr}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

struct prefix_case {
  const char* rule;
  const char* input;
  const char* canonical;
};

class PrefixText : public ::testing::TestWithParam<prefix_case> {};

TEST_P(PrefixText, ParsesOrRejects) {
  const auto& c = GetParam();
  auto parsed = parse_prefix(c.input);
  if (c.canonical == nullptr) {
    EXPECT_FALSE(parsed) << c.rule;
    return;
  }
  ASSERT_TRUE(parsed) << c.rule << ": " << parsed.error().what;
  EXPECT_EQ(to_string(*parsed), c.canonical) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
  Prefixes, PrefixText,
  ::testing::Values(
    prefix_case{"bare v4 address is a host route", "192.0.2.7", "192.0.2.7/32"},
    prefix_case{"bare v6 address is a host route", "2001:db8::7",
                "2001:db8::7/128"},
    prefix_case{"network", "198.51.100.0/24", "198.51.100.0/24"},
    prefix_case{"host bits set is an operator error", "198.51.100.1/24",
                nullptr},
    prefix_case{"length beyond family", "198.51.100.0/33", nullptr},
    prefix_case{"v6 length beyond family", "2001:db8::/129", nullptr},
    prefix_case{"non-numeric length", "10.0.0.0/x", nullptr},
    prefix_case{"empty length", "10.0.0.0/", nullptr}),
  [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(Prefix, ContainsChecksFamilyAndNetworkBits) {
  auto p = parse_prefix("10.1.0.0/16").value();
  EXPECT_TRUE(p.contains(parse_ip("10.1.255.3").value()));
  EXPECT_FALSE(p.contains(parse_ip("10.2.0.1").value()));
  EXPECT_FALSE(p.contains(parse_ip("::a01:1").value()));
  auto odd = parse_prefix("10.1.128.0/17").value();
  EXPECT_TRUE(odd.contains(parse_ip("10.1.200.1").value()));
  EXPECT_FALSE(odd.contains(parse_ip("10.1.127.1").value()));
}

TEST(IpAddress, OrdersV4BeforeV6ThenNumerically) {
  auto a = parse_ip("10.0.0.2").value();
  auto b = parse_ip("10.0.0.10").value();
  auto c = parse_ip("::1").value();
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b < c);
  EXPECT_EQ(ip_address::v4(0x0a00000a), b);
  EXPECT_EQ(b.v4_host_order(), 0x0a00000aU);
}

TEST(IpAddress, LinkLocalIsFe80Slash10) {
  EXPECT_TRUE(parse_ip("fe80::1").value().is_link_local_v6());
  EXPECT_TRUE(parse_ip("febf::1").value().is_link_local_v6());
  EXPECT_FALSE(parse_ip("fec0::1").value().is_link_local_v6());
}

} // namespace
} // namespace porter::net
