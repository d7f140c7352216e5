#include "actors/sim_cluster.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/agent.hpp"
#include "actors/messages.hpp"
#include "actors/sim_cluster_parts.hpp"
#include "actors/sim_switch.hpp"
#include "sim/apiserver/kubeconfig.hpp"

namespace porter {

namespace {

constexpr const char* token = "porter-sim-demo";
constexpr std::uint32_t porter_as = 65100;

const switch_spec spine_spec{"spine",      "127.0.1.9",   65000,
                             "10.255.0.9", "fd00:255::9", 1};
// Up to four leaves (sim_cluster_options::leaves).
const switch_spec all_leaf_specs[] = {
  {"leaf-a", "127.0.1.1", 65001, "10.255.0.1", "fd00:255::1", 2},
  {"leaf-b", "127.0.1.2", 65002, "10.255.0.2", "fd00:255::2", 3},
  {"leaf-c", "127.0.1.3", 65003, "10.255.0.3", "fd00:255::3", 4},
  {"leaf-d", "127.0.1.4", 65004, "10.255.0.4", "fd00:255::4", 5},
};

net::ip_address ip(const char* text) {
  return *net::parse_ip(text);
}

std::uint32_t router_id(const char* v4) {
  return ip(v4).v4_host_order();
}

} // namespace

std::vector<switch_spec> sim_cluster::leaf_specs() const {
  const auto n = static_cast<std::size_t>(
    std::clamp(opts_.leaves, 1, static_cast<int>(std::size(all_leaf_specs))));
  return {std::begin(all_leaf_specs), std::begin(all_leaf_specs) + n};
}

std::string sim_porter_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"porter"} : p.string();
}

tl::expected<std::string, std::string>
sim_work_dir(const std::string& requested) {
  if (!requested.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(requested, ec);
    if (ec)
      return tl::unexpected{requested + ": " + ec.message()};
    return requested;
  }
  char tmpl[] = "/tmp/porter-sim.XXXXXX";
  if (mkdtemp(tmpl) == nullptr)
    return tl::unexpected{std::string{"cannot create a directory in /tmp"}};
  return std::string{tmpl};
}

sim_cluster::sim_cluster(sim_cluster_options o, sim::cluster_model m)
    : opts_(std::move(o)),
      model_(std::move(m)),
      p_(std::make_unique<parts>()) {}

sim_cluster::~sim_cluster() {
  for (auto& [name, child] : p_->replicas)
    child.signal(SIGKILL);
  for (auto& a : p_->actors)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  p_->actors.clear();
  p_->sys.reset(); // waits for the actors
  if (p_->server)
    p_->server->stop();
}

std::string sim_cluster::kubeconfig_path() const {
  return opts_.work_dir + "/kubeconfig";
}

tl::expected<void, std::string> sim_cluster::start() {
  // The API server, and the kubeconfig the replicas use.
  sim::server_options so;
  so.tls = true;
  so.token = token;
  so.bookmark_interval = std::chrono::milliseconds{1000};
  p_->server = std::make_unique<sim::api_server>(so);
  if (auto r = p_->server->start(); !r)
    return tl::unexpected{"API server: " + r.error()};
  p_->server->start_background();
  {
    std::ofstream out{kubeconfig_path()};
    out << sim::make_kubeconfig({p_->server->url(), p_->server->ca_pem(), token,
                                 "porter-sim", "default"});
    if (!out)
      return tl::unexpected{kubeconfig_path() + ": cannot write it"};
  }
  p_->config.host = "127.0.0.1";
  p_->config.port = std::to_string(p_->server->port());
  p_->config.ca_pem = p_->server->ca_pem();
  p_->config.token = token;
  p_->config.source = "porter sim";
  auto client = k8s::io::make_api_client(p_->config, p_->io);
  if (!client)
    return tl::unexpected{client.error()};
  p_->client = *client;

  // porter's CRDs, then the cluster's objects.
  if (auto r = sim_install_crds(*p_->client); !r)
    return r;
  for (const auto& n : model_.nodes)
    if (auto r = create("/api/v1/nodes", sim::node_json(n)); !r)
      return r;
  if (auto r = apply(opts_.manifests); !r)
    return r;
  for (const auto& s : model_.services) {
    if (auto r
        = create("/api/v1/namespaces/default/services", sim::service_json(s));
        !r)
      return r;
    if (auto r = create("/apis/discovery.k8s.io/v1/namespaces/default/"
                        "endpointslices",
                        sim::endpoint_slice_json(model_, s));
        !r)
      return r;
  }

  p_->sys = std::make_unique<caf::actor_system>(p_->sys_cfg);
  if (auto r = start_switches(); !r)
    return r;
  // BgpConf "default" (no listener: the replicas dial the leaves) and one
  // BgpPeer per leaf.
  if (auto r = create("/apis/network.kubesphere.io/v1alpha2/bgpconfs",
                      R"({"apiVersion":"network.kubesphere.io/v1alpha2",)"
                      R"("kind":"BgpConf","metadata":{"name":"default"},)"
                      R"("spec":{"as":)"
                        + std::to_string(porter_as) + R"(,"listenPort":-1}})");
      !r)
    return r;
  for (const auto& leaf : leaf_specs()) {
    const auto port = p_->board->view(leaf.name)->port;
    std::string gr = opts_.graceful_restart
                       ? R"(,"gracefulRestart":{"enabled":true,)"
                         R"("restartTime":30})"
                       : "";
    if (auto r
        = create("/apis/network.kubesphere.io/v1alpha2/bgppeers",
                 R"({"apiVersion":"network.kubesphere.io/v1alpha2",)"
                 R"("kind":"BgpPeer","metadata":{"name":")"
                   + std::string{leaf.name}
                   + R"("},"spec":{"conf":{"neighborAddress":")" + leaf.address
                   + R"(","peerAs":)" + std::to_string(leaf.as)
                   + R"(},"transport":{"remotePort":)" + std::to_string(port)
                   + "}" + gr + "}}");
        !r)
      return r;
  }

  // One agent per node, each with its own rule table and API client.
  for (const auto& n : model_.nodes) {
    auto table = std::make_shared<net::io::memory_rule_table>();
    p_->tables[n.name] = table;
    auto c = k8s::io::make_api_client(p_->config, p_->io);
    if (!c)
      return tl::unexpected{c.error()};
    agent_args a;
    a.client = *c;
    a.table = table;
    a.node_name = n.name;
    p_->actors.push_back(spawn_agent(*p_->sys, std::move(a)));
  }
  for (int i = 0; i < opts_.replicas; ++i)
    if (auto r = start_replica(i); !r)
      return r;
  return {};
}

tl::expected<void, std::string> sim_cluster::start_switches() {
  auto spawn
    = [&](const switch_spec& s,
          std::optional<std::pair<net::ip_address, std::uint16_t>> uplink)
    -> tl::expected<void, std::string> {
    sim_switch_args a;
    a.name = s.name;
    a.io = p_->io;
    a.board = p_->board;
    a.as = s.as;
    a.router_id = router_id(s.self_v4);
    a.address = ip(s.address);
    a.uplink = uplink;
    a.uplink_as = spine_spec.as;
    a.self_v4 = ip(s.self_v4);
    a.self_v6 = ip(s.self_v6);
    p_->switches[s.name] = spawn_sim_switch(*p_->sys, a);
    p_->actors.push_back(p_->switches[s.name]);
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds{5};
    while (std::chrono::steady_clock::now() < end) {
      if (auto v = p_->board->view(s.name); v && v->port != 0)
        return {};
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return tl::unexpected{std::string{s.name} + ": did not start listening on "
                          + s.address};
  };
  if (auto r = spawn(spine_spec, std::nullopt); !r)
    return r;
  const auto spine_port = p_->board->view(spine_spec.name)->port;
  for (const auto& leaf : leaf_specs())
    if (auto r = spawn(leaf, std::pair{ip(spine_spec.address), spine_port}); !r)
      return r;
  return {};
}

tl::expected<void, std::string> sim_cluster::start_replica(int index) {
  const std::string name = "manager-" + std::to_string(index + 1);
  const auto& node
    = model_.nodes[static_cast<std::size_t>(index) % model_.nodes.size()];
  auto num = [](double v) { return std::to_string(v); };
  std::vector<std::string> argv{opts_.porter_exe,   "manager",
                                "--kubeconfig",     kubeconfig_path(),
                                "--namespace",      "porter-system",
                                "--identity",       name,
                                "--node-name",      node.name,
                                "--lease-duration", num(opts_.lease_duration),
                                "--renew-deadline", num(opts_.renew_deadline),
                                "--retry-period",   num(opts_.retry_period),
                                "--shutdown-grace", "1",
                                "--admin-listen",   ""};
  auto child = child_process::start(argv, opts_.work_dir + "/" + name + ".log");
  if (!child)
    return tl::unexpected{name + ": " + child.error()};
  p_->replicas.insert_or_assign(name, std::move(*child));
  return {};
}

std::vector<std::string> sim_cluster::replica_names() const {
  std::vector<std::string> out;
  for (const auto& [name, child] : p_->replicas)
    out.push_back(name);
  return out;
}

void sim_cluster::signal_replica(const std::string& name, int sig) {
  if (auto it = p_->replicas.find(name); it != p_->replicas.end())
    it->second.signal(sig);
}

bool sim_cluster::replica_running(const std::string& name) {
  auto it = p_->replicas.find(name);
  return it != p_->replicas.end()
         && !it->second.wait_for(std::chrono::milliseconds{0});
}

tl::expected<void, std::string>
sim_cluster::restart_replica(const std::string& name) {
  auto it = p_->replicas.find(name);
  if (it == p_->replicas.end())
    return tl::unexpected{"no replica " + name};
  if (!it->second.wait_for(std::chrono::seconds{5}))
    return tl::unexpected{name + " is still running"};
  return start_replica(std::stoi(name.substr(name.rfind('-') + 1)) - 1);
}

sim_cluster::switch_counts sim_cluster::counts_of(const std::string& sw) const {
  auto v = p_->board->view(sw);
  if (!v)
    return {};
  return {v->sessions, v->paths, v->stale_paths};
}

void sim_cluster::partition(const std::string& sw,
                            std::chrono::milliseconds duration) {
  if (auto it = p_->switches.find(sw); it != p_->switches.end())
    caf::anon_send(it->second, atoms::partition_atom_v,
                   static_cast<std::int64_t>(duration.count()));
}

std::vector<std::string> sim_cluster::switch_names() const {
  std::vector<std::string> out;
  for (const auto& leaf : leaf_specs())
    out.emplace_back(leaf.name);
  out.emplace_back(spine_spec.name);
  return out;
}

sim::forwarding_table sim_cluster::table_of(const std::string& sw) const {
  auto v = p_->board->view(sw);
  return v ? v->fib : sim::forwarding_table{};
}

sim::fabric_state sim_cluster::fabric() const {
  sim::fabric_state f;
  f.spine = table_of(spine_spec.name);
  f.spine_seed = spine_spec.seed;
  for (const auto& leaf : leaf_specs())
    f.leaves.push_back({leaf.name, ip(leaf.self_v4), table_of(leaf.name),
                        leaf.seed, ip(leaf.self_v6)});
  return f;
}

bool sim_cluster::node_diverts(const std::string& node,
                               const net::ip_address& eip) const {
  auto it = p_->tables.find(node);
  return it != p_->tables.end() && it->second->diverts(eip);
}

} // namespace porter
