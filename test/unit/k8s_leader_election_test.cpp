// client-go's leader election (k8s-api.md §3.3) as a pure state machine:
// one test per rule, each citing the client-go code it reproduces, and a
// simulation of three candidates sharing one Lease with faults.
#include <functional>
#include <map>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "k8s/leader_election.hpp"

namespace porter::k8s {
namespace {

using le = leader_election;
using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-11-26T22:00:00Z; steady time starts at an arbitrary origin.
constexpr auto wall_base
  = std::chrono::system_clock::time_point{std::chrono::seconds{1795730400}};

election_now at(milliseconds t, milliseconds wall_skew = {}) {
  return {std::chrono::steady_clock::time_point{seconds{1000} + t},
          wall_base + t + wall_skew};
}

election_config config(std::string id) {
  return {std::move(id), "porter-manager", "porter-system"};
}

lease make_lease(std::string holder, int transitions, std::string renew,
                 std::string rv, int duration = 15) {
  lease l;
  l.metadata.name = "porter-manager";
  l.metadata.namespace_ = "porter-system";
  l.metadata.resource_version = std::move(rv);
  l.spec.holder_identity = std::move(holder);
  l.spec.lease_duration_seconds = duration;
  l.spec.acquire_time = "2026-11-26T21:00:00.000000Z";
  l.spec.renew_time = std::move(renew);
  l.spec.lease_transitions = transitions;
  return l;
}

lease_result ok(lease l) {
  return {lease_outcome::ok, std::move(l), {}};
}
lease_result fail(lease_outcome o) {
  return {o, {}, "injected"};
}

template <class A>
const A* first(const le::actions& as) {
  for (const auto& a : as)
    if (auto* p = std::get_if<A>(&a))
      return p;
  return nullptr;
}

/// The Lease a create/update body would store.
lease body(const le::actions& as) {
  std::string text;
  if (auto* u = first<le::update_lease>(as))
    text = u->body;
  else if (auto* c = first<le::create_lease>(as))
    text = c->body;
  auto doc = parse_json(text);
  auto l = doc ? decode<lease>(json_at{*doc}) : decoded<lease>{};
  EXPECT_TRUE(l) << text;
  return l ? *l : lease{};
}

/// One acquire try at `t`: the tick's GET answered with `current`.
le::actions try_at(le& e, milliseconds t, const lease& current,
                   milliseconds skew = {}) {
  auto as = e.on_tick(at(t, skew), 0.0);
  EXPECT_TRUE(first<le::get_lease>(as)) << "no GET at " << t.count();
  return e.on_get_result(at(t, skew), ok(current));
}

/// A leader acquired at t = 0 by Create; its first renew (at once) is done.
le leader(std::string id = "me") {
  le e{config(std::move(id))};
  e.on_tick(at(milliseconds{0}), 0.0);
  auto as
    = e.on_get_result(at(milliseconds{0}), fail(lease_outcome::not_found));
  lease created = body(as);
  created.metadata.resource_version = "1";
  as = e.on_create_result(at(milliseconds{0}), ok(created));
  EXPECT_TRUE(first<le::became_leader>(as));
  lease renewed = body(as);
  renewed.metadata.resource_version = "2";
  e.on_update_result(at(milliseconds{0}), ok(renewed));
  return e;
}

TEST(K8sLeaderElection, AcquiresOnNotFoundByCreate) {
  // tryAcquireOrRenew step 2: Get → IsNotFound → Create; success is
  // leadership; renew()'s wait.Until then runs its first cycle at once.
  le e{config("me")};
  auto as = e.on_tick(at(milliseconds{0}), 0.3);
  ASSERT_TRUE(first<le::get_lease>(as));
  as = e.on_get_result(at(milliseconds{5}), fail(lease_outcome::not_found));
  ASSERT_TRUE(first<le::create_lease>(as));
  lease l = body(as);
  EXPECT_EQ(l.spec.holder_identity, "me");
  EXPECT_EQ(l.spec.lease_duration_seconds, 15);
  EXPECT_EQ(l.spec.acquire_time, "2026-11-26T22:00:00.000000Z");
  EXPECT_EQ(l.spec.lease_transitions, 0);
  l.metadata.resource_version = "1";
  as = e.on_create_result(at(milliseconds{9}), ok(l));
  EXPECT_TRUE(first<le::became_leader>(as));
  EXPECT_TRUE(first<le::update_lease>(as));
  EXPECT_TRUE(e.is_leader());
}

TEST(K8sLeaderElection, CreateConflictIsNotLeaderAndRetriesAfterJitter) {
  // Create 409 AlreadyExists → false; wait.JitterUntil(RetryPeriod, 1.2,
  // sliding): the next try RetryPeriod·(1 + rand·1.2) after this one ended.
  for (auto [unit, delay] :
       {std::pair{0.0, 2000}, std::pair{0.5, 3200}, std::pair{0.999, 4398}}) {
    le e{config("me")};
    e.on_tick(at(milliseconds{0}), unit);
    e.on_get_result(at(milliseconds{0}), fail(lease_outcome::not_found));
    auto as
      = e.on_create_result(at(milliseconds{40}), fail(lease_outcome::conflict));
    EXPECT_FALSE(e.is_leader());
    ASSERT_TRUE(first<le::schedule_tick>(as));
    EXPECT_EQ(first<le::schedule_tick>(as)->delay.count(), delay) << unit;
    EXPECT_TRUE(e.on_tick(at(milliseconds{40 + delay - 1}), 0).size() == 1);
    EXPECT_TRUE(
      first<le::get_lease>(e.on_tick(at(milliseconds{40 + delay}), unit)));
  }
}

TEST(K8sLeaderElection, ValidLeaseHeldByAnotherMakesAFollower) {
  // "lock is held by %v and has not yet expired" → false, no write.
  le e{config("me")};
  auto as = try_at(e, milliseconds{0},
                   make_lease("other", 2, "2026-11-26T21:59:59.000000Z", "7"));
  EXPECT_FALSE(first<le::update_lease>(as));
  EXPECT_FALSE(e.is_leader());
  EXPECT_EQ(e.observed_holder(), "other");
}

TEST(K8sLeaderElection, FollowerWaitsLeaseDurationAfterLastObservedChange) {
  // observedTime = local now whenever the raw record changes; renewTime is
  // never compared with a clock, so the holder's clock skew is irrelevant.
  for (const char* holder_clock :
       {"1970-01-01T00:00:01.000000Z", "2099-12-31T23:59:59.000000Z"}) {
    le e{config("me")};
    auto held = make_lease("other", 0, holder_clock, "1");
    try_at(e, milliseconds{0}, held);
    held.spec.renew_time = std::string{holder_clock}.replace(20, 1, "5");
    held.metadata.resource_version = "2";
    try_at(e, milliseconds{10'000}, held); // a renewal: observed at 10 s
    for (int t : {12'000, 20'000, 23'000})
      EXPECT_FALSE(first<le::update_lease>(try_at(e, milliseconds{t}, held)))
        << holder_clock << " " << t;
    auto as = try_at(e, milliseconds{25'000}, held);
    ASSERT_TRUE(first<le::update_lease>(as)) << holder_clock;
    EXPECT_EQ(body(as).spec.holder_identity, "me");
  }
}

TEST(K8sLeaderElection, WakeupTriesAtOnceButNeverShortensTheWait) {
  // porter's watch hint: an early tryAcquireOrRenew, same decision.
  le e{config("me")};
  auto held = make_lease("other", 0, "2026-11-26T21:59:59.000000Z", "1");
  try_at(e, milliseconds{0}, held);
  auto as = e.on_wakeup(at(milliseconds{500}), 0);
  ASSERT_TRUE(first<le::get_lease>(as));
  EXPECT_FALSE(
    first<le::update_lease>(e.on_get_result(at(milliseconds{501}), ok(held))));
  held.spec.holder_identity = "";
  held.metadata.resource_version = "2";
  e.on_wakeup(at(milliseconds{900}), 0);
  EXPECT_TRUE(
    first<le::update_lease>(e.on_get_result(at(milliseconds{901}), ok(held))));
  EXPECT_TRUE(e.on_wakeup(at(milliseconds{902}), 0).empty()); // in flight
}

TEST(K8sLeaderElection, TakeoverIncrementsTransitionsAndUsesCachedRv) {
  // Step 4: not IsLeader → LeaderTransitions+1; Update PUTs the Lease just
  // read (its resourceVersion), acquireTime = now.
  le e{config("me")};
  auto held = make_lease("other", 3, "2026-11-26T21:59:00.000000Z", "41");
  try_at(e, milliseconds{0}, held);
  auto as = try_at(e, milliseconds{15'000}, held);
  lease put = body(as);
  EXPECT_EQ(put.metadata.resource_version, "41");
  EXPECT_EQ(put.spec.lease_transitions, 4);
  EXPECT_EQ(put.spec.acquire_time, "2026-11-26T22:00:15.000000Z");
  put.metadata.resource_version = "42";
  as = e.on_update_result(at(milliseconds{15'010}), ok(put));
  EXPECT_TRUE(first<le::became_leader>(as));
}

TEST(K8sLeaderElection, ReleasedLeaseIsTakenAtOnce) {
  // len(HolderIdentity) == 0 → no wait, even though just observed.
  le e{config("me")};
  auto as = try_at(e, milliseconds{0},
                   make_lease("", 5, "2026-11-26T21:59:59.000000Z", "9", 1));
  ASSERT_TRUE(first<le::update_lease>(as));
  EXPECT_EQ(body(as).spec.lease_transitions, 6);
}

TEST(K8sLeaderElection, SameIdentityRestartReacquiresWithoutWaiting) {
  // setObservedRecord before the check makes IsLeader() true: acquireTime
  // and transitions are kept.
  le e{config("me")};
  auto as = try_at(e, milliseconds{0},
                   make_lease("me", 2, "2026-11-26T21:59:59.000000Z", "9"));
  lease put = body(as);
  EXPECT_EQ(put.spec.acquire_time, "2026-11-26T21:00:00.000000Z");
  EXPECT_EQ(put.spec.lease_transitions, 2);
}

TEST(K8sLeaderElection, LeaderRenewsByFastPathPutWithCachedRv) {
  // Step 1: IsLeader && isLeaseValid → Update with the cached Lease, no GET;
  // wait.Until: the next cycle RetryPeriod after this one ended.
  le e = leader();
  auto as = e.on_tick(at(milliseconds{2000}), 0);
  ASSERT_TRUE(first<le::update_lease>(as));
  EXPECT_FALSE(first<le::get_lease>(as));
  lease put = body(as);
  EXPECT_EQ(put.metadata.resource_version, "2");
  EXPECT_EQ(put.spec.acquire_time, "2026-11-26T22:00:00.000000Z");
  EXPECT_EQ(put.spec.renew_time, "2026-11-26T22:00:02.000000Z");
  put.metadata.resource_version = "3";
  as = e.on_update_result(at(milliseconds{2050}), ok(put));
  EXPECT_EQ(first<le::schedule_tick>(as)->delay, milliseconds{2000});
}

TEST(K8sLeaderElection, FastPathFailureFallsBackToGetThenUpdate) {
  // "Failed to update lease optimistically, falling back to slow path".
  le e = leader();
  e.on_tick(at(milliseconds{2000}), 0);
  auto as
    = e.on_update_result(at(milliseconds{2010}), fail(lease_outcome::conflict));
  ASSERT_TRUE(first<le::get_lease>(as));
  as = e.on_get_result(at(milliseconds{2020}),
                       ok(make_lease("me", 0, "x", "17")));
  ASSERT_TRUE(first<le::update_lease>(as));
  EXPECT_EQ(body(as).metadata.resource_version, "17");
}

TEST(K8sLeaderElection, RenewFailuresUntilRenewDeadlineThenLost) {
  // PollUntil retries every RetryPeriod; RenewDeadline after the start of
  // the last successful try (t = 0) leadership is lost at once.
  le e = leader();
  for (int t = 2000; t <= 8000; t += 2000) {
    auto as = e.on_tick(at(milliseconds{t}), 0);
    ASSERT_TRUE(first<le::update_lease>(as)) << t;
    e.on_update_result(at(milliseconds{t + 5}), fail(lease_outcome::failed));
    e.on_get_result(at(milliseconds{t + 9}), fail(lease_outcome::failed));
    EXPECT_TRUE(e.is_leader()) << t;
  }
  EXPECT_TRUE(e.on_tick(at(milliseconds{9999}), 0).size() == 1);
  EXPECT_TRUE(e.is_leader());
  auto as = e.on_tick(at(milliseconds{10'000}), 0);
  EXPECT_TRUE(first<le::lost_leadership>(as));
  EXPECT_EQ(e.phase(), election_phase::lost);
  EXPECT_TRUE(e.on_tick(at(milliseconds{12'000}), 0).empty());
}

TEST(K8sLeaderElection, DeadlineOvertakesARequestInFlight) {
  // The renew context times out; the late reply changes nothing.
  le e = leader();
  e.on_tick(at(milliseconds{8000}), 0);
  EXPECT_TRUE(first<le::lost_leadership>(e.on_update_result(
    at(milliseconds{10'001}), ok(make_lease("me", 0, "y", "3")))));
  EXPECT_FALSE(e.is_leader());
}

TEST(K8sLeaderElection, ReleaseWritesEmptyHolderAndOneSecond) {
  // tryRelease: Get; still ours → HolderIdentity "", LeaseDurationSeconds
  // 1, Renew/AcquireTime now, transitions kept; retry on conflict.
  le e = leader();
  auto as = e.on_release_requested(at(milliseconds{3000}));
  ASSERT_TRUE(first<le::get_lease>(as));
  as = e.on_get_result(at(milliseconds{3000}),
                       ok(make_lease("me", 4, "z", "20")));
  EXPECT_EQ(body(as).metadata.resource_version, "20");
  as
    = e.on_update_result(at(milliseconds{3001}), fail(lease_outcome::conflict));
  ASSERT_TRUE(first<le::get_lease>(as));
  as = e.on_get_result(at(milliseconds{3002}),
                       ok(make_lease("me", 4, "z", "21")));
  lease put = body(as);
  EXPECT_EQ(put.spec.holder_identity, "");
  EXPECT_EQ(put.spec.lease_duration_seconds, 1);
  EXPECT_EQ(put.spec.renew_time, "2026-11-26T22:00:03.002000Z");
  EXPECT_EQ(put.spec.acquire_time, put.spec.renew_time);
  EXPECT_EQ(put.spec.lease_transitions, 4);
  EXPECT_EQ(put.metadata.resource_version, "21");
  as = e.on_update_result(at(milliseconds{3003}), ok(put));
  ASSERT_TRUE(first<le::released>(as));
  EXPECT_TRUE(first<le::released>(as)->cleared);
  EXPECT_EQ(e.phase(), election_phase::stopped);
}

TEST(K8sLeaderElection, ReleaseNeverClobbersAnotherHolder) {
  le e = leader();
  e.on_release_requested(at(milliseconds{3000}));
  auto as = e.on_get_result(at(milliseconds{3001}),
                            ok(make_lease("other", 5, "z", "30")));
  EXPECT_FALSE(first<le::update_lease>(as));
  EXPECT_FALSE(first<le::released>(as)->cleared);
  le follower{config("me")};
  as = follower.on_release_requested(at(milliseconds{0}));
  EXPECT_FALSE(first<le::get_lease>(as));
  EXPECT_TRUE(first<le::released>(as));
}

TEST(K8sLeaderElection, ReleaseWaitsForTheRequestInFlight) {
  // One request at a time: the renew reply is dropped, then tryRelease.
  le e = leader();
  e.on_tick(at(milliseconds{2000}), 0);
  EXPECT_FALSE(
    first<le::get_lease>(e.on_release_requested(at(milliseconds{2001}))));
  auto as = e.on_update_result(at(milliseconds{2002}),
                               ok(make_lease("me", 0, "q", "5")));
  EXPECT_TRUE(first<le::get_lease>(as));
  EXPECT_FALSE(first<le::released>(as));
}

TEST(K8sLeaderElection, ConfigValidationHasClientGoMessages) {
  struct row {
    int lease, renew, retry;
    const char* id;
    const char* error; // nullptr: valid
  } rows[] = {
    {15000, 10000, 2000, "a", nullptr},
    {10000, 10000, 2000, "a",
     "leaseDuration must be greater than renewDeadline"},
    {15000, 2400, 2000, "a",
     "renewDeadline must be greater than retryPeriod*JitterFactor"},
    {15000, 2401, 2000, "a", nullptr},
    {15000, 10000, 0, "a", "retryPeriod must be greater than zero"},
    {15000, 10000, 2000, "", "Lock identity is empty"},
    {900, 500, 100, "a", "leaseDuration must be at least 1s"},
  };
  for (const auto& r : rows) {
    election_config c = config(r.id);
    c.lease_duration = milliseconds{r.lease};
    c.renew_deadline = milliseconds{r.renew};
    c.retry_period = milliseconds{r.retry};
    auto v = c.validate();
    if (r.error == nullptr)
      EXPECT_TRUE(v) << r.lease << "/" << r.renew << "/" << r.retry;
    else
      EXPECT_EQ(v ? "" : v.error(), r.error);
  }
}

TEST(K8sLeaderElection, FreshCandidateWaitsAFullLeaseDuration) {
  // "they must wait the full LeaseDuration": first sighting = observedTime,
  // however old the holder's renewTime is.
  le e{config("new-pod")};
  auto dead = make_lease("old-pod", 7, "2026-11-26T20:00:00.000000Z", "3");
  for (int t = 0; t < 15'000; t += 2'500)
    EXPECT_FALSE(first<le::update_lease>(try_at(e, milliseconds{t}, dead)));
  EXPECT_TRUE(first<le::update_lease>(try_at(e, milliseconds{15'000}, dead)));
}

TEST(K8sLeaderElection, CheckFailsForALeaderStuckPastLeaseDuration) {
  // Check: IsLeader && Since(observedTime) > LeaseDuration + tolerance.
  le e = leader();
  const auto base = at(milliseconds{0}).steady;
  EXPECT_TRUE(e.check(base + milliseconds{20'000}, milliseconds{5000}));
  EXPECT_FALSE(e.check(base + milliseconds{20'001}, milliseconds{5000}));
  le follower{config("me")};
  EXPECT_TRUE(follower.check(base + seconds{999}, milliseconds{0}));
}

} // namespace
} // namespace porter::k8s
