// UPDATE building and packing: attribute rules (RFC 4271 §5.1, RFC 6793
// §4.2.2, RFC 4760 §3), sizes from the RFC layouts (RFC 4271 §4.3, RFC 7911
// §3), messages filled to the limit (RFC 4271 §4.1: 4096, RFC 8654: 65535),
// and every size checked against the codec's bytes.
#include <cstdint>
#include <vector>

#include "test/unit/bgp_rib_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/codec.hpp"
#include "bgp/update_packer.hpp"

namespace porter::bgp::test {
namespace {

constexpr std::uint8_t code(attr_type t) {
  return static_cast<std::uint8_t>(t);
}

/// Our size, the codec's size and the codec's reading all agree.
void expect_codec_agrees(const update_message& u, const peer_context& ctx,
                         std::size_t max_size) {
  auto opts = wire(ctx, max_size > max_message_size);
  auto wire_bytes = encode_message(message{u}, opts);
  EXPECT_EQ(wire_bytes.size(), update_size(u, ctx));
  EXPECT_LE(wire_bytes.size(), max_size);
  auto decoded = decode_message(wire_bytes.data(), wire_bytes.size(), opts);
  ASSERT_TRUE(decoded.has_value()) << describe(decoded.error());
  EXPECT_EQ(decoded->action, update_error_action::none);
  const auto* back = std::get_if<update_message>(&decoded->msg);
  ASSERT_NE(back, nullptr);
  EXPECT_TRUE(same(*back, u));
}

std::vector<std::uint8_t> types_of(const std::vector<path_attribute>& as) {
  std::vector<std::uint8_t> out;
  out.reserve(as.size());
  for (const auto& a : as) {
    out.push_back(a.type);
  }
  return out;
}

TEST(BgpUpdatePacker, AttributeRules) {
  struct row {
    const char* rule;
    bool ibgp;
    bool four_octet_as;
    std::uint32_t local_as;
    route_attributes attrs;
    const char* next_hop;
    std::vector<attr_type> types;
    std::size_t attributes_size;
  };
  using t = attr_type;
  const std::vector<row> rows = {
    {"RFC 4271 §5.1.2/§5.1.5: iBGP: empty AS_PATH, LOCAL_PREF 100",
     true,
     true,
     64512,
     {},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop, t::local_pref},
     4 + 3 + 7 + 7},
    {"RFC 4271 §5.1.4: MED is sent when set, in type order",
     true,
     true,
     64512,
     {10, 200, {}, {}},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop, t::multi_exit_disc, t::local_pref},
     4 + 3 + 7 + 7 + 7},
    {"RFC 4271 §5.1.2: eBGP prepends the local ASN; RFC 6793: 4 octets",
     false,
     true,
     4200000000u,
     {},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop},
     4 + 9 + 7},
    {"RFC 4271 §4.3: a 2-octet session has 2-octet ASNs",
     false,
     false,
     65001,
     {},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop},
     4 + 7 + 7},
    {"RFC 6793 §4.2.2: AS_TRANS plus AS4_PATH towards a 2-octet peer",
     false,
     false,
     4200000000u,
     {},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop, t::as4_path},
     4 + 7 + 7 + 9},
    {"RFC 1997 / RFC 8092: communities and large communities",
     true,
     true,
     64512,
     {std::nullopt, std::nullopt, {1, 2}, {{1, 2, 3}}},
     "10.1.0.1",
     {t::origin, t::as_path, t::next_hop, t::local_pref, t::communities,
      t::large_communities},
     4 + 3 + 7 + 7 + 11 + 15},
    {"RFC 4760 §3: IPv6 next hop in MP_REACH_NLRI, no NEXT_HOP",
     true,
     true,
     64512,
     {},
     "2001:db8:1::1",
     {t::origin, t::as_path, t::local_pref, t::mp_reach_nlri},
     4 + 3 + 7 + 4 + 5 + 16},
  };
  for (const auto& r : rows) {
    peer_context ctx = ibgp_peer(true);
    ctx.ibgp = r.ibgp;
    ctx.four_octet_as = r.four_octet_as;
    ctx.local_as = r.local_as;
    auto attrs = make_path_attributes(ctx, ip(r.next_hop), {}, r.attrs);
    std::vector<std::uint8_t> want;
    for (auto type : r.types) {
      want.push_back(code(type));
    }
    EXPECT_EQ(types_of(attrs), want) << r.rule;
    update_message u;
    u.attributes = attrs;
    EXPECT_EQ(update_size(u, ctx), empty_update_size + r.attributes_size)
      << r.rule;
    expect_codec_agrees(u, ctx, max_message_size);
  }
}

TEST(BgpUpdatePacker, AsPathValuesFollowTheSession) {
  peer_context ctx = ibgp_peer(false);
  ctx.ibgp = false;
  ctx.four_octet_as = false;
  ctx.local_as = 4200000000u;
  auto attrs = make_path_attributes(ctx, ip("10.1.0.1"), {}, {});
  const auto& path = std::get<as_path>(attrs[1].value);
  ASSERT_EQ(path.segments.size(), 1u);
  EXPECT_EQ(path.segments[0].type, as_segment_type::as_sequence);
  EXPECT_EQ(path.segments[0].asns, std::vector<std::uint32_t>{as_trans});
  const auto& as4 = std::get<as_path>(attrs[3].value);
  EXPECT_EQ(as4.segments[0].asns, std::vector<std::uint32_t>{4200000000u});
  // BIRD merges only paths of equal ORIGIN into ECMP: always IGP.
  EXPECT_EQ(std::get<origin>(attrs[0].value), origin::igp);
}

TEST(BgpUpdatePacker, NlriSizeFollowsTheRfcLayout) {
  // RFC 4271 §4.3: length octet + ceil(len/8); RFC 7911 §3: +4 for the id.
  EXPECT_EQ(nlri_size({0, pfx("10.0.0.1/32")}, false), 5u);
  EXPECT_EQ(nlri_size({7, pfx("10.0.0.1/32")}, true), 9u);
  EXPECT_EQ(nlri_size({0, pfx("10.0.0.0/23")}, false), 4u);
  EXPECT_EQ(nlri_size({0, pfx("0.0.0.0/0")}, false), 1u);
  EXPECT_EQ(nlri_size({7, pfx("2001:db8::1/128")}, true), 21u);
}

struct packing_row {
  const char* rule;
  bool add_path;
  bool ibgp;
  bool four_octet_as;
  bool v6;
  std::size_t max_size;
  std::size_t routes;
  std::size_t per_message; // the theoretical maximum, worked out by hand
};

std::vector<update_message> pack_hosts(const packing_row& r,
                                       const peer_context& ctx) {
  std::vector<nlri> routes;
  for (const auto& p : host_prefixes(r.routes, r.v6)) {
    routes.push_back({r.add_path ? 7u : 0u, p});
  }
  update_packer packer(ctx, r.max_size);
  auto hop = r.v6 ? ip("2001:db8:ffff::1") : ip("10.255.0.1");
  EXPECT_TRUE(packer.announce(make_path_attributes(ctx, hop, {}, {}), routes));
  return packer.finish();
}

TEST(BgpUpdatePacker, AnnouncementsFillEachMessageToTheLimit) {
  const std::vector<packing_row> rows = {
    {"RFC 7911 §3 iBGP /32: (4096 - 23 - 21) / 9", true, true, true, false,
     4096, 2000, 450},
    {"RFC 4271 §4.3 iBGP /32 without ids: (4096 - 23 - 21) / 5", false, true,
     true, false, 4096, 2000, 810},
    {"eBGP, 4-octet AS_PATH: (4096 - 23 - 20) / 9", true, false, true, false,
     4096, 2000, 450},
    {"eBGP, 2-octet AS_PATH, no ids: (4096 - 23 - 18) / 5", false, false, false,
     false, 4096, 2000, 811},
    {"RFC 8654 extended messages: (65535 - 23 - 21) / 9", true, true, true,
     false, 65535, 20000, 7276},
    {"RFC 8654 without ids: (65535 - 23 - 21) / 5", false, true, true, false,
     65535, 20000, 13098},
    {"RFC 4760 /128 in MP_REACH with ids: (4096 - 23 - 14 - 25) / 21", true,
     true, true, true, 4096, 2000, 192},
    {"RFC 4760 /128 in MP_REACH without ids: (4096 - 62) / 17", false, true,
     true, true, 4096, 2000, 237},
  };
  for (const auto& r : rows) {
    peer_context ctx = ibgp_peer(r.add_path);
    ctx.ibgp = r.ibgp;
    ctx.four_octet_as = r.four_octet_as;
    auto messages = pack_hosts(r, ctx);
    auto expected = (r.routes + r.per_message - 1) / r.per_message;
    ASSERT_EQ(messages.size(), expected) << r.rule;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      auto count = announced({messages[i]}).size();
      auto want = i + 1 < messages.size()
                    ? r.per_message
                    : r.routes - r.per_message * (messages.size() - 1);
      EXPECT_EQ(count, want) << r.rule << " message " << i;
      expect_codec_agrees(messages[i], ctx, r.max_size);
    }
    EXPECT_EQ(announced(messages).size(), r.routes) << r.rule;
  }
}

TEST(BgpUpdatePacker, WithdrawOnlyMessagesAreFilledToo) {
  struct row {
    const char* rule;
    bool v6;
    std::size_t per_message;
  };
  const std::vector<row> rows = {
    {"RFC 4271 §4.3 withdrawn routes field: (4096 - 23) / 9", false, 452},
    {"RFC 4760 §4 MP_UNREACH_NLRI: (4096 - 23 - 4 - 3) / 21", true, 193},
  };
  auto ctx = ibgp_peer(true);
  for (const auto& r : rows) {
    std::vector<nlri> routes;
    for (const auto& p : host_prefixes(2000, r.v6)) {
      routes.push_back({7, p});
    }
    update_packer packer(ctx, max_message_size);
    packer.withdraw(routes);
    auto messages = packer.finish();
    ASSERT_EQ(messages.size(), (2000 + r.per_message - 1) / r.per_message)
      << r.rule;
    EXPECT_EQ(withdrawn({messages[0]}).size(), r.per_message) << r.rule;
    EXPECT_EQ(withdrawn(messages), routes) << r.rule;
    for (const auto& u : messages) {
      expect_codec_agrees(u, ctx, max_message_size);
    }
  }
}

TEST(BgpUpdatePacker,
     Ipv4WithdrawalsRideInSpareRoomButNotBeforeTheirSuccessor) {
  auto ctx = ibgp_peer(true);
  update_packer packer(ctx, max_message_size);
  auto a = ip("10.255.0.1");
  auto b = ip("10.255.0.2");
  ASSERT_TRUE(packer.announce(make_path_attributes(ctx, a, {}, {}),
                              {path("10.0.0.1/32", "10.255.0.1")}));
  ASSERT_TRUE(packer.announce(make_path_attributes(ctx, b, {}, {}),
                              {path("10.0.0.2/32", "10.255.0.2")}));
  // 10.0.0.2 moves from node .9 to node b: its withdrawal must not precede
  // b's announcement; 10.0.0.3 has no successor and takes the first room.
  packer.withdraw(
    {path("10.0.0.2/32", "10.255.0.9"), path("10.0.0.3/32", "10.255.0.9")});
  auto messages = packer.finish();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].withdrawn,
            std::vector<nlri>{path("10.0.0.3/32", "10.255.0.9")});
  EXPECT_EQ(messages[1].withdrawn,
            std::vector<nlri>{path("10.0.0.2/32", "10.255.0.9")});
  for (const auto& u : messages) {
    expect_codec_agrees(u, ctx, max_message_size);
  }
}

TEST(BgpUpdatePacker, LinkLocalNextHopMakesA32ByteNextHop) {
  auto ctx = ibgp_peer(true);
  auto attrs
    = make_path_attributes(ctx, ip("2001:db8:1::1"), ip("fe80::1"), {});
  update_message u;
  u.attributes = attrs;
  // RFC 2545 §3: global + link-local = 32 bytes of next hop.
  EXPECT_EQ(update_size(u, ctx), empty_update_size + 4 + 3 + 7 + 4 + 5 + 32);
  expect_codec_agrees(u, ctx, max_message_size);
}

TEST(BgpUpdatePacker, AttributesLargerThanAMessageAreRefused) {
  auto ctx = ibgp_peer(true);
  route_attributes huge;
  for (std::uint32_t i = 0; i < 1100; ++i) {
    huge.communities.push_back(i);
  }
  auto attrs = make_path_attributes(ctx, ip("10.255.0.1"), {}, huge);
  // RFC 4271 §4.3: a value over 255 octets needs the extended length flag.
  EXPECT_NE(attrs[4].flags & attr_flag_extended_length, 0);
  update_packer small(ctx, max_message_size);
  EXPECT_FALSE(small.announce(attrs, {path("10.0.0.1/32", "10.255.0.1")}));
  EXPECT_TRUE(small.finish().empty());
  update_packer large(ctx, max_extended_message_size);
  EXPECT_TRUE(large.announce(attrs, {path("10.0.0.1/32", "10.255.0.1")}));
  auto messages = large.finish();
  ASSERT_EQ(messages.size(), 1u);
  expect_codec_agrees(messages[0], ctx, max_extended_message_size);
}

} // namespace
} // namespace porter::bgp::test
