// The desired table: one entry per prefix, sorted (binary search), next hop
// sets and attributes interned so that a million routes via the same nodes
// share one path set; edits of an existing table (the last word on a prefix
// wins) and attribute normalization (RFC 1997, RFC 8092 §5: order and
// duplicates carry no meaning).
#include <cstdint>
#include <vector>

#include "test/unit/bgp_rib_test_helpers.hpp"
#include <gtest/gtest.h>

#include "bgp/desired_routes.hpp"

namespace porter::bgp::test {
namespace {

std::vector<std::string> hops_of(const desired_routes& d, const char* p) {
  std::vector<std::string> out;
  const auto* e = d.find(pfx(p));
  if (e == nullptr) {
    return out;
  }
  for (const auto& hop : d.next_hops(e->path_set)) {
    out.push_back(net::to_string(hop));
  }
  return out;
}

TEST(BgpDesiredRoutes, EntriesAreSortedAndTheLastWordWins) {
  desired_routes_builder b;
  b.add(pfx("10.0.0.3/32"), {ip("10.1.0.1")});
  b.add(pfx("10.0.0.1/32"), {ip("10.1.0.2"), ip("10.1.0.1"), ip("10.1.0.2")});
  b.add(pfx("10.0.0.2/32"), {ip("10.1.0.1")});
  b.add(pfx("10.0.0.3/32"), {ip("10.1.0.9")});
  b.remove(pfx("10.0.0.2/32"));
  auto d = b.finish();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.entries()[0].prefix, pfx("10.0.0.1/32"));
  EXPECT_EQ(d.entries()[1].prefix, pfx("10.0.0.3/32"));
  // Next hops are a set: ascending, distinct.
  EXPECT_EQ(hops_of(d, "10.0.0.1/32"),
            (std::vector<std::string>{"10.1.0.1", "10.1.0.2"}));
  EXPECT_EQ(hops_of(d, "10.0.0.3/32"), std::vector<std::string>{"10.1.0.9"});
  EXPECT_EQ(d.find(pfx("10.0.0.2/32")), nullptr);
  EXPECT_TRUE(b.finish().empty()); // the builder starts over
}

TEST(BgpDesiredRoutes, RoutesViaTheSameNodesShareOnePathSet) {
  desired_routes_builder b;
  auto nodes = b.intern({ip("10.1.0.2"), ip("10.1.0.1")});
  EXPECT_EQ(b.intern({ip("10.1.0.1"), ip("10.1.0.2")}), nodes);
  for (const auto& p : host_prefixes(1000)) {
    b.add(p, nodes);
  }
  route_attributes a;
  a.communities = {2, 1, 2};
  b.add(pfx("10.9.0.0/24"), {ip("10.1.0.1"), ip("10.1.0.2")}, a);
  auto d = b.finish();
  EXPECT_EQ(d.size(), 1001u);
  ASSERT_EQ(d.path_sets().size(), 2u);
  // RFC 1997: communities are a set.
  const auto* e = d.find(pfx("10.9.0.0/24"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(d.attributes(e->path_set).communities,
            (std::vector<std::uint32_t>{1, 2}));
}

TEST(BgpDesiredRoutes, EditsKeepTheBaseAndDropUnusedPathSets) {
  desired_routes_builder first;
  first.add(pfx("10.0.0.1/32"), {ip("10.1.0.1")});
  first.add(pfx("10.0.0.2/32"), {ip("10.1.0.2")});
  first.set_link_local(ip("2001:db8::1"), ip("fe80::1"));
  const auto base = first.finish();
  desired_routes_builder edit(base);
  edit.add(pfx("10.0.0.0/32"), {ip("10.1.0.1")});
  edit.add(pfx("10.0.0.2/32"), {ip("10.1.0.1")});
  auto d = edit.finish();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.entries()[0].prefix, pfx("10.0.0.0/32"));
  EXPECT_EQ(hops_of(d, "10.0.0.2/32"), std::vector<std::string>{"10.1.0.1"});
  // Nobody goes via 10.1.0.2 any more: its path set is gone.
  EXPECT_EQ(d.path_sets().size(), 1u);
  EXPECT_EQ(d.link_local().at(ip("2001:db8::1")), ip("fe80::1"));
  // The base is a snapshot: untouched.
  EXPECT_EQ(hops_of(base, "10.0.0.2/32"), std::vector<std::string>{"10.1.0.2"});
  desired_routes_builder none(d);
  none.clear();
  none.add(pfx("10.0.0.7/32"), {ip("10.1.0.7")});
  EXPECT_EQ(none.finish().size(), 1u);
}

TEST(BgpDesiredRoutes, AnEntryIsTwentyFourBytes) {
  // The bound on memory per route (issue #4) starts here.
  EXPECT_LE(sizeof(desired_routes::entry), 24u);
  EXPECT_LE(sizeof(adj_rib_out::entry), 28u);
}

} // namespace
} // namespace porter::bgp::test
