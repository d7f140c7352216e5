#include "k8s/agent_eips.hpp"

#include <algorithm>

#include "k8s/service_request.hpp"

namespace porter::k8s {

namespace {

bool has_porter_finalizer(const service& s) {
  const auto& f = s.metadata.finalizers;
  return std::find(f.begin(), f.end(), lb_finalizer) != f.end();
}

} // namespace

std::set<net::ip_address> eips_in_use(const std::vector<const service*>& all,
                                      bool default_class) {
  std::set<net::ip_address> out;
  for (const service* s : all) {
    if (s->spec.type != service_type::load_balancer)
      continue;
    if (!is_porter_service(*s, default_class) && !has_porter_finalizer(*s))
      continue;
    for (const auto& ingress : s->status.ingress)
      if (auto ip = net::parse_ip(ingress.ip))
        out.insert(*ip);
  }
  return out;
}

} // namespace porter::k8s
