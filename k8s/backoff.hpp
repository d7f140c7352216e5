// Exponential backoff with jitter and a reset after a healthy stretch, as
// client-go's reflector uses it (k8s-api.md §1.8: 800 ms → 30 s, factor 2,
// jitter 1.0, reset after 2 min without failure) and kube-rs's
// default_backoff(). Pure: the caller passes time and a random number.
#pragma once

#include <chrono>

namespace porter::k8s {

struct backoff_policy {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds max{30'000};
  double factor = 2.0;
  /// Each delay d becomes d + u·jitter·d for a uniform u in [0, 1), capped
  /// at `max` (wait.Jitter).
  double jitter = 1.0;
  /// A failure this long after the previous one starts again at `initial`.
  std::chrono::milliseconds reset_after{120'000};
};

class backoff {
public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit backoff(backoff_policy p = {}) : policy_(p) {}

  /// The delay before the next attempt after a failure at `now`; `unit`
  /// is a uniform random number in [0, 1).
  std::chrono::milliseconds next(time_point now, double unit);
  /// A success: the next failure starts from `initial` again.
  void reset() { step_ = policy_.initial, have_failed_ = false; }

private:
  backoff_policy policy_;
  std::chrono::milliseconds step_ = policy_.initial;
  time_point last_failure_{};
  bool have_failed_ = false;
};

} // namespace porter::k8s
