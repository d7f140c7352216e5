// One watch request (k8s-api.md §1.3-1.7): newline-terminated
// `{"type":...,"object":...}` events for one resource, filtered by
// namespace, label and field selectors (an object entering or leaving a
// label selection is ADDED/DELETED), optionally as one-row Tables; synthetic
// ADDED events for RV ""/"0"; an ERROR event with a 410 Expired Status when
// the requested RV is older than the history window; BOOKMARKs on request.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "sim/apiserver/time_format.hpp"

namespace porter::sim {

struct core_state;
struct watch_spec;

class watch_stream {
public:
  watch_stream(core_state& st, watch_spec spec);
  ~watch_stream();
  watch_stream(const watch_stream&) = delete;
  watch_stream& operator=(const watch_stream&) = delete;

  /// Events ready to send (possibly several lines, possibly none). The core
  /// (`core_state`) must outlive the stream.
  std::string poll(sys_time now);
  /// A BOOKMARK at the current RV ("" unless the client allowed them).
  std::string bookmark();
  /// True after an ERROR event: the server ends the stream.
  bool finished() const;
  /// timeoutSeconds (zero: none).
  std::chrono::seconds timeout() const;
  bool bookmarks() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace porter::sim
