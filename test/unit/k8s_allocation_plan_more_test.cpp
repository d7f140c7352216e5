// The allocation planner, continued: pool validity and conditions, sharing,
// dual-stack and determinism (issue #7 items 3-5; openelb.md §2.2, §2.4,
// §2.8).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "k8s_allocation_plan_helpers.hpp"
#include <gtest/gtest.h>

namespace porter::k8s {
namespace {

using namespace test_world;

const pool_condition& cond(const pool_plan& p, std::string_view type) {
  auto it
    = std::find_if(p.conditions.begin(), p.conditions.end(),
                   [&](const pool_condition& c) { return c.type == type; });
  EXPECT_NE(it, p.conditions.end()) << type;
  return *it;
}

// ---- pool validity ----------------------------------------------------------

TEST(AllocationPlanPools, InvalidAddressIsReportedAndOthersUnaffected) {
  // Issue #7 item 3: "Invalid with the reason"; "other pools are
  // unaffected".
  allocation_world w;
  w.eips = {pool("bad", "10.0.0.9-10.0.0.1", true),
            pool("good", "10.0.1.0/30", false)};
  w.eips[1].spec.namespaces = {"ns"};
  w.services = {svc("ns", "a", 1)};
  auto plan = plan_allocations(w);
  const pool_plan* bad = find_pool(plan, "bad");
  EXPECT_FALSE(bad->valid);
  EXPECT_TRUE(bad->frozen);
  EXPECT_EQ(cond(*bad, "Invalid").status, condition_status::is_true);
  EXPECT_FALSE(cond(*bad, "Invalid").message.empty());
  EXPECT_EQ(cond(*bad, "Ready").status, condition_status::is_false);
  const pool_plan* good = find_pool(plan, "good");
  EXPECT_TRUE(good->valid);
  EXPECT_EQ(cond(*good, "Ready").status, condition_status::is_true);
  EXPECT_EQ(cond(*good, "Invalid").status, condition_status::is_false);
  EXPECT_EQ(cond(*good, "Overlap").status, condition_status::is_false);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.1.0");
}

TEST(AllocationPlanPools, OverlapNamesTheOtherPoolAndTheYoungerYields) {
  // Issue #7 item 3: "Overlap naming the other pool"; openelb.md §2.8
  // IsOverlap; "other pools are unaffected": the older pool (a, created
  // first) keeps allocating, the younger (b) allocates nothing new.
  // Existing holders keep their IPs (item 5, plan_allocations rule 2).
  allocation_world w;
  w.eips
    = {pool("a", "10.0.0.0/29", true), pool("b", "10.0.0.4-10.0.0.20", false),
       pool("c", "10.0.2.0/30", false)};
  w.eips[2].spec.namespaces = {"ns"};
  w.services = {svc("ns", "holder", 1), svc("ns", "fresh", 2),
                svc("ns", "older-pool", 3)};
  w.services[0].metadata.annotations
    = {{std::string(eip_pool_annotation), "a"}};
  w.services[0].status.ingress = {{"10.0.0.2", {}, {}, ip_mode::vip}};
  w.services[1].metadata.annotations
    = {{std::string(eip_pool_annotation), "b"}};
  w.services[2].metadata.annotations
    = {{std::string(eip_pool_annotation), "a"}};
  w.eips[0].metadata.creation_timestamp = "2026-01-01T00:00:00Z";
  w.eips[1].metadata.creation_timestamp = "2026-02-01T00:00:00Z";
  auto plan = plan_allocations(w);
  const pool_plan* a = find_pool(plan, "a");
  const pool_plan* b = find_pool(plan, "b");
  EXPECT_EQ(cond(*a, "Ready").status, condition_status::is_true);
  EXPECT_EQ(cond(*b, "Ready").status, condition_status::is_false);
  EXPECT_EQ(cond(*b, "Ready").reason, "AddressOverlap");
  EXPECT_EQ(cond(*a, "Overlap").status, condition_status::is_true);
  EXPECT_NE(cond(*a, "Overlap").message.find("b"), std::string::npos);
  EXPECT_NE(cond(*find_pool(plan, "b"), "Overlap").message.find("a"),
            std::string::npos);
  EXPECT_EQ(cond(*find_pool(plan, "c"), "Overlap").status,
            condition_status::is_false);
  EXPECT_EQ(ips_of(plan, "ns", "holder"), "10.0.0.2");
  EXPECT_EQ(ips_of(plan, "ns", "older-pool"), "10.0.0.0");
  EXPECT_EQ(used_of(*a), "10.0.0.0=ns/older-pool 10.0.0.2=ns/holder");
  const service_plan* fresh = find_service(plan, "ns", "fresh");
  ASSERT_TRUE(fresh->failure);
  EXPECT_EQ(fresh->failure->kind, failure_kind::pool_unusable);
}

TEST(AllocationPlanPools, BrokenAddressEditKeepsHoldersFromLastKnownRange) {
  // Issue #7 items 3 and 5: a pool edited into garbage allocates nothing
  // new, but its holders keep their IPs (status.firstIP/lastIP).
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true)};
  w.services = {svc("ns", "a", 1)};
  apply(plan_allocations(w), w);
  w.eips[0].spec.address = "10.0.0.0/99";
  w.services.push_back(svc("ns", "b", 2));
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.0");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "");
  EXPECT_EQ(find_service(plan, "ns", "b")->failure->kind,
            failure_kind::no_pool);
  const pool_plan* p = find_pool(plan, "p");
  EXPECT_EQ(p->status.first_ip, "10.0.0.0");
  EXPECT_EQ(p->status.usage, 1);
  EXPECT_EQ(cond(*p, "Invalid").status, condition_status::is_true);
}

TEST(AllocationPlanPools, DisabledPoolKeepsHoldersAndAllocatesNothingNew) {
  // openelb.md §2.2 `disable`: "No new allocations from this pool".
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true)};
  w.services = {svc("ns", "a", 1)};
  apply(plan_allocations(w), w);
  w.eips[0].spec.disable = true;
  w.services.push_back(svc("ns", "b", 2));
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.0");
  EXPECT_TRUE(find_service(plan, "ns", "b")->failure);
  EXPECT_EQ(cond(*find_pool(plan, "p"), "Ready").reason, "Disabled");
}

TEST(AllocationPlanPools, DeletedPoolReallocatesItsServices) {
  // openelb.md §2.4: on Eip deletion its Services re-allocate from another
  // pool.
  allocation_world w;
  w.eips = {pool("old", "10.0.0.0/29", true)};
  w.services = {svc("ns", "a", 1)};
  apply(plan_allocations(w), w);
  w.eips[0].metadata.deleting = true;
  w.eips.push_back(pool("new", "10.0.5.0/29", false));
  w.eips.back().spec.namespaces = {"ns"};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.5.0");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "IPReleased IPAllocated");
  EXPECT_EQ(find_pool(plan, "old")->status.usage, 0);
}

// ---- sharing ---------------------------------------------------------------

struct sharing_row {
  const char* rule;
  const char* key_a;
  const char* key_b;
  std::uint16_t port_b;
  traffic_policy policy_b;
  bool shared;
  std::optional<failure_kind> failure;
};

TEST(AllocationPlanSharing, SharingTable) {
  // Issue #7 item 4: one IP for several Services only with the same
  // sharing key, no colliding port and equal externalTrafficPolicy;
  // otherwise the later one is refused with an Event.
  const std::vector<sharing_row> rows = {
    {"same key, other port, same policy: shared", "k", "k", 443,
     traffic_policy::cluster, true, std::nullopt},
    {"different keys: refused", "k", "j", 443, traffic_policy::cluster, false,
     failure_kind::sharing_refused},
    {"same port: refused", "k", "k", 80, traffic_policy::cluster, false,
     failure_kind::sharing_refused},
    {"policy differs: refused", "k", "k", 443, traffic_policy::local, false,
     failure_kind::sharing_refused},
    {"no key on the later one: IP taken", "k", "", 443, traffic_policy::cluster,
     false, failure_kind::ip_taken},
  };
  for (const auto& r : rows) {
    allocation_world w;
    w.eips = {pool("p", "10.0.0.0/29", true)};
    w.services = {svc("ns", "a", 1), svc("ns", "b", 2)};
    for (auto* s : {&w.services[0], &w.services[1]})
      s->metadata.annotations = {{std::string(eip_ip_annotation), "10.0.0.3"}};
    w.services[0].metadata.annotations.emplace_back(
      std::string(sharing_key_annotation), r.key_a);
    if (*r.key_b != '\0')
      w.services[1].metadata.annotations.emplace_back(
        std::string(sharing_key_annotation), r.key_b);
    w.services[1].spec.ports[0].port = r.port_b;
    w.services[1].spec.external_traffic_policy = r.policy_b;
    auto plan = plan_allocations(w);
    EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.3") << r.rule;
    EXPECT_EQ(ips_of(plan, "ns", "b"), r.shared ? "10.0.0.3" : "") << r.rule;
    const service_plan* b = find_service(plan, "ns", "b");
    ASSERT_EQ(b->failure.has_value(), r.failure.has_value()) << r.rule;
    if (r.failure) {
      EXPECT_EQ(b->failure->kind, *r.failure) << r.rule;
      EXPECT_EQ(reasons_of(plan, "ns", "b"), "AllocationFailed") << r.rule;
    }
    EXPECT_EQ(used_of(*find_pool(plan, "p")),
              r.shared ? "10.0.0.3=ns/a;ns/b" : "10.0.0.3=ns/a")
      << r.rule;
    // Restart: a shared IP stays shared, with no Events (item 5).
    apply(plan, w);
    auto again = plan_allocations(w);
    EXPECT_EQ(ips_of(again, "ns", "b"), ips_of(plan, "ns", "b")) << r.rule;
    EXPECT_EQ(reasons_of(again, "ns", "a"), "") << r.rule;
  }
}

// ---- dual-stack -------------------------------------------------------------

TEST(AllocationPlanDualStack, OneAddressPerFamily) {
  // Issue #7 item 4: PreferDualStack/RequireDualStack get one IPv4 and one
  // IPv6 EIP when pools allow; RequireDualStack with one family missing
  // fails; PreferDualStack takes the available one.
  allocation_world w;
  w.eips
    = {pool("v4", "10.0.0.0/30", true), pool("v6", "2001:db8::/126", true)};
  w.services
    = {svc("ns", "prefer", 1), svc("ns", "require", 2), svc("ns", "v6only", 3)};
  w.services[0].spec.ip_family_policy = ip_family_policy::prefer_dual_stack;
  w.services[0].spec.ip_families = {"IPv6", "IPv4"};
  w.services[1].spec.ip_family_policy = ip_family_policy::require_dual_stack;
  w.services[2].spec.ip_families = {"IPv6"};
  auto plan = plan_allocations(w);
  // Ingress in the request's family order (preferred first).
  EXPECT_EQ(ips_of(plan, "ns", "prefer"), "2001:db8::,10.0.0.0");
  EXPECT_EQ(ips_of(plan, "ns", "require"), "10.0.0.1,2001:db8::1");
  EXPECT_EQ(ips_of(plan, "ns", "v6only"), "2001:db8::2");
  EXPECT_FALSE(find_pool(plan, "v6")->status.v4);
  // Restart (item 5): both families kept, no Events.
  auto restarted = w;
  apply(plan, restarted);
  auto again = plan_allocations(restarted);
  for (const char* name : {"prefer", "require", "v6only"}) {
    EXPECT_EQ(ips_of(again, "ns", name), ips_of(plan, "ns", name)) << name;
    EXPECT_EQ(reasons_of(again, "ns", name), "") << name;
  }

  w.eips.pop_back(); // no IPv6 pool
  auto v4only = plan_allocations(w);
  EXPECT_EQ(ips_of(v4only, "ns", "prefer"), "10.0.0.0");
  EXPECT_FALSE(find_service(v4only, "ns", "prefer")->failure);
  const service_plan* req = find_service(v4only, "ns", "require");
  EXPECT_TRUE(req->ips.empty());
  ASSERT_TRUE(req->failure);
  EXPECT_EQ(req->failure->kind, failure_kind::no_pool);
  // The IPv4 address RequireDualStack could not use went to no one.
  EXPECT_EQ(used_of(*find_pool(v4only, "v4")), "10.0.0.0=ns/prefer");
}

TEST(AllocationPlanDualStack, SingleStackDropsTheOtherFamily) {
  // Issue #7 item 5 "as long as its request allows it": a Service switched
  // to single-stack IPv4 releases its IPv6 address.
  allocation_world w;
  w.eips
    = {pool("v4", "10.0.0.0/30", true), pool("v6", "2001:db8::/126", true)};
  w.services = {svc("ns", "a", 1)};
  w.services[0].spec.ip_family_policy = ip_family_policy::require_dual_stack;
  apply(plan_allocations(w), w);
  w.services[0].spec.ip_family_policy = ip_family_policy::single_stack;
  w.services[0].spec.ip_families = {"IPv4"};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.0");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "IPReleased");
  EXPECT_EQ(find_pool(plan, "v6")->status.usage, 0);
}

// ---- determinism ------------------------------------------------------------

std::string fingerprint(const allocation_plan& p) {
  std::string out;
  for (const auto& s : p.services) {
    out += s.namespace_ + "/" + s.name + ":";
    for (const auto& ip : s.ips)
      out += net::to_string(ip.ip) + "@" + ip.pool + ",";
    for (const auto& e : s.events)
      out += e.reason + "=" + e.message + ";";
    out += s.failure ? "F:" + s.failure->message : "";
    out += "\n";
  }
  for (const auto& x : p.pools)
    out += x.name + ":" + used_of(x) + "\n";
  return out;
}

TEST(AllocationPlanDeterminism, ThousandServicesInAnyOrderGiveOnePlan) {
  // Issue #7 item 5: "Allocation order is deterministic."
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/22", true), pool("q", "10.1.0.0/24", false),
            pool("r", "10.1.0.128/25", false)}; // r overlaps q
  w.eips[1].spec.namespaces = {"ns3"};
  w.namespaces.resize(1);
  w.namespaces[0].metadata.name = "ns3";
  for (int i = 0; i < 1000; ++i)
    w.services.push_back(svc("ns" + std::to_string(i % 5),
                             "s" + std::to_string(i), (i * 7919) % 600));
  // Some hold IPs already, two of them the same one.
  w.services[10].status.ingress = {{"10.0.3.7", {}, {}, ip_mode::vip}};
  w.services[11].status.ingress = {{"10.0.3.7", {}, {}, ip_mode::vip}};
  w.services[12].metadata.annotations
    = {{std::string(eip_ip_annotation), "10.1.0.9"}};
  const std::string want = fingerprint(plan_allocations(w));
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(w.services.begin(), w.services.end(), rng);
    std::shuffle(w.eips.begin(), w.eips.end(), rng);
    EXPECT_EQ(fingerprint(plan_allocations(w)), want) << "round " << round;
  }
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns1", "s11"), "10.0.3.7");
  std::size_t allocated = 0;
  for (const auto& s : plan.services)
    allocated += s.ips.size();
  // q and r overlap and r yields (same age, then by name), so ns3 is
  // served by q; s12 asks for 10.1.0.9, which an older ns3 Service got
  // first from q: 999 allocated.
  EXPECT_EQ(allocated, 999u);
  EXPECT_EQ(find_service(plan, "ns2", "s12")->failure->kind,
            failure_kind::ip_taken);
  EXPECT_EQ(cond(*find_pool(plan, "r"), "Ready").status,
            condition_status::is_false);
}

} // namespace
} // namespace porter::k8s
