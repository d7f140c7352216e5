#include "k8s/service_request.hpp"

#include <algorithm>

namespace porter::k8s {

namespace {

constexpr std::string_view porter_class_values[] = {"porter", "openelb"};

std::string annotation_path(std::string_view key) {
  return "metadata.annotations[" + std::string(key) + "]";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

std::string_view family_name(net::family f) {
  return f == net::family::v4 ? "IPv4" : "IPv6";
}

/// One place a Service can name its IP(s): "a" or "a,b".
struct ip_source {
  std::string path;
  std::string text;
};

decoded<std::vector<net::ip_address>> parse_ips(const ip_source& src) {
  std::vector<net::ip_address> out;
  std::string_view rest = src.text;
  while (true) {
    auto comma = rest.find(',');
    auto item = trim(rest.substr(0, comma));
    auto ip = net::parse_ip(item);
    if (!ip)
      return tl::make_unexpected(decode_error{
        src.path, "\"" + std::string(item) + "\" is not an IP address"});
    for (const auto& seen : out)
      if (seen.fam == ip->fam)
        return tl::make_unexpected(decode_error{
          src.path,
          "more than one " + std::string(family_name(ip->fam)) + " address"});
    out.push_back(*ip);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::string join(const std::vector<net::ip_address>& ips) {
  std::string out;
  for (const auto& ip : ips)
    out += (out.empty() ? "" : ",") + net::to_string(ip);
  return out;
}

/// OpenELB reads the eip.*/v1alpha1 annotation over spec.loadBalancerIP
/// (openelb.md §2.3); porter also reads porter v0.1.1's annotation (§1.5)
/// and, like MetalLB with loadBalancerIPs + loadBalancerIP (peers.md §1.3),
/// refuses sources that disagree instead of silently ignoring one.
decoded<std::vector<net::ip_address>> requested_ips(const service& s) {
  std::vector<ip_source> sources;
  for (auto key : {eip_ip_annotation, legacy_eip_ip_annotation})
    if (auto* v = find_value(s.metadata.annotations, key); v && !v->empty())
      sources.push_back({annotation_path(key), *v});
  if (!s.spec.load_balancer_ip.empty())
    sources.push_back({"spec.loadBalancerIP", s.spec.load_balancer_ip});
  std::vector<net::ip_address> chosen;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto ips = parse_ips(sources[i]);
    if (!ips)
      return ips;
    auto sorted = *ips;
    std::sort(sorted.begin(), sorted.end());
    if (i == 0) {
      chosen = std::move(*ips);
      continue;
    }
    auto first = chosen;
    std::sort(first.begin(), first.end());
    if (first != sorted)
      return tl::make_unexpected(
        decode_error{sources[0].path, join(chosen) + " disagrees with "
                                        + sources[i].path + " " + join(*ips)});
  }
  return chosen;
}

/// spec.ipFamilies in order, then ipFamilyPolicy: SingleStack (or unset)
/// keeps the first family, the dual-stack policies want both.
std::vector<net::family>
wanted_families(const service& s, const std::vector<net::ip_address>& ips) {
  std::vector<net::family> out;
  for (const auto& f : s.spec.ip_families) {
    auto fam = f == "IPv6" ? net::family::v6 : net::family::v4;
    if ((f == "IPv4" || f == "IPv6")
        && std::find(out.begin(), out.end(), fam) == out.end())
      out.push_back(fam);
  }
  if (out.empty()) // not yet defaulted by the API server
    out.push_back(ips.empty() ? net::family::v4 : ips.front().fam);
  auto policy = s.spec.ip_family_policy;
  if (policy == ip_family_policy::prefer_dual_stack
      || policy == ip_family_policy::require_dual_stack) {
    if (out.size() == 1)
      out.push_back(out.front() == net::family::v4 ? net::family::v6
                                                   : net::family::v4);
  } else {
    out.resize(1);
  }
  return out;
}

std::vector<port_key> port_keys(const service& s) {
  std::vector<port_key> out;
  for (const auto& p : s.spec.ports)
    out.push_back({p.protocol, p.port});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace

bool is_porter_service(const service& s, bool default_class) {
  if (s.spec.type != service_type::load_balancer)
    return false;
  if (!s.spec.load_balancer_class.empty())
    return s.spec.load_balancer_class == porter_lb_class;
  auto* v = find_value(s.metadata.annotations, lb_annotation);
  if (v == nullptr)
    return default_class;
  return std::find(std::begin(porter_class_values),
                   std::end(porter_class_values), *v)
         != std::end(porter_class_values);
}

const net::ip_address* requested_ip(const ip_request& r, net::family fam) {
  for (const auto& ip : r.ips)
    if (ip.fam == fam)
      return &ip;
  return nullptr;
}

decoded<ip_request> make_ip_request(const service& s) {
  ip_request r;
  if (auto* v = find_value(s.metadata.annotations, eip_pool_annotation))
    r.pool = *v;
  if (auto* v = find_value(s.metadata.annotations, sharing_key_annotation))
    r.sharing_key = *v;
  auto ips = requested_ips(s);
  if (!ips)
    return tl::make_unexpected(ips.error());
  r.ips = std::move(*ips);
  r.families = wanted_families(s, r.ips);
  for (const auto& ip : r.ips)
    if (std::find(r.families.begin(), r.families.end(), ip.fam)
        == r.families.end())
      return tl::make_unexpected(decode_error{
        "spec.ipFamilies", net::to_string(ip) + " is "
                             + std::string(family_name(ip.fam))
                             + " but the Service is single-stack "
                             + std::string(family_name(r.families[0]))});
  r.require_dual_stack
    = s.spec.ip_family_policy == ip_family_policy::require_dual_stack;
  r.external_traffic_policy
    = s.spec.external_traffic_policy == traffic_policy::local
        ? traffic_policy::local
        : traffic_policy::cluster;
  r.ports = port_keys(s);
  return r;
}

tl::expected<void, refusal> sharing_allowed(const ip_request& a,
                                            const ip_request& b) {
  if (a.sharing_key.empty() || b.sharing_key.empty())
    return tl::make_unexpected(refusal{"no sharing key"});
  if (a.sharing_key != b.sharing_key)
    return tl::make_unexpected(refusal{"sharing keys differ (" + a.sharing_key
                                       + " vs " + b.sharing_key + ")"});
  if (a.external_traffic_policy != b.external_traffic_policy)
    return tl::make_unexpected(refusal{"externalTrafficPolicy differs"});
  for (const auto& p : a.ports)
    if (std::binary_search(b.ports.begin(), b.ports.end(), p))
      return tl::make_unexpected(refusal{"port " + std::to_string(p.port) + "/"
                                         + std::string(to_string(p.protocol))
                                         + " is used by both"});
  return {};
}

} // namespace porter::k8s
