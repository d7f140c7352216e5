#include "actors/sim_run.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "actors/sim_cluster.hpp"
#include "actors/sim_observer.hpp"
#include "sim/scenario/scenario.hpp"

namespace porter {

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out.empty() ? "(none)" : out;
}

/// The scenario's cluster as the observer's model: nodes, and the
/// shorthand Services expanded (count N → name-1 … name-N).
sim::cluster_model model_of(const sim::scenario& s) {
  sim::cluster_model m;
  for (const auto& n : s.nodes)
    m.nodes.push_back({n.name, n.ip, n.ready, n.ip6});
  for (const auto& svc : s.services) {
    if (svc.count == 1) {
      m.services.push_back(
        {svc.name, svc.local, svc.endpoints, svc.pool, svc.dual_stack});
      continue;
    }
    for (int i = 1; i <= svc.count; ++i)
      m.services.push_back({svc.name + "-" + std::to_string(i), svc.local,
                            svc.endpoints, svc.pool, svc.dual_stack});
  }
  return m;
}

class runner {
public:
  runner(sim_cluster& c, const sim::scenario& s)
      : c_(c), s_(s), o_(c, "porter sim run: " + s.name) {}

  int run(const std::string& report) {
    o_.start();
    o_.phase("steps");
    t0_ = clock_type::now();
    for (const auto& st : s_.steps) {
      const auto what = describe(st);
      std::cout << "[" << ms_since(t0_) << " ms] line " << st.line << ": "
                << what << "\n"
                << std::flush;
      std::visit([&](const auto& a) { step(a, what); }, st.action);
    }
    return o_.finish(report);
  }

private:
  // --- expectations

  void step(const sim::expect_step& e, const std::string& what) {
    const auto t = clock_type::now();
    bool ok = false;
    if (e.no_ip) {
      // Holds for the whole window: the Service never gets an IP.
      ok = true;
      while (ms_since(t) < e.within.count() && ok) {
        ok = o_.eips().count(e.service) == 0;
        std::this_thread::sleep_for(milliseconds{20});
      }
    } else {
      while (!(ok = holds(e)) && ms_since(t) < e.within.count())
        std::this_thread::sleep_for(milliseconds{e.all ? 20 : 5});
    }
    const auto took = ms_since(t);
    if (ok && !probing_) { // from the first state that held on
      probing_ = true;
      o_.start_probes();
      mark_ = o_.lost_total();
    }
    if (!ok && e.all)
      o_.print_routes("expected at line of: " + what);
    o_.expect(ok, what
                    + (ok ? " (" + std::to_string(took) + " ms)"
                          : " — not within " + std::to_string(e.within.count())
                              + " ms" + (e.all ? "" : ": " + actual(e))));
  }

  bool holds(const sim::expect_step& e) {
    if (e.all)
      return o_.routes(nullptr);
    const auto eips = o_.eips();
    auto it = eips.find(e.service);
    const std::vector<net::ip_address> none;
    const auto& ips = it == eips.end() ? none : it->second;
    if (e.ip
        && std::none_of(ips.begin(), ips.end(), [&](const net::ip_address& a) {
             return net::to_string(a) == *e.ip;
           }))
      return false;
    if (!e.via)
      return true;
    if (ips.empty())
      return e.via->empty();
    for (const auto& eip : ips)
      for (const auto& sw : switches(e))
        if (sim::lookup(c_.table_of(sw), eip) != want(*e.via, sw, eip.fam))
          return false;
    return true;
  }

  std::string actual(const sim::expect_step& e) {
    const auto eips = o_.eips();
    auto it = eips.find(e.service);
    if (it == eips.end())
      return e.service + " has no EIP";
    std::string out;
    for (const auto& eip : it->second) {
      out += (out.empty() ? "" : "; ") + e.service + " has "
             + net::to_string(eip);
      for (const auto& sw : switches(e))
        out
          += ", " + sw + " via " + o_.names(sim::lookup(c_.table_of(sw), eip));
    }
    return out;
  }

  std::vector<std::string> switches(const sim::expect_step& e) const {
    if (!e.on.empty())
      return {e.on};
    auto all = c_.switch_names();
    all.erase(std::remove(all.begin(), all.end(), "spine"), all.end());
    return all;
  }

  /// Node names (or, on the spine, leaf names) as the addresses of `fam`
  /// a switch has, ascending.
  std::vector<net::ip_address> want(const std::vector<std::string>& names,
                                    const std::string& sw, net::family fam) {
    std::vector<net::ip_address> out;
    const auto fabric = c_.fabric();
    auto lock = o_.lock_model();
    for (const auto& name : names) {
      if (sw == "spine") {
        for (const auto& leaf : fabric.leaves)
          if (leaf.name == name)
            out.push_back(fam == net::family::v4 ? leaf.address
                                                 : leaf.address6);
      } else if (const auto* n = c_.model().node(name)) {
        if (fam == net::family::v4)
          out.push_back(n->ip);
        else if (n->ip6)
          out.push_back(*n->ip6);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // --- changes and faults

  void step(const sim::apply_step& a, const std::string& what) {
    if (auto r = c_.apply(a.yaml); !r)
      o_.expect(false, what + ": " + r.error());
    o_.event("apply");
  }
  void step(const sim::delete_step& d, const std::string& what) {
    if (d.kind == "Service") { // no probe for it from here on
      auto lock = o_.lock_model();
      c_.forget_service(d.name);
    }
    if (auto r = c_.remove(d.kind, d.name); !r)
      o_.expect(false, what + ": " + r.error());
    o_.event("delete " + d.name);
  }
  void step(const sim::endpoints_step& e, const std::string&) {
    auto lock = o_.lock_model();
    c_.set_endpoints(e.service, e.nodes);
    o_.event(e.service + " endpoints");
  }
  void step(const sim::node_step& n, const std::string&) {
    auto lock = o_.lock_model();
    c_.set_node_ready(n.name, n.ready);
    o_.event(n.name + (n.ready ? " Ready" : " NotReady"));
  }
  void step(const sim::kill_step& k, const std::string& what) {
    const auto name = replica(k.replica);
    if (name.empty()) {
      o_.expect(false, what + ": no such replica now");
      return;
    }
    c_.signal_replica(name, k.signal);
    o_.event((k.signal == SIGKILL ? "kill -9 " : "SIGTERM ") + name);
  }
  void step(const sim::restart_step& r, const std::string& what) {
    std::vector<std::string> names{r.replica};
    if (r.replica == "stopped") { // every replica that has exited
      names.clear();
      for (const auto& name : c_.replica_names())
        if (!c_.replica_running(name))
          names.push_back(name);
    }
    for (const auto& name : names) {
      if (auto ok = c_.restart_replica(name); !ok)
        o_.expect(false, what + ": " + ok.error());
      o_.event(name + " restarted");
    }
  }
  void step(const sim::partition_step& p, const std::string&) {
    c_.partition(p.on, p.duration);
    o_.event(p.on + " partitioned");
  }
  void step(const sim::api_outage_step& a, const std::string& what) {
    o_.event("API server out");
    if (auto r = c_.api_outage(true); !r)
      o_.expect(false, what + ": " + r.error());
    std::this_thread::sleep_for(a.duration);
    if (auto r = c_.api_outage(false); !r)
      o_.expect(false, what + ": " + r.error());
    o_.event("API server back");
  }
  void step(const sim::wait_step& w, const std::string&) {
    std::this_thread::sleep_for(w.duration);
  }
  void step(const sim::probes_step& p, const std::string& what) {
    const auto lost = o_.lost_total() - mark_;
    mark_ = o_.lost_total();
    o_.expect(probing_ && lost <= p.lost_at_most,
              what + " (" + std::to_string(lost) + " lost)");
  }

  /// "leader", "follower" or a replica's name.
  std::string replica(const std::string& which) {
    if (which != "leader" && which != "follower")
      return which;
    const auto leader = c_.leader();
    if (which == "leader")
      return leader;
    for (const auto& name : c_.replica_names())
      if (name != leader && c_.replica_running(name))
        return name;
    return {};
  }

  static std::string describe(const sim::scenario_step& st) {
    std::ostringstream out;
    std::visit(
      [&](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, sim::expect_step>) {
          out << "expect ";
          if (a.all)
            out << "every Service routed as the model says";
          else
            out << a.service;
          if (a.ip)
            out << " has " << *a.ip;
          if (a.no_ip)
            out << " gets no IP";
          if (a.via)
            out << " via " << join(*a.via)
                << (a.on.empty() ? " on every leaf" : " on " + a.on);
          out << " within " << a.within.count() << " ms";
        } else if constexpr (std::is_same_v<T, sim::apply_step>) {
          out << "apply manifests";
        } else if constexpr (std::is_same_v<T, sim::delete_step>) {
          out << "delete " << a.kind << " " << a.name;
        } else if constexpr (std::is_same_v<T, sim::endpoints_step>) {
          out << a.service << " endpoints on " << join(a.nodes);
        } else if constexpr (std::is_same_v<T, sim::node_step>) {
          out << a.name << (a.ready ? " Ready" : " NotReady");
        } else if constexpr (std::is_same_v<T, sim::kill_step>) {
          out << (a.signal == SIGKILL ? "kill -9 " : "SIGTERM ") << a.replica;
        } else if constexpr (std::is_same_v<T, sim::restart_step>) {
          out << "restart " << a.replica;
        } else if constexpr (std::is_same_v<T, sim::partition_step>) {
          out << "partition " << a.on << " for " << a.duration.count() << " ms";
        } else if constexpr (std::is_same_v<T, sim::api_outage_step>) {
          out << "API server out for " << a.duration.count() << " ms";
        } else if constexpr (std::is_same_v<T, sim::wait_step>) {
          out << "wait " << a.duration.count() << " ms";
        } else {
          out << "probes lost since the last check ≤ " << a.lost_at_most;
        }
      },
      st.action);
    return out.str();
  }

  sim_cluster& c_;
  const sim::scenario& s_;
  sim_observer o_;
  clock_type::time_point t0_;
  bool probing_ = false;
  long long mark_ = 0;
};

} // namespace

int run_sim_scenario(const sim_run_options& o) {
  std::ifstream in{o.file};
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "porter sim run: " << o.file << ": cannot read it\n";
    return 2;
  }
  auto s = sim::parse_scenario(text.str());
  if (!s) {
    std::cerr << "porter sim run: " << o.file << ": " << s.error() << "\n";
    return 2;
  }
  auto work = sim_work_dir(o.work_dir);
  if (!work) {
    std::cerr << "porter sim run: " << work.error() << "\n";
    return 1;
  }
  const std::string dir = *work;
  std::cout << "porter sim run " << o.file << ": " << s->name
            << (s->description.empty() ? "" : " — " + s->description)
            << " (logs in " << dir << ")\n";
  int rc = 1;
  {
    sim_cluster_options co;
    co.work_dir = dir;
    co.porter_exe = sim_porter_executable();
    co.replicas = s->replicas;
    co.leaves = s->leaves;
    co.lease_duration = s->lease_duration;
    co.renew_deadline = s->renew_deadline;
    co.retry_period = s->retry_period;
    co.graceful_restart = s->graceful_restart;
    co.manifests = s->manifests;
    sim_cluster c{co, model_of(*s)};
    if (auto r = c.start(); !r) {
      std::cerr << "porter sim run: " << r.error() << "\n";
      return 1;
    }
    runner run{c, *s};
    rc = run.run(o.report);
  }
  if (!o.keep && o.work_dir.empty() && rc == 0)
    std::filesystem::remove_all(dir);
  return rc;
}

} // namespace porter
