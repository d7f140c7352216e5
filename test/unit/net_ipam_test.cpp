// The pool ledger: OpenELB assignIPFromEip semantics (shared/reference/
// openelb.md §2.4) and Eip status.used / usage / occupied (§2.2). Each step
// or row names the rule it encodes.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "net/ipam.hpp"

namespace porter::net {
namespace {

ip_address ip(const char* s) {
  return parse_ip(s).value();
}

pool_ledger pool(const char* address) {
  return pool_ledger(parse_eip_address(address).value());
}

std::string any(pool_ledger& p, const std::string& owner) {
  auto r = p.allocate_any(owner);
  return r ? to_string(*r) : "error: " + r.error().message;
}

// One ledger operation and its expected outcome, applied in order.
enum class op { any, specific, share, restore, release };

struct step {
  const char* rule;
  op what;
  const char* owner;
  const char* addr; // input for specific/share/restore
  const char* want; // address, or nullptr for an error
  ipam_error_kind kind = ipam_error_kind::invalid;
};

void run(pool_ledger& p, const std::vector<step>& steps) {
  for (const auto& s : steps) {
    pool_ledger::result r = tl::unexpected(ipam_error{});
    switch (s.what) {
      case op::any:
        r = p.allocate_any(s.owner);
        break;
      case op::specific:
        r = p.allocate_specific(ip(s.addr), s.owner);
        break;
      case op::share:
        r = p.share(ip(s.addr), s.owner);
        break;
      case op::restore:
        r = p.restore(ip(s.addr), s.owner);
        break;
      case op::release: {
        auto freed = p.release(s.owner);
        EXPECT_EQ(freed ? to_string(*freed) : "none", s.want) << s.rule;
        continue;
      }
    }
    if (s.want == nullptr) {
      ASSERT_FALSE(r) << s.rule << ": got " << to_string(*r);
      EXPECT_EQ(r.error().kind, s.kind) << s.rule;
      EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << s.rule;
      continue;
    }
    ASSERT_TRUE(r) << s.rule << ": " << r.error().message;
    EXPECT_EQ(to_string(*r), s.want) << s.rule;
  }
}

constexpr auto exhausted = ipam_error_kind::exhausted;
constexpr auto not_in_pool = ipam_error_kind::not_in_pool;
constexpr auto conflict = ipam_error_kind::conflict;
constexpr auto invalid = ipam_error_kind::invalid;

TEST(PoolLedger, FirstFitTakeReleaseExhaust) {
  auto p = pool("10.0.0.0/30");
  run(
    p,
    {
      // §2.4: first fit from firstIP, network address of a CIDR included.
      {"first fit takes the network address", op::any, "ns/a", "", "10.0.0.0"},
      {"next lowest", op::any, "ns/b", "", "10.0.0.1"},
      // §2.4: an owner that already holds an IP in the pool gets it back.
      {"idempotent for the same owner", op::any, "ns/a", "", "10.0.0.0"},
      // §2.4 explicit IP: free → taken.
      {"specific free address", op::specific, "ns/c", "10.0.0.3", "10.0.0.3"},
      {"specific, same owner again", op::specific, "ns/c", "10.0.0.3",
       "10.0.0.3"},
      // porter (issue 7 item 4): taken → refused unless shared explicitly.
      {"specific taken", op::specific, "ns/d", "10.0.0.1", nullptr, conflict},
      // §2.4: offset outside the range is "beyond the range".
      {"specific outside", op::specific, "ns/d", "10.0.1.0", nullptr,
       not_in_pool},
      {"other family is outside", op::specific, "ns/d", "::1", nullptr,
       not_in_pool},
      // §2.4: one ingress IP per Service.
      {"owner holds another address", op::specific, "ns/a", "10.0.0.2", nullptr,
       conflict},
      {"fills the gap below a specific one", op::any, "ns/d", "", "10.0.0.2"},
      // §2.2 occupied: usage >= poolSize.
      {"exhausted", op::any, "ns/e", "", nullptr, exhausted},
      {"release returns the address", op::release, "ns/b", "", "10.0.0.1"},
      {"release unknown owner", op::release, "ns/zz", "", "none"},
      {"reallocate gets the lowest free", op::any, "ns/e", "", "10.0.0.1"},
      {"owner without namespace", op::any, "a", "", nullptr, invalid},
      {"owner with ';' (status.used separator)", op::any, "ns/a;ns/b", "",
       nullptr, invalid},
    });
  EXPECT_EQ(p.used_count(), 4U);
  EXPECT_EQ(p.free_count(), 0U);
  EXPECT_TRUE(p.occupied());
}

TEST(PoolLedger, ReleaseBelowTheLowWaterMarkIsReusedFirst) {
  auto p = pool("192.168.0.1-192.168.0.100");
  for (int i = 0; i < 10; ++i)
    any(p, "ns/s" + std::to_string(i));
  p.release("ns/s7");
  p.release("ns/s2");
  EXPECT_EQ(any(p, "ns/new1"), "192.168.0.3");
  EXPECT_EQ(any(p, "ns/new2"), "192.168.0.8");
  EXPECT_EQ(any(p, "ns/new3"), "192.168.0.11");
}

TEST(PoolLedger, ShareAddsOwnersOnlyWhenAskedAndFreesWithTheLast) {
  auto p = pool("10.0.0.0/24");
  run(p,
      {
        {"first owner", op::any, "ns/a", "", "10.0.0.0"},
        // porter: sharing is explicit; the caller checked the sharing key.
        {"share a taken address", op::share, "ns/b", "10.0.0.0", "10.0.0.0"},
        {"share outside", op::share, "ns/c", "10.0.1.0", nullptr, not_in_pool},
        {"share while holding another", op::share, "ns/a", "10.0.0.5", nullptr,
         conflict},
      });
  EXPECT_EQ(p.owners_of(ip("10.0.0.0")),
            (std::vector<std::string>{"ns/a", "ns/b"}));
  // §2.2 usage counts distinct addresses.
  EXPECT_EQ(p.used_count(), 1U);
  EXPECT_EQ(p.used().at(ip("10.0.0.0")), "ns/a;ns/b");
  EXPECT_EQ(p.release("ns/a"), ip("10.0.0.0"));
  EXPECT_EQ(p.used_count(), 1U) << "still held by ns/b";
  EXPECT_EQ(any(p, "ns/c"), "10.0.0.1");
  p.release("ns/b");
  EXPECT_TRUE(p.owners_of(ip("10.0.0.0")).empty());
  EXPECT_EQ(any(p, "ns/d"), "10.0.0.0");
}

TEST(PoolLedger, RestoreRebuildsStatusUsedExactly) {
  // §2.2: status.used is the source of truth; a new leader rebuilds it
  // (issue 7 item 5) before allocating anything.
  std::map<std::string, std::string> status{
    {"10.0.0.9", "ns/x;ns/y"}, {"10.0.0.0", "ns/a"}, {"10.0.0.2", "ns/b"}};
  auto p = pool("10.0.0.0/28");
  for (const auto& [addr, value] : status)
    for (const auto& owner : split_owners(value))
      ASSERT_TRUE(p.restore(ip(addr.c_str()), owner));
  std::map<std::string, std::string> back;
  for (const auto& [addr, value] : p.used())
    back.emplace(to_string(addr), value);
  EXPECT_EQ(back, status);
  EXPECT_EQ(p.address_of("ns/y"), ip("10.0.0.9"));
  EXPECT_EQ(any(p, "ns/new"), "10.0.0.1");
  run(p, {
           {"restore outside the range", op::restore, "ns/q", "10.0.1.1",
            nullptr, not_in_pool},
           {"restore a second address", op::restore, "ns/a", "10.0.0.5",
            nullptr, conflict},
           {"restore twice is idempotent", op::restore, "ns/a", "10.0.0.0",
            "10.0.0.0"},
         });
}

TEST(PoolLedger, SplitOwnersSkipsEmptyParts) {
  EXPECT_EQ(split_owners("ns/a;;ns/b;"),
            (std::vector<std::string>{"ns/a", "ns/b"}));
  EXPECT_TRUE(split_owners("").empty());
}

TEST(PoolLedger, SameRequestsGiveTheSameAddressesEveryRun) {
  // issue 7 item 5: allocation order is deterministic.
  auto play = [] {
    auto p = pool("2001:db8::/120");
    std::vector<std::string> got;
    for (int i = 0; i < 50; ++i)
      got.push_back(any(p, "ns/s" + std::to_string(i)));
    for (int i = 0; i < 50; i += 3)
      p.release("ns/s" + std::to_string(i));
    for (int i = 0; i < 20; ++i)
      got.push_back(any(p, "ns/t" + std::to_string(i)));
    return got;
  };
  EXPECT_EQ(play(), play());
}

TEST(PoolLedger, SlashSixteenAllocatesEveryAddressThenIsExhausted) {
  auto p = pool("10.1.0.0/16");
  ASSERT_EQ(p.size(), 65536U);
  for (std::uint32_t i = 0; i < 65536; ++i) {
    auto r = p.allocate_any("ns/s" + std::to_string(i));
    ASSERT_TRUE(r) << i << ": " << r.error().message;
    ASSERT_EQ(r->v4_host_order(), 0x0a010000U + i);
  }
  EXPECT_EQ(p.allocate_any("ns/late").error().kind, exhausted);
  EXPECT_TRUE(p.occupied());
  p.release("ns/s40000");
  EXPECT_EQ(any(p, "ns/late"), "10.1.156.64");
}

TEST(PoolLedger, HugeIpv6PoolStoresOnlyAllocations) {
  // §2.4 IPv6 pools; a /64 must not be materialised.
  auto p = pool("2001:db8::/64");
  EXPECT_EQ(any(p, "ns/a"), "2001:db8::");
  EXPECT_EQ(any(p, "ns/b"), "2001:db8::1");
  run(p, {
           {"last address of the /64", op::specific, "ns/c",
            "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::ffff:ffff:ffff:ffff"},
         });
  EXPECT_EQ(p.used_count(), 3U);
  EXPECT_FALSE(p.occupied());
}

TEST(PoolLedger, PoolEndingAtTheFamilyMaximumExhaustsCleanly) {
  auto p = pool("255.255.255.254/31");
  EXPECT_EQ(any(p, "ns/a"), "255.255.255.254");
  EXPECT_EQ(any(p, "ns/b"), "255.255.255.255");
  EXPECT_EQ(p.allocate_any("ns/c").error().kind, exhausted);
  p.release("ns/b");
  EXPECT_EQ(any(p, "ns/c"), "255.255.255.255");
}

TEST(PoolLedger, SingleAddressPool) {
  // §2.2: a single IP is a pool of size 1.
  auto p = pool("10.0.0.7");
  EXPECT_EQ(any(p, "ns/a"), "10.0.0.7");
  auto e = p.allocate_any("ns/b").error();
  EXPECT_EQ(e.kind, exhausted);
  EXPECT_EQ(e.message, "pool 10.0.0.7 is exhausted (1 of 1 addresses in use)");
}

} // namespace
} // namespace porter::net
