// The API server emulator's pure core (issue #5): one call per HTTP request,
// `handle(request, now) -> response [+ watch stream]`, over an in-memory
// object store. No sockets, threads or clock reads: the HTTP adapter
// (io/http_server) owns those and calls in from its single I/O thread.
// Behaviour follows ../shared/reference/k8s-api.md §1-2 and §5.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sim/apiserver/api_error.hpp"
#include "sim/apiserver/request.hpp"
#include "sim/apiserver/time_format.hpp"

namespace porter::sim {

struct core_options {
  /// Watch history: events kept for watches resuming from an older RV.
  std::size_t watch_window = 20000;
  std::uint64_t seed = 1;
  std::string service_cidr = "10.96.0.0/12";
  /// serverAddressByClientCIDRs in /api.
  std::string server_address = "127.0.0.1:6443";
};

class watch_stream;
struct core_state;

/// A Status response for `e` (with Retry-After when it has one).
api_response error_response(const api_error& e);

struct handle_result {
  api_response response;
  /// Set for a watch: send `response` headers, then the stream's events.
  std::unique_ptr<watch_stream> watch;
};

class api_core {
public:
  api_core(core_options opts, sys_time now);
  ~api_core();
  api_core(const api_core&) = delete;
  api_core& operator=(const api_core&) = delete;

  handle_result handle(const api_request& req, sys_time now);

  std::uint64_t resource_version() const;
  /// Increases on every committed write (persistence trigger).
  std::uint64_t write_count() const;
  std::size_t object_count() const;

  /// Every object and the RV counter, as one JSON document.
  std::string save_state() const;
  /// Replaces the contents with a save_state() document.
  tl::expected<void, std::string> load_state(std::string_view text,
                                             sys_time now);
  /// Fault injection: forget the watch history and outstanding continue
  /// tokens, so clients resuming from older RVs get 410 Expired.
  void expire_watch_cache();
  /// Restart without state: every object gone (no events), RV kept
  /// increasing, default namespaces recreated.
  void clear(sys_time now);

private:
  std::unique_ptr<core_state> st_;
};

} // namespace porter::sim
