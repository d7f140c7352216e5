#include "actors/sim_demo.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <unistd.h>

#include "actors/sim_bird.hpp"
#include "actors/sim_cluster.hpp"
#include "actors/sim_observer.hpp"
#include "sim/scenario/text_table.hpp"

namespace porter {

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

class demo {
public:
  explicit demo(sim_cluster& c) : c_(c), o_(c, "porter sim demo") {}

  int run(const std::string& report) {
    o_.start();
    o_.phase("start");
    long long took = 0;
    const bool up = o_.wait_routes(milliseconds{30'000}, took);
    o_.print_routes(
      "initial state after "
      + std::to_string(static_cast<long long>(o_.seconds_since_start() * 1000))
      + " ms");
    o_.expect(up, "every Service has its EIP and the expected next hops on "
                  "every switch");
    if (up) {
      o_.start_probes();
      std::this_thread::sleep_for(milliseconds{500});
      failover();
      move_endpoints();
      node_down();
    }
    o_.phase("end");
    return o_.finish(report);
  }

private:
  /// Paths the leader's session should give each leaf: one per expected
  /// next hop of every Service.
  std::size_t expected_paths() {
    auto lock = o_.lock_model();
    std::size_t n = 0;
    for (const auto& svc : c_.model().services)
      n += sim::expected_next_hops(c_.model(), svc).size();
    return n;
  }

  bool both_leaves(bool (*pred)(const sim_cluster::switch_counts&, std::size_t),
                   std::size_t arg) {
    return pred(c_.counts_of("leaf-a"), arg)
           && pred(c_.counts_of("leaf-b"), arg);
  }

  /// Probes keep flowing a while after an event settled, so what the event
  /// cost and what came after are both in its count.
  static void settle() { std::this_thread::sleep_for(milliseconds{1000}); }

  void failover() {
    const auto old = c_.leader();
    if (old.empty()) {
      o_.expect(false, "a replica holds the Lease");
      return;
    }
    o_.phase("failover");
    std::cout << "\n== failover: kill -9 " << old << " (the leader)\n";
    const auto want = expected_paths();
    const auto t0 = clock_type::now();
    c_.signal_replica(old, SIGKILL);
    o_.event("kill -9 " + old);
    long long down = -1, elected = -1, fresh = -1, flushed = -1;
    std::string next;
    while (ms_since(t0) < 20'000 && flushed < 0) {
      if (down < 0
          && both_leaves(
            [](const auto& c, std::size_t) { return c.stale_paths > 0; }, 0))
        down = ms_since(t0);
      if (elected < 0) {
        next = c_.leader();
        if (!next.empty() && next != old)
          elected = ms_since(t0);
      }
      if (elected >= 0 && fresh < 0
          && both_leaves(
            [](const auto& c, std::size_t n) { return c.paths >= n; }, want)) {
        fresh = ms_since(t0);
        o_.event(old + " restarted");
        if (auto r = c_.restart_replica(old); !r)
          std::cout << "cannot restart " << old << ": " << r.error() << "\n";
      }
      if (fresh >= 0
          && both_leaves(
            [](const auto& c, std::size_t) { return c.stale_paths == 0; }, 0))
        flushed = ms_since(t0);
      std::this_thread::sleep_for(milliseconds{2});
    }
    auto at = [](long long v) {
      return v < 0 ? std::string{"never"} : "+" + std::to_string(v) + " ms";
    };
    std::cout << sim::render_table(
      {"T", "EVENT"},
      {{"+0 ms", "kill -9 " + old},
       {at(down), "leaf-a, leaf-b: " + old
                    + "'s session gone; its paths kept, stale (RFC 4724)"},
       {at(elected), (next.empty() ? "?" : next) + " holds the Lease"},
       {at(fresh), next + "'s paths on both leaves; " + old + " started again"},
       {at(flushed), old
                       + " back (standby), its End-of-RIB ends the stale "
                         "paths"}});
    settle();
    o_.print_probes("failover");
    o_.expect(fresh >= 0, "the new leader's paths on both leaves " + at(fresh)
                            + " after the crash");
    o_.expect(flushed >= 0, "stale paths gone once the old leader is back");
    o_.expect(o_.lost("failover") == 0,
              "no probe lost during the failover (graceful restart)");
  }

  void move_endpoints() {
    change_and_follow("scale",
                      "api (Local): endpoints move from node-2, node-4 to "
                      "node-4, node-5",
                      "api endpoints moved",
                      "api's next hops follow its endpoints", [&] {
                        c_.set_endpoints("api", {"node-4", "node-5"});
                      });
  }

  void node_down() {
    change_and_follow("node-down", "node-3 becomes NotReady", "node-3 NotReady",
                      "Cluster Services leave node-3",
                      [&] { c_.set_node_ready("node-3", false); });
  }

  /// One change to the model (and the API), then: how long until every
  /// switch follows, the routes, the probes of the phase, the verdict.
  template <class Change>
  void change_and_follow(const std::string& phase, const std::string& title,
                         const std::string& event, const std::string& what,
                         Change change) {
    o_.phase(phase);
    std::cout << "\n== " << title << "\n";
    {
      auto lock = o_.lock_model();
      change();
    }
    o_.event(event);
    long long took = 0;
    const bool ok = o_.wait_routes(milliseconds{10'000}, took);
    o_.print_routes("after " + std::to_string(took) + " ms");
    settle();
    o_.print_probes(phase);
    o_.expect(ok, what + " (in " + std::to_string(took) + " ms)");
  }

  sim_cluster& c_;
  sim_observer o_;
};

} // namespace

int run_sim_demo(const sim_demo_options& o) {
  if (o.fabric == "bird")
    return run_bird_demo(o);
  auto work = sim_work_dir(o.work_dir);
  if (!work) {
    std::cerr << "porter sim demo: " << work.error() << "\n";
    return 1;
  }
  const std::string dir = *work;
  std::cout << "porter sim demo: 5 nodes, 2 manager replicas, an agent per "
               "node, leaf-a + leaf-b under a spine (logs in "
            << dir << ")\n";
  int rc = 1;
  {
    sim_cluster_options co;
    co.work_dir = dir;
    co.porter_exe = sim_porter_executable();
    co.graceful_restart = true;
    co.manifests = sim::demo_pool_json(); // JSON is YAML
    sim_cluster c{co, sim::demo_cluster()};
    if (auto r = c.start(); !r) {
      std::cerr << "porter sim demo: " << r.error() << "\n";
      return 1;
    }
    demo d{c};
    rc = d.run(o.report);
  }
  if (!o.keep && o.work_dir.empty() && rc == 0)
    std::filesystem::remove_all(dir);
  return rc;
}

} // namespace porter
