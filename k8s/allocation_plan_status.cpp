// Eip status and conditions, Service Events and look-ups of the allocation
// plan (openelb.md §2.2, §2.9; issue #7 items 3 and 6). The allocation rules
// are in allocation_plan.cpp.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>

#include "k8s/allocation_plan.hpp"
#include "net/pool_overlap.hpp"

namespace porter::k8s {

namespace {

pool_condition condition(std::string type, bool is_true, std::string reason,
                         std::string message) {
  return {std::move(type),
          is_true ? condition_status::is_true : condition_status::is_false,
          std::move(reason), std::move(message)};
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

eip_status make_status(const eip& e, const pool_facts& f) {
  eip_status st;
  st.ready = e.status.ready; // legacy field, kept as found (§2.2)
  if (f.range) {
    st.first_ip = net::to_string(f.range->first);
    st.last_ip = net::to_string(f.range->last);
    st.v4 = f.range->is_v4();
  }
  if (f.ledger == nullptr)
    return st;
  constexpr auto max = std::uint64_t(std::numeric_limits<std::int64_t>::max());
  st.pool_size = std::int64_t(std::min(f.ledger->size(), max));
  st.usage = std::int64_t(f.ledger->used_count());
  st.occupied = f.ledger->occupied();
  for (const auto& [ip, owners] : f.ledger->used())
    st.used.emplace_back(net::to_string(ip), owners);
  // string_pairs are sorted by key (object_meta.hpp), i.e. by text.
  std::sort(st.used.begin(), st.used.end());
  return st;
}

std::optional<net::ip_range> status_range(const eip_status& st) {
  auto first = net::parse_ip(st.first_ip);
  auto last = net::parse_ip(st.last_ip);
  if (!first || !last)
    return std::nullopt;
  auto r = net::make_range(*first, *last);
  return r ? std::optional<net::ip_range>(*r) : std::nullopt;
}

} // namespace

std::map<std::string, pool_facts, std::less<>>
make_pool_facts(const std::vector<const eip*>& eips) {
  std::map<std::string, pool_facts, std::less<>> out;
  std::vector<net::named_range> parsed;
  for (const eip* ep : eips) {
    const eip& e = *ep;
    pool_facts& f = out[e.metadata.name];
    if (auto r = net::parse_eip_address(e.spec.address)) {
      f.range = *r;
      parsed.push_back({e.metadata.name, *r});
    } else {
      // Issue #7 item 3: a bad pool is reported and allocates nothing new;
      // its last known range (status) still lets its holders keep their IP.
      f.invalid = r.error().what;
      f.range = status_range(e.status);
    }
  }
  // Issue #7 item 3 "other pools are unaffected": of two overlapping
  // pools the younger yields (OpenELB's webhook would have refused it).
  std::map<std::string_view, std::string_view> created;
  for (const eip* e : eips)
    created.emplace(e->metadata.name, e->metadata.creation_timestamp);
  auto older = [&](std::string_view a, std::string_view b) {
    const auto ta = created[a];
    const auto tb = created[b];
    return std::make_tuple(ta.empty(), ta, a)
           < std::make_tuple(tb.empty(), tb, b);
  };
  auto overlaps = net::find_overlaps(std::move(parsed));
  for (auto& [name, f] : out) {
    f.overlaps = net::overlapping_with(overlaps, name);
    for (const auto& other : f.overlaps)
      if (older(other, name))
        f.yields_to.push_back(other);
  }
  return out;
}

pool_plan make_pool_plan(const eip& e, const pool_facts& f) {
  pool_plan p;
  p.name = e.metadata.name;
  p.valid = f.invalid.empty() && f.yields_to.empty();
  p.frozen = !p.valid || e.spec.disable || e.metadata.deleting;
  p.status = make_status(e, f);
  // Issue #7 item 3: Ready; Overlap naming the other pool; Invalid with the
  // reason. Every condition is always present, so status writes are stable.
  std::string why;
  std::string reason = "Ready";
  if (!f.invalid.empty()) {
    reason = "InvalidAddress";
    why = "spec.address: " + f.invalid;
  } else if (!f.yields_to.empty()) {
    reason = "AddressOverlap";
    why = "address overlaps with older " + join(f.yields_to);
  } else if (e.metadata.deleting) {
    reason = "Deleting";
    why = "the pool is being deleted";
  } else if (e.spec.disable) {
    reason = "Disabled";
    why = "spec.disable is true";
  }
  if (p.frozen)
    why += "; no new allocations";
  std::string serving = "accepting allocations";
  if (!p.frozen && !f.overlaps.empty())
    serving += "; newer " + join(f.overlaps) + " overlaps it and yields";
  p.conditions.push_back(
    condition("Ready", !p.frozen, reason, p.frozen ? why : serving));
  p.conditions.push_back(
    f.overlaps.empty()
      ? condition("Overlap", false, "NoOverlap", "")
      : condition("Overlap", true, "AddressOverlap",
                  "address overlaps with " + join(f.overlaps)));
  p.conditions.push_back(f.invalid.empty()
                           ? condition("Invalid", false, "AddressValid", "")
                           : condition("Invalid", true, "InvalidAddress",
                                       "spec.address: " + f.invalid));
  return p;
}

std::vector<planned_event>
service_events(const std::vector<net::ip_address>& held, const service_plan& p,
               const std::map<net::ip_address, std::string>& why_released) {
  auto in = [](const auto& v, const net::ip_address& a) {
    return std::find(v.begin(), v.end(), a) != v.end();
  };
  std::vector<net::ip_address> want;
  for (const auto& x : p.ips)
    want.push_back(x.ip);
  std::vector<net::ip_address> released;
  for (const auto& ip : held)
    if (!in(want, ip) && !in(released, ip))
      released.push_back(ip);
  std::sort(released.begin(), released.end());
  std::vector<planned_event> out;
  for (const auto& ip : released) {
    auto why = why_released.find(ip);
    std::string msg = "released " + net::to_string(ip);
    if (why != why_released.end())
      msg += ": " + why->second;
    else if (!p.managed)
      msg += ": the Service is no longer served by porter";
    out.push_back({event_type::normal, "IPReleased", msg});
  }
  for (const auto& x : p.ips)
    if (!in(held, x.ip))
      out.push_back(
        {event_type::normal, "IPAllocated",
         "allocated " + net::to_string(x.ip) + " from pool " + x.pool, x.pool});
  if (p.failure)
    out.push_back({event_type::warning, "AllocationFailed", p.failure->message,
                   "", p.failure->kind});
  return out;
}

const char* metric_name(failure_kind k) {
  switch (k) {
    case failure_kind::bad_request:
      return "bad_request";
    case failure_kind::no_pool:
      return "no_pool";
    case failure_kind::pool_not_found:
      return "pool_not_found";
    case failure_kind::pool_unusable:
      return "pool_unusable";
    case failure_kind::wrong_family:
      return "wrong_family";
    case failure_kind::pool_exhausted:
      return "pool_exhausted";
    case failure_kind::ip_outside:
      return "ip_outside";
    case failure_kind::ip_taken:
      return "ip_taken";
    case failure_kind::sharing_refused:
      return "sharing_refused";
  }
  return "unknown";
}

const service_plan* find_service(const allocation_plan& p,
                                 std::string_view namespace_,
                                 std::string_view name) {
  // plan.services is sorted by "namespace/name".
  auto key = [](std::string_view ns, std::string_view n) {
    return std::string(ns) + "/" + std::string(n);
  };
  const std::string want = key(namespace_, name);
  auto it = std::lower_bound(p.services.begin(), p.services.end(), want,
                             [&](const service_plan& s, const std::string& k) {
                               return key(s.namespace_, s.name) < k;
                             });
  return it != p.services.end() && it->namespace_ == namespace_
             && it->name == name
           ? &*it
           : nullptr;
}

const pool_plan* find_pool(const allocation_plan& p, std::string_view name) {
  auto it = std::lower_bound(
    p.pools.begin(), p.pools.end(), name,
    [](const pool_plan& x, std::string_view n) { return x.name < n; });
  return it != p.pools.end() && it->name == name ? &*it : nullptr;
}

} // namespace porter::k8s
