// Leading-edge coalescing of changes into passes: the first change after a
// quiet window is handled at once (a lone Service gets its IP and route
// without waiting), changes within `window` of the last pass wait for the
// window's end and are handled together (a relist or `kubectl apply` of
// 1,000 objects costs a few passes, not 1,000). Pure: the caller passes
// the time and arms its own timer.
#pragma once

#include <chrono>
#include <optional>

namespace porter::net {

class coalescer {
public:
  using clock = std::chrono::steady_clock;

  explicit coalescer(std::chrono::milliseconds window) : window_(window) {}

  /// A change arrived at `now`: the delay before the pass, or nullopt
  /// when a pass is already pending (it will see this change too).
  std::optional<clock::duration> on_change(clock::time_point now) {
    if (pending_)
      return std::nullopt;
    pending_ = true;
    if (!ran_ || now >= last_ + window_)
      return clock::duration::zero();
    return last_ + window_ - now;
  }

  /// The pass runs at `now`.
  void on_pass(clock::time_point now) {
    pending_ = false;
    ran_ = true;
    last_ = now;
  }

private:
  std::chrono::milliseconds window_;
  bool pending_ = false;
  bool ran_ = false;
  clock::time_point last_{};
};

} // namespace porter::net
