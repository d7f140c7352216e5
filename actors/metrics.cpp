#include "actors/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <vector>

#include "porter_version.hpp"

#include "actors/actor_registry.hpp"

namespace porter::metrics {

namespace {

using net::metric_type;

struct declared {
  const char* name;
  const char* help;
  metric_type type;
  std::vector<double> bounds;
};

// Every family porter exports, in the order /metrics lists them.
const std::vector<declared>& catalogue() {
  static const std::vector<declared> all{
    {"porter_build_info",
     "porter's version and commit (always 1)",
     metric_type::gauge,
     {}},
    {"porter_leader",
     "1 while this replica holds the Lease",
     metric_type::gauge,
     {}},
    {"porter_leader_transitions_total",
     "times this replica started or stopped leading",
     metric_type::counter,
     {}},
    {"porter_bgp_session_up",
     "1 while the BGP session is Established",
     metric_type::gauge,
     {}},
    {"porter_bgp_session_flaps_total",
     "Established sessions that went down",
     metric_type::counter,
     {}},
    {"porter_bgp_session_state",
     "RFC 4271 FSM state as BGP4-MIB bgpPeerState numbers it (RFC 4273): "
     "1 idle, 2 connect, 3 active, 4 opensent, 5 openconfirm, 6 established",
     metric_type::gauge,
     {}},
    {"porter_bgp_session_uptime_seconds",
     "seconds since the session became Established (0 while down)",
     metric_type::gauge,
     {}},
    {"porter_bgp_updates_sent_total",
     "UPDATE messages sent",
     metric_type::counter,
     {}},
    {"porter_bgp_updates_received_total",
     "UPDATE messages received",
     metric_type::counter,
     {}},
    {"porter_bgp_messages_sent_total",
     "BGP messages sent, by type",
     metric_type::counter,
     {}},
    {"porter_bgp_messages_received_total",
     "BGP messages received, by type",
     metric_type::counter,
     {}},
    {"porter_bgp_prefixes_advertised",
     "paths (prefix and next hop) advertised to the peer",
     metric_type::gauge,
     {}},
    {"porter_eip_pool_size",
     "addresses in the Eip pool",
     metric_type::gauge,
     {}},
    {"porter_eip_pool_used",
     "addresses of the pool in use",
     metric_type::gauge,
     {}},
    {"porter_eip_pool_free",
     "addresses of the pool free",
     metric_type::gauge,
     {}},
    {"porter_eip_allocations_total",
     "addresses given to Services (the Service's write succeeded)",
     metric_type::counter,
     {}},
    {"porter_eip_releases_total",
     "addresses taken back from Services",
     metric_type::counter,
     {}},
    {"porter_eip_allocation_failures_total",
     "Services that could not get an address, by reason (once per Service "
     "and message)",
     metric_type::counter,
     {}},
    {"porter_service_reconcile_duration_seconds",
     "one allocation pass over every Service",
     metric_type::histogram,
     {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}},
    {"porter_watch_events_total",
     "objects changed by watch events and lists",
     metric_type::counter,
     {}},
    {"porter_watch_lists_total",
     "LIST requests (first list and relists)",
     metric_type::counter,
     {}},
    {"porter_agent_rules",
     "EIP rules the agent keeps on this node",
     metric_type::gauge,
     {}},
    {"porter_agent_rule_repairs_total",
     "passes that restored rules changed by someone else",
     metric_type::counter,
     {}},
    {"porter_agent_rule_errors_total",
     "rule changes the kernel refused",
     metric_type::counter,
     {}},
    {"porter_actors", "actors running, by kind", metric_type::gauge, {}},
    {"porter_actor_mailbox_depth",
     "messages waiting when the actor took its last one",
     metric_type::gauge,
     {}},
    {"porter_actor_messages_total",
     "messages the actor handled",
     metric_type::counter,
     {}},
    {"porter_actor_busy_seconds",
     "time in the message being handled (0 when idle): a stuck actor grows",
     metric_type::gauge,
     {}},
    {"porter_actor_restarts_total",
     "actors started again after one of the same kind and key crashed",
     metric_type::counter,
     {}},
  };
  return all;
}

struct family_state {
  const declared* decl = nullptr;
  std::map<net::metric_labels, net::metric_sample> samples;
  /// Samples that read as seconds since a point in time.
  std::map<net::metric_labels, std::chrono::steady_clock::time_point> since;
};

struct registry {
  std::mutex mutex;
  std::map<std::string, family_state, std::less<>> families;

  registry() {
    for (const auto& d : catalogue())
      families[d.name].decl = &d;
    const net::metric_labels build{{"version", PORTER_VERSION},
                                   {"commit", PORTER_GIT_COMMIT}};
    families["porter_build_info"].samples[build] = {build, 1, {}};
  }
};

registry& the_registry() {
  static registry r;
  return r;
}

/// The sample of (name, labels), created on first use; nullptr for a name
/// nobody declared (a typo must not invent a family).
net::metric_sample* sample(registry& r, std::string_view name,
                           net::metric_labels&& labels) {
  auto f = r.families.find(name);
  if (f == r.families.end())
    return nullptr;
  auto [it, fresh] = f->second.samples.try_emplace(labels);
  if (fresh) {
    it->second.labels = std::move(labels);
    if (f->second.decl->type == metric_type::histogram) {
      it->second.histogram.bounds = f->second.decl->bounds;
      it->second.histogram.counts.assign(f->second.decl->bounds.size() + 1, 0);
    }
  }
  return &it->second;
}

} // namespace

void set(std::string_view name, net::metric_labels labels, double value) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  if (auto f = r.families.find(name); f != r.families.end())
    f->second.since.erase(labels);
  if (auto* s = sample(r, name, std::move(labels)))
    s->value = value;
}

void set_seconds_since(std::string_view name, net::metric_labels labels,
                       std::chrono::steady_clock::time_point since) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto f = r.families.find(name);
  if (f == r.families.end())
    return;
  f->second.since[labels] = since;
  sample(r, name, std::move(labels));
}

void replace(std::string_view name, std::vector<labelled_value> samples) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto f = r.families.find(name);
  if (f == r.families.end())
    return;
  f->second.samples.clear();
  f->second.since.clear();
  for (auto& s : samples)
    if (auto* out = sample(r, name, std::move(s.labels)))
      out->value = s.value;
}

void add(std::string_view name, net::metric_labels labels, double delta) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  if (auto* s = sample(r, name, std::move(labels)))
    s->value += delta;
}

void observe(std::string_view name, net::metric_labels labels, double value) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  auto* s = sample(r, name, std::move(labels));
  if (s == nullptr)
    return;
  auto& h = s->histogram;
  const auto at = std::lower_bound(h.bounds.begin(), h.bounds.end(), value);
  ++h.counts[static_cast<std::size_t>(at - h.bounds.begin())];
  h.sum += value;
}

void remove(std::string_view name, const net::metric_labels& labels) {
  auto& r = the_registry();
  std::lock_guard lock{r.mutex};
  if (auto f = r.families.find(name); f != r.families.end()) {
    f->second.samples.erase(labels);
    f->second.since.erase(labels);
  }
}

std::string render() {
  actor_registry::export_metrics(actor_registry::snapshot());
  auto& r = the_registry();
  std::vector<net::metric_family> out;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock{r.mutex};
    for (const auto& d : catalogue()) {
      const auto& f = r.families.at(d.name);
      net::metric_family fam{d.name, d.help, d.type, {}};
      for (const auto& [labels, s] : f.samples) {
        fam.samples.push_back(s);
        if (auto t = f.since.find(labels); t != f.since.end())
          fam.samples.back().value
            = std::round(std::chrono::duration<double>(now - t->second).count()
                         * 1000)
              / 1000;
      }
      out.push_back(std::move(fam));
    }
  }
  return net::render_prometheus(out);
}

} // namespace porter::metrics
