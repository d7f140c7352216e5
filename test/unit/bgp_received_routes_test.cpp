// What an UPDATE changes in a receiver's Adj-RIB-In (bgp/received_routes.hpp;
// issue #10's virtual switches): RFC 4271 §4.3 fields, RFC 4760 MP_REACH /
// MP_UNREACH, RFC 7911 path identifiers, §9.1.2.2 AS_PATH length.
#include <gtest/gtest.h>

#include "bgp/received_routes.hpp"

namespace porter::bgp {
namespace {

net::ip_address ip(const char* t) {
  return *net::parse_ip(t);
}
nlri route(const char* p, std::uint32_t id = 0) {
  return {id, *net::parse_prefix(p)};
}

path_attribute attr(attr_type t, attribute_value v) {
  return {attr_flag_transitive, static_cast<std::uint8_t>(t), std::move(v)};
}

as_path path(std::vector<as_segment> segs) {
  return {std::move(segs)};
}

TEST(ReceivedRoutes, Table) {
  const auto seq = as_segment_type::as_sequence;
  struct row {
    const char* name;
    update_message update;
    received_changes want;
  };
  const row rows[] = {
    {"RFC 4271 §4.3: IPv4 NLRI take NEXT_HOP; ADD-PATH ids kept (RFC 7911)",
     {{},
      {attr(attr_type::as_path, path({{seq, {65100}}})),
       attr(attr_type::next_hop, ip("10.0.0.11"))},
      {route("10.200.0.10/32", 1), route("10.200.0.10/32", 2)}},
     {{},
      {{route("10.200.0.10/32", 1), ip("10.0.0.11"), 1},
       {route("10.200.0.10/32", 2), ip("10.0.0.11"), 1}},
      std::nullopt}},
    {"withdrawn routes field",
     {{route("10.200.0.10/32", 2)}, {}, {}},
     {{route("10.200.0.10/32", 2)}, {}, std::nullopt}},
    {"RFC 4760 §3: IPv6 in MP_REACH with its own next hop",
     {{},
      {attr(attr_type::as_path, path({{seq, {65100, 65000}}})),
       attr(attr_type::mp_reach_nlri,
            mp_reach{
              ipv6_unicast, ip("fd00::11"), {}, {route("fd00:1::10/128", 7)}})},
      {}},
     {{}, {{route("fd00:1::10/128", 7), ip("fd00::11"), 2}}, std::nullopt}},
    {"RFC 4760 §4: MP_UNREACH withdraws",
     {{},
      {attr(attr_type::mp_unreach_nlri,
            mp_unreach{ipv6_unicast, {route("fd00:1::10/128", 7)}})},
      {}},
     {{route("fd00:1::10/128", 7)}, {}, std::nullopt}},
    {"IPv4 NLRI without NEXT_HOP: nothing to forward to, left out",
     {{}, {attr(attr_type::as_path, path({}))}, {route("10.200.0.10/32")}},
     {}},
    {"§9.1.2.2 a: an AS_SET counts as one",
     {{},
      {attr(attr_type::as_path,
            path({{seq, {1, 2}}, {as_segment_type::as_set, {3, 4, 5}}})),
       attr(attr_type::next_hop, ip("10.0.0.12"))},
      {route("10.200.0.11/32")}},
     {{}, {{route("10.200.0.11/32"), ip("10.0.0.12"), 3}}, std::nullopt}},
    {"End-of-RIB (RFC 4724 §2): an empty UPDATE changes nothing",
     {},
     {{}, {}, ipv4_unicast}},
    {"IPv6 End-of-RIB: an empty MP_UNREACH",
     {{}, {attr(attr_type::mp_unreach_nlri, mp_unreach{ipv6_unicast, {}})}, {}},
     {{}, {}, ipv6_unicast}},
  };
  for (const auto& r : rows) {
    auto got = changes_of(r.update);
    EXPECT_EQ(got.withdrawn, r.want.withdrawn) << r.name;
    EXPECT_EQ(got.announced, r.want.announced) << r.name;
    EXPECT_EQ(got.end_of_rib, r.want.end_of_rib) << r.name;
  }
}

TEST(ReceivedRoutes, TreatAsWithdrawWithdrawsEveryAnnouncement) {
  // RFC 7606 §2: the routes of an UPDATE with a malformed attribute are
  // withdrawn, whatever it announced.
  update_message u{
    {route("10.200.0.1/32")},
    {attr(attr_type::next_hop, ip("10.0.0.11")),
     attr(
       attr_type::mp_reach_nlri,
       mp_reach{ipv6_unicast, ip("fd00::11"), {}, {route("fd00:1::10/128")}})},
    {route("10.200.0.2/32", 3)}};
  auto got = changes_of(u, true);
  EXPECT_TRUE(got.announced.empty());
  EXPECT_EQ(got.withdrawn, (std::vector<nlri>{route("10.200.0.1/32"),
                                              route("10.200.0.2/32", 3),
                                              route("fd00:1::10/128")}));
}

} // namespace
} // namespace porter::bgp
