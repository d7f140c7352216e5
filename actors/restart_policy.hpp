// When a supervisor restarts a crashed child: exponential backoff from
// `initial` doubling up to `cap` (30 s), reset once a child has run for
// `stable_after` without crashing. Pure; time is passed in.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace porter {

struct restart_policy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds cap{30'000};
  std::chrono::milliseconds stable_after{60'000};
};

/// Delay before restart number `consecutive_failures` (1 = first crash).
inline std::chrono::milliseconds
restart_delay(const restart_policy& p, std::uint32_t consecutive_failures) {
  auto delay = p.initial;
  for (std::uint32_t i = 1; i < consecutive_failures && delay < p.cap; ++i)
    delay *= 2;
  return std::min(delay, p.cap);
}

/// Consecutive failure count after a crash of a child that ran `ran_for`:
/// a child that stayed up long enough starts over at one.
inline std::uint32_t next_failure_count(const restart_policy& p,
                                        std::uint32_t previous,
                                        std::chrono::milliseconds ran_for) {
  return ran_for >= p.stable_after ? 1 : previous + 1;
}

} // namespace porter
