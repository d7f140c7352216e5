// The API spellings of the closed enums of core/v1 (k8s.io/api core/v1
// types.go: ServiceType, ServiceExternalTrafficPolicy,
// ServiceInternalTrafficPolicy, IPFamilyPolicy, Protocol,
// LoadBalancerIPMode).
#include "k8s/objects.hpp"

namespace porter::k8s {

namespace {

constexpr std::string_view unknown_text = "Unknown";

} // namespace

std::string_view to_string(service_type v) {
  switch (v) {
    case service_type::cluster_ip:
      return "ClusterIP";
    case service_type::node_port:
      return "NodePort";
    case service_type::load_balancer:
      return "LoadBalancer";
    case service_type::external_name:
      return "ExternalName";
    case service_type::unknown:
      break;
  }
  return unknown_text;
}

std::string_view to_string(traffic_policy v) {
  switch (v) {
    case traffic_policy::unset:
      return "";
    case traffic_policy::cluster:
      return "Cluster";
    case traffic_policy::local:
      return "Local";
    case traffic_policy::unknown:
      break;
  }
  return unknown_text;
}

std::string_view to_string(ip_family_policy v) {
  switch (v) {
    case ip_family_policy::unset:
      return "";
    case ip_family_policy::single_stack:
      return "SingleStack";
    case ip_family_policy::prefer_dual_stack:
      return "PreferDualStack";
    case ip_family_policy::require_dual_stack:
      return "RequireDualStack";
    case ip_family_policy::unknown:
      break;
  }
  return unknown_text;
}

std::string_view to_string(protocol v) {
  switch (v) {
    case protocol::tcp:
      return "TCP";
    case protocol::udp:
      return "UDP";
    case protocol::sctp:
      return "SCTP";
    case protocol::unknown:
      break;
  }
  return unknown_text;
}

std::string_view to_string(condition_status v) {
  switch (v) {
    case condition_status::is_true:
      return "True";
    case condition_status::is_false:
      return "False";
    case condition_status::unknown:
      break;
  }
  return "Unknown";
}

std::string_view to_string(ip_mode v) {
  switch (v) {
    case ip_mode::unset:
      return "";
    case ip_mode::vip:
      return "VIP";
    case ip_mode::proxy:
      return "Proxy";
    case ip_mode::unknown:
      break;
  }
  return unknown_text;
}

} // namespace porter::k8s
