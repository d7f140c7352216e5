#include "actors/sim_observer.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "actors/sim_cluster.hpp"

namespace porter {

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

} // namespace

sim_observer::sim_observer(sim_cluster& c, std::string title)
    : c_(c), start_(clock_type::now()) {
  timeline_.title = std::move(title);
  timeline_.switches = c_.switch_names();
}

sim_observer::~sim_observer() {
  stop();
}

std::map<std::string, std::vector<net::ip_address>> sim_observer::eips() {
  auto now = c_.service_eips();
  std::lock_guard lock{model_mutex_};
  eips_ = now;
  return now;
}

bool sim_observer::routes(std::vector<sim::text_row>* rows) {
  const auto current = eips();
  std::lock_guard lock{model_mutex_};
  const auto& m = c_.model();
  const auto fabric = c_.fabric();
  bool all = true;
  for (const auto& s : m.services) {
    auto it = current.find(s.name);
    std::vector<net::family> families{net::family::v4};
    if (s.dual_stack)
      families.push_back(net::family::v6);
    for (const auto fam : families) {
      std::optional<net::ip_address> eip;
      if (it != current.end())
        for (const auto& ip : it->second)
          if (ip.fam == fam)
            eip = ip;
      const auto hops = sim::expected_next_hops(m, s, fam);
      bool first = true;
      for (const auto& sw : c_.switch_names()) {
        const bool spine = sw == "spine";
        std::vector<net::ip_address> want;
        if (spine && !hops.empty())
          for (const auto& leaf : fabric.leaves)
            want.push_back(fam == net::family::v4 ? leaf.address
                                                  : leaf.address6);
        else if (!spine)
          want = hops;
        std::sort(want.begin(), want.end());
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
  }
  return all;
}

std::string sim_observer::names(const std::vector<net::ip_address>& ips) {
  const auto leaves = c_.fabric().leaves;
  std::string out;
  for (const auto& ip : ips) {
    std::string name = net::to_string(ip);
    if (const auto* n = c_.model().node_at(ip))
      name = n->name;
    for (const auto& leaf : leaves)
      if (leaf.address == ip || leaf.address6 == ip)
        name = leaf.name;
    out += (out.empty() ? "" : " ") + name;
  }
  return out.empty() ? "-" : out;
}

bool sim_observer::wait_routes(milliseconds limit, long long& took) {
  const auto t0 = clock_type::now();
  while (ms_since(t0) < limit.count()) {
    const auto pass = clock_type::now();
    if (routes(nullptr)) {
      took = ms_since(t0);
      return true;
    }
    // A big cluster's LIST takes a while: never poll more than half the
    // time.
    std::this_thread::sleep_for(
      std::max(milliseconds{2}, milliseconds{ms_since(pass)}));
  }
  took = ms_since(t0);
  return false;
}

void sim_observer::print_routes(const std::string& title) {
  std::vector<sim::text_row> rows;
  routes(&rows);
  std::cout << "\n== " << title << "\n"
            << sim::render_table({"SERVICE", "POLICY", "EIP", "SWITCH",
                                  "NEXT HOPS", "EXPECTED", "RESULT"},
                                 rows)
            << std::flush;
}

void sim_observer::start() {
  sampler_ = std::thread{[this] { sample_loop(); }};
}

void sim_observer::start_probes() {
  if (!prober_.joinable())
    prober_ = std::thread{[this] { probe_loop(); }};
}

void sim_observer::stop() {
  stop_ = true;
  if (prober_.joinable())
    prober_.join();
  if (sampler_.joinable())
    sampler_.join();
}

void sim_observer::phase(const std::string& name) {
  std::lock_guard lock{probe_mutex_};
  phase_ = name;
}

void sim_observer::event(const std::string& label) {
  std::lock_guard lock{timeline_mutex_};
  timeline_.events.push_back({seconds_since_start(), label});
}

double sim_observer::seconds_since_start() const {
  return static_cast<double>(ms_since(start_)) / 1000.0;
}

// Up to 16 Services per round, every 2 ms, round robin: a flow each, with
// a new source port every time, so ECMP spreads them.
void sim_observer::probe_loop() {
  std::uint16_t port = 1024;
  std::size_t next = 0;
  const auto source = *net::parse_ip("198.51.100.7");
  while (!stop_) {
    std::vector<std::pair<std::string, net::ip_address>> batch;
    {
      // Only what should be reachable: modelled Services (a deleted one
      // is gone from the model) that some node can serve.
      std::lock_guard lock{model_mutex_};
      std::vector<std::pair<std::string, net::ip_address>> live;
      for (const auto& [name, ips] : eips_)
        if (const auto* s = c_.model().service(name))
          for (const auto& eip : ips)
            if (!sim::expected_next_hops(c_.model(), *s, eip.fam).empty())
              live.emplace_back(name, eip);
      for (std::size_t i = 0; i < std::min<std::size_t>(16, live.size()); ++i)
        batch.push_back(live[(next + i) % live.size()]);
      next += batch.size();
    }
    for (const auto& [svc, eip] : batch) {
      sim::five_tuple f{source, eip, port, 80, 6};
      port = port == 65535 ? 1024 : port + 1;
      const auto fabric = c_.fabric();
      sim::probe_result r;
      {
        std::lock_guard lock{model_mutex_};
        const auto& m = c_.model();
        const auto* s = m.service(svc);
        r = sim::send_probe(
          f, fabric,
          [&](const net::ip_address& node_ip, const net::ip_address& dst) {
            const auto* n = m.node_at(node_ip);
            if (n == nullptr)
              return std::string{"not a node"};
            if (!c_.node_diverts(n->name, dst))
              return std::string{"no rule for the EIP"};
            if (s != nullptr && !sim::serves(*s, *n))
              return std::string{"no serving endpoint"};
            return std::string{};
          });
      }
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
}

void sim_observer::sample_loop() {
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
}

long long sim_observer::lost(const std::string& phase) {
  std::lock_guard lock{probe_mutex_};
  return counts_[phase].lost;
}

long long sim_observer::lost_total() {
  std::lock_guard lock{probe_mutex_};
  return lost_;
}

void sim_observer::print_probes(const std::string& phase) {
  std::lock_guard lock{probe_mutex_};
  const auto& n = counts_[phase];
  std::cout << "probes: " << n.sent << " sent, " << n.lost << " lost";
  for (const auto& [why, count] : n.why)
    std::cout << "; " << count << " × " << why;
  std::cout << "\n" << std::flush;
}

void sim_observer::expect(bool ok, const std::string& what) {
  checks_.emplace_back(ok, what);
}

void sim_observer::write_report(const std::string& path) {
  std::lock_guard lock{timeline_mutex_};
  {
    std::lock_guard m{model_mutex_};
    std::size_t routes = 0;
    for (const auto& [name, ips] : eips_)
      routes += ips.size();
    timeline_.expected_routes = std::max(routes, std::size_t{1});
  }
  std::ofstream out{path};
  out << sim::render_html(timeline_);
  if (out)
    std::cout << "report: " << std::filesystem::absolute(path).string() << "\n";
  else
    std::cout << "report: cannot write " << path << "\n";
}

int sim_observer::finish(const std::string& report_path) {
  stop();
  write_report(report_path);
  std::cout << "\n== summary\n";
  bool all = true;
  for (const auto& [ok, what] : checks_) {
    std::cout << (ok ? "PASS  " : "FAIL  ") << what << "\n";
    all = all && ok;
  }
  {
    std::lock_guard lock{probe_mutex_};
    for (const auto& [name, n] : counts_) {
      if (n.sent == 0)
        continue;
      std::cout << "probes " << name << ": " << n.lost << " of " << n.sent
                << " lost";
      for (const auto& [why, count] : n.why)
        std::cout << "; " << count << " × " << why;
      std::cout << "\n";
    }
  }
  std::cout << (all ? "PASS" : "FAIL") << "\n" << std::flush;
  return all ? 0 : 1;
}

} // namespace porter
