// Encoders of the core/v1 and discovery/v1 kinds, with the API's JSON
// names and Go's omitempty rules (a field the Go type marks without
// omitempty, such as ServicePort.port, is always written), and the Service
// status merge-patch porter sends (k8s-api.md §2.3, §2.4).
#include "k8s/object_writer.hpp"
#include "k8s/objects.hpp"

namespace porter::k8s {

using detail::json_writer;

namespace {

void write_service_port(json_writer& w, const service_port& p) {
  w.begin_object();
  w.str("name", p.name);
  w.str("protocol", to_string(p.protocol));
  w.member("port", p.port);
  w.int_or_string("targetPort", p.target_port);
  w.num("nodePort", p.node_port);
  w.end_object();
}

void write_port_status(json_writer& w, const port_status& p) {
  w.begin_object();
  w.member("port", p.port);
  w.member("protocol", to_string(p.protocol));
  w.str("error", p.error);
  w.end_object();
}

void write_ingress(json_writer& w, const load_balancer_ingress& i) {
  w.begin_object();
  w.str("ip", i.ip);
  w.str("hostname", i.hostname);
  w.str("ipMode", to_string(i.ip_mode));
  w.list("ports", i.ports, write_port_status);
  w.end_object();
}

void write_ingress_list(json_writer& w,
                        const std::vector<load_balancer_ingress>& ingress) {
  w.begin_array("ingress");
  for (const auto& i : ingress)
    write_ingress(w, i);
  w.end_array();
}

void write_service_spec(json_writer& w, const service_spec& s) {
  w.begin_object("spec");
  w.str("type", to_string(s.type));
  if (!s.cluster_ips.empty())
    w.str("clusterIP", s.cluster_ips.front());
  w.strings("clusterIPs", s.cluster_ips);
  w.list("ports", s.ports, write_service_port);
  w.pairs("selector", s.selector);
  w.str("externalTrafficPolicy", to_string(s.external_traffic_policy));
  w.str("internalTrafficPolicy", to_string(s.internal_traffic_policy));
  w.str("loadBalancerIP", s.load_balancer_ip);
  w.str("loadBalancerClass", s.load_balancer_class);
  w.strings("loadBalancerSourceRanges", s.load_balancer_source_ranges);
  w.strings("ipFamilies", s.ip_families);
  w.str("ipFamilyPolicy", to_string(s.ip_family_policy));
  w.opt_flag("allocateLoadBalancerNodePorts",
             s.allocate_load_balancer_node_ports);
  w.num("healthCheckNodePort", s.health_check_node_port);
  w.end_object();
}

void write_endpoint_port(json_writer& w, const endpoint_port& p) {
  w.begin_object();
  w.str("name", p.name);
  w.str("protocol", to_string(p.protocol));
  w.opt_num("port", p.port);
  w.end_object();
}

void write_endpoint(json_writer& w, const endpoint& e) {
  w.begin_object();
  w.begin_array("addresses");
  for (const auto& a : e.addresses)
    w.string(a);
  w.end_array();
  w.begin_object("conditions");
  w.opt_flag("ready", e.conditions.ready);
  w.opt_flag("serving", e.conditions.serving);
  w.opt_flag("terminating", e.conditions.terminating);
  w.end_object();
  if (!e.target_ref.kind.empty() || !e.target_ref.name.empty()) {
    w.begin_object("targetRef");
    w.str("kind", e.target_ref.kind);
    w.str("name", e.target_ref.name);
    w.end_object();
  }
  w.str("nodeName", e.node_name);
  w.str("zone", e.zone);
  w.end_object();
}

void write_endpoint_address(json_writer& w, const endpoint_address& a) {
  w.begin_object();
  w.member("ip", a.ip);
  w.str("nodeName", a.node_name);
  w.end_object();
}

void write_subset(json_writer& w, const endpoint_subset& s) {
  w.begin_object();
  w.list("addresses", s.addresses, write_endpoint_address);
  w.list("notReadyAddresses", s.not_ready_addresses, write_endpoint_address);
  w.list("ports", s.ports, write_endpoint_port);
  w.end_object();
}

void write_node_address(json_writer& w, const node_address& a) {
  w.begin_object();
  w.member("type", a.type);
  w.member("address", a.address);
  w.end_object();
}

} // namespace

std::string encode(const service& s) {
  json_writer w;
  detail::begin_kind<service>(w, s.metadata);
  write_service_spec(w, s.spec);
  w.begin_object("status");
  w.begin_object("loadBalancer");
  if (!s.status.ingress.empty())
    write_ingress_list(w, s.status.ingress);
  w.end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

std::string
encode_service_status_patch(const std::vector<load_balancer_ingress>& ingress) {
  json_writer w;
  w.begin_object();
  w.begin_object("status");
  w.begin_object("loadBalancer");
  write_ingress_list(w, ingress);
  w.end_object();
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode(const endpoint_slice& s) {
  json_writer w;
  detail::begin_kind<endpoint_slice>(w, s.metadata);
  w.member("addressType", s.address_type);
  w.begin_array("endpoints");
  for (const auto& e : s.endpoints)
    write_endpoint(w, e);
  w.end_array();
  w.list("ports", s.ports, write_endpoint_port);
  w.end_object();
  return w.take();
}

std::string encode(const endpoints& e) {
  json_writer w;
  detail::begin_kind<endpoints>(w, e.metadata);
  w.list("subsets", e.subsets, write_subset);
  w.end_object();
  return w.take();
}

std::string encode(const node& n) {
  json_writer w;
  detail::begin_kind<node>(w, n.metadata);
  w.begin_object("spec");
  if (!n.spec.pod_cidrs.empty())
    w.str("podCIDR", n.spec.pod_cidrs.front());
  w.strings("podCIDRs", n.spec.pod_cidrs);
  w.flag("unschedulable", n.spec.unschedulable);
  w.end_object();
  w.begin_object("status");
  w.list("addresses", n.status.addresses, write_node_address);
  w.begin_array("conditions");
  w.begin_object();
  w.str("type", "Ready");
  w.str("status", to_string(n.status.ready));
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_object();
  return w.take();
}

std::string encode(const namespace_object& n) {
  json_writer w;
  detail::begin_kind<namespace_object>(w, n.metadata);
  w.end_object();
  return w.take();
}

std::string encode(const secret& s) {
  json_writer w;
  detail::begin_kind<secret>(w, s.metadata);
  w.str("type", s.type);
  w.pairs("data", s.data);
  w.end_object();
  return w.take();
}

std::string encode(const config_map& c) {
  json_writer w;
  detail::begin_kind<config_map>(w, c.metadata);
  w.pairs("data", c.data);
  w.end_object();
  return w.take();
}

} // namespace porter::k8s
