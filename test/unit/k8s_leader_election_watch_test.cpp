// porter's addition to client-go's election: a candidate that watches the
// Lease (leader_election::on_observed) judges by the same rule
// (isLeaseValid on local observedTime) but checks at the right moment —
// at once when the holder released it, exactly at expiry otherwise.
#include <gtest/gtest.h>

#include "k8s/leader_election.hpp"

namespace porter::k8s {
namespace {

using le = leader_election;
using std::chrono::milliseconds;
using std::chrono::seconds;
using namespace std::chrono_literals;

election_now at(milliseconds t) {
  return {std::chrono::steady_clock::time_point{seconds{1000} + t},
          std::chrono::system_clock::time_point{seconds{1795730400}} + t};
}

lease held_by(std::string holder, std::string renew, std::string rv) {
  lease l;
  l.metadata.name = "porter-manager";
  l.metadata.namespace_ = "porter-system";
  l.metadata.resource_version = std::move(rv);
  l.spec.holder_identity = std::move(holder);
  l.spec.lease_duration_seconds = 15;
  l.spec.acquire_time = "2026-11-26T21:00:00.000000Z";
  l.spec.renew_time = std::move(renew);
  l.spec.lease_transitions = 0;
  return l;
}

template <class A>
const A* first(const le::actions& as) {
  for (const auto& a : as)
    if (auto* p = std::get_if<A>(&a))
      return p;
  return nullptr;
}

/// A follower that saw "other" hold the lease at t = 0.
le follower() {
  le e{election_config{"me", "porter-manager", "porter-system"}};
  e.on_tick(at(0ms), 0.0);
  e.on_get_result(at(0ms),
                  {lease_outcome::ok,
                   held_by("other", "2026-11-26T22:00:00.000000Z", "1"),
                   {}});
  return e;
}

TEST(LeaderElectionWatch, RenewalSeenByWatchResetsObservedTime) {
  // setObservedRecord: a changed record means the holder is alive.
  le e = follower();
  auto as = e.on_observed(
    at(5000ms), held_by("other", "2026-11-26T22:00:05.000000Z", "2"), 0.0);
  const auto* tick = first<le::schedule_tick>(as);
  ASSERT_NE(tick, nullptr);
  // Next try: the earlier of the jittered retry (2 s after the try at 0)
  // and the expiry 15 s after the sighting at 5 s.
  EXPECT_EQ(tick->delay, 0ms);
  EXPECT_TRUE(e.check(at(5000ms).steady, 0ms)); // not ours: healthy
}

TEST(LeaderElectionWatch, TakeoverTryIsScheduledAtExpiry) {
  le e = follower();
  // Try at 2 s (retry period): still held, record unchanged.
  e.on_tick(at(2000ms), 0.0);
  e.on_get_result(at(2000ms),
                  {lease_outcome::ok,
                   held_by("other", "2026-11-26T22:00:00.000000Z", "1"),
                   {}});
  // The watch shows a renewal at 3 s, then the holder dies.
  auto as = e.on_observed(
    at(3000ms), held_by("other", "2026-11-26T22:00:03.000000Z", "2"), 0.99);
  const auto* tick = first<le::schedule_tick>(as);
  ASSERT_NE(tick, nullptr);
  // The next jittered retry (≈ 2 s + 0·1.2·2 s after the try ended at 2 s)
  // comes first; ticks then keep going until expiry at 18 s.
  EXPECT_LE(tick->delay, 15000ms);
  // At 17.9 s the lease is still valid by our observation: no takeover.
  auto early = e.on_tick(at(17900ms), 0.0);
  if (first<le::get_lease>(early)) {
    auto r = e.on_get_result(
      at(17900ms), {lease_outcome::ok,
                    held_by("other", "2026-11-26T22:00:03.000000Z", "2"),
                    {}});
    EXPECT_EQ(first<le::update_lease>(r), nullptr);
    const auto* again = first<le::schedule_tick>(r);
    ASSERT_NE(again, nullptr);
    EXPECT_LE(again->delay, 4400ms);
  }
}

TEST(LeaderElectionWatch, ExpiryBoundsTheNextTry) {
  // Seen (by GET) at 0, unchanged at the try at 14 s: a jittered retry
  // would come 2–4.4 s later, after the lease expired at 15 s. The next
  // try is at expiry instead.
  le e = follower();
  auto tick = e.on_tick(at(14000ms), 0.99);
  ASSERT_NE(first<le::get_lease>(tick), nullptr);
  auto r = e.on_get_result(
    at(14000ms), {lease_outcome::ok,
                  held_by("other", "2026-11-26T22:00:00.000000Z", "1"),
                  {}});
  EXPECT_EQ(first<le::update_lease>(r), nullptr);
  const auto* next = first<le::schedule_tick>(r);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->delay, 1000ms);
  // At expiry the same GET result now allows the takeover.
  tick = e.on_tick(at(15000ms), 0.0);
  ASSERT_NE(first<le::get_lease>(tick), nullptr);
  r = e.on_get_result(at(15000ms),
                      {lease_outcome::ok,
                       held_by("other", "2026-11-26T22:00:00.000000Z", "1"),
                       {}});
  EXPECT_NE(first<le::update_lease>(r), nullptr);
}

TEST(LeaderElectionWatch, ReleaseSeenByWatchTriesAtOnce) {
  le e = follower();
  auto as
    = e.on_observed(at(700ms), held_by("", "2026-11-26T22:00:00.7Z", "3"), 0.0);
  // client-go: an empty holderIdentity may be taken at once.
  EXPECT_NE(first<le::get_lease>(as), nullptr);
}

TEST(LeaderElectionWatch, LeaderIgnoresTheWatch) {
  le e{election_config{"me", "porter-manager", "porter-system"}};
  e.on_tick(at(0ms), 0.0);
  auto as = e.on_get_result(at(0ms), {lease_outcome::not_found, {}, ""});
  ASSERT_NE(first<le::create_lease>(as), nullptr);
  as = e.on_create_result(
    at(10ms),
    {lease_outcome::ok, held_by("me", "2026-11-26T22:00:00.000000Z", "1"), {}});
  ASSERT_TRUE(e.is_leader());
  EXPECT_TRUE(e.on_observed(at(20ms), held_by("other", "x", "9"), 0.0).empty());
  EXPECT_TRUE(e.is_leader());
}

} // namespace
} // namespace porter::k8s
