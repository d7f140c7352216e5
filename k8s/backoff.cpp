#include "k8s/backoff.hpp"

#include <algorithm>

namespace porter::k8s {

std::chrono::milliseconds backoff::next(time_point now, double unit) {
  using std::chrono::milliseconds;
  // client-go ExponentialBackoffManager: "If we don't backoff for 2min,
  // assume API server is healthy and we reset the backoff."
  if (!have_failed_ || now - last_failure_ > policy_.reset_after)
    step_ = policy_.initial;
  have_failed_ = true;
  last_failure_ = now;
  const auto base = step_;
  const auto jittered = milliseconds{static_cast<milliseconds::rep>(
    static_cast<double>(base.count()) * (1.0 + unit * policy_.jitter))};
  step_ = std::min(policy_.max,
                   milliseconds{static_cast<milliseconds::rep>(
                     static_cast<double>(step_.count()) * policy_.factor)});
  return std::min(policy_.max, jittered);
}

} // namespace porter::k8s
