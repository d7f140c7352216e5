// The core/v1 and discovery.k8s.io/v1 object models porter watches: Service,
// EndpointSlice, Endpoints, Node, Namespace, Secret, ConfigMap (k8s.io/api
// types.go names), reduced to what a load balancer reads so a cached object
// stays small (a Service is < 2 KB with its heap). Decoding, encoding and
// kind traits are in k8s/objects.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/json_reader.hpp"
#include "k8s/object_meta.hpp"

namespace porter::k8s {

// ---- core/v1 Service -------------------------------------------------------

// Closed API enums are stored as small enums (a cached Service stays small).
// Each has `unknown` for a value this build does not know (a newer server),
// which is kept rather than failing the whole object; it encodes as
// "Unknown".

/// ServiceSpec.type; absent means ClusterIP (the API default).
enum class service_type : std::uint8_t {
  cluster_ip,
  node_port,
  load_balancer,
  external_name,
  unknown,
};

/// externalTrafficPolicy / internalTrafficPolicy; `unset` when absent.
enum class traffic_policy : std::uint8_t { unset, cluster, local, unknown };

/// ipFamilyPolicy; `unset` when absent.
enum class ip_family_policy : std::uint8_t {
  unset,
  single_stack,
  prefer_dual_stack,
  require_dual_stack,
  unknown,
};

/// Protocol of a port; absent means TCP (the API default).
enum class protocol : std::uint8_t { tcp, udp, sctp, unknown };

/// LoadBalancerIngress.ipMode; `unset` when absent.
enum class ip_mode : std::uint8_t { unset, vip, proxy, unknown };

/// The API's spelling ("LoadBalancer", "Local", "TCP", "VIP", ...); ""
/// for unset, "Unknown" for unknown.
std::string_view to_string(service_type v);
std::string_view to_string(traffic_policy v);
std::string_view to_string(ip_family_policy v);
std::string_view to_string(protocol v);
std::string_view to_string(ip_mode v);

/// ServicePort.
struct service_port {
  std::string name;
  /// IntOrString kept as text ("8080" or a named port "http"); empty: unset
  /// (the API server defaults it to `port`).
  std::string target_port;
  std::uint16_t port = 0;
  std::uint16_t node_port = 0; ///< 0: none allocated
  k8s::protocol protocol = k8s::protocol::tcp;
};

/// PortStatus of a load-balancer ingress point.
struct port_status {
  std::int32_t port = 0;
  k8s::protocol protocol = k8s::protocol::tcp;
  std::string error; ///< empty: no error (the API's nil)
};

/// LoadBalancerIngress.
struct load_balancer_ingress {
  std::string ip;
  std::string hostname;
  std::vector<port_status> ports;
  k8s::ip_mode ip_mode = k8s::ip_mode::unset;
};

struct service_spec {
  /// clusterIPs; from clusterIP alone on servers that predate dual
  /// stack ("None" for a headless Service). clusterIP is clusterIPs[0].
  std::vector<std::string> cluster_ips;
  std::vector<service_port> ports;
  /// spec.selector (empty: the Service has no selector and its endpoints
  /// are managed by someone else).
  string_pairs selector;
  std::string load_balancer_ip;    ///< deprecated, still honoured
  std::string load_balancer_class; ///< empty: the API's nil
  std::vector<std::string> load_balancer_source_ranges;
  std::vector<std::string> ip_families; ///< "IPv4", "IPv6"
  service_type type = service_type::cluster_ip;
  traffic_policy external_traffic_policy = traffic_policy::unset;
  traffic_policy internal_traffic_policy = traffic_policy::unset;
  k8s::ip_family_policy ip_family_policy = k8s::ip_family_policy::unset;
  std::optional<bool> allocate_load_balancer_node_ports;
  std::uint16_t health_check_node_port = 0;
};

struct service_status {
  std::vector<load_balancer_ingress> ingress; ///< status.loadBalancer.ingress
};

struct service {
  object_meta metadata;
  service_spec spec;
  service_status status;
};

// ---- discovery.k8s.io/v1 EndpointSlice, core/v1 Endpoints ---------------

/// EndpointConditions; std::nullopt is the API's nil ("unknown").
struct endpoint_conditions {
  std::optional<bool> ready;
  std::optional<bool> serving;
  std::optional<bool> terminating;
};
/// EndpointConditions docs: consumers should interpret an unknown `ready`
/// (and `serving`) as true, an unknown `terminating` as false.
inline bool is_ready(const endpoint_conditions& c) {
  return c.ready.value_or(true);
}
inline bool is_serving(const endpoint_conditions& c) {
  return c.serving.value_or(true);
}
inline bool is_terminating(const endpoint_conditions& c) {
  return c.terminating.value_or(false);
}

/// The part of an ObjectReference (targetRef) porter shows in logs.
struct target_reference {
  std::string kind;
  std::string name;
};

/// Endpoint of an EndpointSlice.
struct endpoint {
  std::vector<std::string> addresses;
  endpoint_conditions conditions;
  std::string node_name;
  std::string zone;
  target_reference target_ref;
};

/// EndpointPort (discovery/v1) and EndpointPort (core/v1).
struct endpoint_port {
  std::string name;
  std::optional<std::int32_t> port; ///< nil in a slice: all ports
  k8s::protocol protocol = k8s::protocol::tcp;
};

struct endpoint_slice {
  object_meta metadata;
  std::string address_type; ///< "IPv4", "IPv6" or "FQDN"
  std::vector<endpoint> endpoints;
  std::vector<endpoint_port> ports;
  /// The owning Service: label kubernetes.io/service-name (empty if none).
  std::string service_name;
};

/// EndpointAddress (core/v1).
struct endpoint_address {
  std::string ip;
  std::string node_name;
};

/// EndpointSubset (core/v1).
struct endpoint_subset {
  std::vector<endpoint_address> addresses;
  std::vector<endpoint_address> not_ready_addresses;
  std::vector<endpoint_port> ports;
};

/// core/v1 Endpoints, the fallback when EndpointSlices are not served.
struct endpoints {
  object_meta metadata;
  std::vector<endpoint_subset> subsets;
};

// ---- core/v1 Node, Namespace, Secret, ConfigMap -----------------------------

/// ConditionStatus.
enum class condition_status : std::uint8_t { unknown, is_true, is_false };
/// "True", "False", "Unknown" (metav1.ConditionStatus).
std::string_view to_string(condition_status v);

/// NodeAddress: type "InternalIP", "ExternalIP", "Hostname", ...
struct node_address {
  std::string type;
  std::string address;
};

struct node_spec {
  std::vector<std::string> pod_cidrs; ///< podCIDRs (or [podCIDR])
  bool unschedulable = false;
};

struct node_status {
  std::vector<node_address> addresses;
  /// The Ready condition's status; unknown when the condition is absent.
  condition_status ready = condition_status::unknown;
};

struct node {
  object_meta metadata;
  node_spec spec;
  node_status status;
};

/// The first address of `type` ("InternalIP", "ExternalIP"), or nullptr.
const std::string* find_address(const node& n, std::string_view type);

/// core/v1 Namespace: only its labels matter (Eip namespaceSelector).
struct namespace_object {
  object_meta metadata;
};

struct secret {
  object_meta metadata;
  std::string type;  ///< "Opaque", "kubernetes.io/tls", ...
  string_pairs data; ///< values still base64, as the API sends them
};

/// The base64-decoded value of `data[key]`; an error (path "data.<key>")
/// when the key is missing or its value is not valid base64.
decoded<std::string> decode_secret_value(const secret& s, std::string_view key);

struct config_map {
  object_meta metadata;
  string_pairs data; ///< binaryData is not kept
};

} // namespace porter::k8s
