// Member-wise equality of the object models (C++17 has no defaulted ==);
// every member takes part, in declaration order.
#include <tuple>

#include "k8s/objects.hpp"

namespace porter::k8s {

bool operator==(const object_meta& a, const object_meta& b) {
  return std::tie(a.name, a.namespace_, a.uid, a.resource_version, a.generation,
                  a.creation_timestamp, a.labels, a.annotations, a.finalizers,
                  a.deleting)
         == std::tie(b.name, b.namespace_, b.uid, b.resource_version,
                     b.generation, b.creation_timestamp, b.labels,
                     b.annotations, b.finalizers, b.deleting);
}

bool operator==(const service_port& a, const service_port& b) {
  return std::tie(a.name, a.target_port, a.port, a.node_port, a.protocol)
         == std::tie(b.name, b.target_port, b.port, b.node_port, b.protocol);
}

bool operator==(const port_status& a, const port_status& b) {
  return std::tie(a.port, a.protocol, a.error)
         == std::tie(b.port, b.protocol, b.error);
}

bool operator==(const load_balancer_ingress& a,
                const load_balancer_ingress& b) {
  return std::tie(a.ip, a.hostname, a.ports, a.ip_mode)
         == std::tie(b.ip, b.hostname, b.ports, b.ip_mode);
}

bool operator==(const service_spec& a, const service_spec& b) {
  return std::tie(a.cluster_ips, a.ports, a.selector, a.load_balancer_ip,
                  a.load_balancer_class, a.load_balancer_source_ranges,
                  a.ip_families, a.type, a.external_traffic_policy,
                  a.internal_traffic_policy, a.ip_family_policy,
                  a.allocate_load_balancer_node_ports, a.health_check_node_port)
         == std::tie(b.cluster_ips, b.ports, b.selector, b.load_balancer_ip,
                     b.load_balancer_class, b.load_balancer_source_ranges,
                     b.ip_families, b.type, b.external_traffic_policy,
                     b.internal_traffic_policy, b.ip_family_policy,
                     b.allocate_load_balancer_node_ports,
                     b.health_check_node_port);
}

bool operator==(const service_status& a, const service_status& b) {
  return a.ingress == b.ingress;
}

bool operator==(const service& a, const service& b) {
  return std::tie(a.metadata, a.spec, a.status)
         == std::tie(b.metadata, b.spec, b.status);
}

bool operator==(const endpoint_conditions& a, const endpoint_conditions& b) {
  return std::tie(a.ready, a.serving, a.terminating)
         == std::tie(b.ready, b.serving, b.terminating);
}

bool operator==(const target_reference& a, const target_reference& b) {
  return std::tie(a.kind, a.name) == std::tie(b.kind, b.name);
}

bool operator==(const endpoint& a, const endpoint& b) {
  return std::tie(a.addresses, a.conditions, a.node_name, a.zone, a.target_ref)
         == std::tie(b.addresses, b.conditions, b.node_name, b.zone,
                     b.target_ref);
}

bool operator==(const endpoint_port& a, const endpoint_port& b) {
  return std::tie(a.name, a.port, a.protocol)
         == std::tie(b.name, b.port, b.protocol);
}

bool operator==(const endpoint_slice& a, const endpoint_slice& b) {
  return std::tie(a.metadata, a.address_type, a.endpoints, a.ports,
                  a.service_name)
         == std::tie(b.metadata, b.address_type, b.endpoints, b.ports,
                     b.service_name);
}

bool operator==(const endpoint_address& a, const endpoint_address& b) {
  return std::tie(a.ip, a.node_name) == std::tie(b.ip, b.node_name);
}

bool operator==(const endpoint_subset& a, const endpoint_subset& b) {
  return std::tie(a.addresses, a.not_ready_addresses, a.ports)
         == std::tie(b.addresses, b.not_ready_addresses, b.ports);
}

bool operator==(const endpoints& a, const endpoints& b) {
  return std::tie(a.metadata, a.subsets) == std::tie(b.metadata, b.subsets);
}

bool operator==(const node_address& a, const node_address& b) {
  return std::tie(a.type, a.address) == std::tie(b.type, b.address);
}

bool operator==(const node_spec& a, const node_spec& b) {
  return std::tie(a.pod_cidrs, a.unschedulable)
         == std::tie(b.pod_cidrs, b.unschedulable);
}

bool operator==(const node_status& a, const node_status& b) {
  return std::tie(a.addresses, a.ready) == std::tie(b.addresses, b.ready);
}

bool operator==(const node& a, const node& b) {
  return std::tie(a.metadata, a.spec, a.status)
         == std::tie(b.metadata, b.spec, b.status);
}

bool operator==(const namespace_object& a, const namespace_object& b) {
  return a.metadata == b.metadata;
}

bool operator==(const secret& a, const secret& b) {
  return std::tie(a.metadata, a.type, a.data)
         == std::tie(b.metadata, b.type, b.data);
}

bool operator==(const config_map& a, const config_map& b) {
  return std::tie(a.metadata, a.data) == std::tie(b.metadata, b.data);
}

bool operator==(const eip_spec& a, const eip_spec& b) {
  return std::tie(a.address, a.protocol, a.interface, a.disable,
                  a.using_known_ips, a.priority, a.namespaces,
                  a.namespace_selector)
         == std::tie(b.address, b.protocol, b.interface, b.disable,
                     b.using_known_ips, b.priority, b.namespaces,
                     b.namespace_selector);
}

bool operator==(const eip_condition& a, const eip_condition& b) {
  return std::tie(a.type, a.status, a.reason, a.message, a.last_transition_time)
         == std::tie(b.type, b.status, b.reason, b.message,
                     b.last_transition_time);
}

bool operator==(const eip_status& a, const eip_status& b) {
  return std::tie(a.occupied, a.usage, a.pool_size, a.used, a.first_ip,
                  a.last_ip, a.ready, a.v4, a.conditions)
         == std::tie(b.occupied, b.usage, b.pool_size, b.used, b.first_ip,
                     b.last_ip, b.ready, b.v4, b.conditions);
}

bool operator==(const eip& a, const eip& b) {
  return std::tie(a.metadata, a.spec, a.status)
         == std::tie(b.metadata, b.spec, b.status);
}

bool operator==(const bgp_graceful_restart& a, const bgp_graceful_restart& b) {
  return std::tie(a.enabled, a.restart_time, a.helper_only, a.deferral_time,
                  a.notification_enabled, a.longlived_enabled,
                  a.stale_routes_time, a.peer_restart_time, a.peer_restarting,
                  a.local_restarting, a.mode)
         == std::tie(b.enabled, b.restart_time, b.helper_only, b.deferral_time,
                     b.notification_enabled, b.longlived_enabled,
                     b.stale_routes_time, b.peer_restart_time,
                     b.peer_restarting, b.local_restarting, b.mode);
}

bool operator==(const bgp_conf_spec& a, const bgp_conf_spec& b) {
  return std::tie(a.as, a.as_per_rack, a.router_id, a.listen_port,
                  a.listen_addresses, a.families, a.use_multiple_paths,
                  a.graceful_restart, a.policy)
         == std::tie(b.as, b.as_per_rack, b.router_id, b.listen_port,
                     b.listen_addresses, b.families, b.use_multiple_paths,
                     b.graceful_restart, b.policy);
}

bool operator==(const node_conf_status& a, const node_conf_status& b) {
  return std::tie(a.router_id, a.as) == std::tie(b.router_id, b.as);
}

bool operator==(const bgp_conf_status& a, const bgp_conf_status& b) {
  return a.nodes_conf_status == b.nodes_conf_status;
}

bool operator==(const bgp_conf& a, const bgp_conf& b) {
  return std::tie(a.metadata, a.spec, a.status)
         == std::tie(b.metadata, b.spec, b.status);
}

bool operator==(const peer_conf& a, const peer_conf& b) {
  return std::tie(a.auth_password, a.description, a.local_as,
                  a.neighbor_address, a.peer_as, a.peer_group, a.peer_type,
                  a.remove_private_as, a.route_flap_damping, a.send_community,
                  a.neighbor_interface, a.vrf, a.allow_own_as,
                  a.replace_peer_as, a.admin_down)
         == std::tie(b.auth_password, b.description, b.local_as,
                     b.neighbor_address, b.peer_as, b.peer_group, b.peer_type,
                     b.remove_private_as, b.route_flap_damping,
                     b.send_community, b.neighbor_interface, b.vrf,
                     b.allow_own_as, b.replace_peer_as, b.admin_down);
}

bool operator==(const peer_ebgp_multihop& a, const peer_ebgp_multihop& b) {
  return std::tie(a.enabled, a.multihop_ttl)
         == std::tie(b.enabled, b.multihop_ttl);
}

bool operator==(const peer_timers& a, const peer_timers& b) {
  return std::tie(a.connect_retry, a.hold_time, a.keepalive_interval,
                  a.minimum_advertisement_interval)
         == std::tie(b.connect_retry, b.hold_time, b.keepalive_interval,
                     b.minimum_advertisement_interval);
}

bool operator==(const peer_transport& a, const peer_transport& b) {
  return std::tie(a.mtu_discovery, a.passive_mode, a.remote_address,
                  a.remote_port, a.tcp_mss)
         == std::tie(b.mtu_discovery, b.passive_mode, b.remote_address,
                     b.remote_port, b.tcp_mss);
}

bool operator==(const afi_safi_family& a, const afi_safi_family& b) {
  return std::tie(a.afi, a.safi) == std::tie(b.afi, b.safi);
}

bool operator==(const afi_safi_config& a, const afi_safi_config& b) {
  return std::tie(a.family, a.enabled) == std::tie(b.family, b.enabled);
}

bool operator==(const add_paths_config& a, const add_paths_config& b) {
  return std::tie(a.receive, a.send_max) == std::tie(b.receive, b.send_max);
}

bool operator==(const afi_safi& a, const afi_safi& b) {
  return std::tie(a.config, a.add_paths, a.mp_graceful_restart)
         == std::tie(b.config, b.add_paths, b.mp_graceful_restart);
}

bool operator==(const label_selector_requirement& a,
                const label_selector_requirement& b) {
  return std::tie(a.key, a.op, a.values) == std::tie(b.key, b.op, b.values);
}

bool operator==(const label_selector& a, const label_selector& b) {
  return std::tie(a.match_labels, a.match_expressions)
         == std::tie(b.match_labels, b.match_expressions);
}

bool operator==(const bgp_peer_spec& a, const bgp_peer_spec& b) {
  return std::tie(a.conf, a.ebgp_multihop, a.timers, a.transport,
                  a.graceful_restart, a.afi_safis, a.node_selector)
         == std::tie(b.conf, b.ebgp_multihop, b.timers, b.transport,
                     b.graceful_restart, b.afi_safis, b.node_selector);
}

bool operator==(const peer_message_counters& a,
                const peer_message_counters& b) {
  return std::tie(a.notification, a.update, a.open, a.keepalive, a.refresh,
                  a.discarded, a.total, a.withdraw_update, a.withdraw_prefix)
         == std::tie(b.notification, b.update, b.open, b.keepalive, b.refresh,
                     b.discarded, b.total, b.withdraw_update,
                     b.withdraw_prefix);
}

bool operator==(const peer_messages& a, const peer_messages& b) {
  return std::tie(a.received, a.sent) == std::tie(b.received, b.sent);
}

bool operator==(const peer_queues& a, const peer_queues& b) {
  return std::tie(a.input, a.output) == std::tie(b.input, b.output);
}

bool operator==(const bgp_peer_state& a, const bgp_peer_state& b) {
  return std::tie(a.auth_password, a.description, a.local_as, a.messages,
                  a.neighbor_address, a.peer_as, a.peer_group, a.peer_type,
                  a.queues, a.remove_private_as, a.route_flap_damping,
                  a.send_community, a.session_state, a.admin_state, a.out_q,
                  a.flops, a.router_id, a.last_error, a.advertised_paths)
         == std::tie(b.auth_password, b.description, b.local_as, b.messages,
                     b.neighbor_address, b.peer_as, b.peer_group, b.peer_type,
                     b.queues, b.remove_private_as, b.route_flap_damping,
                     b.send_community, b.session_state, b.admin_state, b.out_q,
                     b.flops, b.router_id, b.last_error, b.advertised_paths);
}

bool operator==(const bgp_timers_state& a, const bgp_timers_state& b) {
  return std::tie(a.connect_retry, a.hold_time, a.keepalive_interval,
                  a.minimum_advertisement_interval, a.negotiated_hold_time,
                  a.uptime, a.downtime)
         == std::tie(b.connect_retry, b.hold_time, b.keepalive_interval,
                     b.minimum_advertisement_interval, b.negotiated_hold_time,
                     b.uptime, b.downtime);
}

bool operator==(const node_peer_status& a, const node_peer_status& b) {
  return std::tie(a.peer_state, a.timers_state)
         == std::tie(b.peer_state, b.timers_state);
}

bool operator==(const bgp_peer_status& a, const bgp_peer_status& b) {
  return a.nodes_peer_status == b.nodes_peer_status;
}

bool operator==(const bgp_peer& a, const bgp_peer& b) {
  return std::tie(a.metadata, a.spec, a.status)
         == std::tie(b.metadata, b.spec, b.status);
}

} // namespace porter::k8s
