// Shared by k8s_allocation_plan_test.cpp and k8s_allocation_plan_more_test.cpp:
// builders for Eips and Services, `apply` (what the leader's writer does with
// a plan: Service ingress, label, finalizer and Eip status), and short text
// views of a plan for assertions.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "k8s/allocation_plan.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s::test_world {

/// An Eip; `is_default` sets the is-default-eip annotation (§2.2).
inline eip pool(std::string name, std::string address, bool is_default) {
  eip e;
  e.metadata.name = std::move(name);
  e.spec.address = std::move(address);
  if (is_default)
    e.metadata.annotations = {{std::string(default_eip_annotation), "true"}};
  return e;
}

/// A porter LoadBalancer Service (class kubesphere.io/porter), created
/// `age_s` seconds after a fixed epoch, exposing TCP 80.
inline service svc(std::string ns, std::string name, int age_s) {
  service s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  char ts[32];
  std::snprintf(ts, sizeof ts, "2024-01-01T%02d:%02d:%02dZ", age_s / 3600,
                age_s / 60 % 60, age_s % 60);
  s.metadata.creation_timestamp = ts;
  s.spec.type = service_type::load_balancer;
  s.spec.load_balancer_class = std::string(porter_lb_class);
  s.spec.ports = {{"http", "", 80, 0, protocol::tcp}};
  return s;
}

inline void set_label(string_pairs& pairs, std::string_view key,
                      const std::string* value) {
  pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                             [&](const auto& kv) { return kv.first == key; }),
              pairs.end());
  if (value != nullptr)
    pairs.emplace_back(std::string(key), *value);
  std::sort(pairs.begin(), pairs.end());
}

/// Writes the plan into the world as the leader would (issue #7 item 6).
inline void apply(const allocation_plan& plan, allocation_world& w) {
  for (auto& s : w.services) {
    const service_plan* p
      = find_service(plan, s.metadata.namespace_, s.metadata.name);
    if (p == nullptr)
      continue;
    s.status.ingress.clear();
    for (const auto& ip : p->ips)
      s.status.ingress.push_back({net::to_string(ip.ip), {}, {}, ip_mode::vip});
    auto& fin = s.metadata.finalizers;
    fin.erase(std::remove(fin.begin(), fin.end(), lb_finalizer), fin.end());
    if (p->managed)
      fin.emplace_back(lb_finalizer);
    set_label(s.metadata.labels, eip_pool_annotation,
              p->ips.empty() ? nullptr : &p->ips.front().pool);
  }
  for (auto& e : w.eips)
    if (const pool_plan* p = find_pool(plan, e.metadata.name))
      e.status = p->status;
}

/// "ip[,ip]" of a Service's desired ingress; "<none>" when not planned.
inline std::string ips_of(const allocation_plan& plan, std::string_view ns,
                          std::string_view name) {
  const service_plan* s = find_service(plan, ns, name);
  if (s == nullptr)
    return "<none>";
  std::string out;
  for (const auto& ip : s->ips)
    out += (out.empty() ? "" : ",") + net::to_string(ip.ip);
  return out;
}

/// Event reasons, space separated.
inline std::string reasons_of(const allocation_plan& plan, std::string_view ns,
                              std::string_view name) {
  const service_plan* s = find_service(plan, ns, name);
  if (s == nullptr)
    return "<none>";
  std::string out;
  for (const auto& e : s->events)
    out += (out.empty() ? "" : " ") + e.reason;
  return out;
}

/// "ip=owners ..." of a pool's desired status.used.
inline std::string used_of(const pool_plan& p) {
  std::string out;
  for (const auto& [ip, owners] : p.status.used)
    out += (out.empty() ? "" : " ") + ip + "=" + owners;
  return out;
}

} // namespace porter::k8s::test_world
