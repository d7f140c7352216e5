// ADD-PATH path ids (RFC 7911 §3): FNV-1a 32 of the next hop's bytes, 0
// avoided, collisions among one prefix's next hops probed +1 by address.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bgp/path_id.hpp"

namespace porter::bgp {
namespace {

net::ip_address ip(const char* text) {
  return net::parse_ip(text).value();
}

TEST(BgpPathId, Fnv1aMatchesPublishedVectors) {
  struct row {
    std::string input;
    std::uint32_t hash;
  };
  // Test vectors of the FNV reference (draft-eastlake-fnv).
  const std::vector<row> rows = {
    {"", 0x811c9dc5u},
    {"a", 0xe40c292cu},
    {"foobar", 0xbf9cf968u},
  };
  for (const auto& r : rows) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(r.input.data());
    EXPECT_EQ(fnv1a_32(data, r.input.size()), r.hash) << '"' << r.input << '"';
  }
}

TEST(BgpPathId, HashCoversTheAddressBytesInNetworkOrder) {
  EXPECT_EQ(path_id_hash(ip("10.0.0.1")), 0x6c506a2cu);
  EXPECT_EQ(path_id_hash(ip("10.0.0.2")), 0x6f506ee5u);
  // IPv6: all 16 bytes.
  EXPECT_EQ(path_id_hash(ip("2001:db8::1")), 0x6e5b04f4u);
}

TEST(BgpPathId, ResolveRules) {
  struct row {
    const char* rule;
    std::vector<std::uint32_t> preferred; // in ascending address order
    std::vector<std::uint32_t> ids;
  };
  const std::vector<row> rows = {
    {"distinct hashes are kept", {7, 3, 9}, {7, 3, 9}},
    {"id 0 is avoided: it becomes 1", {0}, {1}},
    {"a collision moves the higher address by +1", {5, 5}, {5, 6}},
    {"probing skips ids already taken", {5, 5, 6}, {5, 6, 7}},
    {"an earlier probe can displace a later address",
     {5, 5, 6, 6},
     {5, 6, 7, 8}},
    {"probing wraps past 0xffffffff to 1, never 0",
     {0xffffffffu, 0xffffffffu},
     {0xffffffffu, 1}},
    {"0 mapped to 1 collides like any other id", {1, 0}, {1, 2}},
    {"empty", {}, {}},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(resolve_path_ids(r.preferred), r.ids) << r.rule;
  }
}

TEST(BgpPathId, RealCollisionIsResolvedInAddressOrder) {
  // Two IPv4 addresses with the same FNV-1a 32 hash.
  auto low = ip("10.222.143.40");
  auto high = ip("20.112.0.1");
  ASSERT_EQ(path_id_hash(low), 0x9197591eu);
  ASSERT_EQ(path_id_hash(high), 0x9197591eu);
  auto both = assign_path_ids({high, low, ip("10.0.0.1")});
  ASSERT_EQ(both.size(), 3u);
  EXPECT_EQ(both[0].first, ip("10.0.0.1"));
  EXPECT_EQ(both[0].second, 0x6c506a2cu);
  EXPECT_EQ(both[1].first, low);
  EXPECT_EQ(both[1].second, 0x9197591eu);
  EXPECT_EQ(both[2].first, high);
  EXPECT_EQ(both[2].second, 0x9197591fu);
  // Without the lower address the higher one gets its own hash back.
  auto alone = assign_path_ids({high});
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].second, 0x9197591eu);
}

TEST(BgpPathId, AddressHashingToZeroGetsIdOne) {
  auto hop = ip("204.36.49.196");
  ASSERT_EQ(path_id_hash(hop), 0u);
  auto ids = assign_path_ids({hop});
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].second, 1u);
}

TEST(BgpPathId, IdDependsOnlyOnTheNextHop) {
  auto a = ip("10.0.0.1");
  auto alone = assign_path_ids({a});
  auto crowded = assign_path_ids({ip("10.0.0.3"), a, ip("10.9.9.9")});
  ASSERT_EQ(alone.size(), 1u);
  ASSERT_EQ(crowded.size(), 3u);
  EXPECT_EQ(crowded[0].first, a);
  EXPECT_EQ(crowded[0].second, alone[0].second);
}

} // namespace
} // namespace porter::bgp
