// Fault injection for tests of API clients (issue #5 §4), driven through
// the admin endpoint `POST /_porter/faults`: delay requests, fail them with
// 404/429/500/503 and Retry-After (a count, or until cleared; optionally only
// for a path prefix / methods), and one-shot actions the server performs:
// drop every watch connection, expire the watch cache (forcing 410s),
// restart with or without state. Pure: the server applies the actions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "sim/apiserver/api_error.hpp"

namespace porter::sim {

/// What a fault request asks the server to do once.
struct fault_actions {
  bool drop_watches = false;
  bool expire_watch_cache = false;
  std::optional<bool> restart_keep_state;
};

class fault_state {
public:
  /// Applies a JSON fault request, e.g.
  /// {"delayMs":200,"fail":{"code":503,"count":2,"retryAfterSeconds":1,
  ///  "pathPrefix":"/api/v1","methods":["GET"]},"dropWatches":true,
  ///  "expireWatchCache":true,"restart":{"keepState":false},"clear":true}.
  tl::expected<fault_actions, std::string> apply(std::string_view body);

  /// The injected failure for this request, if any (consumes one count).
  std::optional<api_error> take_failure(std::string_view method,
                                        std::string_view path);
  std::chrono::milliseconds delay(std::string_view path) const;
  /// The current settings as JSON (GET /_porter/faults).
  std::string to_json() const;

private:
  bool applies(std::string_view method, std::string_view path) const;

  int delay_ms_ = 0;
  int fail_code_ = 0;
  int fail_count_ = 0; // < 0: until cleared
  int retry_after_ = 1;
  std::string path_prefix_;
  std::vector<std::string> methods_;
};

} // namespace porter::sim
