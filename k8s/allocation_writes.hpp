// From an allocation plan and the world it was made from, the API writes
// that converge the cluster (issue #7 item 6): per Service the
// status.loadBalancer.ingress merge patch, the pool label
// eip.openelb.kubesphere.io/v1alpha2, the finalizer (added while porter
// serves it, removed once its IPs are released), and per Eip the /status
// patch with OpenELB's fields and porter's conditions. Only differences are
// written, so a converged world yields no writes. Pure.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "k8s/allocation_plan.hpp"
#include "k8s/event.hpp"
#include "k8s/resource_path.hpp"

namespace porter::k8s {

/// An Event that belongs to a planned change of the Service.
struct event_write {
  object_reference object;
  planned_event event;
};

/// The request the Event recorder takes: `action` (events.k8s.io/v1) from
/// the reason — Release, Validate (pool Events) or Allocate.
event_request to_event_request(const event_write& e,
                               std::string reporting_instance);

struct api_write {
  /// What the write converges; the shell keeps one in flight per key.
  std::string key;
  resource_ref resource;
  std::string namespace_;
  std::string name;
  std::string subresource; ///< "status" or empty
  std::string content_type;
  std::string body;
  /// The object's resourceVersion the write was planned from: until the
  /// watch shows a newer one, the same write need not be sent again.
  std::string planned_from;
  /// Events that report this change (IPAllocated, IPReleased, ...): recorded
  /// once the write succeeded, so a change re-planned while it waits for its
  /// turn is reported once and a failed one not at all.
  std::vector<event_write> events;
};

struct write_batch {
  std::vector<api_write> writes;
  /// AllocationFailed for Services whose status does not change; planned
  /// again on every pass while the failure lasts (the shell records each
  /// distinct one once per observed version).
  std::vector<event_write> events;
};

/// The Events of an Eip whose conditions go from `observed` to `pp`'s
/// (issue #7 item 3: "a bad or overlapping pool is reported on its own
/// status and in an Event"): Warning InvalidAddress / AddressOverlap when
/// that condition becomes True, Normal PoolReady when Ready becomes True
/// again after it was False. Nothing when a condition keeps its status.
std::vector<planned_event> pool_events(const pool_plan& pp,
                                       const eip_status& observed);

/// The /status merge patch that makes Eip `e` look like `pp` (OpenELB's
/// fields and porter's conditions, guarded by the resourceVersion it was
/// planned from) with the pool Events it reports; nullopt when converged
/// or the Eip is being deleted. `now` stamps conditions whose status
/// changed (lastTransitionTime).
std::optional<api_write>
plan_pool_write(const pool_plan& pp, const eip& e,
                std::chrono::system_clock::time_point now);

/// Where a pass delivers its Service writes, in order (by namespace/name):
/// `write` returns false to receive no more writes (the shell takes what it
/// can send now and plans again later); `failure` still gets every
/// AllocationFailed of the pass.
struct write_sink {
  std::function<bool(api_write&&)> write;
  std::function<void(event_write&&)> failure;
};

/// Per Service: status ingress, pool label, finalizer, Events.
void plan_service_writes(const allocation_plan& plan,
                         const allocation_view& world, const write_sink& sink);

/// Every write and failure Event of the pass: the pools', then the
/// Services'.
write_batch plan_writes(const allocation_plan& plan,
                        const allocation_view& world,
                        std::chrono::system_clock::time_point now);
inline write_batch plan_writes(const allocation_plan& plan,
                               const allocation_world& world,
                               std::chrono::system_clock::time_point now) {
  return plan_writes(plan, view_of(world), now);
}

} // namespace porter::k8s
