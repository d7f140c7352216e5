#include "actors/sim_bird.hpp"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <rapidjson/document.h>
#include <unistd.h>

#include "actors/child_process.hpp"
#include "actors/sim_cluster.hpp"
#include "actors/sim_observer.hpp"
#include "k8s/io/api_client.hpp"
#include "net/io/tcp.hpp"
#include "sim/apiserver/kubeconfig.hpp"
#include "sim/scenario/cluster_model.hpp"
#include "sim/scenario/text_table.hpp"
#include "sim/scenario/timeline.hpp"

namespace porter {

namespace {

using std::chrono::milliseconds;

// The lab: tor (BIRD, the API server; bridge 10.97.0.1/24 to the nodes,
// 10.98.0.1/24 to the client, 10.99.0.2/30 to this process), nodes
// 10.97.0.11-13, client 10.98.0.2.
constexpr const char* tor_ip = "10.97.0.1";
constexpr int api_port = 6443;

// An HTTP server on the node: answers every request with the node's name,
// from whatever address the request went to (IP_TRANSPARENT: the EIP is on
// no interface; see README "The agent").
constexpr const char* server_py = R"(import socket, sys
s = socket.socket(socket.AF_INET)
s.setsockopt(socket.SOL_IP, 19, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80)); s.listen(128)
name = sys.argv[1].encode()
while True:
    c, _ = s.accept()
    try:
        c.settimeout(1); c.recv(1024)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(name), name))
    except OSError:
        pass
    c.close()
)";

// The outside client: requests to an EIP, each on a new connection (a new
// source port, so ECMP hashes it afresh), for a count or a duration;
// prints {"node-1": n, ..., "failed": k}.
constexpr const char* client_py = R"(import json, socket, sys, time
eip, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
answers, end, n = {"failed": 0}, time.time() + seconds, 0
while (count and n < count) or (not count and time.time() < end):
    n += 1
    try:
        c = socket.create_connection((eip, 80), timeout=1)
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
        body = c.recv(1024).split(b"\r\n\r\n", 1)[1].decode()
        answers[body] = answers.get(body, 0) + 1
        c.close()
    except OSError:
        answers["failed"] += 1
    if not count:
        time.sleep(0.005)
print(json.dumps(answers))
)";

class lab {
public:
  explicit lab(std::string dir) : dir_(std::move(dir)) {
    const auto sfx = std::to_string(getpid() % 100000);
    tor_ = "psb-tor-" + sfx;
    client_ = "psb-cl-" + sfx;
    for (int i = 1; i <= 3; ++i)
      nodes_.push_back("psb-n" + std::to_string(i) + "-" + sfx);
  }

  ~lab() {
    procs_.clear(); // SIGKILL and reap
    for (const auto& ns : netns_)
      run({"ip", "netns", "del", ns});
    run({"ip", "link", "del", "psb-up-" + std::to_string(getpid() % 100000)});
  }

  /// Runs a command to its end; its output goes to the lab's log.
  bool run(const std::vector<std::string>& argv) {
    auto c = child_process::start(argv, dir_ + "/commands.log");
    return c && c->wait_for(milliseconds{20'000}) && c->exit_code() == 0;
  }
  /// Its standard output (threads may call this at once).
  std::string output(const std::vector<std::string>& argv) {
    const auto path = dir_ + "/output-" + std::to_string(outputs_++) + ".tmp";
    auto c = child_process::start(argv, path);
    if (!c || !c->wait_for(milliseconds{30'000}))
      return {};
    std::ifstream in{path};
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    std::remove(path.c_str());
    return text;
  }
  void background(const std::string& name, std::vector<std::string> argv) {
    auto c = child_process::start(argv, dir_ + "/" + name + ".log");
    if (c)
      procs_.insert_or_assign(name, std::move(*c));
  }
  void kill(const std::string& name) {
    if (auto it = procs_.find(name); it != procs_.end())
      it->second.signal(SIGKILL);
  }
  std::vector<std::string> in(const std::string& ns,
                              std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ip", "netns", "exec", ns});
    return argv;
  }

  tl::expected<void, std::string> build(const std::string& porter) {
    for (const auto& ns : all()) {
      if (!run({"ip", "netns", "add", ns}))
        return tl::unexpected{"ip netns add " + ns + " failed"};
      netns_.push_back(ns);
      run({"ip", "-n", ns, "link", "set", "lo", "up"});
    }
    const auto up = "psb-up-" + std::to_string(getpid() % 100000);
    bool ok
      = run({"ip", "-n", tor_, "link", "add", "br0", "type", "bridge"})
        && run({"ip", "-n", tor_, "addr", "add", std::string{tor_ip} + "/24",
                "dev", "br0"})
        && run({"ip", "-n", tor_, "link", "set", "br0", "up"})
        && run(in(tor_, {"sysctl", "-qw", "net.ipv4.ip_forward=1",
                         "net.ipv4.fib_multipath_hash_policy=1"}))
        && link("tor-cl", tor_, "10.98.0.1/24", "eth0", client_, "10.98.0.2/24")
        && run(
          {"ip", "-n", client_, "route", "add", "default", "via", "10.98.0.1"})
        && run({"ip", "link", "add", up, "type", "veth", "peer", "name",
                "uplink", "netns", tor_})
        && run({"ip", "addr", "add", "10.99.0.1/30", "dev", up})
        && run({"ip", "link", "set", up, "up"})
        && run(
          {"ip", "-n", tor_, "addr", "add", "10.99.0.2/30", "dev", "uplink"})
        && run({"ip", "-n", tor_, "link", "set", "uplink", "up"});
    for (std::size_t i = 0; ok && i < nodes_.size(); ++i) {
      const auto port = "tor-n" + std::to_string(i + 1);
      ok = link(port, tor_, "", "eth0", nodes_[i],
                "10.97.0.1" + std::to_string(i + 1) + "/24")
           && run({"ip", "-n", tor_, "link", "set", port, "master", "br0"})
           && run(
             {"ip", "-n", nodes_[i], "route", "add", "default", "via", tor_ip});
    }
    if (!ok)
      return tl::unexpected{std::string{"building the lab's links failed (see "}
                            + dir_ + "/commands.log)"};
    std::ofstream{dir_ + "/server.py"} << server_py;
    std::ofstream{dir_ + "/client.py"} << client_py;
    std::ofstream{dir_ + "/bird.conf"}
      << "log stderr all;\nrouter id " << tor_ip
      << ";\nprotocol device { scan time 10; }\n"
         "protocol kernel {\n  ipv4 { import none; export where source = "
         "RTS_BGP; };\n  merge paths yes limit 16;\n}\n"
         "template bgp porter {\n  local "
      << tor_ip
      << " as 65000;\n  graceful restart on;\n  connect delay time 1;\n"
         "  connect retry time 1;\n  error wait time 1, 2;\n"
         "  ipv4 { import all; export none; add paths rx; };\n}\n"
         "protocol bgp m1 from porter { neighbor 10.97.0.11 as 65100; }\n"
         "protocol bgp m2 from porter { neighbor 10.97.0.12 as 65100; }\n";
    background("bird",
               in(tor_, {"bird", "-f", "-c", dir_ + "/bird.conf", "-s",
                         dir_ + "/bird.ctl", "-P", dir_ + "/bird.pid"}));
    background("apiserver",
               in(tor_, {porter, "--log-level", "warn", "sim", "apiserver",
                         "--listen", "0.0.0.0:" + std::to_string(api_port),
                         "--kubeconfig-out", dir_ + "/kc-tor"}));
    std::ofstream{dir_ + "/kc-node"} << sim::make_kubeconfig(
      {"http://" + std::string{tor_ip} + ":" + std::to_string(api_port), "", "",
       "porter-sim", "default"});
    return {};
  }

  void start_nodes(const std::string& porter) {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const auto n = std::to_string(i + 1);
      background("server-" + n,
                 in(nodes_[i], {"python3", dir_ + "/server.py", "node-" + n}));
      background(
        "agent-" + n,
        in(nodes_[i], {porter, "agent", "--kubeconfig", dir_ + "/kc-node",
                       "--node", "node-" + n, "--admin-listen", ""}));
      if (i < 2)
        start_manager(porter, i);
    }
  }
  void start_manager(const std::string& porter, std::size_t i) {
    const auto n = std::to_string(i + 1);
    background(
      "manager-" + n,
      in(nodes_[i],
         {porter, "manager", "--kubeconfig", dir_ + "/kc-node", "--namespace",
          "porter-system", "--identity", "manager-" + n, "--node-name",
          "node-" + n, "--lease-duration", "2", "--renew-deadline", "1.5",
          "--retry-period", "0.5", "--admin-listen", ""}));
  }

  /// The tor's kernel next hops for `eip`, ascending.
  std::vector<std::string> next_hops(const std::string& eip) {
    rapidjson::Document d;
    const auto text
      = output({"ip", "-n", tor_, "-j", "route", "show", eip + "/32"});
    d.Parse(text.c_str());
    std::vector<std::string> out;
    if (d.HasParseError() || !d.IsArray())
      return out;
    for (const auto& r : d.GetArray()) {
      if (r.HasMember("gateway"))
        out.emplace_back(r["gateway"].GetString());
      if (r.HasMember("nexthops"))
        for (const auto& h : r["nexthops"].GetArray())
          if (h.HasMember("gateway"))
            out.emplace_back(h["gateway"].GetString());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// The client's answers: node name → count, "failed" → count.
  std::map<std::string, int> requests(const std::string& eip, int count,
                                      double seconds) {
    std::map<std::string, int> out;
    rapidjson::Document d;
    d.Parse(
      output(in(client_, {"python3", dir_ + "/client.py", eip,
                          std::to_string(count), std::to_string(seconds)}))
        .c_str());
    if (d.HasParseError() || !d.IsObject())
      return {{"failed", -1}};
    for (const auto& m : d.GetObject())
      out[m.name.GetString()] = m.value.GetInt();
    return out;
  }

private:
  std::vector<std::string> all() const {
    std::vector<std::string> out{tor_, client_};
    out.insert(out.end(), nodes_.begin(), nodes_.end());
    return out;
  }
  bool link(const std::string& a_name, const std::string& a_ns,
            const std::string& a_addr, const std::string& b_name,
            const std::string& b_ns, const std::string& b_addr) {
    bool ok = run({"ip", "link", "add", a_name, "netns", a_ns, "type", "veth",
                   "peer", "name", b_name, "netns", b_ns});
    if (!a_addr.empty())
      ok = ok && run({"ip", "-n", a_ns, "addr", "add", a_addr, "dev", a_name});
    return ok && run({"ip", "-n", b_ns, "addr", "add", b_addr, "dev", b_name})
           && run({"ip", "-n", a_ns, "link", "set", a_name, "up"})
           && run({"ip", "-n", b_ns, "link", "set", b_name, "up"});
  }

  std::string dir_;
  std::string tor_, client_;
  std::vector<std::string> nodes_;
  std::vector<std::string> netns_;
  std::map<std::string, child_process> procs_;
  std::atomic<std::uint64_t> outputs_{0};
};

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
    lab l{*work};
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
      rapidjson::Document d;
      d.Parse(sim_call(api, "GET", "/api/v1/namespaces/default/services/" + svc)
                .body.c_str());
      if (d.HasParseError() || !d.IsObject() || !d.HasMember("status")
          || !d["status"].HasMember("loadBalancer")
          || !d["status"]["loadBalancer"].HasMember("ingress")
          || d["status"]["loadBalancer"]["ingress"].Empty())
        return std::string{};
      return std::string{
        d["status"]["loadBalancer"]["ingress"][0]["ip"].GetString()};
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
      rapidjson::Document d;
      d.Parse(sim_call(api, "GET",
                       "/apis/coordination.k8s.io/v1/namespaces/"
                       "porter-system/leases/porter-manager")
                .body.c_str());
      return !d.HasParseError() && d.IsObject() && d.HasMember("spec")
                 && d["spec"].HasMember("holderIdentity")
               ? std::string{d["spec"]["holderIdentity"].GetString()}
               : std::string{};
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
  return rc;
}

} // namespace porter
