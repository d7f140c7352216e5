// Adj-RIB-Out straight to the wire: write_updates must produce, byte for
// byte, what encode_message writes for the messages of pending_updates —
// IPv4 NLRI and withdrawn routes (RFC 4271 §4.3), IPv6 in MP_REACH_NLRI /
// MP_UNREACH_NLRI with attributes after them (RFC 4760, RFC 6793 AS4_PATH,
// RFC 8092), path ids (RFC 7911 §3), extended messages (RFC 8654).
#include <cstdint>
#include <string>
#include <vector>

#include "test/unit/bgp_rib_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/adj_rib_out.hpp"
#include "bgp/codec.hpp"

namespace porter::bgp::test {
namespace {

/// Prefixes `first`.. of host_prefixes via `hops`, v4 and v6 alike.
void add_hosts(desired_routes_builder& b, std::size_t first, std::size_t count,
               const std::vector<const char*>& hops,
               const route_attributes& attrs = {}) {
  std::vector<net::ip_address> addresses;
  for (const auto* hop : hops) {
    addresses.push_back(ip(hop));
  }
  auto set = b.intern(addresses, attrs);
  for (bool v6 : {false, true}) {
    auto prefixes = host_prefixes(first + count, v6);
    for (auto i = first; i < prefixes.size(); ++i) {
      b.add(prefixes[i], set);
    }
  }
}

struct scenario {
  const char* name;
  peer_context ctx;
  std::size_t max_size;
};

std::vector<scenario> scenarios() {
  auto ebgp_2_octet = ibgp_peer(false);
  ebgp_2_octet.ibgp = false;
  ebgp_2_octet.four_octet_as = false;
  ebgp_2_octet.local_as = 4200000000u; // AS_TRANS + AS4_PATH
  return {
    {"iBGP, ADD-PATH", ibgp_peer(true), max_message_size},
    {"iBGP, no ADD-PATH", ibgp_peer(false), max_message_size},
    {"eBGP, 2-octet AS", ebgp_2_octet, max_message_size},
    {"RFC 8654", ibgp_peer(true), max_extended_message_size},
  };
}

/// A sequence of tables that exercises every UPDATE layout.
std::vector<desired_routes> tables() {
  route_attributes tagged;
  tagged.med = 7;
  tagged.communities = {1, 2};
  tagged.large_communities = {{64512, 1, 2}};
  std::vector<desired_routes> out;
  desired_routes_builder b;
  add_hosts(b, 0, 3000, {"10.1.0.1", "10.1.0.2", "2001:db8:1::1"});
  add_hosts(b, 3000, 500, {"10.1.0.3", "2001:db8:1::3"}, tagged);
  b.set_link_local(ip("2001:db8:1::1"), ip("fe80::1"));
  out.push_back(b.finish());
  // A node swap (withdrawals ride with announcements), fewer routes.
  desired_routes_builder swap;
  add_hosts(swap, 100, 2000, {"10.1.0.1", "10.1.0.4", "2001:db8:1::4"});
  out.push_back(swap.finish());
  out.emplace_back(); // withdraw everything
  return out;
}

TEST(BgpAdjRibOutWire, WrittenBytesAreWhatTheCodecEncodes) {
  for (const auto& s : scenarios()) {
    adj_rib_out as_messages(s.ctx);
    adj_rib_out as_bytes(s.ctx);
    auto opts = wire(s.ctx, s.max_size > max_message_size);
    int step = 0;
    for (const auto& table : tables()) {
      as_messages.set_desired(table);
      as_bytes.set_desired(table);
      bytes expected;
      auto messages = as_messages.pending_updates(s.max_size);
      for (const auto& u : messages) {
        auto one = encode_message(message{u}, opts);
        EXPECT_EQ(one.size(), update_size(u, s.ctx)) << s.name;
        expected.insert(expected.end(), one.begin(), one.end());
      }
      bytes written{1, 2, 3}; // appended to, never overwritten
      auto count = as_bytes.write_updates(s.max_size, opts, written);
      EXPECT_EQ(count, messages.size()) << s.name << " step " << step;
      expected.insert(expected.begin(), {1, 2, 3});
      EXPECT_TRUE(written == expected) << s.name << " step " << step;
      EXPECT_EQ(as_bytes.advertised(), as_messages.advertised()) << s.name;
      EXPECT_FALSE(messages.empty()) << s.name << " step " << step;
      if (step == 1 && s.ctx.add_path_v4) {
        // The swap's withdrawals ride in the spare room of announcements.
        bool rides = false;
        for (const auto& u : messages) {
          rides = rides || (!u.withdrawn.empty() && !u.announced.empty());
        }
        EXPECT_TRUE(rides) << s.name;
      }
      ++step;
    }
  }
}

TEST(BgpAdjRibOutWire, SharedSnapshotIsNotCopied) {
  desired_routes_builder b;
  add_hosts(b, 0, 10, {"10.1.0.1"});
  auto snapshot = std::make_shared<const desired_routes>(b.finish());
  adj_rib_out one(ibgp_peer(true));
  adj_rib_out two(ibgp_peer(false));
  one.set_desired(snapshot);
  two.set_desired(snapshot);
  EXPECT_EQ(snapshot.use_count(), 3);
  bytes out;
  EXPECT_EQ(
    one.write_updates(max_message_size, wire(one.context(), false), out), 1u);
  EXPECT_EQ(one.advertised_paths(), 10u);
  EXPECT_EQ(two.desired().size(), 10u);
  one.set_desired(nullptr);
  EXPECT_EQ(snapshot.use_count(), 2);
  out.clear();
  EXPECT_EQ(
    one.write_updates(max_message_size, wire(one.context(), false), out),
    1u); // one withdraw-only UPDATE
  EXPECT_EQ(one.advertised_paths(), 0u);
}

} // namespace
} // namespace porter::bgp::test
