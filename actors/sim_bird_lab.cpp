#include "actors/sim_bird_lab.hpp"

#include <algorithm>
#include <csignal>
#include <fstream>

#include <rapidjson/document.h>
#include <unistd.h>

#include "sim/apiserver/kubeconfig.hpp"

namespace porter {

namespace {

using std::chrono::milliseconds;
constexpr const char* tor_ip = bird_lab_tor_ip;
constexpr int api_port = bird_lab_api_port;

// The lab: tor (BIRD, the API server; bridge 10.97.0.1/24 to the nodes,
// 10.98.0.1/24 to the client, 10.99.0.2/30 to this process), nodes
// 10.97.0.11-13, client 10.98.0.2.

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

} // namespace
bird_lab::bird_lab(std::string dir) : dir_(std::move(dir)) {
  const auto sfx = std::to_string(getpid() % 100000);
  tor_ = "psb-tor-" + sfx;
  client_ = "psb-cl-" + sfx;
  for (int i = 1; i <= 3; ++i)
    nodes_.push_back("psb-n" + std::to_string(i) + "-" + sfx);
}

bird_lab::~bird_lab() {
  procs_.clear(); // SIGKILL and reap
  for (const auto& ns : netns_)
    run({"ip", "netns", "del", ns});
  run({"ip", "link", "del", "psb-up-" + std::to_string(getpid() % 100000)});
}

bool bird_lab::run(const std::vector<std::string>& argv) {
  auto c = child_process::start(argv, dir_ + "/commands.log");
  return c && c->wait_for(milliseconds{20'000}) && c->exit_code() == 0;
}

std::string bird_lab::output(const std::vector<std::string>& argv) {
  const auto path = dir_ + "/output-" + std::to_string(outputs_++) + ".tmp";
  auto c = child_process::start(argv, path);
  if (!c || !c->wait_for(milliseconds{30'000}))
    return {};
  std::ifstream in{path};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  std::remove(path.c_str());
  return text;
}

void bird_lab::background(const std::string& name,
                          std::vector<std::string> argv) {
  auto c = child_process::start(argv, dir_ + "/" + name + ".log");
  if (c)
    procs_.insert_or_assign(name, std::move(*c));
}

void bird_lab::kill(const std::string& name) {
  if (auto it = procs_.find(name); it != procs_.end())
    it->second.signal(SIGKILL);
}

std::vector<std::string> bird_lab::in(const std::string& ns,
                                      std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"ip", "netns", "exec", ns});
  return argv;
}

tl::expected<void, std::string> bird_lab::build(const std::string& porter) {
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
      && run({"ip", "link", "add", up, "type", "veth", "peer", "name", "uplink",
              "netns", tor_})
      && run({"ip", "addr", "add", "10.99.0.1/30", "dev", up})
      && run({"ip", "link", "set", up, "up"})
      && run({"ip", "-n", tor_, "addr", "add", "10.99.0.2/30", "dev", "uplink"})
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
  background("bird", in(tor_, {"bird", "-f", "-c", dir_ + "/bird.conf", "-s",
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

void bird_lab::start_nodes(const std::string& porter) {
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

void bird_lab::start_manager(const std::string& porter, std::size_t i) {
  const auto n = std::to_string(i + 1);
  background(
    "manager-" + n,
    in(nodes_[i],
       {porter, "manager", "--kubeconfig", dir_ + "/kc-node", "--namespace",
        "porter-system", "--identity", "manager-" + n, "--node-name",
        "node-" + n, "--lease-duration", "2", "--renew-deadline", "1.5",
        "--retry-period", "0.5", "--admin-listen", ""}));
}

std::vector<std::string> bird_lab::next_hops(const std::string& eip) {
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

std::map<std::string, int> bird_lab::requests(const std::string& eip, int count,
                                              double seconds) {
  std::map<std::string, int> out;
  rapidjson::Document d;
  d.Parse(output(in(client_, {"python3", dir_ + "/client.py", eip,
                              std::to_string(count), std::to_string(seconds)}))
            .c_str());
  if (d.HasParseError() || !d.IsObject())
    return {{"failed", -1}};
  for (const auto& m : d.GetObject())
    out[m.name.GetString()] = m.value.GetInt();
  return out;
}

std::vector<std::string> bird_lab::all() const {
  std::vector<std::string> out{tor_, client_};
  out.insert(out.end(), nodes_.begin(), nodes_.end());
  return out;
}

bool bird_lab::link(const std::string& a_name, const std::string& a_ns,
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

} // namespace porter
