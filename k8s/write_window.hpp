// The leader's API writes in flight and waiting (issue #7 item 6): at most
// `max_in_flight` at once (each is a connection of the client's pool); the
// rest wait in order, one per key, a newer plan replacing a queued write of
// the same key; a write already sent for an object's resourceVersion is not
// sent again until the watch shows a newer one. Each pass queues afresh, up
// to `max_queued` (what does not fit waits for a later pass), so a burst of
// 10k Services holds at most 2,048 queued writes, not 30k. Pure: the actor
// sends what this returns and reports each answer.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "k8s/allocation_writes.hpp"

namespace porter::k8s {

class write_window {
public:
  struct limits {
    std::size_t max_in_flight = 16;
    std::size_t max_queued = 2048;
  };

  write_window() = default;
  explicit write_window(limits l) : limits_(l) {}

  /// A pass starts: what waited is planned again by it.
  void begin_pass();
  /// False once the queue is full: the pass stops offering (and is then
  /// incomplete: see forget_converged).
  bool has_room() const { return queued_.size() < limits_.max_queued; }

  /// A planned write. Returned (without its Events, which wait for the
  /// answer) when it is to be sent now; nullopt when its key is in flight,
  /// it was sent for this version already, or it waits in the queue.
  std::optional<api_write> offer(api_write w);

  struct answered {
    std::vector<event_write> events; ///< to record: the write succeeded
    std::vector<api_write> start;    ///< queued writes to send now
  };
  /// The API's answer to the write of `key`.
  answered finish(const std::string& key, bool ok);

  /// After a pass that offered every write: keys it no longer writes have
  /// converged, and what was sent for them is history.
  void forget_converged(const std::set<std::string>& planned);

  bool idle() const { return in_flight_.empty(); }
  std::size_t in_flight() const { return in_flight_.size(); }
  std::size_t queued() const { return queued_.size(); }

private:
  api_write begin(api_write w);

  limits limits_;
  /// key → the Events to record once that write succeeds
  std::map<std::string, std::vector<event_write>> in_flight_;
  std::map<std::string, std::string> sent_for_; ///< key → resourceVersion
  std::map<std::string, api_write> queued_;
  std::deque<std::string> queue_order_;
};

/// AllocationFailed is planned again on every pass while the failure lasts;
/// it is reported once per Service and message (a new reason is news,
/// another pass or the leader's own write to the Service is not).
class failure_reports {
public:
  /// Of this pass's failures, those to record now.
  std::vector<event_write> fresh(std::vector<event_write> failures);

private:
  std::map<std::string, std::string> reported_; ///< ns/name → message
};

} // namespace porter::k8s
