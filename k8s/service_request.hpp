// What a LoadBalancer Service asks porter for, read from its spec and its
// OpenELB annotations (openelb.md §1.5, §2.3, §2.4 ConstructRequest; issue #7
// items 2 and 4): whether porter owns it, the pool or IPs it names, the IP
// families it wants, and whether two Services may share one IP (MetalLB's
// sharing rules, peers.md §1.4 item 6). Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "k8s/core_objects.hpp"
#include "k8s/json_reader.hpp"
#include "net/ip_address.hpp"

namespace porter::k8s {

/// spec.loadBalancerClass porter answers to (issue #7 item 2).
inline constexpr std::string_view porter_lb_class = "kubesphere.io/porter";
/// Opt-in annotation; value "openelb" (v0.4.4+) or "porter" (older).
inline constexpr std::string_view lb_annotation = "lb.kubesphere.io/v1alpha1";
/// Annotation naming the pool (Eip) to allocate from; also the label the
/// controller writes with the pool actually used (openelb.md §2.3).
inline constexpr std::string_view eip_pool_annotation
  = "eip.openelb.kubesphere.io/v1alpha2";
/// Annotation requesting a specific IP (OpenELB v0.6).
inline constexpr std::string_view eip_ip_annotation
  = "eip.openelb.kubesphere.io/v1alpha1";
/// Porter v0.1.1's annotation for a specific IP (openelb.md §1.5).
inline constexpr std::string_view legacy_eip_ip_annotation
  = "eip.porter.kubesphere.io/v1alpha1";
/// Sharing key (issue #7 item 4).
inline constexpr std::string_view sharing_key_annotation
  = "lb.kubesphere.io/sharing-key";
/// Eip annotation marking the fallback pool (openelb.md §2.2).
inline constexpr std::string_view default_eip_annotation
  = "eip.openelb.kubesphere.io/is-default-eip";
/// Service finalizer (openelb.md §2.3).
inline constexpr std::string_view lb_finalizer
  = "finalizer.lb.kubesphere.io/v1alpha1";

/// Whether porter manages `s`: type LoadBalancer and either
/// spec.loadBalancerClass kubesphere.io/porter or the annotation
/// lb.kubesphere.io/v1alpha1 = porter|openelb; with `default_class` also a
/// LoadBalancer Service with neither class nor annotation. A Service of any
/// other class is never porter's (issue #7 item 2).
bool is_porter_service(const service& s, bool default_class);

/// One (protocol, port) a Service exposes, for sharing collisions.
struct port_key {
  k8s::protocol protocol = k8s::protocol::tcp;
  std::uint16_t port = 0;

  friend bool operator==(const port_key& a, const port_key& b) {
    return a.protocol == b.protocol && a.port == b.port;
  }
  friend bool operator<(const port_key& a, const port_key& b) {
    return a.protocol != b.protocol ? a.protocol < b.protocol : a.port < b.port;
  }
};

/// A Service's allocation request.
struct ip_request {
  /// Pool named by annotation eip.openelb.kubesphere.io/v1alpha2; empty:
  /// none.
  std::string pool;
  /// Specific IPs asked for (at most one per family), in the order given.
  std::vector<net::ip_address> ips;
  /// lb.kubesphere.io/sharing-key; empty: the IP is not shared.
  std::string sharing_key;
  /// Families wanted, preferred first: one for SingleStack, both for
  /// PreferDualStack/RequireDualStack.
  std::vector<net::family> families;
  /// RequireDualStack: one EIP of each family or none.
  bool require_dual_stack = false;
  /// Unset is read as Cluster (the API default).
  traffic_policy external_traffic_policy = traffic_policy::cluster;
  /// Sorted, without duplicates.
  std::vector<port_key> ports;
};

/// The requested IP of `fam`, or nullptr.
const net::ip_address* requested_ip(const ip_request& r, net::family fam);

/// Reads `s`'s request. Fails with a one-line error (path names the
/// annotation or field) when an IP is malformed, when two IP sources
/// disagree, or when a requested IP's family is not among the Service's.
decoded<ip_request> make_ip_request(const service& s);

/// Why a Service may not share another's IP.
struct refusal {
  std::string what;
};

/// Whether the Services behind `a` and `b` may hold one IP: both carry the
/// same non-empty sharing key, no (protocol, port) is in both, and their
/// externalTrafficPolicy is equal (issue #7 item 4).
tl::expected<void, refusal> sharing_allowed(const ip_request& a,
                                            const ip_request& b);

} // namespace porter::k8s
