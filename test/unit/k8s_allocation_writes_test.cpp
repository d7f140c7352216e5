// The writes that converge the cluster to an allocation plan
// (k8s/allocation_writes.hpp; issue #7 item 6): only differences are
// written, so planning a converged world again writes nothing.
#include <gtest/gtest.h>

#include "k8s/allocation_writes.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s {
namespace {

const auto now
  = std::chrono::system_clock::time_point{std::chrono::seconds{1795730400}};

service lb_service(const std::string& name) {
  service s;
  s.metadata.name = name;
  s.metadata.namespace_ = "default";
  s.metadata.uid = "uid-" + name;
  s.metadata.creation_timestamp = "2026-11-26T22:00:00Z";
  s.metadata.annotations = {{"lb.kubesphere.io/v1alpha1", "porter"}};
  s.spec.type = service_type::load_balancer;
  s.spec.ports = {{"", "", 80, 0, protocol::tcp}};
  return s;
}

eip pool(const std::string& name, const std::string& address) {
  eip e;
  e.metadata.name = name;
  e.spec.address = address;
  e.metadata.annotations = {{std::string{default_eip_annotation}, "true"}};
  return e;
}

allocation_world world_of(std::vector<service> services) {
  allocation_world w;
  w.eips = {pool("pool-a", "10.0.0.0/30")};
  w.services = std::move(services);
  w.namespaces = {namespace_object{}};
  w.namespaces[0].metadata.name = "default";
  return w;
}

/// Applies what the writes say to the world, as the API server would.
void converge(allocation_world& w, const allocation_plan& p) {
  for (auto& s : w.services) {
    const auto* sp = find_service(p, s.metadata.namespace_, s.metadata.name);
    if (sp == nullptr)
      continue;
    s.status.ingress.clear();
    for (const auto& ip : sp->ips)
      s.status.ingress.push_back({net::to_string(ip.ip), "", {}, ip_mode::vip});
    s.metadata.labels.clear();
    if (!sp->ips.empty())
      s.metadata.labels
        = {{std::string{eip_pool_annotation}, sp->ips.front().pool}};
    if (sp->managed)
      s.metadata.finalizers = {std::string{lb_finalizer}};
  }
  for (auto& e : w.eips) {
    const auto* pp = find_pool(p, e.metadata.name);
    auto batch = plan_writes(p, w, now);
    for (const auto& wr : batch.writes)
      if (wr.key == "eip-status/" + e.metadata.name) {
        auto d = parse_json(wr.body);
        ASSERT_TRUE(d);
        e.status = pp->status;
        // conditions as written
        e.status.conditions.clear();
        for (const auto& c : (*d)["status"]["conditions"].GetArray())
          e.status.conditions.push_back(
            {c["type"].GetString(), c["status"].GetString(),
             c.HasMember("reason") ? c["reason"].GetString() : "",
             c.HasMember("message") ? c["message"].GetString() : "",
             c["lastTransitionTime"].GetString()});
      }
  }
}

std::vector<std::string> keys(const write_batch& b) {
  std::vector<std::string> out;
  for (const auto& w : b.writes)
    out.push_back(w.key);
  return out;
}

TEST(AllocationWrites, NewServiceGetsStatusLabelFinalizerAndAnEvent) {
  auto w = world_of({lb_service("web")});
  auto plan = plan_allocations(w);
  auto b = plan_writes(plan, w, now);
  // The pool's ledger first, then the Service.
  EXPECT_EQ(keys(b),
            (std::vector<std::string>{
              "eip-status/pool-a", "service-status/default/web",
              "service-label/default/web", "service-finalizer/default/web"}));
  EXPECT_EQ(b.writes[1].subresource, "status");
  EXPECT_EQ(
    b.writes[1].body,
    R"({"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.0","ipMode":"VIP"}]}}})");
  EXPECT_EQ(
    b.writes[2].body,
    R"({"metadata":{"labels":{"eip.openelb.kubesphere.io/v1alpha2":"pool-a"}}})");
  EXPECT_EQ(b.writes[3].content_type, "application/json-patch+json");
  // The Event rides on the status write: reported once it is written.
  EXPECT_TRUE(b.events.empty());
  ASSERT_EQ(b.writes[1].events.size(), 1u);
  EXPECT_EQ(b.writes[1].events[0].event.reason, "IPAllocated");
  EXPECT_EQ(b.writes[1].events[0].object.name, "web");
}

TEST(AllocationWrites, ConvergedWorldWritesNothing) {
  // Level-triggered: the same plan against the state it produced is a
  // no-op, or every watch event would cause another write.
  auto w = world_of({lb_service("web"), lb_service("api")});
  auto plan = plan_allocations(w);
  converge(w, plan);
  auto again = plan_allocations(w);
  auto b = plan_writes(again, w, now);
  EXPECT_TRUE(b.writes.empty()) << b.writes[0].key << " " << b.writes[0].body;
  EXPECT_TRUE(b.events.empty());
}

TEST(AllocationWrites, ServiceThatStopsQualifyingIsReleasedThenLetGo) {
  auto w = world_of({lb_service("web")});
  converge(w, plan_allocations(w));
  w.services[0].spec.type = service_type::cluster_ip; // type change
  auto b = plan_writes(plan_allocations(w), w, now);
  ASSERT_EQ(b.writes.size(), 3u);
  EXPECT_EQ(b.writes[0].key, "eip-status/pool-a"); // the ledger frees it
  EXPECT_EQ(b.writes[1].key, "service-status/default/web");
  EXPECT_EQ(b.writes[1].body, R"({"status":{"loadBalancer":{"ingress":[]}}})");
  EXPECT_EQ(
    b.writes[2].body,
    R"({"metadata":{"labels":{"eip.openelb.kubesphere.io/v1alpha2":null}}})");
  // The finalizer goes only once the status shows the IP released.
  w.services[0].status.ingress.clear();
  w.services[0].metadata.labels.clear();
  b = plan_writes(plan_allocations(w), w, now);
  bool removes_finalizer = false;
  for (const auto& wr : b.writes)
    removes_finalizer |= wr.key == "service-finalizer/default/web"
                         && wr.body.find("remove") != std::string::npos;
  EXPECT_TRUE(removes_finalizer);
}

TEST(AllocationWrites, EipConditionKeepsItsTransitionTimeWhileUnchanged) {
  // metav1.Condition: lastTransitionTime changes only with the status.
  auto w = world_of({});
  auto plan = plan_allocations(w);
  auto b = plan_writes(plan, w, now);
  ASSERT_EQ(keys(b), (std::vector<std::string>{"eip-status/pool-a"}));
  EXPECT_NE(b.writes[0].body.find(R"("type":"Ready","status":"True")"),
            std::string::npos)
    << b.writes[0].body;
  converge(w, plan);
  auto later = plan_writes(plan_allocations(w), w, now + std::chrono::hours{1});
  EXPECT_TRUE(later.writes.empty());
}

TEST(AllocationWrites, EipLedgerPatchIsGuardedByResourceVersion) {
  // The `used` nulls are computed from the observed status: applied to a
  // newer Eip they could drop a fresh entry, so the patch carries the
  // version it was planned from (k8s-api.md §2.3: 409 on mismatch).
  auto w = world_of({lb_service("web")});
  w.eips[0].metadata.resource_version = "41";
  auto b = plan_writes(plan_allocations(w), w, now);
  ASSERT_EQ(b.writes.front().key, "eip-status/pool-a");
  EXPECT_EQ(b.writes.front().body.rfind(
              R"({"metadata":{"resourceVersion":"41"},"status":{)", 0),
            0u)
    << b.writes.front().body;
}

TEST(AllocationWrites, SinkThatStopsGetsNoMoreWritesButEveryFailure) {
  // The shell takes as many writes as it can send; the failures of the
  // whole pass still arrive (issue #7 item 6: AllocationFailed).
  auto w = world_of({lb_service("a"), lb_service("b"), lb_service("c")});
  w.services[2].metadata.annotations.emplace_back(
    "eip.openelb.kubesphere.io/v1alpha2", "no-such-pool");
  auto plan = plan_allocations(w);
  std::vector<std::string> taken;
  std::vector<std::string> failures;
  plan_service_writes(
    plan, view_of(w),
    {[&](api_write&& x) {
       taken.push_back(x.key);
       return taken.size() < 2;
     },
     [&](event_write&& e) { failures.push_back(e.object.name); }});
  EXPECT_EQ(taken, (std::vector<std::string>{"service-status/default/a",
                                             "service-label/default/a"}));
  EXPECT_EQ(failures, (std::vector<std::string>{"c"}));
}

// Issue #7 item 3: a bad or overlapping pool is reported in an Event, once
// per transition; a pool that recovers says so.
TEST(AllocationWrites, PoolEventsOnConditionTransitions) {
  using cs = condition_status;
  auto plan_of = [](cs ready, cs overlap, cs invalid) {
    pool_plan p;
    p.conditions = {{"Ready", ready, "R", "ready msg"},
                    {"Overlap", overlap, "AddressOverlap", "overlaps pool b"},
                    {"Invalid", invalid, "InvalidAddress", "bad address"}};
    return p;
  };
  auto observed_of
    = [](const char* ready, const char* overlap, const char* invalid) {
        eip_status s;
        if (ready != nullptr)
          s.conditions = {{"Ready", ready, "", "", ""},
                          {"Overlap", overlap, "", "", ""},
                          {"Invalid", invalid, "", "", ""}};
        return s;
      };
  struct row {
    const char* name;
    pool_plan plan;
    eip_status observed;
    std::vector<std::string> reasons;
  };
  const row rows[] = {
    {"new valid pool: nothing to report",
     plan_of(cs::is_true, cs::is_false, cs::is_false),
     observed_of(nullptr, nullptr, nullptr),
     {}},
    {"new pool with a bad address",
     plan_of(cs::is_false, cs::is_false, cs::is_true),
     observed_of(nullptr, nullptr, nullptr),
     {"InvalidAddress"}},
    {"edited into an overlap",
     plan_of(cs::is_false, cs::is_true, cs::is_false),
     observed_of("True", "False", "False"),
     {"AddressOverlap"}},
    {"still overlapping: reported already",
     plan_of(cs::is_false, cs::is_true, cs::is_false),
     observed_of("False", "True", "False"),
     {}},
    {"overlap resolved",
     plan_of(cs::is_true, cs::is_false, cs::is_false),
     observed_of("False", "True", "False"),
     {"PoolReady"}},
  };
  for (const auto& r : rows) {
    std::vector<std::string> reasons;
    for (const auto& e : pool_events(r.plan, r.observed))
      reasons.push_back(e.reason);
    EXPECT_EQ(reasons, r.reasons) << r.name;
  }
}

TEST(AllocationWrites, OverlappingPoolsGetAWarningOnTheirStatusWrite) {
  auto w = world_of({});
  w.eips.push_back(pool("pool-b", "10.0.0.2-10.0.0.5"));
  w.eips[0].metadata.uid = "uid-a";
  auto b = plan_writes(plan_allocations(w), w, now);
  ASSERT_EQ(keys(b), (std::vector<std::string>{"eip-status/pool-a",
                                               "eip-status/pool-b"}));
  ASSERT_EQ(b.writes[0].events.size(), 1u);
  const auto& ev = b.writes[0].events[0];
  EXPECT_EQ(ev.event.type, event_type::warning);
  EXPECT_EQ(ev.event.reason, "AddressOverlap");
  EXPECT_NE(ev.event.message.find("pool-b"), std::string::npos)
    << ev.event.message;
  EXPECT_EQ(ev.object.kind, "Eip");
  EXPECT_EQ(ev.object.uid, "uid-a");
  EXPECT_TRUE(ev.object.namespace_.empty()); // cluster-scoped
}

} // namespace
} // namespace porter::k8s
