// Service defaulting, validation and allocation (pkg/registry/core/service:
// storage.go patchAllocatedValues, ipallocator, portallocator; defaults.go).
// k8s-api.md §5.4 lists the defaults a LoadBalancer Service gets.
#include <algorithm>
#include <set>
#include <utility>

#include "sim/apiserver/strategy.hpp"

namespace porter::sim {

namespace {

struct allocations {
  std::set<std::string> ips;
  std::set<int> ports;
};

allocations held(const json::value* svc) {
  allocations out;
  if (svc == nullptr)
    return out;
  auto ip = json::string_at(*svc, {"spec", "clusterIP"});
  if (ip && !ip->empty() && *ip != "None")
    out.ips.emplace(*ip);
  const json::value* ports = json::find_path(*svc, {"spec", "ports"});
  if (ports != nullptr && ports->IsArray())
    for (const auto& p : ports->GetArray())
      if (auto n = json::get_int(p, "nodePort"); n && *n > 0)
        out.ports.insert(static_cast<int>(*n));
  const json::value* spec = json::find(*svc, "spec");
  if (auto hc
      = spec ? json::get_int(*spec, "healthCheckNodePort") : std::nullopt;
      hc && *hc > 0)
    out.ports.insert(static_cast<int>(*hc));
  return out;
}

void set_default(json::value& obj, std::string_view key, std::string_view v,
                 json::allocator& a) {
  if (!json::get_string(obj, key) || json::get_string(obj, key)->empty())
    json::set_string(obj, key, v, a);
}

json::value one_string_list(std::string_view s, json::allocator& a) {
  json::value l{rapidjson::kArrayType};
  l.PushBack(json::make_string(s, a), a);
  return l;
}

class service_preparer {
public:
  service_preparer(core_state& st, json::value& svc, const json::value* old,
                   json::allocator& a)
      : st_(st),
        spec_(json::ensure_object(svc, "spec", a)),
        old_(old),
        a_(a),
        had_(held(old)) {}

  std::vector<status_cause> run() {
    auto type = std::string(json::get_string(spec_, "type").value_or(""));
    if (type.empty())
      type = "ClusterIP";
    static const std::set<std::string> types
      = {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"};
    if (types.count(type) == 0) {
      cause("spec.type", "FieldValueNotSupported",
            "Unsupported value: \"" + type
              + "\": supported values: \"ClusterIP\", \"ExternalName\", "
                "\"LoadBalancer\", \"NodePort\"");
      return causes_;
    }
    json::set_string(spec_, "type", type, a_);
    ports(type);
    if (causes_.empty())
      cluster_ip(type);
    if (causes_.empty())
      node_ports(type);
    if (!causes_.empty())
      rollback();
    return causes_;
  }

private:
  void cause(std::string field, std::string reason, std::string msg) {
    causes_.push_back({std::move(reason), std::move(msg), std::move(field)});
  }

  json::value* ports_array() {
    json::value* p = json::find(spec_, "ports");
    return p != nullptr && p->IsArray() ? p : nullptr;
  }

  void ports(const std::string& type);
  void cluster_ip(const std::string& type);
  bool take_ip(std::string& ip);
  void health_check_port();
  void node_ports(const std::string& type);
  bool need_node_ports(const std::string& type) const;
  void take_port(json::value& p, const std::string& field);
  void rollback() {
    for (const auto& ip : new_ips_)
      st_.services.release_ip(ip);
    for (int port : new_ports_)
      st_.services.release_port(port);
  }

  core_state& st_;
  json::value& spec_;
  const json::value* old_;
  json::allocator& a_;
  allocations had_;
  std::vector<status_cause> causes_;
  std::vector<std::string> new_ips_;
  std::vector<int> new_ports_;
};

void service_preparer::ports(const std::string& type) {
  json::value* ports = ports_array();
  bool headless = json::get_string(spec_, "clusterIP") == "None";
  if ((ports == nullptr || ports->Empty()) && type != "ExternalName"
      && !headless) {
    cause("spec.ports", "FieldValueRequired", "Required value");
    return;
  }
  if (ports == nullptr)
    return;
  for (rapidjson::SizeType i = 0; i < ports->Size(); ++i) {
    json::value& p = (*ports)[i];
    auto path = "spec.ports[" + std::to_string(i) + "]";
    auto port = json::get_int(p, "port").value_or(0);
    if (port < 1 || port > 65535)
      cause(path + ".port", "FieldValueInvalid",
            "Invalid value: " + std::to_string(port)
              + ": must be between 1 and 65535, inclusive");
    if (ports->Size() > 1 && json::get_string(p, "name").value_or("").empty())
      cause(path + ".name", "FieldValueRequired", "Required value");
    set_default(p, "protocol", "TCP", a_);
    auto proto = json::get_string(p, "protocol").value_or("");
    if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
      cause(path + ".protocol", "FieldValueNotSupported",
            "Unsupported value: \"" + std::string(proto)
              + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    if (json::find(p, "targetPort") == nullptr)
      json::set(p, "targetPort", json::value{port}, a_);
  }
}

void service_preparer::cluster_ip(const std::string& type) {
  if (type == "ExternalName") {
    for (auto k : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"})
      json::erase(spec_, k);
    set_default(spec_, "sessionAffinity", "None", a_);
    return;
  }
  auto old_ip = std::string(
    old_ ? json::string_at(*old_, {"spec", "clusterIP"}).value_or("") : "");
  auto ip = std::string(json::get_string(spec_, "clusterIP").value_or(""));
  if (ip.empty())
    ip = old_ip; // patchAllocatedValues: an update may omit it
  if (!old_ip.empty() && ip != old_ip) {
    cause("spec.clusterIPs[0]", "FieldValueInvalid",
          "Invalid value: []string{\"" + ip + "\"}: may not change once set");
    return;
  }
  if (!take_ip(ip))
    return;
  json::set_string(spec_, "clusterIP", ip, a_);
  json::set(spec_, "clusterIPs", one_string_list(ip, a_), a_);
  if (json::find(spec_, "ipFamilies") == nullptr)
    json::set(spec_, "ipFamilies", one_string_list("IPv4", a_), a_);
  set_default(spec_, "ipFamilyPolicy", "SingleStack", a_);
  set_default(spec_, "sessionAffinity", "None", a_);
  set_default(spec_, "internalTrafficPolicy", "Cluster", a_);
}

// externalTrafficPolicy: Local LoadBalancers get a healthCheckNodePort
// (kept across updates, like the node ports).
void service_preparer::health_check_port() {
  json::value holder{rapidjson::kObjectType};
  auto hc = json::get_int(spec_, "healthCheckNodePort").value_or(0);
  if (hc == 0 && old_ != nullptr)
    if (const json::value* os = json::find(*old_, "spec"))
      hc = json::get_int(*os, "healthCheckNodePort").value_or(0);
  if (hc > 0)
    json::set(holder, "nodePort", json::value{hc}, a_);
  take_port(holder, "spec.healthCheckNodePort");
  if (auto n = json::get_int(holder, "nodePort"))
    json::set(spec_, "healthCheckNodePort", json::value{*n}, a_);
}

// Allocates a ClusterIP when `ip` is empty, else reserves the requested one
// unless the old object already holds it.
bool service_preparer::take_ip(std::string& ip) {
  using rr = service_allocator::reserve_result;
  if (ip.empty()) {
    auto got = st_.services.allocate_ip(st_.rng);
    if (!got) {
      cause("spec.clusterIPs", "FieldValueInvalid",
            "Invalid value: []string(nil): failed to allocate a serviceIP: "
            "range is full");
      return false;
    }
    ip = *got;
    new_ips_.push_back(ip);
    return true;
  }
  if (ip == "None" || had_.ips.count(ip) != 0)
    return true;
  auto r = st_.services.reserve_ip(ip);
  if (r == rr::ok) {
    new_ips_.push_back(ip);
    return true;
  }
  std::string why = r == rr::taken ? "provided IP is already allocated"
                                   : "the provided IP (" + ip
                                       + ") is not in the valid range. The "
                                         "range of valid IPs is "
                                       + st_.opts.service_cidr;
  cause("spec.clusterIPs", "FieldValueInvalid",
        "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip
          + ": " + why);
  return false;
}

bool service_preparer::need_node_ports(const std::string& type) const {
  if (type == "NodePort")
    return true;
  return type == "LoadBalancer"
         && json::get_bool(spec_, "allocateLoadBalancerNodePorts")
              .value_or(true);
}

void service_preparer::take_port(json::value& p, const std::string& field) {
  auto n = json::get_int(p, "nodePort").value_or(0);
  if (n > 0 && had_.ports.count(static_cast<int>(n)) != 0)
    return;
  if (n > 0) {
    auto r = st_.services.reserve_port(static_cast<int>(n));
    if (r == service_allocator::reserve_result::ok) {
      new_ports_.push_back(static_cast<int>(n));
      return;
    }
    cause(field, "FieldValueInvalid",
          "Invalid value: " + std::to_string(n) + ": "
            + (r == service_allocator::reserve_result::taken
                 ? "provided port is already allocated"
                 : "provided port is not in the valid range. The range of "
                   "valid ports is 30000-32767"));
    return;
  }
  auto got = st_.services.allocate_port(st_.rng);
  if (!got) {
    cause(field, "FieldValueInvalid", "Invalid value: 0: range is full");
    return;
  }
  new_ports_.push_back(*got);
  json::set(p, "nodePort", json::value{*got}, a_);
}

void service_preparer::node_ports(const std::string& type) {
  json::value* ports = ports_array();
  bool need = need_node_ports(type);
  if (type == "NodePort" || type == "LoadBalancer")
    set_default(spec_, "externalTrafficPolicy", "Cluster", a_);
  if (type == "LoadBalancer"
      && !json::get_bool(spec_, "allocateLoadBalancerNodePorts"))
    json::set(spec_, "allocateLoadBalancerNodePorts", json::value{true}, a_);
  for (rapidjson::SizeType i = 0; ports != nullptr && i < ports->Size(); ++i) {
    json::value& p = (*ports)[i];
    // patchAllocatedValues: keep the old nodePort of the same port.
    if (need && json::get_int(p, "nodePort").value_or(0) == 0
        && old_ != nullptr)
      if (const json::value* op = json::find_path(*old_, {"spec", "ports"});
          op && op->IsArray())
        for (const auto& o : op->GetArray())
          if (json::get_int(o, "port") == json::get_int(p, "port")
              && json::get_int(o, "nodePort").value_or(0) > 0)
            json::set(p, "nodePort", json::value{*json::get_int(o, "nodePort")},
                      a_);
    if (need)
      take_port(p, "spec.ports[" + std::to_string(i) + "].nodePort");
    else if (type == "ClusterIP" || type == "ExternalName")
      json::erase(p, "nodePort");
  }
  if (type == "LoadBalancer"
      && json::get_string(spec_, "externalTrafficPolicy") == "Local")
    health_check_port();
  else
    json::erase(spec_, "healthCheckNodePort");
}

} // namespace

std::vector<status_cause> prepare_service(core_state& st, json::value& svc,
                                          const json::value* old,
                                          json::allocator& a) {
  return service_preparer(st, svc, old, a).run();
}

void release_service(core_state& st, const json::value* from,
                     const json::value* to) {
  auto a = held(from);
  auto b = held(to);
  for (const auto& ip : a.ips)
    if (b.ips.count(ip) == 0)
      st.services.release_ip(ip);
  for (int p : a.ports)
    if (b.ports.count(p) == 0)
      st.services.release_port(p);
}

} // namespace porter::sim
