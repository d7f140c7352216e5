#include "k8s/allocation_writes.hpp"

#include <map>

#include "k8s/lease.hpp"
#include "k8s/objects.hpp"
#include "k8s/patch.hpp"
#include "k8s/service_request.hpp"

namespace porter::k8s {

namespace {

std::vector<std::string> ips_of(const std::vector<load_balancer_ingress>& in) {
  std::vector<std::string> out;
  for (const auto& i : in)
    if (!i.ip.empty())
      out.push_back(i.ip);
  return out;
}

std::vector<std::string> ips_of(const std::vector<planned_ip>& in) {
  std::vector<std::string> out;
  for (const auto& i : in)
    out.push_back(net::to_string(i.ip));
  return out;
}

/// A merge patch that applies only to the version planned from: the
/// resourceVersion in the body is a precondition (409 on mismatch,
/// k8s-api.md §2.3), and the next plan sees the newer object. Used for the
/// Eip ledger, whose `used` nulls are computed from the observed status; a
/// Service's own fields are written whole and need no guard.
std::string guarded(const object_meta& m, const std::string& merge_patch) {
  if (m.resource_version.empty() || merge_patch.size() < 2)
    return merge_patch;
  return R"({"metadata":{"resourceVersion":)" + json_quote(m.resource_version)
         + "}," + merge_patch.substr(1);
}

api_write service_write(const service& s, std::string kind,
                        std::string subresource, std::string content_type,
                        std::string body) {
  return {kind + "/" + object_key(s.metadata),
          resource_of<service>(),
          s.metadata.namespace_,
          s.metadata.name,
          std::move(subresource),
          std::move(content_type),
          std::move(body),
          s.metadata.resource_version,
          {}};
}

/// Delivers to a write_sink until it asks to stop receiving writes.
class emitter {
public:
  explicit emitter(const write_sink& sink) : sink_(sink) {}
  bool open() const { return open_; }
  void write(api_write&& w) {
    if (open_)
      open_ = sink_.write(std::move(w));
  }
  void failure(event_write&& e) { sink_.failure(std::move(e)); }

private:
  const write_sink& sink_;
  bool open_ = true;
};

void plan_service(const service_plan& sp, const service& s, emitter& out) {
  const auto wanted = ips_of(sp.ips);
  const object_reference ref{"Service",
                             s.metadata.namespace_,
                             s.metadata.name,
                             s.metadata.uid,
                             "v1",
                             s.metadata.resource_version,
                             ""};
  // status.loadBalancer.ingress is atomic: the patch carries the whole
  // list (k8s-api.md §2.3), ipMode VIP as kube-proxy expects of a VIP.
  if (wanted != ips_of(s.status.ingress)) {
    std::vector<load_balancer_ingress> ingress;
    for (const auto& ip : wanted)
      ingress.push_back({ip, "", {}, ip_mode::vip});
    auto w = service_write(s, "service-status", "status",
                           "application/merge-patch+json",
                           encode_service_status_patch(ingress));
    for (const auto& e : sp.events)
      w.events.push_back({ref, e});
    out.write(std::move(w));
  } else if (sp.failure) {
    for (const auto& e : sp.events)
      out.failure({ref, e});
  }
  if (!out.open())
    return;
  // The pool label records where the IP came from (openelb.md §2.3).
  const std::string pool = sp.ips.empty() ? "" : sp.ips.front().pool;
  const std::string* label = find_value(s.metadata.labels, eip_pool_annotation);
  if ((label ? *label : "") != pool) {
    const std::string value = pool.empty() ? "null" : json_quote(pool);
    out.write(
      service_write(s, "service-label", "", "application/merge-patch+json",
                    R"({"metadata":{"labels":{)"
                      + json_quote(eip_pool_annotation) + ":" + value + "}}}"));
  }
  // The finalizer holds deletion until the IP is back in the pool.
  if (sp.managed && !s.metadata.deleting) {
    if (auto p = add_finalizer_patch(s.metadata, lb_finalizer))
      out.write(service_write(s, "service-finalizer", "",
                              "application/json-patch+json", *p));
  } else if (wanted.empty() && ips_of(s.status.ingress).empty()) {
    if (auto p = remove_finalizer_patch(s.metadata, lb_finalizer))
      out.write(service_write(s, "service-finalizer", "",
                              "application/json-patch+json", *p));
  }
}

/// The desired status with conditions; a condition keeps its
/// lastTransitionTime while its status stays (metav1.Condition).
eip_status desired_status(const pool_plan& pp, const eip& e,
                          std::chrono::system_clock::time_point now) {
  eip_status d = pp.status;
  d.conditions.clear();
  for (const auto& c : pp.conditions) {
    eip_condition ec{c.type, std::string{to_string(c.status)}, c.reason,
                     c.message, format_time(now)};
    for (const auto& old : e.status.conditions)
      if (old.type == ec.type && old.status == ec.status)
        ec.last_transition_time = old.last_transition_time;
    d.conditions.push_back(std::move(ec));
  }
  return d;
}

const eip_condition* find_condition(const eip_status& s,
                                    std::string_view type) {
  for (const auto& c : s.conditions)
    if (c.type == type)
      return &c;
  return nullptr;
}

} // namespace

event_request to_event_request(const event_write& e,
                               std::string reporting_instance) {
  event_request req;
  req.object = e.object;
  req.type = e.event.type;
  req.reason = e.event.reason;
  req.message = e.event.message;
  const auto& r = e.event.reason;
  req.action
    = r == "IPReleased" ? "Release"
      : r == "InvalidAddress" || r == "AddressOverlap" || r == "PoolReady"
        ? "Validate"
        : "Allocate";
  req.reporting_instance = std::move(reporting_instance);
  return req;
}

std::vector<planned_event> pool_events(const pool_plan& pp,
                                       const eip_status& observed) {
  std::vector<planned_event> out;
  for (const auto& c : pp.conditions) {
    const eip_condition* old = find_condition(observed, c.type);
    const std::string_view now = to_string(c.status);
    if (old != nullptr && old->status == now)
      continue;
    const bool is_true = c.status == condition_status::is_true;
    if ((c.type == "Invalid" || c.type == "Overlap") && is_true)
      out.push_back({event_type::warning, c.reason, c.message});
    else if (c.type == "Ready" && is_true && old != nullptr
             && old->status == "False")
      out.push_back({event_type::normal, "PoolReady", c.message});
  }
  return out;
}

std::optional<api_write>
plan_pool_write(const pool_plan& pp, const eip& e,
                std::chrono::system_clock::time_point now) {
  if (e.metadata.deleting)
    return std::nullopt;
  const eip_status d = desired_status(pp, e, now);
  if (d == e.status)
    return std::nullopt;
  api_write w{"eip-status/" + e.metadata.name,
              resource_of<eip>(),
              "",
              e.metadata.name,
              "status",
              "application/merge-patch+json",
              guarded(e.metadata, encode_eip_status_patch(d, e.status)),
              e.metadata.resource_version,
              {}};
  const object_reference ref{"Eip",
                             "",
                             e.metadata.name,
                             e.metadata.uid,
                             std::string{api_version<eip>()},
                             e.metadata.resource_version,
                             ""};
  for (auto& ev : pool_events(pp, e.status))
    w.events.push_back({ref, std::move(ev)});
  return w;
}

void plan_service_writes(const allocation_plan& plan,
                         const allocation_view& world, const write_sink& sink) {
  emitter out{sink};
  std::map<std::string, const service*> services;
  for (const service* s : world.services)
    services.emplace(object_key(s->metadata), s);
  for (const auto& sp : plan.services) {
    auto it = services.find(sp.namespace_ + "/" + sp.name);
    if (it != services.end())
      plan_service(sp, *it->second, out);
  }
}

write_batch plan_writes(const allocation_plan& plan,
                        const allocation_view& world,
                        std::chrono::system_clock::time_point now) {
  write_batch out;
  // The ledger is written before the Services it records.
  std::map<std::string, const eip*> eips;
  for (const eip* e : world.eips)
    eips.emplace(e->metadata.name, e);
  for (const auto& pp : plan.pools)
    if (auto it = eips.find(pp.name); it != eips.end())
      if (auto w = plan_pool_write(pp, *it->second, now))
        out.writes.push_back(std::move(*w));
  plan_service_writes(
    plan, world,
    {[&](api_write&& w) {
       out.writes.push_back(std::move(w));
       return true;
     },
     [&](event_write&& e) { out.events.push_back(std::move(e)); }});
  return out;
}

} // namespace porter::k8s
