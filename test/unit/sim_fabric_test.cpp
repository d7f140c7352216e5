// The virtual fabric's pure core (sim/fabric; issue #10 items 1 and 2): a
// switch's RIB and ECMP forwarding table (RFC 4271 §9.1.2.2 a, RFC 7911
// paths), longest-prefix lookup (RFC 1812 §5.2.4.3), flow hashing, and a
// probe's way spine → leaf → node.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "sim/fabric/data_plane.hpp"

namespace porter::sim {
namespace {

net::ip_address ip(const char* t) {
  return *net::parse_ip(t);
}
net::prefix pfx(const char* t) {
  return *net::parse_prefix(t);
}

bgp::received_changes announce(const char* prefix, std::uint32_t id,
                               const char* hop, std::uint32_t length = 1) {
  return {{}, {{{id, pfx(prefix)}, ip(hop), length}}, std::nullopt};
}
bgp::received_changes withdraw(const char* prefix, std::uint32_t id) {
  return {{{id, pfx(prefix)}}, {}, std::nullopt};
}

TEST(SwitchRib, AddPathsBecomeTheEcmpSet) {
  switch_rib rib;
  // RFC 7911: one session, one path per node.
  rib.apply("m1", announce("10.200.0.10/32", 1, "10.0.0.12"));
  rib.apply("m1", announce("10.200.0.10/32", 2, "10.0.0.11"));
  rib.apply("m1", announce("10.200.0.11/32", 1, "10.0.0.13"));
  EXPECT_EQ(rib.paths(), 3U);
  auto fib = rib.forwarding();
  EXPECT_EQ(fib[pfx("10.200.0.10/32")],
            (std::vector<net::ip_address>{ip("10.0.0.11"), ip("10.0.0.12")}));
  // The same next hop from a second session counts once.
  rib.apply("m2", announce("10.200.0.10/32", 1, "10.0.0.11"));
  EXPECT_EQ(rib.forwarding()[pfx("10.200.0.10/32")].size(), 2U);
  // Withdraw one path; an implicit withdraw replaces a path's next hop.
  rib.apply("m1", withdraw("10.200.0.10/32", 1));
  rib.apply("m1", announce("10.200.0.11/32", 1, "10.0.0.14"));
  fib = rib.forwarding();
  EXPECT_EQ(fib[pfx("10.200.0.10/32")],
            (std::vector<net::ip_address>{ip("10.0.0.11")}));
  EXPECT_EQ(fib[pfx("10.200.0.11/32")],
            (std::vector<net::ip_address>{ip("10.0.0.14")}));
  // A session that goes down takes its paths along.
  rib.drop_session("m1");
  fib = rib.forwarding();
  EXPECT_EQ(fib.count(pfx("10.200.0.11/32")), 0U);
  EXPECT_EQ(fib[pfx("10.200.0.10/32")],
            (std::vector<net::ip_address>{ip("10.0.0.11")})); // m2's
}

TEST(SwitchRib, StalePathsForwardUntilEndOfRibOrTimeout) {
  // RFC 4724 §4.2: the leader's session drops without a NOTIFICATION; its
  // paths keep forwarding while the next leader's arrive.
  switch_rib rib;
  rib.apply("m1#1", announce("10.200.0.10/32", 1, "10.0.0.11"));
  rib.apply("m1#1", announce("10.200.0.10/32", 2, "10.0.0.12"));
  rib.keep_stale("m1#1", 0x0a00000b);
  EXPECT_EQ(rib.paths(), 0U);
  EXPECT_EQ(rib.stale_paths(), 2U);
  EXPECT_EQ(rib.forwarding()[pfx("10.200.0.10/32")].size(), 2U);
  rib.apply("m2#1", announce("10.200.0.10/32", 7, "10.0.0.12"));
  EXPECT_EQ(rib.forwarding()[pfx("10.200.0.10/32")].size(), 2U);
  // The restarted peer's End-of-RIB (or its restart time) ends them.
  rib.drop_stale(0x0a00000b);
  EXPECT_EQ(rib.stale_paths(), 0U);
  EXPECT_EQ(rib.forwarding()[pfx("10.200.0.10/32")],
            (std::vector<net::ip_address>{ip("10.0.0.12")}));
  rib.keep_stale("no-such-session", 1); // harmless
  EXPECT_EQ(rib.stale_paths(), 0U);
}

TEST(SwitchRib, WhichSessionEndsKeepThePaths) {
  // RFC 4724 §4.2: TCP gone → retain (if the peer advertised GR); any
  // NOTIFICATION or our own stop → delete.
  struct row {
    const char* why;
    bool gr;
    bool keep;
  };
  const row rows[] = {
    {"connection_lost: closed by peer", true, true},
    {"connection_lost: closed by peer", false, false},
    {"notification_received: Cease (6) / Administrative Shutdown (2)", true,
     false},
    {"notification_sent: Hold Timer Expired (4)", true, false},
    {"manual_stop: Cease (6)", true, false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(keeps_paths_when_down(r.why, r.gr), r.keep) << r.why << r.gr;
}

TEST(SwitchRib, ShortestAsPathWinsLongerOnesAreNotEcmp) {
  // RFC 4271 §9.1.2.2 a: only paths of the shortest AS_PATH are best.
  switch_rib rib;
  rib.apply("a", announce("10.200.0.10/32", 0, "10.0.0.11", 2));
  rib.apply("b", announce("10.200.0.10/32", 0, "10.0.0.12", 1));
  rib.apply("c", announce("10.200.0.10/32", 0, "10.0.0.13", 1));
  EXPECT_EQ(rib.forwarding()[pfx("10.200.0.10/32")],
            (std::vector<net::ip_address>{ip("10.0.0.12"), ip("10.0.0.13")}));
}

TEST(SwitchRib, LongestPrefixMatch) {
  forwarding_table fib{{pfx("10.200.0.0/16"), {ip("10.0.0.1")}},
                       {pfx("10.200.0.10/32"), {ip("10.0.0.2")}},
                       {pfx("fd00::/64"), {ip("fd00::1")}}};
  EXPECT_EQ(lookup(fib, ip("10.200.0.10")),
            std::vector<net::ip_address>{ip("10.0.0.2")});
  EXPECT_EQ(lookup(fib, ip("10.200.9.9")),
            std::vector<net::ip_address>{ip("10.0.0.1")});
  EXPECT_EQ(lookup(fib, ip("fd00::5")),
            std::vector<net::ip_address>{ip("fd00::1")});
  EXPECT_TRUE(lookup(fib, ip("192.0.2.1")).empty());
}

TEST(Ecmp, OneFlowOnePathAndFlowsSpread) {
  five_tuple f{ip("198.51.100.7"), ip("10.200.0.10"), 40000, 80, 6};
  EXPECT_EQ(pick_next_hop(f, 3, 1), pick_next_hop(f, 3, 1));
  std::map<std::size_t, int> count;
  for (std::uint16_t port = 1; port <= 3000; ++port) {
    f.src_port = port;
    ++count[pick_next_hop(f, 3, 1)];
  }
  ASSERT_EQ(count.size(), 3U);
  for (const auto& [hop, n] : count)
    EXPECT_GT(n, 800) << "next hop " << hop; // of 1,000 on average
  // Another switch's seed picks independently (no polarisation): among
  // the flows one switch sends to hop 0, the other spreads over all three.
  std::set<std::size_t> second;
  for (std::uint16_t port = 1; port <= 300; ++port) {
    f.src_port = port;
    if (pick_next_hop(f, 3, 1) == 0)
      second.insert(pick_next_hop(f, 3, 2));
  }
  EXPECT_EQ(second.size(), 3U);
}

fabric_state two_leaves() {
  fabric_state s;
  s.spine = {{pfx("10.200.0.10/32"), {ip("10.255.0.1"), ip("10.255.0.2")}}};
  s.spine_seed = 7;
  s.leaves = {{"leaf-a",
               ip("10.255.0.1"),
               {{pfx("10.200.0.10/32"), {ip("10.0.0.11"), ip("10.0.0.12")}}},
               11},
              {"leaf-b",
               ip("10.255.0.2"),
               {{pfx("10.200.0.10/32"), {ip("10.0.0.11"), ip("10.0.0.12")}}},
               13}};
  return s;
}

TEST(DataPlane, ProbesReachNodesThatAcceptOnly) {
  auto fabric = two_leaves();
  auto all_accept = [](const net::ip_address&, const net::ip_address&) {
    return std::string{};
  };
  std::set<std::string> leaves, nodes;
  five_tuple f{ip("198.51.100.7"), ip("10.200.0.10"), 0, 80, 6};
  for (std::uint16_t port = 1; port <= 200; ++port) {
    f.src_port = port;
    auto r = send_probe(f, fabric, all_accept);
    ASSERT_TRUE(r.delivered) << r.lost;
    leaves.insert(r.leaf);
    nodes.insert(net::to_string(r.node));
  }
  EXPECT_EQ(leaves.size(), 2U) << "the spine spreads over both leaves";
  EXPECT_EQ(nodes.size(), 2U) << "the leaves spread over both nodes";

  // Node .12 has no rule: its share is lost, with the reason.
  auto no_rule_on_12 = [](const net::ip_address& n, const net::ip_address&) {
    return n == ip("10.0.0.12") ? std::string{"no rule for the EIP"}
                                : std::string{};
  };
  int lost = 0;
  for (std::uint16_t port = 1; port <= 200; ++port) {
    f.src_port = port;
    auto r = send_probe(f, fabric, no_rule_on_12);
    if (!r.delivered) {
      ++lost;
      EXPECT_EQ(r.lost, "node 10.0.0.12: no rule for the EIP");
    }
  }
  EXPECT_GT(lost, 50);
  EXPECT_LT(lost, 150);

  f.dst = ip("10.200.0.99");
  EXPECT_EQ(send_probe(f, fabric, all_accept).lost,
            "spine: no route to 10.200.0.99");
  fabric.leaves[0].fib.clear();
  fabric.leaves[1].fib.clear();
  f.dst = ip("10.200.0.10");
  auto r = send_probe(f, fabric, all_accept);
  EXPECT_FALSE(r.delivered);
  EXPECT_NE(r.lost.find(": no route to 10.200.0.10"), std::string::npos);
}

} // namespace
} // namespace porter::sim
