// Decoders of where a Service's pods are: discovery.k8s.io/v1 EndpointSlice
// and, for servers without it, core/v1 Endpoints (k8s.io/api
// discovery/v1/types.go, core/v1/types.go). Each rule cites the API field.
#include "k8s/object_fields.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::fields;

namespace {

/// discovery/v1 LabelServiceName: the Service a slice belongs to.
constexpr std::string_view service_name_label = "kubernetes.io/service-name";

// EndpointConditions: ready, serving, terminating are *bool; nil means
// unknown and is kept as std::nullopt (is_ready() reads it as true).
decoded<void> decode_conditions(const json_at& c, endpoint_conditions& out) {
  return fields{}
    .read(c.optional_bool("ready"), out.ready)
    .read(c.optional_bool("serving"), out.serving)
    .read(c.optional_bool("terminating"), out.terminating)
    .done();
}

// ObjectReference: kind and name (namespace is the slice's).
decoded<void> decode_target_ref(const json_at& r, target_reference& out) {
  return fields{}.str(r, "kind", out.kind).str(r, "name", out.name).done();
}

// Endpoint: addresses ([]string, 1..100), conditions, nodeName (*string),
// zone (*string), targetRef. hostname, deprecatedTopology and hints are
// not kept.
decoded<void> decode_endpoint(const json_at& e, endpoint& out) {
  return fields{}
    .read(e.string_list("addresses"), out.addresses)
    .check(detail::read_object(
      e, "conditions",
      [&](const json_at& c) { return decode_conditions(c, out.conditions); }))
    .str(e, "nodeName", out.node_name)
    .str(e, "zone", out.zone)
    .check(detail::read_object(
      e, "targetRef",
      [&](const json_at& r) { return decode_target_ref(r, out.target_ref); }))
    .done();
}

// EndpointPort: name (*string), protocol (*string, default TCP), port
// (*int32; nil in a slice means all ports). appProtocol is not kept.
decoded<void> decode_endpoint_port(const json_at& p, endpoint_port& out) {
  return fields{}
    .str(p, "name", out.name)
    .read(detail::enum_value(p, "protocol", protocol::tcp), out.protocol)
    .read(detail::optional_int32(p, "port"), out.port)
    .done();
}

// EndpointAddress (core/v1): ip (required by the API), nodeName
// (*string). hostname and targetRef are not kept.
decoded<void> decode_endpoint_address(const json_at& a, endpoint_address& out) {
  return fields{}.str(a, "ip", out.ip).str(a, "nodeName", out.node_name).done();
}

// EndpointSubset: addresses, notReadyAddresses, ports.
decoded<void> decode_subset(const json_at& s, endpoint_subset& out) {
  return fields{}
    .check(
      detail::read_list(s, "addresses", out.addresses, decode_endpoint_address))
    .check(detail::read_list(s, "notReadyAddresses", out.not_ready_addresses,
                             decode_endpoint_address))
    .check(detail::read_list(s, "ports", out.ports, decode_endpoint_port))
    .done();
}

} // namespace

// EndpointSlice: addressType (IPv4|IPv6|FQDN), endpoints, ports, and the
// owning Service from label kubernetes.io/service-name.
template <>
decoded<endpoint_slice> decode<endpoint_slice>(const json_at& object) {
  return detail::decode_kind<endpoint_slice>(object, [](const json_at& o,
                                                        endpoint_slice& out) {
    if (const auto* name = find_value(out.metadata.labels, service_name_label))
      out.service_name = *name;
    return fields{}
      .str(o, "addressType", out.address_type)
      .check(detail::read_list(o, "endpoints", out.endpoints, decode_endpoint))
      .check(detail::read_list(o, "ports", out.ports, decode_endpoint_port))
      .done();
  });
}

// Endpoints: subsets.
template <>
decoded<endpoints> decode<endpoints>(const json_at& object) {
  return detail::decode_kind<endpoints>(
    object, [](const json_at& o, endpoints& out) {
      return detail::read_list(o, "subsets", out.subsets, decode_subset);
    });
}

} // namespace porter::k8s
