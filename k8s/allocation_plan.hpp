// The level-triggered EIP allocation planner: from the whole cached world
// (Eips, Services, Namespaces) it computes every pool's desired status and
// conditions and every porter Service's desired ingress IPs and Events
// (issue #7 items 3-6; OpenELB semantics, openelb.md §2.2-§2.4, §2.9). The
// ledger is rebuilt from the cluster before anything new is allocated, so a
// Service keeps its IP across restarts and pool edits. Pure: no I/O, clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "k8s/core_objects.hpp"
#include "k8s/event.hpp"
#include "k8s/porter_crds.hpp"
#include "net/ip_address.hpp"
#include "net/ip_range.hpp"
#include "net/ipam.hpp"

namespace porter::k8s {

/// Manager flags the planner reads.
struct allocation_flags {
  /// --default-class: also LoadBalancer Services with no class (issue #7
  /// item 2).
  bool default_class = false;
};

/// Everything the planner reads; any order (the plan does not depend on it).
struct allocation_world {
  std::vector<eip> eips;
  std::vector<service> services;
  std::vector<namespace_object> namespaces;
  allocation_flags flags;
};

/// The same, over objects owned elsewhere (the manager's watch caches): a
/// plan over 10k Services must not copy them.
struct allocation_view {
  std::vector<const eip*> eips;
  std::vector<const service*> services;
  std::vector<const namespace_object*> namespaces;
  allocation_flags flags;
};

/// A view of `w`, valid while `w` is.
allocation_view view_of(const allocation_world& w);

/// One Eip status condition (issue #7 item 3): type "Ready", "Overlap" or
/// "Invalid"; `reason` is CamelCase, `message` one line.
struct pool_condition {
  std::string type;
  condition_status status = condition_status::unknown;
  std::string reason;
  std::string message;

  friend bool operator==(const pool_condition& a, const pool_condition& b) {
    return a.type == b.type && a.status == b.status && a.reason == b.reason
           && a.message == b.message;
  }
};

/// What one Eip should look like.
struct pool_plan {
  std::string name;
  /// spec.address parsed and overlaps no other pool.
  bool valid = false;
  /// No new allocations: invalid, overlapping, disabled or deleting.
  bool frozen = true;
  /// Desired status (OpenELB fields, §2.2); `used` sorted by key text.
  eip_status status;
  /// Always Ready, Overlap and Invalid, in that order.
  std::vector<pool_condition> conditions;
};

/// Why a Service has no (or not every) IP it asked for (issue #7 item 6).
enum class failure_kind : std::uint8_t {
  bad_request,     ///< malformed annotations / spec
  no_pool,         ///< nothing bound to the namespace and no default pool
  pool_not_found,  ///< the named pool does not exist
  pool_unusable,   ///< the named / holding pool is disabled, invalid, ...
  wrong_family,    ///< the named pool has no address of the family
  pool_exhausted,  ///< no free address left
  ip_outside,      ///< the requested IP is outside every (the named) pool
  ip_taken,        ///< the requested IP is held by another Service
  sharing_refused, ///< held by a Service it may not share with
};

/// The failure as a metric label: "bad_request", "pool_exhausted", ...
const char* metric_name(failure_kind k);

struct allocation_failure {
  failure_kind kind = failure_kind::no_pool;
  std::string message; ///< one line, for the AllocationFailed Event
};

/// An Event to emit on the Service.
struct planned_event {
  event_type type = event_type::normal;
  std::string reason; ///< IPAllocated, IPReleased or AllocationFailed
  std::string message;
  std::string pool{}; ///< IPAllocated: the pool the address comes from
  std::optional<failure_kind> failure{}; ///< AllocationFailed: why
};

/// One desired ingress address and the pool it comes from (also the value
/// of the Service label eip.openelb.kubesphere.io/v1alpha2, §2.3).
struct planned_ip {
  net::ip_address ip;
  std::string pool;

  friend bool operator==(const planned_ip& a, const planned_ip& b) {
    return a.ip == b.ip && a.pool == b.pool;
  }
};

/// What one Service should look like.
struct service_plan {
  std::string namespace_;
  std::string name;
  /// porter serves it; false: it stopped qualifying (or is being deleted)
  /// and only releases what it held (issue #7 item 2).
  bool managed = true;
  /// Desired status.loadBalancer.ingress, the request's family order
  /// (preferred first); empty when released or failed.
  std::vector<planned_ip> ips;
  /// Set when a wanted family got no address (the other may still have).
  std::optional<allocation_failure> failure;
  /// Relative to the Service's current status.loadBalancer.ingress.
  std::vector<planned_event> events;
};

struct allocation_plan {
  std::vector<pool_plan> pools;       ///< every Eip, sorted by name
  std::vector<service_plan> services; ///< sorted by namespace/name
};

/// What the planner knows about one Eip when it writes its status.
struct pool_facts {
  /// spec.address parsed, or the last known status.firstIP-lastIP when it
  /// does not parse (nullopt: neither).
  std::optional<net::ip_range> range;
  std::string invalid;               ///< spec.address parse error; empty: ok
  std::vector<std::string> overlaps; ///< pools it overlaps, sorted
  /// Those of `overlaps` that are older (creationTimestamp, then name): a
  /// pool that overlaps an older one allocates nothing new; the older one
  /// keeps serving, so adding a bad pool never stops a working one.
  std::vector<std::string> yields_to;
  const net::pool_ledger* ledger = nullptr; ///< its allocations, if any
};

/// Parses every Eip's spec.address (falling back to status.firstIP-lastIP)
/// and finds the overlaps (openelb.md §2.8) and which older pool each one
/// yields to; by name, `ledger` unset.
std::map<std::string, pool_facts, std::less<>>
make_pool_facts(const std::vector<const eip*>& eips);

/// The desired status and conditions of `e` (openelb.md §2.2, §2.9; issue
/// #7 item 3).
pool_plan make_pool_plan(const eip& e, const pool_facts& f);

/// The Events of a Service that held `held` (its status ingress, plus, when
/// it is released, what Eip status.used records) and should now look like
/// `p`: IPReleased (with `why_released[ip]` if known), IPAllocated, then
/// AllocationFailed (issue #7 item 6). Nothing when nothing changes.
std::vector<planned_event>
service_events(const std::vector<net::ip_address>& held, const service_plan& p,
               const std::map<net::ip_address, std::string>& why_released);

/// The plan for `world`. Rules (issue #7 items 2-5, openelb.md §2.4):
/// 1. Services are taken oldest first (creationTimestamp, then ns/name).
/// 2. Restore: each porter Service's ingress IPs, then the Eip status.used
///    entries naming it, one per wanted family, are kept when the IP lies in
///    a pool that is not being deleted (disabled, invalid or overlapping
///    pools included), the family is still wanted, and the named pool /
///    requested IP (if any) still match. An address already restored for an
///    older Service is kept only if sharing_allowed() passes with each
///    holder; otherwise the younger is re-allocated (IPReleased + reason).
/// 3. Allocate: each missing family via choose_pool(), lowest free address
///    or the requested one (shared only when sharing_allowed() passes).
///    RequireDualStack: both families or none; PreferDualStack: what is
///    available, with no failure if one family got an address.
/// 4. A Service that stops qualifying or is being deleted releases what it
///    held if it was porter's (finalizer, pool label or named in
///    status.used); Services that never were porter's are not in the plan.
/// A Service whose annotations do not parse keeps what it holds and gets
/// AllocationFailed. Namespace binding is not re-checked for held IPs.
allocation_plan plan_allocations(const allocation_view& world);
inline allocation_plan plan_allocations(const allocation_world& world) {
  return plan_allocations(view_of(world));
}

/// The plan of the Service `namespace_/name`, or nullptr.
const service_plan* find_service(const allocation_plan& p,
                                 std::string_view namespace_,
                                 std::string_view name);
/// The plan of pool `name`, or nullptr.
const pool_plan* find_pool(const allocation_plan& p, std::string_view name);

} // namespace porter::k8s
