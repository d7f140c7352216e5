// The object models of OpenELB's CRDs in group network.kubesphere.io
// (v1alpha2, the storage version): Eip, BgpConf, BgpPeer with every field of
// their Go types, spec and status (openelb.md §2.2; api/v1alpha2/*.go). Go
// pointers are std::optional, Go maps sorted vectors of pairs. Decoding,
// encoding and kind traits are in k8s/objects.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "k8s/object_meta.hpp"

namespace porter::k8s {

// ---- network.kubesphere.io Eip ---------------------------------------------

struct eip_spec {
  std::string address;  ///< IP, CIDR or range "a-b" (required)
  std::string protocol; ///< "bgp" (also when empty), "layer2" or "vip"
  std::string interface;
  bool disable = false;
  bool using_known_ips = false;
  std::int64_t priority = 0;
  std::vector<std::string> namespaces;
  string_pairs namespace_selector;
};

/// A metav1.Condition of an Eip (porter's addition to OpenELB's status):
/// Ready, Overlap (the message names the other pool), Invalid.
struct eip_condition {
  std::string type;
  std::string status; ///< "True", "False", "Unknown"
  std::string reason;
  std::string message;
  std::string last_transition_time;
};

struct eip_status {
  bool occupied = false;
  std::int64_t usage = 0;
  std::int64_t pool_size = 0;
  /// "<ip>" -> "<ns>/<svc>[;<ns>/<svc>...]", the allocation ledger.
  string_pairs used;
  std::string first_ip;
  std::string last_ip;
  bool ready = false;
  bool v4 = false;
  std::vector<eip_condition> conditions;
};

struct eip {
  object_meta metadata;
  eip_spec spec;
  eip_status status;
};

// ---- network.kubesphere.io BgpConf -----------------------------------------

/// GracefulRestart (shared by BgpConf and BgpPeer).
struct bgp_graceful_restart {
  bool enabled = false;
  std::uint32_t restart_time = 0;
  bool helper_only = false;
  std::uint32_t deferral_time = 0;
  bool notification_enabled = false;
  bool longlived_enabled = false;
  std::uint32_t stale_routes_time = 0;
  std::uint32_t peer_restart_time = 0;
  bool peer_restarting = false;
  bool local_restarting = false;
  std::string mode;
};

struct bgp_conf_spec {
  std::uint32_t as = 0;
  /// rack -> AS, sorted by rack.
  std::vector<std::pair<std::string, std::uint32_t>> as_per_rack;
  std::string router_id; ///< empty: the node's InternalIP
  std::int32_t listen_port = 0;
  std::vector<std::string> listen_addresses;
  std::vector<std::uint32_t> families;
  bool use_multiple_paths = false;
  std::optional<bgp_graceful_restart> graceful_restart;
  std::string policy; ///< name of a ConfigMap
};

struct node_conf_status {
  std::string router_id;
  std::uint32_t as = 0;
};

struct bgp_conf_status {
  /// node -> what its speaker applied, sorted by node.
  std::vector<std::pair<std::string, node_conf_status>> nodes_conf_status;
};

struct bgp_conf {
  object_meta metadata;
  bgp_conf_spec spec;
  bgp_conf_status status;
};

// ---- network.kubesphere.io BgpPeer -----------------------------------------

/// PeerConf (spec.conf).
struct peer_conf {
  std::string auth_password;
  std::string description;
  std::uint32_t local_as = 0;
  std::string neighbor_address;
  std::uint32_t peer_as = 0;
  std::string peer_group;
  std::uint32_t peer_type = 0;
  std::string remove_private_as;
  bool route_flap_damping = false;
  std::uint32_t send_community = 0;
  std::string neighbor_interface;
  std::string vrf;
  std::uint32_t allow_own_as = 0;
  bool replace_peer_as = false;
  bool admin_down = false;
};

struct peer_ebgp_multihop {
  bool enabled = false;
  std::uint32_t multihop_ttl = 0;
};

/// Timers.config: durations as strings, as OpenELB declares them.
struct peer_timers {
  std::string connect_retry;
  std::string hold_time;
  std::string keepalive_interval;
  std::string minimum_advertisement_interval;
};

struct peer_transport {
  bool mtu_discovery = false;
  bool passive_mode = false;
  std::string remote_address;
  std::uint32_t remote_port = 0;
  std::uint32_t tcp_mss = 0;
};

struct afi_safi_family {
  std::string afi;  ///< "AFI_IP", "AFI_IP6"
  std::string safi; ///< "SAFI_UNICAST"
};

struct afi_safi_config {
  std::optional<afi_safi_family> family;
  bool enabled = false;
};

struct add_paths_config {
  bool receive = false;
  std::uint32_t send_max = 0;
};

/// AfiSafi; the Go pointers' nil is std::nullopt.
struct afi_safi {
  std::optional<afi_safi_config> config;
  std::optional<add_paths_config> add_paths; ///< addPaths.config
  /// mpGracefulRestart.config.enabled.
  std::optional<bool> mp_graceful_restart;
};

/// LabelSelectorRequirement (`operator` is a C++ keyword: `op`).
struct label_selector_requirement {
  std::string key;
  std::string op; ///< "In", "NotIn", "Exists", "DoesNotExist"
  std::vector<std::string> values;
};

/// metav1.LabelSelector.
struct label_selector {
  string_pairs match_labels;
  std::vector<label_selector_requirement> match_expressions;
};

struct bgp_peer_spec {
  std::optional<peer_conf> conf;
  std::optional<peer_ebgp_multihop> ebgp_multihop;
  std::optional<peer_timers> timers; ///< timers.config
  std::optional<peer_transport> transport;
  std::optional<bgp_graceful_restart> graceful_restart;
  std::vector<afi_safi> afi_safis;
  /// nil: every node peers (OpenELB checks the selector only when set).
  std::optional<label_selector> node_selector;
};

/// Message counters (gobgp's uint64s, which jsonpb writes as strings).
struct peer_message_counters {
  std::string notification;
  std::string update;
  std::string open;
  std::string keepalive;
  std::string refresh;
  std::string discarded;
  std::string total;
  std::string withdraw_update;
  std::string withdraw_prefix;
};

struct peer_messages {
  peer_message_counters received;
  peer_message_counters sent;
};

struct peer_queues {
  std::uint32_t input = 0;
  std::uint32_t output = 0;
};

/// PeerState (status.nodesPeerStatus[node].peerState).
struct bgp_peer_state {
  std::string auth_password;
  std::string description;
  std::uint32_t local_as = 0;
  peer_messages messages;
  std::string neighbor_address;
  std::uint32_t peer_as = 0;
  std::string peer_group;
  std::uint32_t peer_type = 0;
  peer_queues queues;
  std::uint32_t remove_private_as = 0;
  bool route_flap_damping = false;
  std::uint32_t send_community = 0;
  std::string session_state; ///< "ESTABLISHED", ...
  std::string admin_state;
  std::uint32_t out_q = 0;
  std::uint32_t flops = 0;
  std::string router_id;
  /// porter additions (not in OpenELB's schema): the last NOTIFICATION or
  /// socket error, and the paths currently advertised.
  std::string last_error;
  std::int64_t advertised_paths = 0;
};

/// TimersState.
struct bgp_timers_state {
  std::string connect_retry;
  std::string hold_time;
  std::string keepalive_interval;
  std::string minimum_advertisement_interval;
  std::string negotiated_hold_time;
  std::string uptime;
  std::string downtime;
};

struct node_peer_status {
  bgp_peer_state peer_state;
  bgp_timers_state timers_state;
};

struct bgp_peer_status {
  /// node -> that node's session, sorted by node.
  std::vector<std::pair<std::string, node_peer_status>> nodes_peer_status;
};

struct bgp_peer {
  object_meta metadata;
  bgp_peer_spec spec;
  bgp_peer_status status;
};

} // namespace porter::k8s
