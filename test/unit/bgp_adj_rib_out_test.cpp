// Adj-RIB-Out: only what changed is sent (RFC 4271 §9.2), one path per next
// hop with stable ids for ADD-PATH peers (RFC 7911 §3), implicit replacement
// instead of withdraw + announce (RFC 4271 §3.1), IPv6 in MP_REACH_NLRI /
// MP_UNREACH_NLRI (RFC 4760), families the peer did not negotiate skipped.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "test/unit/bgp_rib_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/adj_rib_out.hpp"
#include "bgp/codec.hpp"

namespace porter::bgp::test {
namespace {

std::vector<net::ip_address> ips(const std::vector<const char*>& texts) {
  std::vector<net::ip_address> out;
  for (const auto* text : texts) {
    out.push_back(ip(text));
  }
  return out;
}

desired_routes
routes(std::initializer_list<std::pair<const char*, std::vector<const char*>>>
         entries) {
  desired_routes_builder d;
  for (const auto& [prefix, hops] : entries) {
    d.add(pfx(prefix), ips(hops));
  }
  return d.finish();
}

/// `d` with the attributes of `prefix` replaced, its next hops kept.
desired_routes with_attributes(const desired_routes& d, const char* prefix,
                               route_attributes attrs) {
  desired_routes_builder b(d);
  auto hops = d.next_hops(d.find(pfx(prefix))->path_set);
  b.add(pfx(prefix), {hops.begin(), hops.end()}, std::move(attrs));
  return b.finish();
}

std::vector<update_message> step(adj_rib_out& rib, const desired_routes& d) {
  rib.set_desired(d);
  return rib.pending_updates(max_message_size);
}

const net::ip_address& next_hop_of(const update_message& u) {
  if (const auto* a = find_attribute(u, attr_type::next_hop)) {
    return std::get<net::ip_address>(a->value);
  }
  return std::get<mp_reach>(find_attribute(u, attr_type::mp_reach_nlri)->value)
    .next_hop;
}

TEST(BgpAdjRibOut, AddPathRules) {
  // Each row starts from the table {10.0.0.1/32 via .1 and .2} already sent.
  struct row {
    const char* rule;
    desired_routes next;
    std::vector<nlri> announced;
    std::vector<nlri> withdrawn;
  };
  const char* p = "10.0.0.1/32";
  const std::vector<row> rows = {
    {"RFC 4271 §9.2: no change, no UPDATE",
     routes({{p, {"10.1.0.1", "10.1.0.2"}}}),
     {},
     {}},
    {"RFC 7911 §3: a new next hop sends only its own path",
     routes({{p, {"10.1.0.1", "10.1.0.2", "10.1.0.3"}}}),
     {path(p, "10.1.0.3")},
     {}},
    {"RFC 7911 §3: a removed next hop withdraws only its own path",
     routes({{p, {"10.1.0.1"}}}),
     {},
     {path(p, "10.1.0.2")}},
    {"RFC 4271 §3.1: a removed prefix withdraws all its paths",
     routes({}),
     {},
     {path(p, "10.1.0.1"), path(p, "10.1.0.2")}},
    {"RFC 4271 §3.1: no next hop left is the same as no prefix",
     routes({{p, {}}}),
     {},
     {path(p, "10.1.0.1"), path(p, "10.1.0.2")}},
    {"a node swap announces the new path before the old one goes",
     routes({{p, {"10.1.0.1", "10.1.0.4"}}}),
     {path(p, "10.1.0.4")},
     {path(p, "10.1.0.2")}},
  };
  for (const auto& r : rows) {
    adj_rib_out rib(ibgp_peer(true));
    // One UPDATE per next hop: they differ in NEXT_HOP.
    ASSERT_EQ(step(rib, routes({{p, {"10.1.0.1", "10.1.0.2"}}})).size(), 2u);
    auto messages = step(rib, r.next);
    EXPECT_EQ(show(announced(messages)), show(r.announced)) << r.rule;
    EXPECT_EQ(show(withdrawn(messages)), show(r.withdrawn)) << r.rule;
    // Make-before-break: one UPDATE carries both halves of a swap.
    EXPECT_LE(messages.size(), 1u) << r.rule;
    EXPECT_EQ(rib.advertised(), rib.desired()) << r.rule;
  }
}

TEST(BgpAdjRibOut, FirstPathCarriesTheIbgpAttributes) {
  adj_rib_out rib(ibgp_peer(true));
  auto messages = step(rib, routes({{"10.0.0.1/32", {"10.1.0.1"}}}));
  ASSERT_EQ(messages.size(), 1u);
  const auto& u = messages[0];
  EXPECT_EQ(u.announced, std::vector<nlri>{path("10.0.0.1/32", "10.1.0.1")});
  EXPECT_EQ(u.announced[0].path_id, 0x2f69ba07u);
  EXPECT_TRUE(u.withdrawn.empty());
  EXPECT_EQ(next_hop_of(u), ip("10.1.0.1"));
  const auto* lp = find_attribute(u, attr_type::local_pref);
  ASSERT_NE(lp, nullptr);
  EXPECT_EQ(std::get<std::uint32_t>(lp->value), 100u);
  EXPECT_EQ(rib.advertised_paths(), 1u);
  EXPECT_TRUE(step(rib, routes({{"10.0.0.1/32", {"10.1.0.1"}}})).empty());
}

TEST(BgpAdjRibOut, PathIdsStayWhileOtherNextHopsComeAndGo) {
  adj_rib_out rib(ibgp_peer(true));
  const char* p = "10.0.0.1/32";
  step(rib, routes({{p, {"10.1.0.5"}}}));
  auto id = path_id_hash(ip("10.1.0.5"));
  for (const auto& d :
       {routes({{p, {"10.1.0.1", "10.1.0.5"}}}),
        routes({{p, {"10.1.0.5", "10.1.0.9", "10.1.0.7"}}}),
        routes({{p, {"10.1.0.5"}}, {"10.0.0.2/32", {"10.1.0.5"}}}),
        routes({{p, {"10.1.0.5"}}})}) {
    step(rib, d);
    EXPECT_EQ(rib.advertised().count(nlri{id, pfx(p)}), 1u);
  }
  EXPECT_EQ(rib.advertised_paths(), 1u);
}

TEST(BgpAdjRibOut, WithoutAddPathTheLowestNextHopIsTheOnePath) {
  struct row {
    const char* rule;
    std::vector<const char*> hops;
    const char* sent; // nullptr: nothing sent
  };
  // Each row starts from {.5, .7} sent, i.e. one path via .5.
  const std::vector<row> rows = {
    {"a higher next hop changes nothing",
     {"10.1.0.5", "10.1.0.7", "10.1.0.9"},
     nullptr},
    {"RFC 4271 §3.1: a lower next hop replaces the path implicitly",
     {"10.1.0.3", "10.1.0.5", "10.1.0.7"},
     "10.1.0.3"},
    {"RFC 4271 §3.1: losing the chosen next hop replaces it implicitly",
     {"10.1.0.7"},
     "10.1.0.7"},
    {"losing another next hop changes nothing", {"10.1.0.5"}, nullptr},
  };
  const char* p = "10.0.0.1/32";
  for (const auto& r : rows) {
    adj_rib_out rib(ibgp_peer(false));
    step(rib, routes({{p, {"10.1.0.7", "10.1.0.5"}}}));
    ASSERT_EQ(rib.advertised().begin()->second.next_hop, ip("10.1.0.5"));
    desired_routes_builder d;
    d.add(pfx(p), ips(r.hops));
    auto messages = step(rib, d.finish());
    EXPECT_TRUE(withdrawn(messages).empty()) << r.rule;
    if (r.sent == nullptr) {
      EXPECT_TRUE(messages.empty()) << r.rule;
      continue;
    }
    ASSERT_EQ(messages.size(), 1u) << r.rule;
    EXPECT_EQ(show(messages[0].announced), show({nlri{0, pfx(p)}})) << r.rule;
    EXPECT_EQ(next_hop_of(messages[0]), ip(r.sent)) << r.rule;
  }
}

TEST(BgpAdjRibOut, AttributeChangeIsAnImplicitReplacement) {
  adj_rib_out rib(ibgp_peer(true));
  auto d
    = routes({{"10.0.0.1/32", {"10.1.0.1"}}, {"10.0.0.2/32", {"10.1.0.1"}}});
  step(rib, d);
  route_attributes med;
  med.med = 50;
  d = with_attributes(d, "10.0.0.2/32", med);
  auto messages = step(rib, d);
  // RFC 7911 §3 / RFC 4271 §3.1: same (prefix, path id), new attributes.
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].withdrawn.empty());
  EXPECT_EQ(messages[0].announced,
            std::vector<nlri>{path("10.0.0.2/32", "10.1.0.1")});
  ASSERT_NE(find_attribute(messages[0], attr_type::multi_exit_disc), nullptr);
  // Community order and duplicates carry no meaning: nothing to resend.
  route_attributes communities;
  communities.communities = {2, 1};
  d = with_attributes(d, "10.0.0.1/32", communities);
  EXPECT_EQ(step(rib, d).size(), 1u);
  communities.communities = {1, 2, 2};
  d = with_attributes(d, "10.0.0.1/32", communities);
  EXPECT_TRUE(step(rib, d).empty());
}

TEST(BgpAdjRibOut, PathsSharingAttributesShareMessages) {
  adj_rib_out rib(ibgp_peer(true));
  desired_routes_builder d;
  for (const auto& p : host_prefixes(2000)) {
    d.add(p, {ip("10.1.0.1"), ip("10.1.0.2"), ip("10.1.0.3")});
  }
  auto messages = step(rib, d.finish());
  // Three next hops, 2000 paths each, 450 per UPDATE: 3 * ceil(2000/450).
  ASSERT_EQ(messages.size(), 15u);
  EXPECT_EQ(announced(messages).size(), 6000u);
  for (const auto& u : messages) {
    EXPECT_LE(encode_message(message{u}, wire(rib.context(), false)).size(),
              max_message_size);
  }
  // Withdrawing everything: (4096 - 23) / 9 = 452 per UPDATE.
  EXPECT_EQ(step(rib, {}).size(), (6000u + 451u) / 452u);
  EXPECT_EQ(rib.advertised_paths(), 0u);
}

TEST(BgpAdjRibOut, TwoThousandHostRoutesNeedTheFewestMessages) {
  struct row {
    const char* rule;
    bool add_path;
    std::size_t max_size;
    std::size_t per_message;
  };
  const std::vector<row> rows = {
    {"RFC 7911 §3: 9 bytes per /32", true, 4096, 450},
    {"RFC 4271 §4.3: 5 bytes per /32", false, 4096, 810},
    {"RFC 8654: 65535-byte UPDATEs", true, 65535, 7276},
  };
  for (const auto& r : rows) {
    adj_rib_out rib(ibgp_peer(r.add_path));
    desired_routes_builder d;
    for (const auto& p : host_prefixes(2000)) {
      d.add(p, {ip("10.1.0.1")});
    }
    rib.set_desired(d.finish());
    auto messages = rib.pending_updates(r.max_size);
    EXPECT_EQ(messages.size(), (2000 + r.per_message - 1) / r.per_message)
      << r.rule;
    EXPECT_EQ(messages[0].announced.size(),
              std::min<std::size_t>(2000, r.per_message))
      << r.rule;
    auto opts = wire(rib.context(), r.max_size > max_message_size);
    for (const auto& u : messages) {
      EXPECT_EQ(encode_message(message{u}, opts).size(),
                update_size(u, rib.context()));
      EXPECT_LE(update_size(u, rib.context()), r.max_size) << r.rule;
    }
  }
}

TEST(BgpAdjRibOut, Ipv6GoesInMpReachAndMpUnreach) {
  adj_rib_out rib(ibgp_peer(true));
  desired_routes_builder d;
  d.add(pfx("2001:db8::1/128"), ips({"2001:db8:1::1", "10.1.0.1"}));
  d.set_link_local(ip("2001:db8:1::1"), ip("fe80::1"));
  auto messages = step(rib, d.finish());
  // RFC 4760 §3: the IPv4 next hop cannot serve an IPv6 prefix: ignored.
  ASSERT_EQ(messages.size(), 1u);
  const auto& u = messages[0];
  EXPECT_TRUE(u.announced.empty());
  EXPECT_EQ(find_attribute(u, attr_type::next_hop), nullptr);
  const auto& reach
    = std::get<mp_reach>(find_attribute(u, attr_type::mp_reach_nlri)->value);
  EXPECT_EQ(reach.family, ipv6_unicast);
  EXPECT_EQ(reach.next_hop, ip("2001:db8:1::1"));
  EXPECT_EQ(reach.link_local_next_hop, ip("fe80::1"));
  EXPECT_EQ(reach.announced,
            std::vector<nlri>{path("2001:db8::1/128", "2001:db8:1::1")});
  auto sent = reach.announced;
  messages = step(rib, {});
  ASSERT_EQ(messages.size(), 1u);
  const auto& unreach = std::get<mp_unreach>(
    find_attribute(messages[0], attr_type::mp_unreach_nlri)->value);
  EXPECT_EQ(unreach.family, ipv6_unicast);
  EXPECT_EQ(unreach.withdrawn, sent);
  EXPECT_EQ(messages[0].attributes.size(), 1u);
}

TEST(BgpAdjRibOut, FamiliesFollowTheNegotiation) {
  auto d = routes(
    {{"10.0.0.1/32", {"10.1.0.1"}}, {"2001:db8::1/128", {"2001:db8:1::1"}}});
  auto v4_only = ibgp_peer(true);
  v4_only.ipv6 = false;
  adj_rib_out a(v4_only);
  EXPECT_EQ(announced(step(a, d)).size(), 1u);
  EXPECT_EQ(a.advertised_paths(), 1u);
  adj_rib_out both(ibgp_peer(true));
  auto messages = step(both, d);
  // IPv4 first (address order), one UPDATE per family.
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].announced.size(), 1u);
  EXPECT_NE(find_attribute(messages[1], attr_type::mp_reach_nlri), nullptr);
}

TEST(BgpAdjRibOut, ClearResendsTheWholeTable) {
  adj_rib_out rib(ibgp_peer(true));
  auto d = routes({{"10.0.0.1/32", {"10.1.0.1", "10.1.0.2"}}});
  auto first = step(rib, d);
  rib.clear();
  EXPECT_EQ(rib.advertised_paths(), 0u);
  auto again = rib.pending_updates(max_message_size);
  ASSERT_EQ(again.size(), first.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_TRUE(same(again[i], first[i]));
  }
}

TEST(BgpAdjRibOut, SameInputSameMessages) {
  desired_routes_builder forward;
  desired_routes_builder backward;
  auto prefixes = host_prefixes(1500);
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    auto hop = net::ip_address::v4(0x0a010000u + (i % 7));
    forward.add(prefixes[i], {hop});
    auto j = prefixes.size() - 1 - i;
    backward.add(prefixes[j], {net::ip_address::v4(0x0a010000u + (j % 7))});
  }
  adj_rib_out a(ibgp_peer(true));
  adj_rib_out b(ibgp_peer(true));
  auto x = step(a, forward.finish());
  auto y = step(b, backward.finish());
  ASSERT_EQ(x.size(), y.size());
  auto opts = wire(a.context(), false);
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(encode_message(message{x[i]}, opts),
              encode_message(message{y[i]}, opts));
  }
  EXPECT_FALSE(x.empty());
}

TEST(BgpAdjRibOut, PathsTooLargeForAnyMessageAreWithdrawnAndReported) {
  adj_rib_out rib(ibgp_peer(true));
  auto d
    = routes({{"10.0.0.1/32", {"10.1.0.1"}}, {"10.0.0.2/32", {"10.1.0.1"}}});
  step(rib, d);
  route_attributes huge;
  for (std::uint32_t i = 0; i < 1100; ++i) {
    huge.communities.push_back(i);
  }
  d = with_attributes(d, "10.0.0.2/32", huge);
  auto messages = step(rib, d);
  EXPECT_EQ(show(withdrawn(messages)), show({path("10.0.0.2/32", "10.1.0.1")}));
  EXPECT_EQ(show(rib.unsendable()), show({path("10.0.0.2/32", "10.1.0.1")}));
  EXPECT_EQ(rib.advertised_paths(), 1u);
  // RFC 8654: it fits a 65535-byte UPDATE.
  rib.set_desired(d);
  EXPECT_EQ(announced(rib.pending_updates(max_extended_message_size)).size(),
            1u);
  EXPECT_TRUE(rib.unsendable().empty());
}

TEST(BgpAdjRibOut, PeerContextComesFromTheNegotiatedSession) {
  session_config local;
  local.local_as = 64512;
  negotiated_session s;
  s.peer_as = 64512;
  s.families = {ipv4_unicast, ipv6_unicast};
  s.tx.four_octet_as = true;
  s.tx.add_path = {ipv6_unicast};
  auto ctx = make_peer_context(local, s);
  EXPECT_EQ(ctx.local_as, 64512u);
  EXPECT_TRUE(ctx.ibgp);
  EXPECT_TRUE(ctx.four_octet_as);
  EXPECT_TRUE(ctx.ipv4 && ctx.ipv6);
  EXPECT_FALSE(ctx.add_path_v4);
  EXPECT_TRUE(ctx.add_path_v6);
  s.peer_as = 65001;
  EXPECT_FALSE(make_peer_context(local, s).ibgp);
}

} // namespace
} // namespace porter::bgp::test
