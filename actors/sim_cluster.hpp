// The virtual cluster of `porter sim demo` (issue #10 item 1): the API
// server emulator in this process with porter's CRDs and the model's
// objects, a spine and two leaves (actors/sim_switch) on 127.0.1.x, one
// agent actor per node with an in-memory rule table, and the manager
// replicas as real `porter manager` child processes peering with the
// leaves. Everything stops with the object. Blocking; one thread drives it.
#pragma once

#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "actors/child_process.hpp"
#include "sim/fabric/data_plane.hpp"
#include "sim/scenario/cluster_model.hpp"

namespace caf {
class actor_system;
class actor;
} // namespace caf

namespace porter::net::io {
class io_thread;
class memory_rule_table;
} // namespace porter::net::io
namespace porter::k8s::io {
class api_client;
}

namespace porter {

class fabric_board;

/// This executable (for the replicas), from /proc/self/exe.
std::string sim_porter_executable();
/// `requested`, or a new /tmp/porter-sim.XXXXXX.
tl::expected<std::string, std::string>
sim_work_dir(const std::string& requested);

/// One virtual switch of the fabric (actors/sim_cluster.cpp has them).
struct switch_spec {
  const char* name;
  const char* address; ///< where it listens (127.0.1.x)
  std::uint32_t as;
  const char* self_v4; ///< its next hop towards the spine, per family
  const char* self_v6;
  std::uint32_t seed; ///< of its ECMP hash
};

struct sim_cluster_options {
  std::string work_dir;   ///< logs and the kubeconfig
  std::string porter_exe; ///< for the manager replicas
  int replicas = 2;
  int leaves = 2; ///< 1-4, all under one spine
  /// Short Lease timing, so a failover shows within seconds.
  double lease_duration = 2, renew_deadline = 1.5, retry_period = 0.5;
  bool graceful_restart = true; ///< BgpPeer gracefulRestart on the leaves
  /// YAML applied after the CRDs and before the modelled Services (pools,
  /// Secrets, more Services...).
  std::string manifests;
};

struct api_answer {
  int status = 0; ///< 0: no HTTP answer (see body)
  std::string body;
};

/// One request through porter's own client, waited for at most 20 s.
api_answer sim_call(k8s::io::api_client& c, const std::string& method,
                    const std::string& path, const std::string& body = {},
                    const std::string& content_type = "application/json");
/// POST; anything but 200/201 is the error, in one line.
tl::expected<void, std::string> sim_create(k8s::io::api_client& c,
                                           const std::string& path,
                                           const std::string& json);
/// The string at a JSON path ("#0" for an array's first element), "" when
/// absent.
std::string sim_string_at(const std::string& json,
                          std::initializer_list<const char*> path);
/// porter's CRDs (built into the binary) and the namespace porter-system.
tl::expected<void, std::string> sim_install_crds(k8s::io::api_client& c);

class sim_cluster {
public:
  sim_cluster(sim_cluster_options o, sim::cluster_model m);
  ~sim_cluster();
  sim_cluster(const sim_cluster&) = delete;
  sim_cluster& operator=(const sim_cluster&) = delete;

  /// Brings everything up; a failure is one line.
  tl::expected<void, std::string> start();

  api_answer call(const std::string& method, const std::string& path,
                  const std::string& body = {},
                  const std::string& content_type = "application/json");

  const sim::cluster_model& model() const { return model_; }
  /// The Service's EIP from its status, if it has one.
  std::optional<net::ip_address> eip_of(const std::string& service);
  /// Every Service in "default" with an EIP (one LIST): its ingress IPs,
  /// by name.
  std::map<std::string, std::vector<net::ip_address>> service_eips();
  /// Server-side apply of every document; the first failure is the error.
  tl::expected<void, std::string> apply(const std::string& yaml);
  tl::expected<void, std::string> remove(const std::string& kind,
                                         const std::string& name);
  /// The leaf drops its BGP sessions (Cease) and refuses new ones for
  /// `duration`.
  void partition(const std::string& sw, std::chrono::milliseconds duration);
  /// The API server answers 503 and drops its watches until restored.
  tl::expected<void, std::string> api_outage(bool on);
  /// The Lease holder ("" when none).
  std::string leader();
  std::vector<std::string> replica_names() const;
  void signal_replica(const std::string& name, int sig);
  bool replica_running(const std::string& name);
  /// Starts a replica that has exited again, under the same name.
  tl::expected<void, std::string> restart_replica(const std::string& name);
  /// A switch's established BGP sessions, its paths from them, and the
  /// stale paths it keeps for restarting peers.
  struct switch_counts {
    std::size_t sessions = 0, paths = 0, stale_paths = 0;
  };
  switch_counts counts_of(const std::string& sw) const;

  /// Drops a deleted Service from the model (hold the observer's lock).
  void forget_service(const std::string& name);
  /// Changes in the model, written to the API.
  void set_endpoints(const std::string& service,
                     std::vector<std::string> nodes);
  void set_node_ready(const std::string& node, bool ready);

  /// The switches' tables now, for the expectations and the data plane.
  sim::fabric_state fabric() const;
  std::vector<std::string> switch_names() const;
  sim::forwarding_table table_of(const std::string& sw) const;
  /// Whether node's agent has diverted `eip` to it.
  bool node_diverts(const std::string& node, const net::ip_address& eip) const;

  std::string kubeconfig_path() const;

private:
  tl::expected<void, std::string> create(const std::string& path,
                                         const std::string& json);
  tl::expected<void, std::string> start_switches();
  std::vector<switch_spec> leaf_specs() const;
  tl::expected<void, std::string> start_replica(int index);

  sim_cluster_options opts_;
  sim::cluster_model model_;
  struct parts;
  std::unique_ptr<parts> p_;
};

} // namespace porter
