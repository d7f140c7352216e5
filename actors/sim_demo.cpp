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

#include "actors/sim_cluster.hpp"
#include "sim/scenario/text_table.hpp"
#include "sim/scenario/timeline.hpp"

namespace porter {

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

long long ms_since(clock_type::time_point t) {
  return std::chrono::duration_cast<milliseconds>(clock_type::now() - t)
    .count();
}

struct probe_counts {
  long long sent = 0;
  long long lost = 0;
  std::map<std::string, long long> why; ///< loss reason → count
};

class demo {
public:
  explicit demo(sim_cluster& c) : c_(c) {}

  int run(const std::string& report) {
    report_ = report;
    const auto start = clock_type::now();
    start_ = start;
    start_sampler();
    phase("start");
    long long took = 0;
    const bool up = wait_routes(milliseconds{30'000}, took);
    print_routes("initial state after " + std::to_string(ms_since(start))
                 + " ms");
    expect(up, "every Service has its EIP and the expected next hops on "
               "every switch");
    if (!up)
      return finish();
    start_probes();
    std::this_thread::sleep_for(milliseconds{500});
    failover();
    move_endpoints();
    node_down();
    phase("end");
    stop_probes();
    return finish();
  }

  ~demo() {
    stop_ = true;
    if (sampler_.joinable())
      sampler_.join();
    if (prober_.joinable())
      prober_.join();
  }

private:
  // ---------------------------------------------------------------- routes

  /// One row per Service and switch; ok when all match.
  bool routes(std::vector<sim::text_row>* rows) {
    std::lock_guard lock{model_mutex_};
    const auto& m = c_.model();
    bool all = true;
    for (const auto& s : m.services) {
      auto eip = eip_of(s.name);
      const auto hops = sim::expected_next_hops(m, s);
      bool first = true;
      for (const auto& sw : c_.switch_names()) {
        const bool spine = sw == "spine";
        std::vector<net::ip_address> want;
        if (spine && !hops.empty())
          for (const auto& leaf : c_.fabric().leaves)
            want.push_back(leaf.address);
        else if (!spine)
          want = hops;
        std::vector<net::ip_address> have;
        if (eip)
          have = sim::lookup(c_.table_of(sw), *eip);
        const bool ok = eip && have == want;
        all = all && ok;
        if (rows != nullptr)
          rows->push_back({first ? s.name : "",
                           first ? (s.local ? "Local" : "Cluster") : "",
                           first ? (eip ? net::to_string(*eip) : "-") : "", sw,
                           names(have), names(want), ok ? "OK" : "FAIL"});
        first = false;
      }
      // Every node's agent diverts the EIP to itself.
      if (eip)
        for (const auto& n : m.nodes)
          all = all && c_.node_diverts(n.name, *eip);
    }
    return all;
  }

  std::string names(const std::vector<net::ip_address>& ips) {
    std::string out;
    for (const auto& ip : ips) {
      std::string name = net::to_string(ip);
      if (const auto* n = c_.model().node_at(ip))
        name = n->name;
      for (const auto& leaf : c_.fabric().leaves)
        if (leaf.address == ip)
          name = leaf.name;
      out += (out.empty() ? "" : " ") + name;
    }
    return out.empty() ? "-" : out;
  }

  std::optional<net::ip_address> eip_of(const std::string& svc) {
    if (auto it = eips_.find(svc); it != eips_.end())
      return it->second;
    auto eip = c_.eip_of(svc);
    if (eip)
      eips_[svc] = *eip;
    return eip;
  }

  bool wait_routes(milliseconds limit, long long& took) {
    const auto t0 = clock_type::now();
    while (ms_since(t0) < limit.count()) {
      if (routes(nullptr)) {
        took = ms_since(t0);
        return true;
      }
      std::this_thread::sleep_for(milliseconds{2});
    }
    took = ms_since(t0);
    return false;
  }

  void print_routes(const std::string& title) {
    std::vector<sim::text_row> rows;
    routes(&rows);
    std::cout << "\n== " << title << "\n"
              << sim::render_table({"SERVICE", "POLICY", "EIP", "SWITCH",
                                    "NEXT HOPS", "EXPECTED", "RESULT"},
                                   rows)
              << std::flush;
  }

  // ---------------------------------------------------------------- events

  /// Paths the leader's session should give each leaf: one per expected
  /// next hop of every Service.
  std::size_t expected_paths() {
    std::lock_guard lock{model_mutex_};
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

  void failover() {
    const auto old = c_.leader();
    if (old.empty()) {
      expect(false, "a replica holds the Lease");
      return;
    }
    phase("failover");
    std::cout << "\n== failover: kill -9 " << old << " (the leader)\n";
    const auto want = expected_paths();
    const auto t0 = clock_type::now();
    c_.signal_replica(old, SIGKILL);
    event("kill -9 " + old);
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
        event(old + " restarted");
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
    print_probes("failover");
    expect(fresh >= 0, "the new leader's paths on both leaves " + at(fresh)
                         + " after the crash");
    expect(flushed >= 0, "stale paths gone once the old leader is back");
    expect(lost("failover") == 0,
           "no probe lost during the failover (graceful restart)");
  }

  void move_endpoints() {
    phase("scale");
    std::cout << "\n== api (Local): endpoints move from node-2, node-4 to "
                 "node-4, node-5\n";
    {
      std::lock_guard lock{model_mutex_};
      c_.set_endpoints("api", {"node-4", "node-5"});
    }
    event("api endpoints moved");
    long long took = 0;
    const bool ok = wait_routes(milliseconds{10'000}, took);
    print_routes("after " + std::to_string(took) + " ms");
    settle();
    print_probes("scale");
    expect(ok, "api's next hops follow its endpoints (in "
                 + std::to_string(took) + " ms)");
  }

  void node_down() {
    phase("node-down");
    std::cout << "\n== node-3 becomes NotReady\n";
    {
      std::lock_guard lock{model_mutex_};
      c_.set_node_ready("node-3", false);
    }
    event("node-3 NotReady");
    long long took = 0;
    const bool ok = wait_routes(milliseconds{10'000}, took);
    print_routes("after " + std::to_string(took) + " ms");
    settle();
    print_probes("node-down");
    expect(ok, "Cluster Services leave node-3 (in " + std::to_string(took)
                 + " ms)");
  }

  // ---------------------------------------------------------------- probes

  /// Probes keep flowing a while after an event settled, so what the event
  /// cost and what came after are both in its count.
  static void settle() { std::this_thread::sleep_for(milliseconds{1000}); }

  void phase(const std::string& name) {
    std::lock_guard lock{probe_mutex_};
    phase_ = name;
  }

  void start_probes() {
    prober_ = std::thread{[this] {
      std::uint16_t port = 1024;
      while (!stop_) {
        for (const auto& [svc, eip] : eips_snapshot()) {
          sim::five_tuple f{*net::parse_ip("198.51.100.7"), eip, port, 80, 6};
          port = port == 65535 ? 1024 : port + 1;
          auto r = probe(svc, f);
          std::lock_guard lock{probe_mutex_};
          auto& n = counts_[phase_];
          ++n.sent;
          ++sent_;
          if (!r.delivered) {
            ++n.lost;
            ++lost_;
            ++n.why[r.lost.substr(0, r.lost.find(" to "))];
          }
        }
        std::this_thread::sleep_for(milliseconds{2});
      }
    }};
  }

  std::map<std::string, net::ip_address> eips_snapshot() {
    std::lock_guard lock{model_mutex_};
    return eips_;
  }

  sim::probe_result probe(const std::string& svc, const sim::five_tuple& f) {
    const auto fabric = c_.fabric();
    std::lock_guard lock{model_mutex_};
    const auto& m = c_.model();
    const auto* s = m.service(svc);
    return sim::send_probe(
      f, fabric,
      [&](const net::ip_address& node_ip, const net::ip_address& eip) {
        const auto* n = m.node_at(node_ip);
        if (n == nullptr)
          return std::string{"not a node"};
        if (!c_.node_diverts(n->name, eip))
          return std::string{"no rule for the EIP"};
        if (s == nullptr || !sim::serves(*s, *n))
          return std::string{"no serving endpoint"};
        return std::string{};
      });
  }

  void stop_probes() {
    stop_ = true;
    if (prober_.joinable())
      prober_.join();
  }

  long long lost(const std::string& name) {
    std::lock_guard lock{probe_mutex_};
    return counts_[name].lost;
  }

  void print_probes(const std::string& name) {
    std::lock_guard lock{probe_mutex_};
    const auto& n = counts_[name];
    std::cout << "probes: " << n.sent << " sent, " << n.lost << " lost";
    for (const auto& [why, count] : n.why)
      std::cout << "; " << count << " × " << why;
    std::cout << "\n" << std::flush;
  }

  // ---------------------------------------------------------------- picture

  void event(const std::string& label) {
    std::lock_guard lock{timeline_mutex_};
    timeline_.events.push_back({seconds_since_start(), label});
  }

  double seconds_since_start() const {
    return static_cast<double>(ms_since(start_)) / 1000.0;
  }

  void start_sampler() {
    timeline_.title = "porter sim demo";
    timeline_.switches = c_.switch_names();
    sampler_ = std::thread{[this] {
      long long sent = 0, lost = 0;
      while (!stop_) {
        sim::timeline_sample s;
        s.t = seconds_since_start();
        for (const auto& sw : timeline_.switches) {
          std::size_t routed = 0;
          for (const auto& [prefix, hops] : c_.table_of(sw))
            routed += hops.empty() ? 0 : 1;
          s.routes.push_back(routed);
          s.stale_paths.push_back(c_.counts_of(sw).stale_paths);
        }
        s.leader = c_.leader();
        {
          std::lock_guard lock{probe_mutex_};
          s.probes_sent = sent_ - sent;
          s.probes_lost = lost_ - lost;
          sent = sent_;
          lost = lost_;
        }
        {
          std::lock_guard lock{timeline_mutex_};
          timeline_.samples.push_back(std::move(s));
        }
        std::this_thread::sleep_for(milliseconds{20});
      }
    }};
  }

  void write_report() {
    stop_ = true;
    if (sampler_.joinable())
      sampler_.join();
    std::lock_guard lock{timeline_mutex_};
    {
      std::lock_guard m{model_mutex_};
      timeline_.expected_routes = c_.model().services.size();
    }
    std::ofstream out{report_};
    out << sim::render_html(timeline_);
    if (out)
      std::cout << "report: " << std::filesystem::absolute(report_).string()
                << "\n";
    else
      std::cout << "report: cannot write " << report_ << "\n";
  }

  // ---------------------------------------------------------------- verdict

  void expect(bool ok, const std::string& what) {
    checks_.push_back({ok, what});
  }

  int finish() {
    write_report();
    std::cout << "\n== summary\n";
    bool all = true;
    for (const auto& [ok, what] : checks_) {
      std::cout << (ok ? "PASS  " : "FAIL  ") << what << "\n";
      all = all && ok;
    }
    {
      std::lock_guard lock{probe_mutex_};
      for (const auto& [name, n] : counts_)
        if (n.sent > 0)
          std::cout << "probes " << name << ": " << n.lost << " of " << n.sent
                    << " lost\n";
    }
    std::cout << (all ? "PASS" : "FAIL") << "\n" << std::flush;
    return all ? 0 : 1;
  }

  sim_cluster& c_;
  std::map<std::string, net::ip_address> eips_;
  std::mutex model_mutex_;
  std::mutex probe_mutex_;
  std::string phase_;
  std::map<std::string, probe_counts> counts_;
  std::thread prober_;
  std::atomic<bool> stop_{false};
  std::vector<std::pair<bool, std::string>> checks_;
  long long sent_ = 0, lost_ = 0; ///< all probes (probe_mutex_)
  clock_type::time_point start_;
  std::string report_;
  std::mutex timeline_mutex_;
  sim::timeline timeline_;
  std::thread sampler_;
};

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"porter"} : p.string();
}

} // namespace

int run_sim_demo(const sim_demo_options& o) {
  std::string dir = o.work_dir;
  if (dir.empty()) {
    char tmpl[] = "/tmp/porter-sim.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      std::cerr << "porter sim demo: cannot create a directory in /tmp\n";
      return 1;
    }
    dir = tmpl;
  }
  std::cout << "porter sim demo: 5 nodes, 2 manager replicas, an agent per "
               "node, leaf-a + leaf-b under a spine (logs in "
            << dir << ")\n";
  int rc = 1;
  {
    sim_cluster_options co;
    co.work_dir = dir;
    co.porter_exe = self_exe();
    co.graceful_restart = true;
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
