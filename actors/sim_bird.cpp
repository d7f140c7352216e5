#include "actors/sim_bird.hpp"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <unistd.h>

#include "actors/sim_bird_lab.hpp"
#include "actors/sim_cluster.hpp"
#include "actors/sim_observer.hpp"
#include "k8s/io/api_client.hpp"
#include "net/io/tcp.hpp"
#include "sim/scenario/cluster_model.hpp"
#include "sim/scenario/text_table.hpp"
#include "sim/scenario/timeline.hpp"

namespace porter {

namespace {

using std::chrono::milliseconds;

constexpr const char* tor_ip = bird_lab_tor_ip;
constexpr int api_port = bird_lab_api_port;

std::string answers_text(const std::map<std::string, int>& a) {
  std::string out;
  for (const auto& [who, n] : a)
    out += (out.empty() ? "" : ", ") + who + " " + std::to_string(n);
  return out;
}

} // namespace

int run_bird_demo(const sim_demo_options& o) {
  if (geteuid() != 0) {
    std::cerr << "porter sim demo --fabric=bird: needs root (network "
                 "namespaces, BIRD)\n";
    return 1;
  }
  for (const char* tool : {"bird", "ip", "python3"})
    if (std::system((std::string{"command -v "} + tool + " >/dev/null").c_str())
        != 0) {
      std::cerr << "porter sim demo --fabric=bird: " << tool
                << " is not installed (Debian: bird2, iproute2, python3)\n";
      return 1;
    }
  auto work = sim_work_dir(o.work_dir);
  if (!work) {
    std::cerr << "porter sim demo: " << work.error() << "\n";
    return 1;
  }
  const std::string porter = sim_porter_executable();
  std::cout << "porter sim demo --fabric=bird: BIRD 2 as the switch, 3 nodes "
               "as network namespaces with porter agent on their kernels, 2 "
               "manager replicas, an outside client (logs in "
            << *work << ")\n";
  std::vector<std::pair<bool, std::string>> checks;
  int rc = 1;
  {
    bird_lab l{*work};
    if (auto r = l.build(porter); !r) {
      std::cerr << "porter sim demo: " << r.error() << "\n";
      return 1;
    }
    // The API, from here through the tor's uplink.
    auto io = std::make_shared<net::io::io_thread>();
    k8s::client_config cfg;
    cfg.host = "10.99.0.2";
    cfg.port = std::to_string(api_port);
    cfg.tls = false;
    cfg.source = "porter sim (bird)";
    auto client = k8s::io::make_api_client(cfg, io);
    if (!client) {
      std::cerr << "porter sim demo: " << client.error() << "\n";
      return 1;
    }
    auto& api = **client;
    const auto t0 = std::chrono::steady_clock::now();
    while (sim_call(api, "GET", "/api").status != 200 && ms_since(t0) < 10'000)
      std::this_thread::sleep_for(milliseconds{50});
    sim::cluster_model m;
    for (int i = 1; i <= 3; ++i)
      m.nodes.push_back({"node-" + std::to_string(i),
                         *net::parse_ip("10.97.0.1" + std::to_string(i))});
    m.services = {{"web", false, {"node-1", "node-2", "node-3"}, "pool"},
                  {"api", true, {"node-2", "node-3"}, "pool"}};
    tl::expected<void, std::string> setup = sim_install_crds(api);
    for (const auto& n : m.nodes)
      setup
        = setup ? sim_create(api, "/api/v1/nodes", sim::node_json(n)) : setup;
    if (setup)
      setup = sim_create(
        api, "/apis/network.kubesphere.io/v1alpha2/eips",
        R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",)"
        R"("metadata":{"name":"pool"},"spec":{"address":"10.200.9.10-10.200.9.19"}})");
    if (setup)
      setup = sim_create(
        api, "/apis/network.kubesphere.io/v1alpha2/bgpconfs",
        R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"BgpConf",)"
        R"("metadata":{"name":"default"},"spec":{"as":65100,"listenPort":-1}})");
    if (setup)
      setup = sim_create(
        api, "/apis/network.kubesphere.io/v1alpha2/bgppeers",
        R"({"apiVersion":"network.kubesphere.io/v1alpha2","kind":"BgpPeer",)"
        R"("metadata":{"name":"tor"},"spec":{"conf":{"neighborAddress":")"
          + std::string{tor_ip}
          + R"(","peerAs":65000},"gracefulRestart":{"enabled":true,)"
            R"("restartTime":30},"timers":{"config":{"connectRetry":"1"}}}})");
    for (const auto& s : m.services) {
      setup = setup ? sim_create(api, "/api/v1/namespaces/default/services",
                                 sim::service_json(s))
                    : setup;
      setup = setup ? sim_create(api,
                                 "/apis/discovery.k8s.io/v1/namespaces/"
                                 "default/endpointslices",
                                 sim::endpoint_slice_json(m, s))
                    : setup;
    }
    if (!setup) {
      std::cerr << "porter sim demo: " << setup.error() << "\n";
      return 1;
    }
    l.start_nodes(porter);

    // The EIPs porter gave, then the routes in BIRD's kernel table, as the
    // model says.
    auto eip_of = [&](const std::string& svc) {
      return sim_string_at(
        sim_call(api, "GET", "/api/v1/namespaces/default/services/" + svc).body,
        {"status", "loadBalancer", "ingress", "#0", "ip"});
    };
    std::map<std::string, std::string> eips;
    const auto t_ip = std::chrono::steady_clock::now();
    while (eips.size() < m.services.size() && ms_since(t_ip) < 30'000) {
      for (const auto& s : m.services)
        if (auto ip = eip_of(s.name); !ip.empty())
          eips[s.name] = ip;
      std::this_thread::sleep_for(milliseconds{100});
    }
    if (eips.size() < m.services.size()) {
      std::cerr << "porter sim demo: the Services got no EIP within 30 s (see "
                << *work << "/manager-1.log)\n";
      return 1;
    }
    // The run's picture: BIRD's routed EIPs and the leader, every 100 ms.
    sim::timeline tl;
    tl.title = "porter sim demo --fabric=bird";
    tl.switches = {"bird"};
    tl.expected_routes = eips.size();
    std::mutex tl_mutex;
    std::atomic<bool> sampling{true};
    const auto t_start = std::chrono::steady_clock::now();
    auto seconds
      = [&] { return static_cast<double>(ms_since(t_start)) / 1000.0; };
    auto lease_holder = [&] {
      return sim_string_at(sim_call(api, "GET",
                                    "/apis/coordination.k8s.io/v1/namespaces/"
                                    "porter-system/leases/porter-manager")
                             .body,
                           {"spec", "holderIdentity"});
    };
    std::thread sampler{[&] {
      while (sampling) {
        sim::timeline_sample sample;
        sample.t = seconds();
        std::size_t routed = 0;
        for (const auto& [svc, eip] : eips)
          routed += l.next_hops(eip).empty() ? 0 : 1;
        sample.routes = {routed};
        sample.stale_paths = {0};
        sample.leader = lease_holder();
        {
          std::lock_guard lock{tl_mutex};
          tl.samples.push_back(sample);
        }
        std::this_thread::sleep_for(milliseconds{100});
      }
    }};
    auto event = [&](const std::string& label) {
      std::lock_guard lock{tl_mutex};
      tl.events.push_back({seconds(), label});
    };
    auto hops_of = [&](const std::string& svc) {
      std::vector<std::string> out;
      for (const auto& ip : sim::expected_next_hops(m, *m.service(svc)))
        out.push_back(net::to_string(ip));
      return out;
    };
    const auto t1 = std::chrono::steady_clock::now();
    bool routed = false;
    while (!routed && ms_since(t1) < 30'000) {
      routed = l.next_hops(eips.at("web")) == hops_of("web")
               && l.next_hops(eips.at("api")) == hops_of("api");
      if (!routed)
        std::this_thread::sleep_for(milliseconds{100});
    }
    std::vector<sim::text_row> rows;
    for (const auto& [svc, eip] : eips) {
      std::string have, want;
      for (const auto& h : l.next_hops(eip))
        have += (have.empty() ? "" : " ") + h;
      for (const auto& h : hops_of(svc))
        want += (want.empty() ? "" : " ") + h;
      rows.push_back({svc, eip, have, want, have == want ? "OK" : "FAIL"});
    }
    std::cout << "\n== BIRD's kernel routes after " << ms_since(t1) << " ms\n"
              << sim::render_table(
                   {"SERVICE", "EIP", "NEXT HOPS", "EXPECTED", "RESULT"}, rows);
    checks.emplace_back(routed, "BIRD routes both EIPs via the expected "
                                "nodes (ECMP, multipath in its kernel)");

    // Requests from outside: who answers.
    auto web = l.requests(eips.at("web"), 300, 0);
    auto api_answers = l.requests(eips.at("api"), 100, 0);
    std::cout << "\n== 300 requests to web (Cluster): " << answers_text(web)
              << "\n== 100 requests to api (Local):   "
              << answers_text(api_answers) << "\n";
    checks.emplace_back(web["failed"] == 0 && web["node-1"] > 0
                          && web["node-2"] > 0 && web["node-3"] > 0,
                        "web answered by all three nodes, no failure");
    checks.emplace_back(api_answers["failed"] == 0 && api_answers["node-1"] == 0
                          && api_answers["node-2"] > 0
                          && api_answers["node-3"] > 0,
                        "api (Local) answered only by node-2 and node-3");

    // The leader dies; requests keep flowing (BIRD keeps the paths,
    // graceful restart) while the other replica takes over.
    const auto old = lease_holder();
    std::map<std::string, int> during;
    std::thread traffic{[&] { during = l.requests(eips.at("web"), 0, 6.0); }};
    std::this_thread::sleep_for(milliseconds{500});
    const auto t2 = std::chrono::steady_clock::now();
    l.kill(old);
    event("kill -9 " + old);
    long long elected = -1;
    while (elected < 0 && ms_since(t2) < 10'000) {
      const auto now = lease_holder();
      if (!now.empty() && now != old)
        elected = ms_since(t2);
      std::this_thread::sleep_for(milliseconds{20});
    }
    traffic.join();
    std::cout << "\n== failover: kill -9 " << old << "; the other replica "
              << (elected < 0
                    ? std::string{"never took over"}
                    : "holds the Lease at +" + std::to_string(elected) + " ms")
              << "\nrequests to web meanwhile (6 s): " << answers_text(during)
              << "\n";
    checks.emplace_back(elected >= 0, "the other replica takes the Lease");
    checks.emplace_back(during["failed"] == 0,
                        "no request failed during the failover");
    checks.emplace_back(l.next_hops(eips.at("web")) == hops_of("web"),
                        "BIRD still routes web via all three nodes");

    sampling = false;
    sampler.join();
    {
      std::ofstream out{o.report};
      out << sim::render_html(tl);
      std::cout << "report: " << std::filesystem::absolute(o.report).string()
                << "\n";
    }
    std::cout << "\n== summary\n";
    bool all = true;
    for (const auto& [ok, what] : checks) {
      std::cout << (ok ? "PASS  " : "FAIL  ") << what << "\n";
      all = all && ok;
    }
    std::cout << (all ? "PASS" : "FAIL") << "\n" << std::flush;
    rc = all ? 0 : 1;
  }
  if (!o.keep && o.work_dir.empty() && rc == 0)
    std::filesystem::remove_all(*work);
  return rc;
}

} // namespace porter
