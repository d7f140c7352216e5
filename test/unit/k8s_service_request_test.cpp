// Service request resolution (k8s/service_request.hpp): which Services porter
// owns, what IP(s), families and ports they ask for, and when two may share
// one IP. One row per rule; each row names the rule it encodes.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/service_request.hpp"

namespace porter::k8s {
namespace {

service lb_service(string_pairs annotations = {}) {
  service s;
  s.metadata.name = "web";
  s.metadata.namespace_ = "default";
  s.metadata.annotations = std::move(annotations);
  s.spec.type = service_type::load_balancer;
  s.spec.ip_families = {"IPv4"};
  s.spec.ports = {{"http", "8080", 80, 0, protocol::tcp}};
  return s;
}

// ---- is_porter_service -------------------------------------------------

struct class_row {
  const char* rule;
  service svc;
  bool default_class;
  bool want;
};

service with_class(std::string cls, string_pairs annotations = {}) {
  auto s = lb_service(std::move(annotations));
  s.spec.load_balancer_class = std::move(cls);
  return s;
}

service of_type(service_type t, string_pairs annotations) {
  auto s = lb_service(std::move(annotations));
  s.spec.type = t;
  return s;
}

TEST(ServiceRequest, WhichServicesArePorters) {
  const std::string a(lb_annotation);
  const std::vector<class_row> rows = {
    {"#7 item 2: loadBalancerClass kubesphere.io/porter",
     with_class("kubesphere.io/porter"), false, true},
    {"#7 item 2 / openelb.md §2.3: annotation value openelb",
     lb_service({{a, "openelb"}}), false, true},
    {"#7 item 2 / openelb.md §2.3: annotation value porter (<= v0.4.3)",
     lb_service({{a, "porter"}}), false, true},
    {"openelb.md §2.3: any other annotation value is not an opt-in",
     lb_service({{a, "metallb"}}), false, false},
    {"#7 item 2: no class, no annotation, no --default-class", lb_service(),
     false, false},
    {"#7 item 2: --default-class takes classless LoadBalancers", lb_service(),
     true, true},
    {"#7 item 2: another class is never touched, even with --default-class",
     with_class("metallb.io/metallb"), true, false},
    {"#7 item 2: another class wins over the opt-in annotation",
     with_class("metallb.io/metallb", {{a, "openelb"}}), true, false},
    {"#7 item 2: --default-class does not override a foreign annotation",
     lb_service({{a, "other"}}), true, false},
    {"openelb.md §2.4 needRelease: not LoadBalancer, annotation or not",
     of_type(service_type::node_port, {{a, "openelb"}}), true, false},
    {"openelb.md §2.4 needRelease: ClusterIP with our class",
     [] {
       auto s = with_class("kubesphere.io/porter");
       s.spec.type = service_type::cluster_ip;
       return s;
     }(),
     true, false},
  };
  for (const auto& r : rows)
    EXPECT_EQ(is_porter_service(r.svc, r.default_class), r.want) << r.rule;
}

// ---- make_ip_request: IPs --------------------------------------------------

struct ip_row {
  const char* rule;
  service svc;
  std::vector<std::string> want_ips; ///< empty + want_error: must fail
  std::string want_error;            ///< substring of the one-line error
};

service with_lb_ip(std::string lb_ip, string_pairs annotations = {}) {
  auto s = lb_service(std::move(annotations));
  s.spec.load_balancer_ip = std::move(lb_ip);
  return s;
}

service dual(ip_family_policy policy, string_pairs annotations = {}) {
  auto s = lb_service(std::move(annotations));
  s.spec.ip_family_policy = policy;
  s.spec.ip_families = {"IPv4", "IPv6"};
  return s;
}

TEST(ServiceRequest, RequestedIps) {
  const std::string v1(eip_ip_annotation), legacy(legacy_eip_ip_annotation);
  const std::vector<ip_row> rows = {
    {"no source: no specific IP", lb_service(), {}, ""},
    {"openelb.md §2.3: eip.openelb.kubesphere.io/v1alpha1 requests an IP",
     lb_service({{v1, "192.168.0.150"}}),
     {"192.168.0.150"},
     ""},
    {"openelb.md §1.5: legacy eip.porter.kubesphere.io/v1alpha1",
     lb_service({{legacy, "192.168.0.151"}}),
     {"192.168.0.151"},
     ""},
    {"openelb.md §2.3: spec.loadBalancerIP requests an IP",
     with_lb_ip("192.168.0.152"),
     {"192.168.0.152"},
     ""},
    {"sources that agree are fine",
     with_lb_ip("192.168.0.153", {{v1, "192.168.0.153"}}),
     {"192.168.0.153"},
     ""},
    {"MetalLB (peers.md §1.3): annotation and loadBalancerIP disagree",
     with_lb_ip("192.168.0.2", {{v1, "192.168.0.1"}}),
     {},
     "disagrees with spec.loadBalancerIP 192.168.0.2"},
    {"new and legacy annotations disagree",
     lb_service({{v1, "192.168.0.1"}, {legacy, "192.168.0.3"}}),
     {},
     "disagrees with metadata.annotations[eip.porter"},
    {"decoded-style error: bad IP text names the annotation",
     lb_service({{v1, "192.168.0.300"}}),
     {},
     "metadata.annotations[eip.openelb.kubesphere.io/v1alpha1]: "
     "\"192.168.0.300\" is not an IP address"},
    {"bad spec.loadBalancerIP",
     with_lb_ip("nope"),
     {},
     "spec.loadBalancerIP: \"nope\" is not an IP address"},
    {"#7 item 4 dual-stack: one IPv4 and one IPv6, in the order given",
     dual(ip_family_policy::require_dual_stack,
          {{v1, "2001:db8::1, 10.0.0.1"}}),
     {"2001:db8::1", "10.0.0.1"},
     ""},
    {"two IPs of one family are refused",
     dual(ip_family_policy::require_dual_stack, {{v1, "10.0.0.1,10.0.0.2"}}),
     {},
     "more than one IPv4 address"},
    {"OpenELB b67401cc: an IP outside the Service's families is refused",
     lb_service({{v1, "2001:db8::1"}}),
     {},
     "spec.ipFamilies: 2001:db8::1 is IPv6 but the Service is single-stack "
     "IPv4"},
    {"empty annotation value is no request", lb_service({{v1, ""}}), {}, ""},
  };
  for (const auto& r : rows) {
    auto got = make_ip_request(r.svc);
    if (!r.want_error.empty()) {
      ASSERT_FALSE(got) << r.rule;
      EXPECT_NE(to_string(got.error()).find(r.want_error), std::string::npos)
        << r.rule << ": " << to_string(got.error());
      continue;
    }
    ASSERT_TRUE(got) << r.rule << ": " << to_string(got.error());
    std::vector<std::string> ips;
    for (const auto& a : got->ips)
      ips.push_back(net::to_string(a));
    EXPECT_EQ(ips, r.want_ips) << r.rule;
  }
}

// ---- make_ip_request: families, pool, key, policy, ports -------------------

struct family_row {
  const char* rule;
  service svc;
  std::vector<net::family> want;
  bool require_dual;
};

service families(ip_family_policy policy, std::vector<std::string> fams) {
  auto s = lb_service();
  s.spec.ip_family_policy = policy;
  s.spec.ip_families = std::move(fams);
  return s;
}

TEST(ServiceRequest, FamiliesWanted) {
  using net::family;
  using p = ip_family_policy;
  const std::vector<family_row> rows = {
    {"SingleStack: the first family",
     families(p::single_stack, {"IPv6"}),
     {family::v6},
     false},
    {"unset policy is SingleStack (API default)",
     families(p::unset, {"IPv4", "IPv6"}),
     {family::v4},
     false},
    {"#7 item 4: PreferDualStack wants both, ipFamilies order",
     families(p::prefer_dual_stack, {"IPv6", "IPv4"}),
     {family::v6, family::v4},
     false},
    {"#7 item 4: RequireDualStack wants both and requires them",
     families(p::require_dual_stack, {"IPv4", "IPv6"}),
     {family::v4, family::v6},
     true},
    {"PreferDualStack on a one-family list still wants the other",
     families(p::prefer_dual_stack, {"IPv4"}),
     {family::v4, family::v6},
     false},
    {"ipFamilies not yet defaulted: IPv4",
     families(p::unset, {}),
     {family::v4},
     false},
  };
  for (const auto& r : rows) {
    auto got = make_ip_request(r.svc);
    ASSERT_TRUE(got) << r.rule;
    EXPECT_EQ(got->families, r.want) << r.rule;
    EXPECT_EQ(got->require_dual_stack, r.require_dual) << r.rule;
  }
}

TEST(ServiceRequest, PoolSharingKeyPolicyAndPorts) {
  auto s = lb_service({{std::string(eip_pool_annotation), "eip-pool"},
                       {std::string(sharing_key_annotation), "team-a"}});
  s.spec.external_traffic_policy = traffic_policy::local;
  s.spec.ports = {{"dns", "53", 53, 0, protocol::udp},
                  {"https", "443", 443, 0, protocol::tcp},
                  {"dns-tcp", "53", 53, 0, protocol::tcp},
                  {"again", "53", 53, 0, protocol::udp}};
  auto r = make_ip_request(s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pool, "eip-pool"); // openelb.md §2.3 v1alpha2 annotation
  EXPECT_EQ(r->sharing_key, "team-a");
  EXPECT_EQ(r->external_traffic_policy, traffic_policy::local);
  const std::vector<port_key> want
    = {{protocol::tcp, 53}, {protocol::tcp, 443}, {protocol::udp, 53}};
  EXPECT_EQ(r->ports, want); // sorted, duplicates dropped
  // Unset externalTrafficPolicy is Cluster, the API default.
  auto plain = make_ip_request(lb_service());
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->external_traffic_policy, traffic_policy::cluster);
}

// ---- sharing_allowed --------------------------------------------------------

ip_request shared(std::string key, std::vector<port_key> ports,
                  traffic_policy etp = traffic_policy::cluster) {
  ip_request r;
  r.sharing_key = std::move(key);
  r.ports = std::move(ports);
  r.external_traffic_policy = etp;
  return r;
}

struct sharing_row {
  const char* rule;
  ip_request a, b;
  std::string want_refusal; ///< empty: allowed
};

TEST(ServiceRequest, SharingRules) {
  const port_key tcp80{protocol::tcp, 80}, udp80{protocol::udp, 80},
    tcp443{protocol::tcp, 443};
  const auto local = traffic_policy::local;
  const std::vector<sharing_row> rows = {
    {"#7 item 4: same key, disjoint ports, same policy", shared("k", {tcp80}),
     shared("k", {tcp443}), ""},
    {"MetalLB sharingOK: same port, other protocol does not collide",
     shared("k", {tcp80}), shared("k", {udp80}), ""},
    {"#7 item 4: no key on one side", shared("", {tcp80}),
     shared("k", {tcp443}), "no sharing key"},
    {"#7 item 4: no key on either side (OpenELB shared silently)",
     shared("", {tcp80}), shared("", {tcp443}), "no sharing key"},
    {"#7 item 4: different keys", shared("a", {tcp80}), shared("b", {tcp443}),
     "sharing keys differ (a vs b)"},
    {"#7 item 4: (protocol, port) collision", shared("k", {tcp80, tcp443}),
     shared("k", {tcp443}), "port 443/TCP is used by both"},
    {"#7 item 4: externalTrafficPolicy differs", shared("k", {tcp80}, local),
     shared("k", {tcp443}), "externalTrafficPolicy differs"},
    {"#7 item 4: both Local is fine", shared("k", {tcp80}, local),
     shared("k", {tcp443}, local), ""},
  };
  for (const auto& r : rows) {
    auto got = sharing_allowed(r.a, r.b);
    auto back = sharing_allowed(r.b, r.a);
    EXPECT_EQ(bool(got), bool(back)) << r.rule << " (symmetric)";
    if (r.want_refusal.empty()) {
      EXPECT_TRUE(got) << r.rule << ": " << got.error().what;
    } else {
      ASSERT_FALSE(got) << r.rule;
      EXPECT_EQ(got.error().what, r.want_refusal) << r.rule;
    }
  }
}

} // namespace
} // namespace porter::k8s
