// client-go's Lease leader election (k8s-api.md §3.3) as a pure state machine:
// idle → acquiring (tryAcquireOrRenew now, then RetryPeriod·(1 + 1.2·rand)
// after each failed try ends) → leading (a renew cycle RetryPeriod after the
// last ended; failed tries retried RetryPeriod after they started) → lost at
// RenewDeadline after the start of the last successful try → release →
// stopped. Judged on the local steady clock only; wall time is just written.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "k8s/lease.hpp"

namespace porter::k8s {

struct election_config {
  std::string identity; ///< unique per process instance
  std::string lease_name;
  std::string lease_namespace;
  std::chrono::milliseconds lease_duration{15'000};
  std::chrono::milliseconds renew_deadline{10'000};
  std::chrono::milliseconds retry_period{2'000};

  /// NewLeaderElector's checks with client-go's messages, plus porter's
  /// own: a lease name, and a LeaseDuration of at least one second (the
  /// record carries whole seconds).
  tl::expected<void, std::string> validate() const;
};

/// wait.Jitter's factor for the acquire loop and the renewDeadline check.
inline constexpr double election_jitter_factor = 1.2;

/// Both clocks, read once by the caller per input.
struct election_now {
  std::chrono::steady_clock::time_point steady; ///< judges everything
  std::chrono::system_clock::time_point wall;   ///< written, never judged
};

/// How a Lease request ended, as the actor maps the HTTP reply.
enum class lease_outcome {
  ok,        ///< 200/201 with a decodable Lease in `object`
  not_found, ///< 404
  conflict,  ///< 409 (Conflict on PUT, AlreadyExists on POST)
  failed,    ///< anything else: transport error, 5xx, 422, bad body
};

struct lease_result {
  lease_outcome outcome = lease_outcome::failed;
  lease object;       ///< the returned Lease when `ok`
  std::string detail; ///< one line for logs when not `ok`
};

enum class election_phase {
  idle,
  acquiring,
  leading,
  lost,
  releasing,
  stopped
};

class leader_election {
public:
  // --- actions: perform in order; at most one request is in flight ---
  /// GET the Lease; answer with on_get_result.
  struct get_lease {};
  /// POST `body` to the collection; answer with on_create_result.
  struct create_lease {
    std::string body;
  };
  /// PUT `body` (carries the cached resourceVersion) to the Lease;
  /// answer with on_update_result.
  struct update_lease {
    std::string body;
  };
  /// Call on_tick after `delay`. Supersedes earlier schedule_ticks; extra
  /// or early on_tick calls are harmless (it acts only on what is due).
  struct schedule_tick {
    std::chrono::milliseconds delay;
  };
  /// OnStartedLeading: start acting as leader now.
  struct became_leader {};
  /// OnStoppedLeading after leading: stop acting as leader at once. The
  /// machine does nothing more except a requested release. RenewDeadline
  /// counts from the start of the last successful try (client-go: from the
  /// start of the renew cycle that fails, a reply's latency + RetryPeriod
  /// later), so however slow its replies, a leader stops at least
  /// LeaseDuration − RenewDeadline before any follower may take over.
  struct lost_leadership {
    std::string reason;
  };
  /// The release is over (`cleared`: the empty holder was written); the
  /// machine is stopped.
  struct released {
    bool cleared = false;
  };
  using action
    = std::variant<get_lease, create_lease, update_lease, schedule_tick,
                   became_leader, lost_leadership, released>;
  using actions = std::vector<action>;

  /// `cfg` must have passed validate().
  explicit leader_election(election_config cfg);

  /// Timer (and start: the first call begins acquiring). `random_unit` is
  /// uniform in [0, 1), used for the acquire jitter.
  actions on_tick(const election_now& now, double random_unit);
  /// A hint that the Lease may be free (porter's watch saw it released or
  /// deleted): a candidate with no request in flight tries now rather than
  /// at its jittered time. Not in client-go; the decision stays
  /// tryAcquireOrRenew's, so it cannot shorten a wait for a held lease.
  actions on_wakeup(const election_now& now, double random_unit);
  actions on_get_result(const election_now& now, const lease_result& r);
  actions on_create_result(const election_now& now, const lease_result& r);
  actions on_update_result(const election_now& now, const lease_result& r);
  /// The Lease as a watch saw it (porter's addition, not client-go's): a
  /// waiting candidate takes the sighting as an observation — a changed
  /// record resets observedTime to local now, as a GET would — and then
  /// tries at once if the holder is empty, else no later than the moment
  /// the lease expires by its own clock. Ignored while leading or while a
  /// request is in flight (the reply is the better observation).
  actions on_observed(const election_now& now, const lease& seen,
                      double random_unit);
  /// Shutdown (ReleaseOnCancel): if leading (or lost but still named
  /// holder), GET, and if the Lease still names us PUT holderIdentity "",
  /// leaseDurationSeconds 1, retrying on conflict for up to RenewDeadline.
  actions on_release_requested(const election_now& now);

  /// True between became_leader and lost_leadership/release.
  bool is_leader() const { return phase_ == election_phase::leading; }
  election_phase phase() const { return phase_; }
  /// GetLeader: the holder in the last observed record ("" if none).
  const std::string& observed_holder() const {
    return observed_.holder_identity;
  }
  const leader_election_record& observed_record() const { return observed_; }
  /// Check(maxTolerableExpiredLease): an error if the observed record names
  /// us but has not been renewed for LeaseDuration + `max_tolerable_expired`
  /// (a stuck leader; the health endpoint should fail).
  tl::expected<void, std::string>
  check(std::chrono::steady_clock::time_point now,
        std::chrono::milliseconds max_tolerable_expired) const;

private:
  enum class request {
    none,
    fast_update,
    get,
    create,
    update,
    release_get,
    release_update
  };
  using steady_time = std::chrono::steady_clock::time_point;

  void start_attempt(const election_now& now, actions& out);
  void on_got_record(const election_now& now, lease l, actions& out);
  void finish_attempt(const election_now& now, bool success, actions& out);
  void send_update(request kind, actions& out);
  void lose(actions& out);
  void finish_release(bool cleared, actions& out);
  bool abandoned(const election_now& now, actions& out);
  void schedule(const election_now& now, actions& out) const;
  void observe(const leader_election_record& r, steady_time now);
  bool named_holder() const;
  bool lease_valid(steady_time now) const;
  steady_time renew_deadline() const;

  election_config cfg_;
  election_phase phase_ = election_phase::idle;
  request in_flight_ = request::none;
  leader_election_record observed_;       ///< observedRecord
  steady_time observed_time_{};           ///< observedTime (local)
  std::string observed_raw_;              ///< observedRawRecord
  std::optional<lease> cached_;           ///< LeaseLock's ll.lease
  election_now attempt_start_{};          ///< `now` of tryAcquireOrRenew
  leader_election_record attempt_record_; ///< what the try writes
  double attempt_jitter_ = 0;             ///< rand drawn for this try
  steady_time next_try_{};                ///< when the next try is due
  steady_time last_renew_{};              ///< start of the last successful try
  bool release_after_ = false; ///< release waits for the in-flight reply
  steady_time release_deadline_{};
};

} // namespace porter::k8s
