// Encoders of OpenELB's CRDs (network.kubesphere.io/v1alpha2) with the Go
// types' JSON names and omitempty rules (openelb.md §2.2), and the status
// merge-patches porter sends: Eip status (the allocation ledger, §2.4) and
// one node's entry of BgpConf/BgpPeer status (§2.9). In a merge patch
// (RFC 7386) a left-out member keeps its old value and maps merge, so the
// patches write zero values and null out removed map keys.
#include "k8s/object_writer.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::json_writer;

namespace {

void write_number(json_writer& w, std::uint32_t v) {
  w.number(v);
}

/// EipStatus; `used` is left to the caller when with_used is false.
void write_eip_status(json_writer& w, const eip_status& s, bool with_used) {
  w.flag("occupied", s.occupied);
  w.num("usage", s.usage);
  w.num("poolSize", s.pool_size);
  if (with_used)
    w.pairs("used", s.used);
  w.str("firstIP", s.first_ip);
  w.str("lastIP", s.last_ip);
  w.flag("ready", s.ready);
  w.flag("v4", s.v4);
  // A list: a merge patch replaces it whole, so the patch carries all.
  w.list("conditions", s.conditions,
         [](json_writer& out, const eip_condition& c) {
           out.begin_object();
           out.str("type", c.type);
           out.str("status", c.status);
           out.str("reason", c.reason);
           out.str("message", c.message);
           out.str("lastTransitionTime", c.last_transition_time);
           out.end_object();
         });
}

void write_graceful_restart(json_writer& w, const bgp_graceful_restart& g) {
  w.begin_object("gracefulRestart");
  w.flag("enabled", g.enabled);
  w.num("restartTime", g.restart_time);
  w.flag("helperOnly", g.helper_only);
  w.num("deferralTime", g.deferral_time);
  w.flag("notificationEnabled", g.notification_enabled);
  w.flag("longlivedEnabled", g.longlived_enabled);
  w.num("staleRoutesTime", g.stale_routes_time);
  w.num("peerRestartTime", g.peer_restart_time);
  w.flag("peerRestarting", g.peer_restarting);
  w.flag("localRestarting", g.local_restarting);
  w.str("mode", g.mode);
  w.end_object();
}

void write_node_conf_status(json_writer& w, const node_conf_status& s) {
  w.begin_object();
  w.str("routerId", s.router_id);
  w.num("as", s.as);
  w.end_object();
}

void write_peer_conf(json_writer& w, const peer_conf& c) {
  w.begin_object("conf");
  w.str("authPassword", c.auth_password);
  w.str("description", c.description);
  w.num("localAs", c.local_as);
  w.str("neighborAddress", c.neighbor_address);
  w.num("peerAs", c.peer_as);
  w.str("peerGroup", c.peer_group);
  w.num("peerType", c.peer_type);
  w.str("removePrivateAs", c.remove_private_as);
  w.flag("routeFlapDamping", c.route_flap_damping);
  w.num("sendCommunity", c.send_community);
  w.str("neighborInterface", c.neighbor_interface);
  w.str("vrf", c.vrf);
  w.num("allowOwnAs", c.allow_own_as);
  w.flag("replacePeerAs", c.replace_peer_as);
  w.flag("adminDown", c.admin_down);
  w.end_object();
}

void write_afi_safi(json_writer& w, const afi_safi& a) {
  w.begin_object();
  if (a.config) {
    w.begin_object("config");
    if (a.config->family) {
      w.begin_object("family");
      w.str("afi", a.config->family->afi);
      w.str("safi", a.config->family->safi);
      w.end_object();
    }
    w.flag("enabled", a.config->enabled);
    w.end_object();
  }
  if (a.add_paths) {
    w.begin_object("addPaths");
    w.begin_object("config");
    w.flag("receive", a.add_paths->receive);
    w.num("sendMax", a.add_paths->send_max);
    w.end_object();
    w.end_object();
  }
  if (a.mp_graceful_restart) {
    w.begin_object("mpGracefulRestart");
    w.begin_object("config");
    w.flag("enabled", *a.mp_graceful_restart);
    w.end_object();
    w.end_object();
  }
  w.end_object();
}

void write_requirement(json_writer& w, const label_selector_requirement& r) {
  w.begin_object();
  w.member("key", r.key);
  w.member("operator", r.op);
  w.strings("values", r.values);
  w.end_object();
}

void write_label_selector(json_writer& w, const label_selector& s) {
  w.begin_object("nodeSelector");
  w.pairs("matchLabels", s.match_labels);
  w.list("matchExpressions", s.match_expressions, write_requirement);
  w.end_object();
}

void write_bgp_peer_spec(json_writer& w, const bgp_peer_spec& s) {
  w.begin_object("spec");
  if (s.conf)
    write_peer_conf(w, *s.conf);
  if (s.ebgp_multihop) {
    w.begin_object("ebgpMultihop");
    w.flag("enabled", s.ebgp_multihop->enabled);
    w.num("multihopTtl", s.ebgp_multihop->multihop_ttl);
    w.end_object();
  }
  if (s.timers) {
    w.begin_object("timers");
    w.begin_object("config");
    w.str("connectRetry", s.timers->connect_retry);
    w.str("holdTime", s.timers->hold_time);
    w.str("keepaliveInterval", s.timers->keepalive_interval);
    w.str("minimumAdvertisementInterval",
          s.timers->minimum_advertisement_interval);
    w.end_object();
    w.end_object();
  }
  if (s.transport) {
    w.begin_object("transport");
    w.flag("mtuDiscovery", s.transport->mtu_discovery);
    w.flag("passiveMode", s.transport->passive_mode);
    w.str("remoteAddress", s.transport->remote_address);
    w.num("remotePort", s.transport->remote_port);
    w.num("tcpMss", s.transport->tcp_mss);
    w.end_object();
  }
  if (s.graceful_restart)
    write_graceful_restart(w, *s.graceful_restart);
  w.list("afiSafis", s.afi_safis, write_afi_safi);
  if (s.node_selector)
    write_label_selector(w, *s.node_selector);
  w.end_object();
}

void write_counters(json_writer& w, std::string_view k,
                    const peer_message_counters& c) {
  w.begin_object(k);
  w.str("notification", c.notification);
  w.str("update", c.update);
  w.str("open", c.open);
  w.str("keepalive", c.keepalive);
  w.str("refresh", c.refresh);
  w.str("discarded", c.discarded);
  w.str("total", c.total);
  w.str("withdrawUpdate", c.withdraw_update);
  w.str("withdrawPrefix", c.withdraw_prefix);
  w.end_object();
}

void write_peer_state(json_writer& w, const bgp_peer_state& p) {
  w.begin_object("peerState");
  w.str("authPassword", p.auth_password);
  w.str("description", p.description);
  w.num("localAs", p.local_as);
  w.begin_object("messages");
  write_counters(w, "received", p.messages.received);
  write_counters(w, "sent", p.messages.sent);
  w.end_object();
  w.str("neighborAddress", p.neighbor_address);
  w.num("peerAs", p.peer_as);
  w.str("peerGroup", p.peer_group);
  w.num("peerType", p.peer_type);
  w.begin_object("queues");
  w.num("input", p.queues.input);
  w.num("output", p.queues.output);
  w.end_object();
  w.num("removePrivateAs", p.remove_private_as);
  w.flag("routeFlapDamping", p.route_flap_damping);
  w.num("sendCommunity", p.send_community);
  w.str("sessionState", p.session_state);
  w.str("adminState", p.admin_state);
  w.num("outQ", p.out_q);
  w.num("flops", p.flops);
  w.str("routerId", p.router_id);
  w.str("lastError", p.last_error);
  w.num("advertisedPaths", p.advertised_paths);
  w.end_object();
}

void write_node_peer_status(json_writer& w, const node_peer_status& s) {
  w.begin_object();
  write_peer_state(w, s.peer_state);
  const bgp_timers_state& t = s.timers_state;
  w.begin_object("timersState");
  w.str("connectRetry", t.connect_retry);
  w.str("holdTime", t.hold_time);
  w.str("keepaliveInterval", t.keepalive_interval);
  w.str("minimumAdvertisementInterval", t.minimum_advertisement_interval);
  w.str("negotiatedHoldTime", t.negotiated_hold_time);
  w.str("uptime", t.uptime);
  w.str("downtime", t.downtime);
  w.end_object();
  w.end_object();
}

/// {"status":{"<map>":{"<node>":<entry>}}} with every field written.
template <class Entry, class Write>
std::string node_entry_patch(std::string_view map, std::string_view node_name,
                             const Entry& entry, Write&& write_entry) {
  json_writer w;
  w.explicit_zero_values(true);
  w.begin_object();
  w.begin_object("status");
  w.begin_object(map);
  w.key(node_name);
  write_entry(w, entry);
  w.end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

} // namespace

std::string encode(const eip& e) {
  json_writer w;
  detail::begin_kind<eip>(w, e.metadata);
  w.begin_object("spec");
  w.member("address", e.spec.address); // `json:"address,required"`
  w.str("protocol", e.spec.protocol);
  w.str("interface", e.spec.interface);
  w.flag("disable", e.spec.disable);
  w.flag("usingKnownIPs", e.spec.using_known_ips);
  w.num("priority", e.spec.priority);
  w.strings("namespaces", e.spec.namespaces);
  w.pairs("namespaceSelector", e.spec.namespace_selector);
  w.end_object();
  w.begin_object("status");
  write_eip_status(w, e.status, true);
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode_eip_status_patch(const eip_status& desired,
                                    const eip_status& observed) {
  json_writer w;
  w.explicit_zero_values(true);
  w.begin_object();
  w.begin_object("status");
  write_eip_status(w, desired, false);
  // used: desired keys set, keys only the server still has set to null.
  w.begin_object("used");
  for (const auto& [ip, owners] : desired.used) {
    w.key(ip);
    w.string(owners);
  }
  for (const auto& [ip, owners] : observed.used) {
    (void) owners;
    if (find_value(desired.used, ip) == nullptr) {
      w.key(ip);
      w.null();
    }
  }
  w.end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode(const bgp_conf& c) {
  json_writer w;
  detail::begin_kind<bgp_conf>(w, c.metadata);
  const bgp_conf_spec& s = c.spec;
  w.begin_object("spec");
  w.num("as", s.as);
  w.map("asPerRack", s.as_per_rack, write_number);
  w.str("routerId", s.router_id);
  w.num("listenPort", s.listen_port);
  w.strings("listenAddresses", s.listen_addresses);
  w.list("families", s.families, write_number);
  w.flag("useMultiplePaths", s.use_multiple_paths);
  if (s.graceful_restart)
    write_graceful_restart(w, *s.graceful_restart);
  w.str("policy", s.policy);
  w.end_object();
  w.begin_object("status");
  w.map("nodesConfStatus", c.status.nodes_conf_status, write_node_conf_status);
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode_bgp_conf_status_patch(std::string_view node_name,
                                         const node_conf_status& status) {
  return node_entry_patch("nodesConfStatus", node_name, status,
                          write_node_conf_status);
}

std::string encode(const bgp_peer& p) {
  json_writer w;
  detail::begin_kind<bgp_peer>(w, p.metadata);
  write_bgp_peer_spec(w, p.spec);
  w.begin_object("status");
  w.map("nodesPeerStatus", p.status.nodes_peer_status, write_node_peer_status);
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode_bgp_peer_status_patch(std::string_view node_name,
                                         const node_peer_status& status) {
  return node_entry_patch("nodesPeerStatus", node_name, status,
                          write_node_peer_status);
}

} // namespace porter::k8s
