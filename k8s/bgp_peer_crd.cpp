// Decoder of OpenELB's BgpPeer (network.kubesphere.io/v1alpha2,
// api/v1alpha2/bgppeer_types.go; openelb.md §2.2): spec.conf, ebgpMultihop,
// timers.config, transport, gracefulRestart, afiSafis, nodeSelector, and
// status.nodesPeerStatus. Go pointers become std::optional; uint32 fields
// are range-checked.
#include <limits>

#include "k8s/object_fields.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::fields;
using detail::uint32;

namespace {

// PeerConf: removePrivateAs is a string here (gobgp's enum name), uint32
// in PeerState.
decoded<void> decode_peer_conf(const json_at& c, peer_conf& out) {
  return fields{}
    .str(c, "authPassword", out.auth_password)
    .str(c, "description", out.description)
    .read(uint32(c, "localAs"), out.local_as)
    .str(c, "neighborAddress", out.neighbor_address)
    .read(uint32(c, "peerAs"), out.peer_as)
    .str(c, "peerGroup", out.peer_group)
    .read(uint32(c, "peerType"), out.peer_type)
    .str(c, "removePrivateAs", out.remove_private_as)
    .read(c.boolean("routeFlapDamping"), out.route_flap_damping)
    .read(uint32(c, "sendCommunity"), out.send_community)
    .str(c, "neighborInterface", out.neighbor_interface)
    .str(c, "vrf", out.vrf)
    .read(uint32(c, "allowOwnAs"), out.allow_own_as)
    .read(c.boolean("replacePeerAs"), out.replace_peer_as)
    .read(c.boolean("adminDown"), out.admin_down)
    .done();
}

// EbgpMultihop: enabled, multihopTtl (uint32).
decoded<void> decode_multihop(const json_at& m, peer_ebgp_multihop& out) {
  return fields{}
    .read(m.boolean("enabled"), out.enabled)
    .read(uint32(m, "multihopTtl"), out.multihop_ttl)
    .done();
}

// TimersConfig: all strings (OpenELB's choice, so "90" and "90s" pass).
decoded<void> decode_timers_config(const json_at& t, peer_timers& out) {
  return fields{}
    .str(t, "connectRetry", out.connect_retry)
    .str(t, "holdTime", out.hold_time)
    .str(t, "keepaliveInterval", out.keepalive_interval)
    .str(t, "minimumAdvertisementInterval", out.minimum_advertisement_interval)
    .done();
}

// Timers: {config: *TimersConfig}.
decoded<void> decode_timers(const json_at& t, std::optional<peer_timers>& out) {
  return detail::read_optional_object(t, "config", out, decode_timers_config);
}

// Transport: mtuDiscovery, passiveMode, remoteAddress, remotePort and
// tcpMss (uint32).
decoded<void> decode_transport(const json_at& t, peer_transport& out) {
  return fields{}
    .read(t.boolean("mtuDiscovery"), out.mtu_discovery)
    .read(t.boolean("passiveMode"), out.passive_mode)
    .str(t, "remoteAddress", out.remote_address)
    .read(uint32(t, "remotePort"), out.remote_port)
    .read(uint32(t, "tcpMss"), out.tcp_mss)
    .done();
}

// Family: afi, safi (gobgp enum names, e.g. AFI_IP / SAFI_UNICAST).
decoded<void> decode_family(const json_at& f, afi_safi_family& out) {
  return fields{}.str(f, "afi", out.afi).str(f, "safi", out.safi).done();
}

// AfiSafiConfig: family (*Family), enabled.
decoded<void> decode_afi_safi_config(const json_at& c, afi_safi_config& out) {
  return fields{}
    .check(detail::read_optional_object(c, "family", out.family, decode_family))
    .read(c.boolean("enabled"), out.enabled)
    .done();
}

// AddPathsConfig: receive, sendMax (uint32).
decoded<void> decode_add_paths_config(const json_at& a, add_paths_config& out) {
  return fields{}
    .read(a.boolean("receive"), out.receive)
    .read(uint32(a, "sendMax"), out.send_max)
    .done();
}

// AfiSafi: config, addPaths.config, mpGracefulRestart.config.enabled.
decoded<void> decode_afi_safi(const json_at& a, afi_safi& out) {
  return fields{}
    .check(detail::read_optional_object(a, "config", out.config,
                                        decode_afi_safi_config))
    .check(detail::read_object(a, "addPaths",
                               [&](const json_at& p) {
                                 return detail::read_optional_object(
                                   p, "config", out.add_paths,
                                   decode_add_paths_config);
                               }))
    .check(detail::read_object(
      a, "mpGracefulRestart",
      [&](const json_at& g) {
        return detail::read_object(g, "config", [&](const json_at& c) {
          bool enabled = false;
          auto r = fields{}.read(c.boolean("enabled"), enabled).done();
          if (r)
            out.mp_graceful_restart = enabled;
          return r;
        });
      }))
    .done();
}

// LabelSelectorRequirement: key, operator (required by the API), values.
decoded<void> decode_requirement(const json_at& r,
                                 label_selector_requirement& out) {
  return fields{}
    .str(r, "key", out.key)
    .str(r, "operator", out.op)
    .read(r.string_list("values"), out.values)
    .done();
}

// metav1.LabelSelector: matchLabels, matchExpressions.
decoded<void> decode_label_selector(const json_at& s, label_selector& out) {
  return fields{}
    .read(s.string_map("matchLabels"), out.match_labels)
    .check(detail::read_list(s, "matchExpressions", out.match_expressions,
                             decode_requirement))
    .done();
}

decoded<void> decode_bgp_peer_spec(const json_at& s, bgp_peer_spec& out) {
  return fields{}
    .check(detail::read_optional_object(s, "conf", out.conf, decode_peer_conf))
    .check(detail::read_optional_object(s, "ebgpMultihop", out.ebgp_multihop,
                                        decode_multihop))
    .check(detail::read_object(
      s, "timers",
      [&](const json_at& t) { return decode_timers(t, out.timers); }))
    .check(detail::read_optional_object(s, "transport", out.transport,
                                        decode_transport))
    .check(detail::read_optional_object(s, "gracefulRestart",
                                        out.graceful_restart,
                                        detail::decode_graceful_restart))
    .check(detail::read_list(s, "afiSafis", out.afi_safis, decode_afi_safi))
    .check(detail::read_optional_object(s, "nodeSelector", out.node_selector,
                                        decode_label_selector))
    .done();
}

// Message: counters as strings (gobgp uint64 through jsonpb).
decoded<void> decode_counters(const json_at& m, peer_message_counters& out) {
  return fields{}
    .str(m, "notification", out.notification)
    .str(m, "update", out.update)
    .str(m, "open", out.open)
    .str(m, "keepalive", out.keepalive)
    .str(m, "refresh", out.refresh)
    .str(m, "discarded", out.discarded)
    .str(m, "total", out.total)
    .str(m, "withdrawUpdate", out.withdraw_update)
    .str(m, "withdrawPrefix", out.withdraw_prefix)
    .done();
}

// Messages: received, sent (*Message each; nil reads as all empty).
decoded<void> decode_messages(const json_at& m, peer_messages& out) {
  return fields{}
    .check(detail::read_object(
      m, "received",
      [&](const json_at& c) { return decode_counters(c, out.received); }))
    .check(detail::read_object(
      m, "sent",
      [&](const json_at& c) { return decode_counters(c, out.sent); }))
    .done();
}

// Queues: input, output (uint32).
decoded<void> decode_queues(const json_at& q, peer_queues& out) {
  return fields{}
    .read(uint32(q, "input"), out.input)
    .read(uint32(q, "output"), out.output)
    .done();
}

// PeerState: gobgp's peer state as OpenELB copies it.
decoded<void> decode_peer_state(const json_at& p, bgp_peer_state& out) {
  return fields{}
    .str(p, "authPassword", out.auth_password)
    .str(p, "description", out.description)
    .read(uint32(p, "localAs"), out.local_as)
    .check(detail::read_object(
      p, "messages",
      [&](const json_at& m) { return decode_messages(m, out.messages); }))
    .str(p, "neighborAddress", out.neighbor_address)
    .read(uint32(p, "peerAs"), out.peer_as)
    .str(p, "peerGroup", out.peer_group)
    .read(uint32(p, "peerType"), out.peer_type)
    .check(detail::read_object(
      p, "queues",
      [&](const json_at& q) { return decode_queues(q, out.queues); }))
    .read(uint32(p, "removePrivateAs"), out.remove_private_as)
    .read(p.boolean("routeFlapDamping"), out.route_flap_damping)
    .read(uint32(p, "sendCommunity"), out.send_community)
    .str(p, "sessionState", out.session_state)
    .str(p, "adminState", out.admin_state)
    .read(uint32(p, "outQ"), out.out_q)
    .read(uint32(p, "flops"), out.flops)
    .str(p, "routerId", out.router_id)
    .str(p, "lastError", out.last_error)
    .read(detail::ranged(p, "advertisedPaths", 0,
                         std::numeric_limits<std::int64_t>::max()),
          out.advertised_paths)
    .done();
}

// TimersState: all strings.
decoded<void> decode_timers_state(const json_at& t, bgp_timers_state& out) {
  return fields{}
    .str(t, "connectRetry", out.connect_retry)
    .str(t, "holdTime", out.hold_time)
    .str(t, "keepaliveInterval", out.keepalive_interval)
    .str(t, "minimumAdvertisementInterval", out.minimum_advertisement_interval)
    .str(t, "negotiatedHoldTime", out.negotiated_hold_time)
    .str(t, "uptime", out.uptime)
    .str(t, "downtime", out.downtime)
    .done();
}

// NodePeerStatus: peerState, timersState.
decoded<void> decode_node_peer_status(const json_at& n, node_peer_status& out) {
  return fields{}
    .check(detail::read_object(
      n, "peerState",
      [&](const json_at& p) { return decode_peer_state(p, out.peer_state); }))
    .check(detail::read_object(n, "timersState",
                               [&](const json_at& t) {
                                 return decode_timers_state(t,
                                                            out.timers_state);
                               }))
    .done();
}

} // namespace

template <>
decoded<bgp_peer> decode<bgp_peer>(const json_at& object) {
  return detail::decode_kind<bgp_peer>(
    object, [](const json_at& o, bgp_peer& out) {
      return fields{}
        .check(detail::read_object(
          o, "spec",
          [&](const json_at& s) { return decode_bgp_peer_spec(s, out.spec); }))
        // BgpPeerStatus.nodesPeerStatus: map[string]NodePeerStatus.
        .check(detail::read_object(o, "status",
                                   [&](const json_at& s) {
                                     return detail::read_map(
                                       s, "nodesPeerStatus",
                                       out.status.nodes_peer_status,
                                       decode_node_peer_status);
                                   }))
        .done();
    });
}

} // namespace porter::k8s
