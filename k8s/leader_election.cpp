#include "k8s/leader_election.hpp"

#include <algorithm>
#include <utility>

namespace porter::k8s {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

steady_clock::duration scaled(milliseconds d, double factor) {
  return std::chrono::duration_cast<steady_clock::duration>(
    std::chrono::duration<double, std::milli>(static_cast<double>(d.count())
                                              * factor));
}

/// A record whose acquire and renew time are `stamp`, all else zero.
leader_election_record stamped_record(const std::string& stamp) {
  leader_election_record r;
  r.acquire_time = stamp;
  r.renew_time = stamp;
  return r;
}

} // namespace

tl::expected<void, std::string> election_config::validate() const {
  // NewLeaderElector (leaderelection.go), in client-go's order.
  if (lease_duration <= renew_deadline)
    return tl::make_unexpected("leaseDuration must be greater than "
                               "renewDeadline");
  if (renew_deadline <= scaled(retry_period, election_jitter_factor))
    return tl::make_unexpected("renewDeadline must be greater than "
                               "retryPeriod*JitterFactor");
  if (lease_duration < milliseconds{1})
    return tl::make_unexpected("leaseDuration must be greater than zero");
  if (renew_deadline < milliseconds{1})
    return tl::make_unexpected("renewDeadline must be greater than zero");
  if (retry_period < milliseconds{1})
    return tl::make_unexpected("retryPeriod must be greater than zero");
  if (identity.empty())
    return tl::make_unexpected("Lock identity is empty");
  // porter: the record holds int(LeaseDuration / time.Second); 0 would
  // make every lease look expired at once.
  if (lease_duration < std::chrono::seconds{1})
    return tl::make_unexpected("leaseDuration must be at least 1s");
  if (lease_name.empty() || lease_namespace.empty())
    return tl::make_unexpected("lease name and namespace must be set");
  return {};
}

leader_election::leader_election(election_config cfg) : cfg_(std::move(cfg)) {}

bool leader_election::named_holder() const {
  // IsLeader: the last observed record names this client.
  return observed_.holder_identity == cfg_.identity;
}

bool leader_election::lease_valid(steady_time now) const {
  // isLeaseValid: observedTime + the record's leaseDurationSeconds > now.
  return observed_time_ + std::chrono::seconds{observed_.lease_duration_seconds}
         > now;
}

leader_election::steady_time leader_election::renew_deadline() const {
  return last_renew_ + cfg_.renew_deadline;
}

void leader_election::observe(const leader_election_record& r,
                              steady_time now) {
  // setObservedRecord: observedTime is always the LOCAL clock.
  observed_ = r;
  observed_time_ = now;
}

void leader_election::send_update(request kind, actions& out) {
  in_flight_ = kind;
  out.push_back(
    update_lease{encode_lease_for_update(*cached_, attempt_record_)});
}

void leader_election::start_attempt(const election_now& now, actions& out) {
  attempt_start_ = now;
  attempt_record_ = stamped_record(format_micro_time(now.wall));
  attempt_record_.holder_identity = cfg_.identity;
  attempt_record_.lease_duration_seconds = static_cast<int>(
    std::chrono::duration_cast<std::chrono::seconds>(cfg_.lease_duration)
      .count());
  // 1. Fast path: a leader with a valid lease updates optimistically with
  // the cached resourceVersion (needs a cached Lease, as LeaseLock.Update).
  if (named_holder() && lease_valid(now.steady) && cached_) {
    attempt_record_.acquire_time = observed_.acquire_time;
    attempt_record_.leader_transitions = observed_.leader_transitions;
    send_update(request::fast_update, out);
    return;
  }
  // 2. Obtain or create the record.
  in_flight_ = request::get;
  out.push_back(get_lease{});
}

void leader_election::on_got_record(const election_now& now, lease l,
                                    actions& out) {
  const leader_election_record old = to_record(l.spec);
  cached_ = std::move(l);
  // 3. Record obtained: a changed record resets observedTime to local now.
  std::string raw = canonical_record(old);
  if (raw != observed_raw_) {
    observe(old, now.steady);
    observed_raw_ = std::move(raw);
  }
  // "Lease is held by <holder> and has not yet expired" (judged at the
  // try's start, as client-go's `now`).
  if (!old.holder_identity.empty() && lease_valid(attempt_start_.steady)
      && !named_holder()) {
    finish_attempt(now, false, out);
    return;
  }
  // 4. Update: a leader keeps acquireTime; a takeover counts a transition.
  if (named_holder()) {
    attempt_record_.acquire_time = old.acquire_time;
    attempt_record_.leader_transitions = old.leader_transitions;
  } else {
    attempt_record_.leader_transitions = old.leader_transitions + 1;
  }
  send_update(request::update, out);
}

void leader_election::finish_attempt(const election_now& now, bool success,
                                     actions& out) {
  in_flight_ = request::none;
  if (success)
    observe(attempt_record_, now.steady);
  if (phase_ == election_phase::acquiring) {
    if (!success) {
      // wait.JitterUntil, sliding: RetryPeriod + rand·1.2·RetryPeriod after
      // this try ended.
      next_try_ = now.steady
                  + scaled(cfg_.retry_period,
                           1.0 + attempt_jitter_ * election_jitter_factor);
      // porter: never later than the moment the observed lease expires —
      // the same takeover rule, checked as soon as it can succeed.
      if (!observed_.holder_identity.empty() && lease_valid(now.steady))
        next_try_ = std::min(next_try_, observed_time_
                                          + std::chrono::seconds{
                                            observed_.lease_duration_seconds});
      return;
    }
    phase_ = election_phase::leading;
    last_renew_ = attempt_start_.steady;
    out.push_back(became_leader{});
    // renew(): wait.Until runs its first cycle at once.
    start_attempt(now, out);
    return;
  }
  // leading
  if (success) {
    last_renew_ = attempt_start_.steady;
    next_try_ = now.steady + cfg_.retry_period; // wait.Until, sliding
  } else {
    // PollUntil: the next try RetryPeriod after this one started.
    next_try_ = std::max(now.steady, attempt_start_.steady + cfg_.retry_period);
  }
  if (now.steady >= renew_deadline())
    lose(out);
}

void leader_election::lose(actions& out) {
  phase_ = election_phase::lost;
  out.push_back(lost_leadership{
    "failed to renew lease " + cfg_.lease_namespace + "/" + cfg_.lease_name
    + ": no successful renew within renewDeadline "
    + std::to_string(cfg_.renew_deadline.count()) + "ms"});
}

void leader_election::finish_release(bool cleared, actions& out) {
  phase_ = election_phase::stopped;
  in_flight_ = request::none;
  release_after_ = false;
  out.push_back(released{cleared});
}

void leader_election::schedule(const election_now& now, actions& out) const {
  std::optional<steady_time> due;
  switch (phase_) {
    case election_phase::acquiring:
      if (in_flight_ == request::none)
        due = next_try_;
      break;
    case election_phase::leading:
      due = in_flight_ == request::none ? std::min(next_try_, renew_deadline())
                                        : renew_deadline();
      break;
    case election_phase::releasing:
      due = release_deadline_;
      break;
    default:
      break;
  }
  if (!due)
    return;
  auto delay = std::chrono::ceil<milliseconds>(*due - now.steady);
  out.push_back(schedule_tick{std::max(delay, milliseconds{0})});
}

leader_election::actions leader_election::on_tick(const election_now& now,
                                                  double random_unit) {
  actions out;
  switch (phase_) {
    case election_phase::idle:
      phase_ = election_phase::acquiring;
      next_try_ = now.steady;
      [[fallthrough]];
    case election_phase::acquiring:
      if (in_flight_ == request::none && now.steady >= next_try_) {
        attempt_jitter_ = random_unit;
        start_attempt(now, out);
      }
      break;
    case election_phase::leading:
      // The deadline wins even over a request still in flight (client-go
      // cancels its context); that reply is ignored.
      if (now.steady >= renew_deadline())
        lose(out);
      else if (in_flight_ == request::none && now.steady >= next_try_)
        start_attempt(now, out);
      break;
    case election_phase::releasing:
      if (now.steady >= release_deadline_)
        finish_release(false, out);
      break;
    default:
      break;
  }
  schedule(now, out);
  return out;
}

leader_election::actions leader_election::on_wakeup(const election_now& now,
                                                    double random_unit) {
  if (phase_ == election_phase::acquiring && in_flight_ == request::none)
    next_try_ = std::min(next_try_, now.steady);
  else if (phase_ != election_phase::idle)
    return {};
  return on_tick(now, random_unit);
}

leader_election::actions leader_election::on_observed(const election_now& now,
                                                      const lease& seen,
                                                      double random_unit) {
  if (phase_ != election_phase::acquiring || in_flight_ != request::none)
    return {};
  const leader_election_record record = to_record(seen.spec);
  std::string raw = canonical_record(record);
  if (raw != observed_raw_) {
    observe(record, now.steady);
    observed_raw_ = std::move(raw);
  }
  if (record.holder_identity.empty())
    return on_wakeup(now, random_unit);
  // The try that takes over happens when the lease expires, not up to a
  // jittered RetryPeriod later: same rule (isLeaseValid), sooner check.
  const steady_time expiry
    = observed_time_ + std::chrono::seconds{observed_.lease_duration_seconds};
  next_try_ = std::min(next_try_, expiry);
  actions out;
  schedule(now, out);
  return out;
}

bool leader_election::abandoned(const election_now& now, actions& out) {
  // A reply to a try that the deadline or a release overtook. The
  // deadline is checked first: a late success does not extend leadership.
  if (phase_ == election_phase::leading && now.steady >= renew_deadline())
    lose(out);
  if (phase_ == election_phase::lost || phase_ == election_phase::stopped) {
    in_flight_ = request::none;
    return true;
  }
  if (phase_ != election_phase::releasing || !release_after_)
    return false;
  release_after_ = false;
  if (now.steady >= release_deadline_) {
    finish_release(false, out);
  } else {
    in_flight_ = request::release_get;
    out.push_back(get_lease{});
  }
  return true;
}

leader_election::actions leader_election::on_get_result(const election_now& now,
                                                        const lease_result& r) {
  actions out;
  if (abandoned(now, out))
    return out;
  if (in_flight_ == request::get) {
    if (r.outcome == lease_outcome::ok) {
      on_got_record(now, r.object, out);
    } else if (r.outcome == lease_outcome::not_found) {
      in_flight_ = request::create;
      out.push_back(create_lease{encode_lease_for_create(
        cfg_.lease_name, cfg_.lease_namespace, attempt_record_)});
    } else {
      finish_attempt(now, false, out);
    }
  } else if (in_flight_ == request::release_get) {
    // tryRelease: give up on NotFound or errors; write only if the record
    // just fetched still names us.
    if (r.outcome != lease_outcome::ok
        || r.object.spec.holder_identity.value_or("") != cfg_.identity) {
      finish_release(false, out);
    } else {
      cached_ = r.object;
      attempt_record_ = stamped_record(format_micro_time(now.wall));
      attempt_record_.lease_duration_seconds = 1;
      attempt_record_.leader_transitions
        = r.object.spec.lease_transitions.value_or(0);
      send_update(request::release_update, out);
    }
  }
  schedule(now, out);
  return out;
}

leader_election::actions
leader_election::on_create_result(const election_now& now,
                                  const lease_result& r) {
  actions out;
  if (abandoned(now, out))
    return out;
  if (in_flight_ == request::create) {
    // 409 AlreadyExists: another candidate won the race.
    if (r.outcome == lease_outcome::ok)
      cached_ = r.object;
    finish_attempt(now, r.outcome == lease_outcome::ok, out);
  }
  schedule(now, out);
  return out;
}

leader_election::actions
leader_election::on_update_result(const election_now& now,
                                  const lease_result& r) {
  actions out;
  if (abandoned(now, out))
    return out;
  const bool ok = r.outcome == lease_outcome::ok;
  if (ok && in_flight_ != request::none)
    cached_ = r.object; // the reply replaces LeaseLock's cache
  switch (in_flight_) {
    case request::fast_update:
      if (ok) {
        finish_attempt(now, true, out);
      } else {
        // "Failed to update lease optimistically, falling back to slow
        // path".
        in_flight_ = request::get;
        out.push_back(get_lease{});
      }
      break;
    case request::update:
      finish_attempt(now, ok, out);
      break;
    case request::release_update:
      if (ok) {
        observe(attempt_record_, now.steady);
        finish_release(true, out);
      } else if (r.outcome == lease_outcome::conflict
                 && now.steady < release_deadline_) {
        in_flight_ = request::release_get;
        out.push_back(get_lease{});
      } else {
        finish_release(false, out);
      }
      break;
    default:
      break;
  }
  schedule(now, out);
  return out;
}

leader_election::actions
leader_election::on_release_requested(const election_now& now) {
  actions out;
  const bool led
    = phase_ == election_phase::leading || phase_ == election_phase::lost;
  if (phase_ == election_phase::releasing || phase_ == election_phase::stopped)
    return out;
  // client-go releases only from renew(), i.e. after having led, and only
  // while the observed record still names it.
  if (!led || !named_holder()) {
    finish_release(false, out);
    return out;
  }
  phase_ = election_phase::releasing;
  release_deadline_ = now.steady + cfg_.renew_deadline;
  if (in_flight_ == request::none) {
    in_flight_ = request::release_get;
    out.push_back(get_lease{});
  } else {
    release_after_ = true;
  }
  schedule(now, out);
  return out;
}

tl::expected<void, std::string>
leader_election::check(steady_time now,
                       std::chrono::milliseconds max_tolerable_expired) const {
  if (!named_holder())
    return {}; // not concerned with a hot standby
  if (now - observed_time_ > cfg_.lease_duration + max_tolerable_expired)
    return tl::make_unexpected("failed election to renew leadership on lease "
                               + cfg_.lease_namespace + "/" + cfg_.lease_name);
  return {};
}

} // namespace porter::k8s
