// Three leader_election candidates share one in-memory Lease store (with
// resourceVersion preconditions and 409s) on a virtual clock for ten
// minutes: random latency, lost requests, replies lost after the write, and
// a scripted fault every minute (partition, crash, graceful release). The
// safety claim of k8s-api.md §3.3 — the leader stops acting RenewDeadline
// after its last renewal, others take over only LeaseDuration after they
// last saw the record change — means never two leaders at once.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/leader_election.hpp"

namespace porter::k8s {
namespace {

using le = leader_election;
using std::chrono::milliseconds;

lease decode_body(const std::string& text) {
  auto doc = parse_json(text);
  auto l = doc ? decode<lease>(json_at{*doc}) : decoded<lease>{};
  EXPECT_TRUE(l) << text;
  return l ? *l : lease{};
}

/// The API server's Lease storage: Create 409 when present, PUT 409 on a
/// stale resourceVersion, 404 when absent.
class lease_store {
public:
  lease_result get() const {
    if (!stored_)
      return {lease_outcome::not_found, {}, "not found"};
    return {lease_outcome::ok, *stored_, {}};
  }
  lease_result create(const std::string& body) {
    if (stored_)
      return {lease_outcome::conflict, {}, "already exists"};
    return store(decode_body(body));
  }
  lease_result update(const std::string& body) {
    lease l = decode_body(body);
    if (!stored_)
      return {lease_outcome::not_found, {}, "not found"};
    if (l.metadata.resource_version != stored_->metadata.resource_version)
      return {lease_outcome::conflict, {}, "the object has been modified"};
    return store(std::move(l));
  }
  const std::optional<lease>& stored() const { return stored_; }

private:
  lease_result store(lease l) {
    l.metadata.resource_version = std::to_string(++rv_);
    stored_ = l;
    return {lease_outcome::ok, std::move(l), {}};
  }
  std::optional<lease> stored_;
  long rv_ = 100;
};

struct candidate {
  std::unique_ptr<le> e; // null while crashed
  std::string base;
  milliseconds skew; // wall clock offset: clock skew must not matter
  int incarnation = 0;
  int timer = 0;
  bool partitioned = false;
};

class simulation {
public:
  explicit simulation(unsigned seed) : rng_(seed) {
    const milliseconds day{86'400'000};
    for (auto [name, skew] : {std::pair{"a", -day}, std::pair{"b", day * 0},
                              std::pair{"c", day * 1096}})
      nodes_.push_back({nullptr, name, skew});
    for (int i = 0; i < 3; ++i)
      restart(i);
  }

  void run(long until) {
    while (!events_.empty() && events_.begin()->first <= until) {
      auto it = events_.begin();
      now_ = it->first;
      auto f = std::move(it->second);
      events_.erase(it);
      f();
      int leaders = 0;
      for (const auto& n : nodes_)
        leaders += n.e && n.e->is_leader() ? 1 : 0;
      ASSERT_LE(leaders, 1) << "two leaders at t=" << now_ << " ms";
    }
    now_ = std::max(now_, until);
  }

  void at(long t, std::function<void()> f) { events_.emplace(t, std::move(f)); }
  long now() const { return now_; }
  int leader() const {
    for (int i = 0; i < 3; ++i)
      if (nodes_[i].e && nodes_[i].e->is_leader())
        return i;
    return -1;
  }
  candidate& node(int i) { return nodes_[i]; }
  int became() const { return static_cast<int>(became_at_.size()); }
  /// When the first became_leader after `t` happened, if any.
  std::optional<long> became_after(long t) const {
    for (long b : became_at_)
      if (b > t)
        return b;
    return std::nullopt;
  }
  std::optional<bool> release_cleared() const { return release_cleared_; }
  const lease_store& store() const { return store_; }

  void restart(int i) {
    candidate& c = nodes_[i];
    ++c.incarnation;
    c.e = std::make_unique<le>(
      election_config{c.base + "-" + std::to_string(c.incarnation),
                      "porter-manager", "porter-system"});
    feed(i, c.e->on_tick(clock(i), unit()));
  }
  void crash(int i) {
    ++nodes_[i].incarnation;
    nodes_[i].e.reset();
    at(now_ + 5000, [this, i] { restart(i); });
  }
  void release(int i) { feed(i, nodes_[i].e->on_release_requested(clock(i))); }

private:
  enum class verb { get, create, update };

  election_now clock(int i) const {
    const milliseconds t{now_};
    return {std::chrono::steady_clock::time_point{t},
            std::chrono::system_clock::time_point{milliseconds{1795730400000}}
              + t + nodes_[i].skew};
  }
  double unit() { return std::uniform_real_distribution<>{0, 1}(rng_); }

  void feed(int i, const le::actions& actions) {
    const int inc = nodes_[i].incarnation;
    for (const auto& a : actions) {
      if (auto* t = std::get_if<le::schedule_tick>(&a)) {
        const int gen = ++nodes_[i].timer;
        at(now_ + t->delay.count(), [this, i, inc, gen] {
          if (alive(i, inc) && nodes_[i].timer == gen)
            feed(i, nodes_[i].e->on_tick(clock(i), unit()));
        });
      } else if (std::holds_alternative<le::get_lease>(a)) {
        request(i, verb::get, {});
      } else if (auto* c = std::get_if<le::create_lease>(&a)) {
        request(i, verb::create, c->body);
      } else if (auto* u = std::get_if<le::update_lease>(&a)) {
        request(i, verb::update, u->body);
      } else if (std::holds_alternative<le::became_leader>(a)) {
        became_at_.push_back(now_);
      } else {
        if (auto* r = std::get_if<le::released>(&a))
          release_cleared_ = r->cleared;
        // lost_leadership / released: the process exits and restarts.
        ++nodes_[i].incarnation;
        at(now_ + 1000, [this, i] { restart(i); });
      }
    }
  }

  bool alive(int i, int inc) const {
    return nodes_[i].e && nodes_[i].incarnation == inc;
  }

  void request(int i, verb v, std::string body) {
    const int inc = nodes_[i].incarnation;
    auto reply = [this, i, inc, v](lease_result r) {
      if (!alive(i, inc))
        return;
      le& e = *nodes_[i].e;
      feed(i, v == verb::get      ? e.on_get_result(clock(i), r)
              : v == verb::create ? e.on_create_result(clock(i), r)
                                  : e.on_update_result(clock(i), r));
    };
    const lease_result lost{lease_outcome::failed, {}, "timeout"};
    if (nodes_[i].partitioned) // client timeout max(1s, RenewDeadline/2)
      return at(now_ + 5000, [reply, lost] { reply(lost); });
    std::uniform_int_distribution<long> fast{2, 200}, slow{2000, 4000};
    const long latency = unit() < 0.02 ? slow(rng_) : fast(rng_);
    if (unit() < 0.05) // dropped before it reached the server
      return at(now_ + latency, [reply, lost] { reply(lost); });
    at(now_ + latency / 2, [=, body = std::move(body)] {
      lease_result r = v == verb::get      ? store_.get()
                       : v == verb::create ? store_.create(body)
                                           : store_.update(body);
      if (unit() < 0.03) // written, but the reply is lost
        r = lost;
      at(now_ + latency - latency / 2, [reply, r] { reply(r); });
    });
  }

  std::multimap<long, std::function<void()>> events_;
  long now_ = 0;
  std::mt19937_64 rng_;
  lease_store store_;
  std::vector<candidate> nodes_;
  std::vector<long> became_at_;
  std::optional<bool> release_cleared_;
};

TEST(K8sLeaderElectionSim, NeverTwoLeadersAndLeadershipReturnsAfterFaults) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    simulation sim{seed};
    sim.run(30'000);
    ASSERT_TRUE(sim.became_after(0)); // the first one Creates the Lease
    for (int k = 1; k <= 9; ++k) {
      // Random failures alone can cost leadership now and then: the fault
      // waits (≤ 30 s) for a leader to hit.
      long fault = k * 60'000L;
      sim.run(fault);
      for (const long limit = fault + 30'000;
           sim.leader() == -1 && fault < limit;)
        sim.run(fault += 500);
      const int victim = sim.leader();
      ASSERT_NE(victim, -1) << "no leader before fault " << k;
      const std::string before
        = sim.store().stored()->spec.holder_identity.value_or("");
      if (k % 3 == 0) {
        sim.node(victim).partitioned = true;
        sim.at(fault + 30'000,
               [&sim, victim] { sim.node(victim).partitioned = false; });
      } else if (k % 3 == 1) {
        sim.crash(victim);
      } else {
        sim.release(victim);
      }
      // A cleared release is taken at the next try (well below
      // LeaseDuration, even behind a slow request in flight); otherwise (crash,
      // partition, a release that gave up) LeaseDuration after the last
      // observed change plus jittered retries.
      sim.run(fault + 30'000);
      const bool fast = k % 3 == 2 && sim.release_cleared() == true;
      const auto next = sim.became_after(fault);
      ASSERT_TRUE(next) << "no new leader after fault " << k;
      EXPECT_LE(*next - fault, fast ? 12'000 : 30'000) << "fault " << k;
      EXPECT_NE(sim.store().stored()->spec.holder_identity.value_or(""),
                before);
    }
    sim.run(600'000);
    // Every leadership but the first (Create) was a counted transition.
    EXPECT_EQ(sim.store().stored()->spec.lease_transitions.value_or(0),
              sim.became() - 1);
  }
}

} // namespace
} // namespace porter::k8s
