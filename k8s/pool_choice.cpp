#include "k8s/pool_choice.hpp"

#include <algorithm>
#include <tuple>

namespace porter::k8s {

namespace {

bool contains(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool matches(const label_selector_requirement& r, const string_pairs& labels) {
  const std::string* v = find_value(labels, r.key);
  if (r.op == "In")
    return v != nullptr && contains(r.values, *v);
  if (r.op == "NotIn")
    return v == nullptr || !contains(r.values, *v);
  if (r.op == "Exists")
    return v != nullptr;
  if (r.op == "DoesNotExist")
    return v == nullptr;
  return false;
}

std::string_view family_name(net::family f) {
  return f == net::family::v4 ? "IPv4" : "IPv6";
}

tl::unexpected<pool_error> fail(pool_error::code c, std::string what) {
  return tl::make_unexpected(pool_error{c, std::move(what)});
}

/// Why `p` takes no new allocation, or empty when it does. OpenELB skips
/// deleting and disabled pools (ipam.go getEIP, getDefaultEIP); porter also
/// skips pools whose address is bad or overlaps (issue #7 item 3).
std::string unusable(const pool_view& p) {
  if (p.deleting)
    return "pool " + p.name + " is being deleted";
  if (p.disabled)
    return "pool " + p.name + " is disabled";
  if (!p.valid)
    return "pool " + p.name + " is invalid";
  return {};
}

bool bound_to(const pool_view& p, std::string_view ns,
              const string_pairs& ns_labels) {
  return contains(p.namespaces, ns)
         || (p.namespace_selector && matches(*p.namespace_selector, ns_labels));
}

tl::expected<std::string, pool_error>
named_pool(const ip_request& req, net::family fam,
           const std::vector<pool_view>& pools) {
  auto it = std::find_if(pools.begin(), pools.end(), [&](const pool_view& p) {
    return p.name == req.pool;
  });
  if (it == pools.end())
    return fail(pool_error::code::pool_not_found,
                "pool " + req.pool + " not found");
  if (auto why = unusable(*it); !why.empty())
    return fail(pool_error::code::pool_unusable, why);
  if (it->family != fam)
    return fail(pool_error::code::wrong_family,
                "pool " + it->name + " has no " + std::string(family_name(fam))
                  + " addresses");
  const net::ip_address* ip = requested_ip(req, fam);
  if (ip != nullptr && !it->contains(*ip))
    return fail(pool_error::code::ip_outside_pool,
                "IP " + net::to_string(*ip) + " is outside pool " + it->name);
  return it->name;
}

tl::expected<std::string, pool_error>
pool_holding(const net::ip_address& ip, const std::vector<pool_view>& pools) {
  const pool_view* best = nullptr;
  for (const auto& p : pools) {
    if (!p.contains(ip))
      continue;
    // Prefer a valid pool when overlapping pools both hold the IP.
    if (best == nullptr
        || std::make_tuple(!p.valid, p.name)
             < std::make_tuple(!best->valid, best->name))
      best = &p;
  }
  if (best == nullptr)
    return fail(pool_error::code::ip_outside_pool,
                "IP " + net::to_string(ip) + " is outside every pool");
  if (auto why = unusable(*best); !why.empty())
    return fail(pool_error::code::pool_unusable, why);
  return best->name;
}

} // namespace

bool matches(const label_selector& sel, const string_pairs& labels) {
  for (const auto& [k, v] : sel.match_labels) {
    const std::string* have = find_value(labels, k);
    if (have == nullptr || *have != v)
      return false;
  }
  return std::all_of(
    sel.match_expressions.begin(), sel.match_expressions.end(),
    [&](const label_selector_requirement& r) { return matches(r, labels); });
}

pool_view make_pool_view(const eip& e) {
  pool_view p;
  p.name = e.metadata.name;
  p.disabled = e.spec.disable;
  p.deleting = e.metadata.deleting;
  p.occupied = e.status.occupied;
  const std::string* def
    = find_value(e.metadata.annotations, default_eip_annotation);
  p.is_default = def != nullptr && *def == "true";
  p.namespaces = e.spec.namespaces;
  if (!e.spec.namespace_selector.empty())
    p.namespace_selector = label_selector{e.spec.namespace_selector, {}};
  p.priority = e.spec.priority;
  return p;
}

tl::expected<std::string, pool_error>
choose_pool(const ip_request& req, net::family fam, std::string_view ns,
            const string_pairs& ns_labels,
            const std::vector<pool_view>& pools) {
  // openelb.md §2.4: the annotation's pool wins, with no namespace check.
  if (!req.pool.empty())
    return named_pool(req, fam, pools);
  // §2.4: a requested IP selects the Eip that contains it.
  if (const net::ip_address* ip = requested_ip(req, fam))
    return pool_holding(*ip, pools);
  // §2.4: namespace-bound pools, not-occupied first, then ascending
  // priority; porter breaks the remaining tie by name.
  const pool_view* best = nullptr;
  auto rank = [](const pool_view& p) {
    return std::make_tuple(p.occupied, p.priority, std::string_view(p.name));
  };
  for (const auto& p : pools)
    if (p.family == fam && unusable(p).empty() && bound_to(p, ns, ns_labels)
        && (best == nullptr || rank(p) < rank(*best)))
      best = &p;
  if (best != nullptr)
    return best->name;
  // §2.4: else the default Eip (at most one; by name if several).
  for (const auto& p : pools)
    if (p.family == fam && p.is_default && unusable(p).empty()
        && (best == nullptr || p.name < best->name))
      best = &p;
  if (best != nullptr)
    return best->name;
  return fail(pool_error::code::no_pool,
              "no pool for namespace " + std::string(ns)
                + (fam == net::family::v6 ? " (IPv6)" : ""));
}

} // namespace porter::k8s
