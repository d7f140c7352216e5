// The allocation planner (k8s/allocation_plan.hpp): scenario tests, each
// citing its rule — issue #7 items 2-6 and openelb.md §2.2-§2.4, §2.9.
// Dual-stack, sharing and determinism are in
// k8s_allocation_plan_more_test.cpp.
#include <string>
#include <vector>

#include "k8s_allocation_plan_helpers.hpp"
#include <gtest/gtest.h>

namespace porter::k8s {
namespace {

using namespace test_world;

// ---- allocation order and stability ----------------------------------------

TEST(AllocationPlan, AllocatesLowestFreeAddressInCreationOrder) {
  // openelb.md §2.4: first fit from firstIP; issue #7 item 5: the order is
  // creationTimestamp, then namespace/name.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0-10.0.0.9", true)};
  w.services = {svc("a", "late", 3), svc("b", "early", 1), svc("a", "mid-2", 2),
                svc("a", "mid-1", 2)};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "b", "early"), "10.0.0.0");
  EXPECT_EQ(ips_of(plan, "a", "mid-1"), "10.0.0.1");
  EXPECT_EQ(ips_of(plan, "a", "mid-2"), "10.0.0.2");
  EXPECT_EQ(ips_of(plan, "a", "late"), "10.0.0.3");
  EXPECT_EQ(reasons_of(plan, "a", "late"), "IPAllocated");
  const pool_plan* p = find_pool(plan, "p");
  ASSERT_NE(p, nullptr);
  // §2.2: poolSize, usage, used ip → ns/name, firstIP, lastIP, v4.
  EXPECT_EQ(p->status.pool_size, 10);
  EXPECT_EQ(p->status.usage, 4);
  EXPECT_FALSE(p->status.occupied);
  EXPECT_EQ(p->status.first_ip, "10.0.0.0");
  EXPECT_EQ(p->status.last_ip, "10.0.0.9");
  EXPECT_TRUE(p->status.v4);
  EXPECT_EQ(used_of(*p), "10.0.0.0=b/early 10.0.0.1=a/mid-1 10.0.0.2=a/mid-2 "
                         "10.0.0.3=a/late");
}

TEST(AllocationPlan, RestartKeepsEveryIpAndEmitsNoEvents) {
  // Issue #7 item 5: the ledger lives in the cluster and is rebuilt from it
  // before anything new is allocated.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/28", true)};
  for (int i = 0; i < 8; ++i)
    w.services.push_back(svc("ns", "s" + std::to_string(i), 10 - i));
  auto first = plan_allocations(w);
  apply(first, w);
  // "... and other Services being deleted" (item 5): deleting one disturbs
  // no one.
  w.services.erase(w.services.begin() + 3);
  auto second = plan_allocations(w);
  for (const auto& s : second.services) {
    EXPECT_TRUE(s.events.empty()) << s.name;
    EXPECT_EQ(ips_of(second, "ns", s.name), ips_of(first, "ns", s.name));
  }
  EXPECT_EQ(find_pool(second, "p")->status.usage, 7);
}

TEST(AllocationPlan, LedgerIsRebuiltFromEitherHalf) {
  // Issue #7 item 5: "rebuilt from both" — Eip status.used or the Service's
  // ingress alone is enough to keep the address.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/28", true)};
  w.services = {svc("ns", "a", 1), svc("ns", "b", 2)};
  w.services[0].status.ingress = {{"10.0.0.7", {}, {}, ip_mode::vip}};
  w.eips[0].status.used = {{"10.0.0.5", "ns/b"}};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.7");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "");
  EXPECT_EQ(ips_of(plan, "ns", "b"), "10.0.0.5");
  // b's ingress is empty: the status must be written, with an Event.
  EXPECT_EQ(reasons_of(plan, "ns", "b"), "IPAllocated");
}

TEST(AllocationPlan, ShrunkPoolKeepsInsideAndReallocatesOutside) {
  // Issue #7 item 5: a Service keeps its IP across pool edits as long as
  // the IP is still in the pool; one left outside is re-allocated.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0-10.0.0.9", true)};
  for (int i = 0; i < 6; ++i)
    w.services.push_back(svc("ns", "s" + std::to_string(i), i));
  apply(plan_allocations(w), w);
  w.eips[0].spec.address = "10.0.0.2-10.0.0.9"; // drops .0 and .1
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "s2"), "10.0.0.2");
  EXPECT_EQ(reasons_of(plan, "ns", "s2"), "");
  EXPECT_EQ(ips_of(plan, "ns", "s5"), "10.0.0.5");
  EXPECT_EQ(ips_of(plan, "ns", "s0"), "10.0.0.6");
  EXPECT_EQ(ips_of(plan, "ns", "s1"), "10.0.0.7");
  EXPECT_EQ(reasons_of(plan, "ns", "s0"), "IPReleased IPAllocated");
  EXPECT_EQ(find_pool(plan, "p")->status.first_ip, "10.0.0.2");
}

TEST(AllocationPlan, TwoClaimantsOlderKeepsYoungerIsReallocated) {
  // Issue #7 item 5: "Two Services claiming one IP: the older keeps it, the
  // other is re-allocated with an Event."
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true)};
  w.services = {svc("ns", "young", 5), svc("ns", "old", 1)};
  for (auto& s : w.services)
    s.status.ingress = {{"10.0.0.3", {}, {}, ip_mode::vip}};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "old"), "10.0.0.3");
  EXPECT_EQ(reasons_of(plan, "ns", "old"), "");
  EXPECT_EQ(ips_of(plan, "ns", "young"), "10.0.0.0");
  EXPECT_EQ(reasons_of(plan, "ns", "young"), "IPReleased IPAllocated");
  EXPECT_NE(find_service(plan, "ns", "young")
              ->events[0]
              .message.find("taken by ns/old"),
            std::string::npos);
}

TEST(AllocationPlan, SameTimestampTieBrokenByNamespaceAndName) {
  // Issue #7 item 5: creationTimestamp, then namespace/name.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true)};
  w.services = {svc("b", "x", 1), svc("a", "y", 1)};
  for (auto& s : w.services)
    s.status.ingress = {{"10.0.0.4", {}, {}, ip_mode::vip}};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "a", "y"), "10.0.0.4");
  EXPECT_EQ(ips_of(plan, "b", "x"), "10.0.0.0");
}

TEST(AllocationPlan, SharedInStatusWithoutValidSharingOlderKeeps) {
  // Issue #7 items 4 and 5: status.used "ns/a;ns/b" is a sharing only when
  // the sharing rules allow it; otherwise the older keeps the address.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true)};
  w.eips[0].status.used = {{"10.0.0.5", "ns/a;ns/b"}};
  w.services = {svc("ns", "b", 2), svc("ns", "a", 3)};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "b"), "10.0.0.5");
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.0");
  EXPECT_EQ(used_of(*find_pool(plan, "p")), "10.0.0.0=ns/a 10.0.0.5=ns/b");
}

TEST(AllocationPlan, ChangedRequestMovesTheService) {
  // Issue #7 item 5: a Service keeps its IP "as long as ... its request
  // allows it"; openelb.md §2.4: otherwise the old record is released and a
  // new one allocated.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/29", true), pool("q", "10.0.1.0/29", false)};
  w.services = {svc("ns", "ip", 1), svc("ns", "pool", 2)};
  apply(plan_allocations(w), w);
  w.services[0].spec.load_balancer_ip = "10.0.0.6";
  w.services[1].metadata.annotations
    = {{std::string(eip_pool_annotation), "q"}};
  auto plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "ip"), "10.0.0.6");
  EXPECT_EQ(reasons_of(plan, "ns", "ip"), "IPReleased IPAllocated");
  EXPECT_EQ(ips_of(plan, "ns", "pool"), "10.0.1.0");
  EXPECT_EQ(find_service(plan, "ns", "pool")->ips[0].pool, "q");
  EXPECT_EQ(used_of(*find_pool(plan, "p")), "10.0.0.6=ns/ip");
}

// ---- failures ---------------------------------------------------------------

TEST(AllocationPlan, ExhaustedPoolFailsThenNewPoolAllocates) {
  // Issue #7 item 6 / item 8: exhaustion → AllocationFailed; a new pool →
  // allocated (openelb.md §2.4 triggers, #418).
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0-10.0.0.1", true)};
  w.services = {svc("ns", "a", 1), svc("ns", "b", 2), svc("ns", "c", 3)};
  auto plan = plan_allocations(w);
  const service_plan* c = find_service(plan, "ns", "c");
  ASSERT_TRUE(c->failure);
  EXPECT_EQ(c->failure->kind, failure_kind::pool_exhausted);
  EXPECT_TRUE(c->ips.empty());
  EXPECT_EQ(reasons_of(plan, "ns", "c"), "AllocationFailed");
  EXPECT_EQ(c->events[0].type, event_type::warning);
  // The metric label the manager counts the failure under.
  ASSERT_TRUE(c->events[0].failure);
  EXPECT_STREQ(metric_name(*c->events[0].failure), "pool_exhausted");
  EXPECT_TRUE(find_pool(plan, "p")->status.occupied);
  apply(plan, w);
  w.eips.push_back(pool("q", "10.0.1.0/30", false));
  w.eips.back().spec.namespaces = {"ns"}; // namespace-bound (§2.4)
  plan = plan_allocations(w);
  EXPECT_EQ(ips_of(plan, "ns", "c"), "10.0.1.0");
  EXPECT_EQ(reasons_of(plan, "ns", "c"), "IPAllocated");
  EXPECT_EQ(find_service(plan, "ns", "c")->events[0].pool, "q");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "");
}

// porter_eip_allocation_failures_total's `reason` label: one per
// failure_kind, snake case as Prometheus label values usually are.
TEST(AllocationPlan, FailureMetricNames) {
  const std::pair<failure_kind, const char*> table[] = {
    {failure_kind::bad_request, "bad_request"},
    {failure_kind::no_pool, "no_pool"},
    {failure_kind::pool_not_found, "pool_not_found"},
    {failure_kind::pool_unusable, "pool_unusable"},
    {failure_kind::wrong_family, "wrong_family"},
    {failure_kind::pool_exhausted, "pool_exhausted"},
    {failure_kind::ip_outside, "ip_outside"},
    {failure_kind::ip_taken, "ip_taken"},
    {failure_kind::sharing_refused, "sharing_refused"},
  };
  for (const auto& [kind, name] : table)
    EXPECT_STREQ(metric_name(kind), name);
}

TEST(AllocationPlan, NoPoolFails) {
  // openelb.md §2.4: "no available default eip found" — an Event.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/30", false)};
  w.services = {svc("ns", "a", 1)};
  auto plan = plan_allocations(w);
  ASSERT_TRUE(find_service(plan, "ns", "a")->failure);
  EXPECT_EQ(find_service(plan, "ns", "a")->failure->kind,
            failure_kind::no_pool);
}

struct request_row {
  const char* rule;
  const char* ip; ///< annotation eip.openelb.kubesphere.io/v1alpha1
  const char* want_ip;
  std::optional<failure_kind> want_failure;
};

TEST(AllocationPlan, RequestedIpTable) {
  // Issue #7 items 4 and 6; openelb.md §2.4 getEIPBasedOnIP.
  const std::vector<request_row> rows = {
    {"§2.4: a free requested IP is taken from the pool holding it", "10.0.1.5",
     "10.0.1.5", std::nullopt},
    {"item 6: IP outside every pool", "192.0.2.1", "",
     failure_kind::ip_outside},
    {"item 4/6: IP taken by a Service without a sharing key", "10.0.0.0", "",
     failure_kind::ip_taken},
    {"item 4: the requested IP of a non-default pool", "10.0.1.0", "10.0.1.0",
     std::nullopt},
  };
  for (const auto& r : rows) {
    allocation_world w;
    w.eips = {pool("p", "10.0.0.0/30", true), pool("q", "10.0.1.0/24", false)};
    w.services = {svc("ns", "holder", 1), svc("ns", "asker", 2)};
    w.services[1].metadata.annotations
      = {{std::string(eip_ip_annotation), r.ip}};
    auto plan = plan_allocations(w);
    const service_plan* s = find_service(plan, "ns", "asker");
    EXPECT_EQ(ips_of(plan, "ns", "asker"), r.want_ip) << r.rule;
    ASSERT_EQ(s->failure.has_value(), r.want_failure.has_value()) << r.rule;
    if (r.want_failure) {
      EXPECT_EQ(s->failure->kind, *r.want_failure) << r.rule;
    }
    EXPECT_EQ(ips_of(plan, "ns", "holder"), "10.0.0.0") << r.rule;
  }
}

TEST(AllocationPlan, BadRequestFailsButKeepsHeldIp) {
  // STYLE §3: untrusted input → an Event; issue #7 item 5: the Service
  // keeps what it holds while its annotation is broken.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/30", true)};
  w.services = {svc("ns", "a", 1)};
  w.services[0].status.ingress = {{"10.0.0.2", {}, {}, ip_mode::vip}};
  w.services[0].metadata.annotations
    = {{std::string(eip_ip_annotation), "not-an-ip"}};
  auto plan = plan_allocations(w);
  const service_plan* s = find_service(plan, "ns", "a");
  ASSERT_TRUE(s->failure);
  EXPECT_EQ(s->failure->kind, failure_kind::bad_request);
  EXPECT_EQ(ips_of(plan, "ns", "a"), "10.0.0.2");
  EXPECT_EQ(reasons_of(plan, "ns", "a"), "AllocationFailed");
}

// ---- release ----------------------------------------------------------------

TEST(AllocationPlan, ServiceThatStopsQualifyingReleases) {
  // Issue #7 item 2: "A Service that stops qualifying releases its IP";
  // openelb.md §2.4 needRelease (not LoadBalancer, deleting).
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/30", true)};
  w.services = {svc("ns", "a", 1), svc("ns", "b", 2), svc("ns", "c", 3)};
  apply(plan_allocations(w), w);
  w.services[0].spec.type = service_type::cluster_ip;
  w.services[1].metadata.deleting = true;
  auto plan = plan_allocations(w);
  for (const char* name : {"a", "b"}) {
    const service_plan* s = find_service(plan, "ns", name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_FALSE(s->managed) << name;
    EXPECT_TRUE(s->ips.empty()) << name;
    EXPECT_EQ(reasons_of(plan, "ns", name), "IPReleased") << name;
  }
  EXPECT_EQ(ips_of(plan, "ns", "c"), "10.0.0.2");
  EXPECT_EQ(used_of(*find_pool(plan, "p")), "10.0.0.2=ns/c");
  // Once the writer has cleared them, they drop out of the plan.
  apply(plan, w);
  plan = plan_allocations(w);
  EXPECT_EQ(find_service(plan, "ns", "a"), nullptr);
}

TEST(AllocationPlan, OtherClassIsNeverTouched) {
  // Issue #7 item 2: "Services of another class are never touched."
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/30", true)};
  w.services = {svc("ns", "metallb", 1)};
  w.services[0].spec.load_balancer_class = "metallb.io/metallb";
  w.services[0].status.ingress = {{"10.0.0.1", {}, {}, ip_mode::vip}};
  auto plan = plan_allocations(w);
  EXPECT_EQ(find_service(plan, "ns", "metallb"), nullptr);
  EXPECT_EQ(find_pool(plan, "p")->status.usage, 0);
}

TEST(AllocationPlan, DefaultClassFlag) {
  // Issue #7 item 2: --default-class also serves class-less Services.
  allocation_world w;
  w.eips = {pool("p", "10.0.0.0/30", true)};
  w.services = {svc("ns", "a", 1)};
  w.services[0].spec.load_balancer_class.clear();
  EXPECT_EQ(find_service(plan_allocations(w), "ns", "a"), nullptr);
  w.flags.default_class = true;
  EXPECT_EQ(ips_of(plan_allocations(w), "ns", "a"), "10.0.0.0");
}

} // namespace
} // namespace porter::k8s
