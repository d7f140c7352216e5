// Which EIPs the agent diverts to its node (k8s/agent_eips.hpp; issue #9
// item 2). One row per rule, naming the API field it reads.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "k8s/agent_eips.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s {
namespace {

template <class F>
service svc(std::vector<std::string> ingress_ips, F shape) {
  service s;
  s.metadata.name = "s";
  s.metadata.namespace_ = "default";
  s.spec.type = service_type::load_balancer;
  s.metadata.annotations = {{std::string(lb_annotation), "porter"}};
  for (auto& ip : ingress_ips)
    s.status.ingress.push_back({std::move(ip), "", {}, ip_mode::unset});
  shape(s);
  return s;
}

service svc(std::vector<std::string> ingress_ips) {
  return svc(std::move(ingress_ips), [](service&) {});
}

std::string text(const std::set<net::ip_address>& ips) {
  std::string out;
  for (const auto& ip : ips)
    out += (out.empty() ? "" : " ") + net::to_string(ip);
  return out;
}

TEST(AgentEips, Table) {
  struct row {
    const char* name;
    std::vector<service> services;
    bool default_class;
    const char* want;
  };
  auto no_annotation = [](service& s) { s.metadata.annotations.clear(); };
  const row rows[] = {
    {"status.loadBalancer.ingress[].ip of a porter Service, both families",
     {svc({"10.0.0.1", "fd00::1"}), svc({"10.0.0.2"})},
     false,
     "10.0.0.1 10.0.0.2 fd00::1"},
    {"a shared IP (lb.kubesphere.io/sharing-key) counts once",
     {svc({"10.0.0.1"}), svc({"10.0.0.1"})},
     false,
     "10.0.0.1"},
    {"spec.loadBalancerClass of another controller: not porter's",
     {svc({"10.0.0.1"},
          [](service& s) { s.spec.load_balancer_class = "example.com/lb"; })},
     false,
     ""},
    {"spec.type ClusterIP with a stale ingress: nothing",
     {svc({"10.0.0.1"},
          [](service& s) { s.spec.type = service_type::cluster_ip; })},
     false,
     ""},
    {"no class, no annotation: only with --default-class",
     {svc({"10.0.0.1"}, no_annotation)},
     false,
     ""},
    {"no class, no annotation, --default-class",
     {svc({"10.0.0.1"}, no_annotation)},
     true,
     "10.0.0.1"},
    {"metadata.finalizers has porter's: the manager assigned it",
     {svc({"10.0.0.1"},
          [&](service& s) {
            no_annotation(s);
            s.metadata.finalizers.emplace_back(lb_finalizer);
          })},
     false,
     "10.0.0.1"},
    {"a deleting Service keeps its IP until the manager releases it",
     {svc({"10.0.0.1"}, [](service& s) { s.metadata.deleting = true; })},
     false,
     "10.0.0.1"},
    {"hostname-only and unparsable ingress entries are skipped",
     {svc({"", "not-an-ip", "10.0.0.3"})},
     false,
     "10.0.0.3"},
  };
  for (const auto& r : rows) {
    std::vector<const service*> all;
    for (const auto& s : r.services)
      all.push_back(&s);
    EXPECT_EQ(text(eips_in_use(all, r.default_class)), r.want) << r.name;
  }
}

} // namespace
} // namespace porter::k8s
