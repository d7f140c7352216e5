// Decoders of the core/v1 kinds porter watches: Service, Node, Namespace,
// Secret, ConfigMap (k8s.io/api core/v1 types.go field names). Each rule
// cites the API field it reads.
#include <array>

#include "k8s/object_fields.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::fields;

namespace {

// ServicePort: name, protocol (TCP|UDP|SCTP, default TCP), port (int32,
// 1..65535), nodePort (0 until allocated), targetPort (IntOrString).
decoded<void> decode_service_port(const json_at& p, service_port& out) {
  return fields{}
    .str(p, "name", out.name)
    .read(detail::enum_value(p, "protocol", protocol::tcp), out.protocol)
    .read(detail::port_number(p, "port"), out.port)
    .read(detail::port_number(p, "nodePort"), out.node_port)
    .read(detail::int_or_string(p, "targetPort"), out.target_port)
    .done();
}

// PortStatus: port (int32), protocol, error (*string).
decoded<void> decode_port_status(const json_at& p, port_status& out) {
  return fields{}
    .read(detail::int32(p, "port"), out.port)
    .read(detail::enum_value(p, "protocol", protocol::tcp), out.protocol)
    .str(p, "error", out.error)
    .done();
}

// LoadBalancerIngress: ip, hostname, ipMode (*string: VIP|Proxy), ports.
decoded<void> decode_ingress(const json_at& i, load_balancer_ingress& out) {
  return fields{}
    .str(i, "ip", out.ip)
    .str(i, "hostname", out.hostname)
    .read(detail::enum_value(i, "ipMode", ip_mode::unset), out.ip_mode)
    .check(detail::read_list(i, "ports", out.ports, decode_port_status))
    .done();
}

// ServiceSpec: the fields a load balancer reads. sessionAffinity,
// externalIPs, publishNotReadyAddresses, trafficDistribution, ... are not
// kept.
decoded<void> decode_service_spec(const json_at& s, service_spec& out) {
  std::string cluster_ip;
  auto r
    = fields{}
        // type: ClusterIP (default), NodePort, LoadBalancer, ExternalName.
        .read(detail::enum_value(s, "type", service_type::cluster_ip), out.type)
        // clusterIPs[0] == clusterIP when both are set (API validation).
        .str(s, "clusterIP", cluster_ip)
        .read(s.string_list("clusterIPs"), out.cluster_ips)
        .check(detail::read_list(s, "ports", out.ports, decode_service_port))
        // selector: map[string]string; empty or nil means "no selector".
        .read(s.string_map("selector"), out.selector)
        .read(
          detail::enum_value(s, "externalTrafficPolicy", traffic_policy::unset),
          out.external_traffic_policy)
        .read(
          detail::enum_value(s, "internalTrafficPolicy", traffic_policy::unset),
          out.internal_traffic_policy)
        .str(s, "loadBalancerIP", out.load_balancer_ip)
        .str(s, "loadBalancerClass", out.load_balancer_class)
        .read(s.string_list("loadBalancerSourceRanges"),
              out.load_balancer_source_ranges)
        .read(s.string_list("ipFamilies"), out.ip_families)
        .read(detail::enum_value(s, "ipFamilyPolicy", ip_family_policy::unset),
              out.ip_family_policy)
        // allocateLoadBalancerNodePorts: *bool, nil until defaulted.
        .read(s.optional_bool("allocateLoadBalancerNodePorts"),
              out.allocate_load_balancer_node_ports)
        // healthCheckNodePort: int32, a node port (only with policy Local).
        .read(detail::port_number(s, "healthCheckNodePort"),
              out.health_check_node_port)
        .done();
  if (r && out.cluster_ips.empty() && !cluster_ip.empty())
    out.cluster_ips.push_back(std::move(cluster_ip));
  return r;
}

// ServiceStatus: loadBalancer.ingress (conditions are not kept).
decoded<void> decode_service_status(const json_at& s, service_status& out) {
  return detail::read_object(s, "loadBalancer", [&](const json_at& lb) {
    return detail::read_list(lb, "ingress", out.ingress, decode_ingress);
  });
}

// ConditionStatus: "True", "False" or "Unknown".
decoded<condition_status> decode_condition_status(const json_at& c) {
  auto s = c.string("status");
  if (!s)
    return tl::make_unexpected(s.error());
  if (*s == "True")
    return condition_status::is_true;
  if (*s == "False")
    return condition_status::is_false;
  if (*s == "Unknown" || s->empty())
    return condition_status::unknown;
  return tl::make_unexpected(
    c.required("status")->error("expected True, False or Unknown"));
}

// NodeSpec: podCIDRs (podCIDR is its first element, kept for old
// servers), unschedulable.
decoded<void> decode_node_spec(const json_at& s, node_spec& out) {
  std::string pod_cidr;
  auto r = fields{}
             .str(s, "podCIDR", pod_cidr)
             .read(s.string_list("podCIDRs"), out.pod_cidrs)
             .read(s.boolean("unschedulable"), out.unschedulable)
             .done();
  if (r && out.pod_cidrs.empty() && !pod_cidr.empty())
    out.pod_cidrs.push_back(std::move(pod_cidr));
  return r;
}

// NodeAddress: type (InternalIP, ExternalIP, Hostname, ...), address.
decoded<void> decode_node_address(const json_at& a, node_address& out) {
  return fields{}
    .str(a, "type", out.type)
    .str(a, "address", out.address)
    .done();
}

// NodeStatus: addresses, and of conditions only type Ready.
decoded<void> decode_node_status(const json_at& s, node_status& out) {
  return fields{}
    .check(
      detail::read_list(s, "addresses", out.addresses, decode_node_address))
    .check(s.for_each("conditions",
                      [&](const json_at& c) -> decoded<void> {
                        auto type = c.string("type");
                        if (!type)
                          return tl::make_unexpected(type.error());
                        if (*type != "Ready")
                          return {};
                        auto status = decode_condition_status(c);
                        if (!status)
                          return tl::make_unexpected(status.error());
                        out.ready = *status;
                        return {};
                      }))
    .done();
}

constexpr std::array<std::int8_t, 256> base64_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t)
    v = -1;
  constexpr std::string_view alphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}

/// RFC 4648 §4 with padding, as Go's encoding/json writes []byte
/// (base64.StdEncoding, which also skips '\r' and '\n').
std::optional<std::string> base64_decode(std::string_view in) {
  static constexpr auto table = base64_table();
  std::string out;
  out.reserve(in.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (char ch : in) {
    if (ch == '\r' || ch == '\n')
      continue;
    if (ch == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    const auto v = table[static_cast<unsigned char>(ch)];
    if (v < 0 || padding > 0)
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (symbols % 4 != 0 || padding > 2 || (padding > 0 && bits == 0)
      || (acc & ((1u << bits) - 1)) != 0)
    return std::nullopt;
  return out;
}

} // namespace

template <>
decoded<service> decode<service>(const json_at& object) {
  return detail::decode_kind<service>(object, [](const json_at& o,
                                                 service& out) {
    return fields{}
      .check(detail::read_object(
        o, "spec",
        [&](const json_at& s) { return decode_service_spec(s, out.spec); }))
      .check(detail::read_object(
        o, "status",
        [&](const json_at& s) { return decode_service_status(s, out.status); }))
      .done();
  });
}

template <>
decoded<node> decode<node>(const json_at& object) {
  return detail::decode_kind<node>(object, [](const json_at& o, node& out) {
    return fields{}
      .check(detail::read_object(
        o, "spec",
        [&](const json_at& s) { return decode_node_spec(s, out.spec); }))
      .check(detail::read_object(
        o, "status",
        [&](const json_at& s) { return decode_node_status(s, out.status); }))
      .done();
  });
}

const std::string* find_address(const node& n, std::string_view type) {
  for (const auto& a : n.status.addresses)
    if (a.type == type)
      return &a.address;
  return nullptr;
}

// Namespace: metadata (labels) only; spec.finalizers and status.phase are
// not kept.
template <>
decoded<namespace_object> decode<namespace_object>(const json_at& object) {
  return detail::decode_kind<namespace_object>(
    object,
    [](const json_at&, namespace_object&) -> decoded<void> { return {}; });
}

// Secret: type, data (map[string][]byte, base64 in JSON). stringData is
// write-only and never returned by the API server.
template <>
decoded<secret> decode<secret>(const json_at& object) {
  return detail::decode_kind<secret>(object, [](const json_at& o, secret& out) {
    return fields{}
      .str(o, "type", out.type)
      .read(o.string_map("data"), out.data)
      .done();
  });
}

decoded<std::string> decode_secret_value(const secret& s,
                                         std::string_view key) {
  const std::string* value = find_value(s.data, key);
  const std::string path = "data." + std::string{key};
  if (value == nullptr)
    return tl::make_unexpected(decode_error{path, "is missing"});
  auto bytes = base64_decode(*value);
  if (!bytes)
    return tl::make_unexpected(decode_error{path, "invalid base64"});
  return std::move(*bytes);
}

// ConfigMap: data (map[string]string); binaryData is not kept.
template <>
decoded<config_map> decode<config_map>(const json_at& object) {
  return detail::decode_kind<config_map>(
    object, [](const json_at& o, config_map& out) {
      return fields{}.read(o.string_map("data"), out.data).done();
    });
}

} // namespace porter::k8s
