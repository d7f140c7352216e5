// The readiness checks of a process, set by the actors that own them and
// read by the admin endpoint's thread (net/health.hpp answers from a
// snapshot).
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "net/health.hpp"

namespace porter::net::io {

/// A check that was never set is absent; register it with
/// `set(name, false, "starting")` so /readyz names it from the start.
class readiness {
public:
  void set(std::string_view check, bool ok, std::string detail = {}) {
    std::lock_guard lock{mutex_};
    auto& c = checks_[std::string{check}];
    c.ok = ok;
    c.detail = std::move(detail);
  }
  readiness_snapshot snapshot() const {
    std::lock_guard lock{mutex_};
    return checks_;
  }

private:
  mutable std::mutex mutex_;
  readiness_snapshot checks_;
};

} // namespace porter::net::io
