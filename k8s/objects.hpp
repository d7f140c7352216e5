// Typed Kubernetes objects porter watches and writes (issue #6 §3): the
// models of k8s/core_objects.hpp (core/v1, discovery.k8s.io/v1) and
// k8s/porter_crds.hpp (OpenELB's network.kubesphere.io CRDs), their REST
// facts (kind_info), decoding from the API server's JSON through json_at's
// checked getters (unknown fields ignored, managedFields and last-applied
// dropped), encoders with Go's omitempty rules, status merge-patches, ==.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "k8s/core_objects.hpp"
#include "k8s/json_reader.hpp"
#include "k8s/object_meta.hpp"
#include "k8s/porter_crds.hpp"
#include "k8s/resource_path.hpp"

namespace porter::k8s {

// ---- kind traits ----------------------------------------------------------

/// REST facts per kind, for URLs and TypeMeta: api_group ("" for core),
/// version, plural, kind, namespaced.
template <class T>
struct kind_info;

#define PORTER_K8S_KIND_INFO(type, group, ver, res, name, scoped)              \
  template <>                                                                  \
  struct kind_info<type> {                                                     \
    static constexpr std::string_view api_group = group;                       \
    static constexpr std::string_view version = ver;                           \
    static constexpr std::string_view plural = res;                            \
    static constexpr std::string_view kind = name;                             \
    static constexpr bool namespaced = scoped;                                 \
  };
PORTER_K8S_KIND_INFO(service, "", "v1", "services", "Service", true)
PORTER_K8S_KIND_INFO(endpoint_slice, "discovery.k8s.io", "v1", "endpointslices",
                     "EndpointSlice", true)
PORTER_K8S_KIND_INFO(endpoints, "", "v1", "endpoints", "Endpoints", true)
PORTER_K8S_KIND_INFO(node, "", "v1", "nodes", "Node", false)
PORTER_K8S_KIND_INFO(namespace_object, "", "v1", "namespaces", "Namespace",
                     false)
PORTER_K8S_KIND_INFO(secret, "", "v1", "secrets", "Secret", true)
PORTER_K8S_KIND_INFO(config_map, "", "v1", "configmaps", "ConfigMap", true)
PORTER_K8S_KIND_INFO(eip, "network.kubesphere.io", "v1alpha2", "eips", "Eip",
                     false)
PORTER_K8S_KIND_INFO(bgp_conf, "network.kubesphere.io", "v1alpha2", "bgpconfs",
                     "BgpConf", false)
PORTER_K8S_KIND_INFO(bgp_peer, "network.kubesphere.io", "v1alpha2", "bgppeers",
                     "BgpPeer", false)
#undef PORTER_K8S_KIND_INFO

/// "v1", "discovery.k8s.io/v1", "network.kubesphere.io/v1alpha2".
template <class T>
std::string api_version() {
  using info = kind_info<T>;
  if (info::api_group.empty())
    return std::string{info::version};
  return std::string{info::api_group} + "/" + std::string{info::version};
}

/// The resource_ref of a kind (resource_path.hpp builds its URLs).
template <class T>
resource_ref resource_of() {
  using info = kind_info<T>;
  return {std::string{info::api_group}, std::string{info::version},
          std::string{info::plural}, info::namespaced};
}

// ---- decoding -------------------------------------------------------------

/// Decodes one object (a LIST item or a watch event's object). apiVersion
/// and kind may be absent; when present they must match kind_info<T>.
template <class T>
decoded<T> decode(const json_at& object);

template <>
decoded<service> decode<service>(const json_at& object);
template <>
decoded<endpoint_slice> decode<endpoint_slice>(const json_at& object);
template <>
decoded<endpoints> decode<endpoints>(const json_at& object);
template <>
decoded<node> decode<node>(const json_at& object);
template <>
decoded<namespace_object> decode<namespace_object>(const json_at& object);
template <>
decoded<secret> decode<secret>(const json_at& object);
template <>
decoded<config_map> decode<config_map>(const json_at& object);
/// Also accepts a network.kubesphere.io/v1alpha1 object
/// (decode_eip_v1alpha1).
template <>
decoded<eip> decode<eip>(const json_at& object);
template <>
decoded<bgp_conf> decode<bgp_conf>(const json_at& object);
template <>
decoded<bgp_peer> decode<bgp_peer>(const json_at& object);

/// An Eip of network.kubesphere.io/v1alpha1 (kind "Eip", or "EIP" of
/// Porter v0.1) into the v1alpha2 model: v1alpha1 has spec.address,
/// protocol (bgp|layer2), disable, usingKnownIPs and status.occupied,
/// usage, poolSize, all with the v1alpha2 names and types; the fields
/// v1alpha2 added keep their zero values.
decoded<eip> decode_eip_v1alpha1(const json_at& object);

/// parse_json + decode<T>.
template <class T>
decoded<T> decode_json(std::string_view text) {
  auto doc = parse_json(text);
  if (!doc)
    return tl::make_unexpected(doc.error());
  return decode<T>(json_at{*doc});
}

// ---- encoding -------------------------------------------------------------

/// Whole objects as JSON with apiVersion and kind, Go's omitempty rules
/// (zero values left out), for creating objects (tests, `porter sim`):
/// decode(encode(x)) == x. A deleting object gets a placeholder
/// deletionTimestamp (the model keeps only the flag).
std::string encode(const service& s);
std::string encode(const endpoint_slice& s);
std::string encode(const endpoints& e);
std::string encode(const node& n);
std::string encode(const namespace_object& n);
std::string encode(const secret& s);
std::string encode(const config_map& c);
std::string encode(const eip& e);
std::string encode(const bgp_conf& c);
std::string encode(const bgp_peer& p);

/// Merge-patch (RFC 7386) body for PATCH .../services/<name>/status:
/// {"status":{"loadBalancer":{"ingress":[...]}}}. The list is atomic, so
/// it carries the whole desired list (empty: clears it).
std::string
encode_service_status_patch(const std::vector<load_balancer_ingress>& ingress);

/// Merge-patch body for PATCH .../eips/<name>/status setting every status
/// field to `desired` (zero values written, so they overwrite). A merge
/// patch merges maps, so keys of `observed.used` absent from
/// `desired.used` are written as null to remove them.
std::string encode_eip_status_patch(const eip_status& desired,
                                    const eip_status& observed = {});

/// Merge-patch body replacing one node's entry of BgpPeer
/// status.nodesPeerStatus (other nodes' entries are kept by the merge).
std::string encode_bgp_peer_status_patch(std::string_view node_name,
                                         const node_peer_status& status);

/// Merge-patch body replacing one node's entry of BgpConf
/// status.nodesConfStatus.
std::string encode_bgp_conf_status_patch(std::string_view node_name,
                                         const node_conf_status& status);

// ---- equality (C++17: written out) ----------------------------------------

#define PORTER_K8S_EQUALITY(type)                                              \
  bool operator==(const type& a, const type& b);                               \
  inline bool operator!=(const type& a, const type& b) {                       \
    return !(a == b);                                                          \
  }
PORTER_K8S_EQUALITY(object_meta)
PORTER_K8S_EQUALITY(service_port)
PORTER_K8S_EQUALITY(port_status)
PORTER_K8S_EQUALITY(load_balancer_ingress)
PORTER_K8S_EQUALITY(service_spec)
PORTER_K8S_EQUALITY(service_status)
PORTER_K8S_EQUALITY(service)
PORTER_K8S_EQUALITY(endpoint_conditions)
PORTER_K8S_EQUALITY(target_reference)
PORTER_K8S_EQUALITY(endpoint)
PORTER_K8S_EQUALITY(endpoint_port)
PORTER_K8S_EQUALITY(endpoint_slice)
PORTER_K8S_EQUALITY(endpoint_address)
PORTER_K8S_EQUALITY(endpoint_subset)
PORTER_K8S_EQUALITY(endpoints)
PORTER_K8S_EQUALITY(node_address)
PORTER_K8S_EQUALITY(node_spec)
PORTER_K8S_EQUALITY(node_status)
PORTER_K8S_EQUALITY(node)
PORTER_K8S_EQUALITY(namespace_object)
PORTER_K8S_EQUALITY(secret)
PORTER_K8S_EQUALITY(config_map)
PORTER_K8S_EQUALITY(eip_spec)
PORTER_K8S_EQUALITY(eip_condition)
PORTER_K8S_EQUALITY(eip_status)
PORTER_K8S_EQUALITY(eip)
PORTER_K8S_EQUALITY(bgp_graceful_restart)
PORTER_K8S_EQUALITY(bgp_conf_spec)
PORTER_K8S_EQUALITY(node_conf_status)
PORTER_K8S_EQUALITY(bgp_conf_status)
PORTER_K8S_EQUALITY(bgp_conf)
PORTER_K8S_EQUALITY(peer_conf)
PORTER_K8S_EQUALITY(peer_ebgp_multihop)
PORTER_K8S_EQUALITY(peer_timers)
PORTER_K8S_EQUALITY(peer_transport)
PORTER_K8S_EQUALITY(afi_safi_family)
PORTER_K8S_EQUALITY(afi_safi_config)
PORTER_K8S_EQUALITY(add_paths_config)
PORTER_K8S_EQUALITY(afi_safi)
PORTER_K8S_EQUALITY(label_selector_requirement)
PORTER_K8S_EQUALITY(label_selector)
PORTER_K8S_EQUALITY(bgp_peer_spec)
PORTER_K8S_EQUALITY(peer_message_counters)
PORTER_K8S_EQUALITY(peer_messages)
PORTER_K8S_EQUALITY(peer_queues)
PORTER_K8S_EQUALITY(bgp_peer_state)
PORTER_K8S_EQUALITY(bgp_timers_state)
PORTER_K8S_EQUALITY(node_peer_status)
PORTER_K8S_EQUALITY(bgp_peer_status)
PORTER_K8S_EQUALITY(bgp_peer)
#undef PORTER_K8S_EQUALITY

} // namespace porter::k8s
