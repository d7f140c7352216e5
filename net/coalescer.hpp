// Leading-edge coalescing of changes into passes: the first change after a
// quiet window is handled at once (a lone Service gets its IP and route
// without waiting), changes within `window` of the last pass wait for the
// window's end and are handled together (a relist or `kubectl apply` of
// 1,000 objects costs a few passes, not 1,000). The window counts from the
// END of the last pass and stretches to that pass's length, so passes over
// a big world (100 ms for 10k Services) never take more than half of the
// actor's time from the I/O they wait for. Pure: the caller passes the time
// and arms its own timer.
#pragma once

#include <algorithm>
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
    if (!ran_ || now >= last_ + gap_)
      return clock::duration::zero();
    return last_ + gap_ - now;
  }

  /// A pass starts at `now`: changes from here on need another one.
  void on_pass(clock::time_point now) {
    pending_ = false;
    started_ = now;
  }

  /// The pass that started at on_pass() ended at `now`.
  void on_pass_end(clock::time_point now) {
    ran_ = true;
    last_ = now;
    gap_ = std::max<clock::duration>(window_, now - started_);
  }

private:
  std::chrono::milliseconds window_;
  bool pending_ = false;
  bool ran_ = false;
  clock::time_point started_{};
  clock::time_point last_{};
  clock::duration gap_{};
};

} // namespace porter::net
