#include "k8s/allocation_plan.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "k8s/pool_choice.hpp"
#include "k8s/service_request.hpp"
#include "net/ipam.hpp"

namespace porter::k8s {

namespace {

/// A pool while planning: what its Eip says (pool_facts), its ledger and
/// the view `choose_pool` reads.
struct pool_state {
  const eip* obj = nullptr;
  pool_facts facts;
  std::optional<net::pool_ledger> ledger;
  pool_view view;
};

/// A Service address found in the cluster: its ingress or an Eip's
/// status.used (issue #7 item 5: the ledger lives in both).
struct claim {
  net::ip_address ip;
  std::string pool; ///< the Eip whose status.used names it; empty: ingress
};

struct service_state {
  const service* obj = nullptr;
  std::string key;
  bool qualifies = false;
  decoded<ip_request> req = tl::make_unexpected(decode_error{});
  std::vector<net::ip_address> current; ///< parsed status ingress
  std::vector<claim> claims;
  std::vector<planned_ip> ips;
  std::map<net::ip_address, std::string> dropped; ///< ip → why
  std::optional<allocation_failure> failure;
};

using pool_map = std::map<std::string, pool_state, std::less<>>;
using service_map = std::map<std::string, service_state*>;

std::string family_name(net::family f) {
  return f == net::family::v4 ? "IPv4" : "IPv6";
}

// ---- pools ------------------------------------------------------------------

pool_map make_pools(const std::vector<const eip*>& eips) {
  auto facts = make_pool_facts(eips);
  pool_map pools;
  for (const eip* ep : eips) {
    const eip& e = *ep;
    pool_state& p = pools[e.metadata.name];
    p.obj = ep;
    p.facts = std::move(facts[e.metadata.name]);
    p.view = make_pool_view(e);
    p.view.valid = p.facts.invalid.empty() && p.facts.yields_to.empty();
    if (const auto& r = p.facts.range) {
      p.ledger.emplace(*r);
      p.view.family = r->fam();
      p.view.first = r->first;
      p.view.last = r->last;
    } else { // contains nothing
      p.view.first = net::ip_address::v4(1);
      p.view.last = net::ip_address::v4(0);
    }
  }
  return pools;
}

std::vector<pool_view> views_of(const pool_map& pools) {
  std::vector<pool_view> out;
  for (const auto& [name, p] : pools) {
    out.push_back(p.view);
    out.back().occupied = p.ledger && p.ledger->occupied();
  }
  return out;
}

// ---- services ---------------------------------------------------------------

bool ours(const service& s, bool named_in_used) {
  const auto& fin = s.metadata.finalizers;
  return named_in_used
         || std::find(fin.begin(), fin.end(), lb_finalizer) != fin.end()
         || find_value(s.metadata.labels, eip_pool_annotation) != nullptr;
}

/// Issue #7 item 5: "the older keeps it" — creationTimestamp (RFC 3339 text
/// sorts in time order; unset last), then namespace/name.
bool older(const service_state* a, const service_state* b) {
  const auto& ta = a->obj->metadata.creation_timestamp;
  const auto& tb = b->obj->metadata.creation_timestamp;
  return std::make_tuple(ta.empty(), std::cref(ta), std::cref(a->key))
         < std::make_tuple(tb.empty(), std::cref(tb), std::cref(b->key));
}

std::map<std::string, std::vector<claim>>
used_claims(const std::vector<const eip*>& eips) {
  std::map<std::string, std::vector<claim>> out;
  for (const eip* e : eips)
    for (const auto& [text, owners] : e->status.used)
      if (auto ip = net::parse_ip(text))
        for (auto& owner : net::split_owners(owners))
          out[owner].push_back({*ip, e->metadata.name});
  return out;
}

std::vector<service_state> make_services(const allocation_view& w) {
  auto used = used_claims(w.eips);
  std::vector<service_state> out;
  for (const service* sp : w.services) {
    const service& s = *sp;
    service_state st;
    st.obj = sp;
    st.key = object_key(s.metadata);
    for (const auto& ing : s.status.ingress)
      if (auto ip = net::parse_ip(ing.ip))
        st.current.push_back(*ip);
    for (const auto& ip : st.current)
      st.claims.push_back({ip, {}});
    auto it = used.find(st.key);
    if (it != used.end()) {
      // By pool, then address: the Eip input order must not matter.
      auto from = st.claims.insert(st.claims.end(), it->second.begin(),
                                   it->second.end());
      std::sort(from, st.claims.end(), [](const claim& a, const claim& b) {
        return std::tie(a.pool, a.ip) < std::tie(b.pool, b.ip);
      });
    }
    // Issue #7 item 2; OpenELB needRelease: deleting Services release.
    st.qualifies
      = is_porter_service(s, w.flags.default_class) && !s.metadata.deleting;
    if (st.qualifies)
      st.req = make_ip_request(s);
    else if (!ours(s, it != used.end()))
      continue; // never touched (another class, or never ours)
    out.push_back(std::move(st));
  }
  return out;
}

/// Whether `s` may join the holders of an address; the reason if not.
std::optional<std::string>
share_refusal(const service_state& s, const std::vector<std::string>& holders,
              const service_map& by_key) {
  for (const auto& h : holders) {
    auto it = by_key.find(h);
    if (it == by_key.end() || !it->second->req || !s.req)
      return "taken by " + h;
    if (auto ok = sharing_allowed(*s.req, *it->second->req); !ok)
      return s.req->sharing_key.empty()
               ? "taken by " + h
               : "sharing with " + h + " refused: " + ok.error().what;
  }
  return std::nullopt;
}

/// The pool a claimed address lives in: the Eip whose status.used names it,
/// else a valid one, else by name.
pool_state* holding_pool(const claim& c, pool_map& pools) {
  if (!c.pool.empty()) {
    auto it = pools.find(c.pool);
    if (it != pools.end() && it->second.ledger
        && it->second.ledger->range().contains(c.ip))
      return &it->second;
  }
  pool_state* best = nullptr;
  for (auto& [name, p] : pools)
    if (p.ledger && p.ledger->range().contains(c.ip)
        && (best == nullptr || (p.view.valid && !best->view.valid)))
      best = &p;
  return best;
}

/// Why `s` may not keep claim `c` (issue #7 item 5: "keeps its IP for as
/// long as ... its request allows it"), or nullopt and the pool.
std::optional<std::string> check_claim(const service_state& s, const claim& c,
                                       pool_state* p,
                                       const service_map& by_key) {
  if (p == nullptr)
    return net::to_string(c.ip) + " is outside every pool";
  // OpenELB §2.4: deleting an Eip makes its Services re-allocate.
  if (p->obj->metadata.deleting)
    return "pool " + p->obj->metadata.name + " is being deleted";
  if (s.req) {
    const auto& fams = s.req->families;
    if (std::find(fams.begin(), fams.end(), c.ip.fam) == fams.end())
      return "the Service no longer wants " + family_name(c.ip.fam);
    if (!s.req->pool.empty() && s.req->pool != p->obj->metadata.name)
      return "the Service asks for pool " + s.req->pool;
    const net::ip_address* want = requested_ip(*s.req, c.ip.fam);
    if (want != nullptr && *want != c.ip)
      return "the Service asks for " + net::to_string(*want);
  }
  return share_refusal(s, p->ledger->owners_of(c.ip), by_key);
}

/// Phase 1 (issue #7 item 5): restore what the cluster says each Service
/// holds, oldest first, so the older of two claimants keeps the address.
void restore_claims(std::vector<service_state*>& order, pool_map& pools,
                    const service_map& by_key) {
  for (service_state* s : order) {
    if (!s->qualifies)
      continue;
    for (const auto& c : s->claims) {
      bool have_family
        = std::any_of(s->ips.begin(), s->ips.end(), [&](const planned_ip& p) {
            return p.ip.fam == c.ip.fam;
          });
      if (have_family)
        continue;
      pool_state* p = holding_pool(c, pools);
      if (auto why = check_claim(*s, c, p, by_key)) {
        s->dropped.emplace(c.ip, *why);
        continue;
      }
      if (p->ledger->restore(c.ip, s->key))
        s->ips.push_back({c.ip, p->obj->metadata.name});
    }
  }
}

} // namespace

// ---- allocation ------------------------------------------------------------

namespace {

failure_kind kind_of(pool_error::code c) {
  switch (c) {
    case pool_error::code::pool_not_found:
      return failure_kind::pool_not_found;
    case pool_error::code::pool_unusable:
      return failure_kind::pool_unusable;
    case pool_error::code::wrong_family:
      return failure_kind::wrong_family;
    case pool_error::code::ip_outside_pool:
      return failure_kind::ip_outside;
    case pool_error::code::no_pool:
      break;
  }
  return failure_kind::no_pool;
}

using family_result = tl::expected<planned_ip, allocation_failure>;

tl::unexpected<allocation_failure> failed(failure_kind k, std::string what) {
  return tl::make_unexpected(allocation_failure{k, std::move(what)});
}

/// One new address of `fam` for `s` (openelb.md §2.4 assignIPFromEip, with
/// porter's sharing rule of issue #7 item 4).
family_result allocate_family(service_state& s, net::family fam,
                              const string_pairs& ns_labels, pool_map& pools,
                              const service_map& by_key) {
  const ip_request& req = *s.req;
  auto name = choose_pool(req, fam, s.obj->metadata.namespace_, ns_labels,
                          views_of(pools));
  if (!name)
    return failed(kind_of(name.error().kind), name.error().what);
  pool_state& p = pools.find(*name)->second;
  net::pool_ledger& ledger = *p.ledger;
  if (const net::ip_address* want = requested_ip(req, fam)) {
    auto holders = ledger.owners_of(*want);
    if (!holders.empty()) {
      auto why = share_refusal(s, holders, by_key);
      if (why)
        return failed(req.sharing_key.empty() ? failure_kind::ip_taken
                                              : failure_kind::sharing_refused,
                      "IP " + net::to_string(*want) + " is " + *why);
    }
    auto r = holders.empty() ? ledger.allocate_specific(*want, s.key)
                             : ledger.share(*want, s.key);
    if (!r)
      return failed(failure_kind::ip_taken, r.error().message);
    return planned_ip{*r, *name};
  }
  auto r = ledger.allocate_any(s.key);
  if (!r)
    return failed(failure_kind::pool_exhausted,
                  "pool " + *name + ": " + r.error().message);
  return planned_ip{*r, *name};
}

void release_all(service_state& s, pool_map& pools) {
  for (const auto& p : s.ips)
    pools.find(p.pool)->second.ledger->release(s.key);
  s.ips.clear();
}

/// Phase 2: new addresses for the families a Service still lacks, then the
/// dual-stack policy (issue #7 item 4).
void allocate(service_state& s, const string_pairs& ns_labels, pool_map& pools,
              const service_map& by_key) {
  if (!s.req) {
    s.failure
      = allocation_failure{failure_kind::bad_request,
                           s.req.error().path + ": " + s.req.error().what};
    return;
  }
  std::optional<allocation_failure> first_failure;
  std::vector<planned_ip> got;
  for (net::family fam : s.req->families) {
    auto held
      = std::find_if(s.ips.begin(), s.ips.end(),
                     [&](const planned_ip& p) { return p.ip.fam == fam; });
    if (held != s.ips.end()) {
      got.push_back(*held);
      continue;
    }
    auto r = allocate_family(s, fam, ns_labels, pools, by_key);
    if (r) {
      got.push_back(*r);
      s.ips.push_back(*r);
    } else if (!first_failure) {
      first_failure = r.error();
    }
  }
  if (!first_failure) {
    s.ips = std::move(got);
    return;
  }
  if (s.req->require_dual_stack) { // one of each family or none
    release_all(s, pools);
    first_failure->message = "RequireDualStack: " + first_failure->message;
    s.failure = first_failure;
  } else if (got.empty()) {
    s.failure = first_failure;
  } else { // PreferDualStack: the family that is available
    s.ips = std::move(got);
  }
}

service_plan make_service_plan(const service_state& s) {
  service_plan out;
  out.namespace_ = s.obj->metadata.namespace_;
  out.name = s.obj->metadata.name;
  out.managed = s.qualifies;
  out.ips = s.ips;
  out.failure = s.failure;
  std::vector<net::ip_address> held = s.current;
  if (!out.managed) // also what Eip status.used still records
    for (const auto& c : s.claims)
      held.push_back(c.ip);
  out.events = service_events(held, out, s.dropped);
  return out;
}

} // namespace

allocation_view view_of(const allocation_world& w) {
  allocation_view v;
  v.flags = w.flags;
  for (const auto& e : w.eips)
    v.eips.push_back(&e);
  for (const auto& s : w.services)
    v.services.push_back(&s);
  for (const auto& n : w.namespaces)
    v.namespaces.push_back(&n);
  return v;
}

allocation_plan plan_allocations(const allocation_view& world) {
  pool_map pools = make_pools(world.eips);
  std::vector<service_state> services = make_services(world);
  std::vector<service_state*> order;
  service_map by_key;
  for (auto& s : services) {
    order.push_back(&s);
    by_key.emplace(s.key, &s);
  }
  std::sort(order.begin(), order.end(), older);
  std::map<std::string, const string_pairs*, std::less<>> ns_labels;
  for (const namespace_object* n : world.namespaces)
    ns_labels.emplace(n->metadata.name, &n->metadata.labels);
  const string_pairs no_labels;
  restore_claims(order, pools, by_key);
  for (service_state* s : order) {
    if (!s->qualifies)
      continue;
    auto it = ns_labels.find(s->obj->metadata.namespace_);
    allocate(*s, it == ns_labels.end() ? no_labels : *it->second, pools,
             by_key);
  }
  allocation_plan plan;
  for (auto& [name, p] : pools)
    plan.pools.push_back(make_pool_plan(
      *p.obj, {p.facts.range, p.facts.invalid, p.facts.overlaps,
               p.facts.yields_to, p.ledger ? &*p.ledger : nullptr}));
  for (auto& [key, s] : by_key)
    plan.services.push_back(make_service_plan(*s));
  return plan;
}

} // namespace porter::k8s
