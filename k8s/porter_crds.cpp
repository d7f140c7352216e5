// Decoders of OpenELB's CRDs in group network.kubesphere.io, field by field
// from openelb.md §2.2 (api/v1alpha2/{eip,bgpconf,bgppeer}_types.go and
// charts/crds/*.yaml): Eip v1alpha2 and v1alpha1, BgpConf, BgpPeer, spec
// and status. Go's uint32/int32 fields are range-checked.
#include "k8s/object_fields.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::fields;

namespace {

constexpr std::string_view group = "network.kubesphere.io";

/// Eip spec.protocol: enum bgp;layer2;vip (v1alpha1: bgp;layer2), empty
/// meaning bgp (Eip.GetProtocol()).
decoded<std::string> eip_protocol(const json_at& spec, bool v1alpha1) {
  auto p = spec.string("protocol");
  if (!p)
    return p;
  if (p->empty() || *p == "bgp" || *p == "layer2" || (!v1alpha1 && *p == "vip"))
    return p;
  return tl::make_unexpected(spec.required("protocol")
                               ->error(v1alpha1
                                         ? "expected bgp or layer2"
                                         : "expected bgp, layer2 or vip"));
}

// EipSpec: address (required), protocol, interface, disable, usingKnownIPs,
// priority (int), namespaces, namespaceSelector (map[string]string).
decoded<void> decode_eip_spec(const json_at& s, eip_spec& out, bool v1alpha1) {
  fields f;
  f.read(s.required_string("address"), out.address)
    .read(eip_protocol(s, v1alpha1), out.protocol)
    .read(s.boolean("disable"), out.disable)
    .read(s.boolean("usingKnownIPs"), out.using_known_ips);
  if (v1alpha1)
    return f.done();
  return f.str(s, "interface", out.interface)
    .read(s.int64("priority"), out.priority)
    .read(s.string_list("namespaces"), out.namespaces)
    .read(s.string_map("namespaceSelector"), out.namespace_selector)
    .done();
}

// EipStatus: occupied, usage (int), poolSize (int), used
// (map[string]string), firstIP, lastIP, ready, v4. v1alpha1 has only the
// first three.
decoded<void> decode_eip_status(const json_at& s, eip_status& out,
                                bool v1alpha1) {
  fields f;
  f.read(s.boolean("occupied"), out.occupied)
    .read(s.int64("usage"), out.usage)
    .read(s.int64("poolSize"), out.pool_size);
  if (v1alpha1)
    return f.done();
  return f.read(s.string_map("used"), out.used)
    .str(s, "firstIP", out.first_ip)
    .str(s, "lastIP", out.last_ip)
    .read(s.boolean("ready"), out.ready)
    .read(s.boolean("v4"), out.v4)
    .check(s.for_each("conditions",
                      [&](const json_at& c) -> decoded<void> {
                        eip_condition cond;
                        auto r = fields{}
                                   .str(c, "type", cond.type)
                                   .str(c, "status", cond.status)
                                   .str(c, "reason", cond.reason)
                                   .str(c, "message", cond.message)
                                   .str(c, "lastTransitionTime",
                                        cond.last_transition_time)
                                   .done();
                        if (r)
                          out.conditions.push_back(std::move(cond));
                        return r;
                      }))
    .done();
}

decoded<void> decode_eip_body(const json_at& o, eip& out, bool v1alpha1) {
  // EipSpec.address is required, so spec is too.
  auto spec = o.required("spec");
  if (!spec)
    return tl::make_unexpected(spec.error());
  return fields{}
    .check(decode_eip_spec(*spec, out.spec, v1alpha1))
    .check(detail::read_object(o, "status",
                               [&](const json_at& s) {
                                 return decode_eip_status(s, out.status,
                                                          v1alpha1);
                               }))
    .done();
}

decoded<void> decode_uint32_value(const json_at& v, std::uint32_t& out) {
  return fields{}.read(detail::as_uint32(v), out).done();
}

// BgpConfSpec: as (uint32), asPerRack (map[string]uint32), routerId,
// listenPort (int32), listenAddresses, families ([]uint32),
// useMultiplePaths, gracefulRestart (*GracefulRestart), policy.
decoded<void> decode_bgp_conf_spec(const json_at& s, bgp_conf_spec& out) {
  return fields{}
    .read(detail::uint32(s, "as"), out.as)
    .check(
      detail::read_map(s, "asPerRack", out.as_per_rack, decode_uint32_value))
    .str(s, "routerId", out.router_id)
    .read(detail::int32(s, "listenPort"), out.listen_port)
    .read(s.string_list("listenAddresses"), out.listen_addresses)
    .check(detail::read_list(s, "families", out.families, decode_uint32_value))
    .read(s.boolean("useMultiplePaths"), out.use_multiple_paths)
    .check(detail::read_optional_object(s, "gracefulRestart",
                                        out.graceful_restart,
                                        detail::decode_graceful_restart))
    .str(s, "policy", out.policy)
    .done();
}

// NodeConfStatus: routerId, as (uint32).
decoded<void> decode_node_conf_status(const json_at& s, node_conf_status& out) {
  return fields{}
    .str(s, "routerId", out.router_id)
    .read(detail::uint32(s, "as"), out.as)
    .done();
}

} // namespace

// GracefulRestart: the same struct in BgpConf and BgpPeer; times uint32.
decoded<void> detail::decode_graceful_restart(const json_at& g,
                                              bgp_graceful_restart& out) {
  return fields{}
    .read(g.boolean("enabled"), out.enabled)
    .read(detail::uint32(g, "restartTime"), out.restart_time)
    .read(g.boolean("helperOnly"), out.helper_only)
    .read(detail::uint32(g, "deferralTime"), out.deferral_time)
    .read(g.boolean("notificationEnabled"), out.notification_enabled)
    .read(g.boolean("longlivedEnabled"), out.longlived_enabled)
    .read(detail::uint32(g, "staleRoutesTime"), out.stale_routes_time)
    .read(detail::uint32(g, "peerRestartTime"), out.peer_restart_time)
    .read(g.boolean("peerRestarting"), out.peer_restarting)
    .read(g.boolean("localRestarting"), out.local_restarting)
    .str(g, "mode", out.mode)
    .done();
}

template <>
decoded<eip> decode<eip>(const json_at& object) {
  // v1alpha1 is still served (storage: false); its objects keep their
  // apiVersion when read through that version.
  auto version = object.optional_string("apiVersion");
  if (version && *version && **version == std::string{group} + "/v1alpha1")
    return decode_eip_v1alpha1(object);
  return detail::decode_kind<eip>(object, [](const json_at& o, eip& out) {
    return decode_eip_body(o, out, false);
  });
}

decoded<eip> decode_eip_v1alpha1(const json_at& object) {
  // Porter v0.1.0 named the kind "EIP"; v0.1.1 renamed it "Eip".
  auto kind = object.optional_string("kind");
  if (!kind)
    return tl::make_unexpected(kind.error());
  const std::string_view as_kind = *kind && **kind == "EIP" ? "EIP" : "Eip";
  if (auto t = detail::check_type_meta(object, group, "v1alpha1", as_kind); !t)
    return tl::make_unexpected(t.error());
  auto meta = decode_object_meta(object);
  if (!meta)
    return tl::make_unexpected(meta.error());
  eip out;
  out.metadata = std::move(*meta);
  if (auto r = decode_eip_body(object, out, true); !r)
    return tl::make_unexpected(r.error());
  return out;
}

template <>
decoded<bgp_conf> decode<bgp_conf>(const json_at& object) {
  return detail::decode_kind<bgp_conf>(
    object, [](const json_at& o, bgp_conf& out) {
      return fields{}
        .check(detail::read_object(
          o, "spec",
          [&](const json_at& s) { return decode_bgp_conf_spec(s, out.spec); }))
        // BgpConfStatus.nodesConfStatus: map[string]NodeConfStatus.
        .check(detail::read_object(o, "status",
                                   [&](const json_at& s) {
                                     return detail::read_map(
                                       s, "nodesConfStatus",
                                       out.status.nodes_conf_status,
                                       decode_node_conf_status);
                                   }))
        .done();
    });
}

} // namespace porter::k8s
