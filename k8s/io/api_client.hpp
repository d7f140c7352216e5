// HTTP/1.1 client for the Kubernetes API (issue #6 §2): Boost.Beast over TLS
// (OpenSSL) or plain TCP, on one I/O thread. Requests reuse keep-alive
// connections; each watch gets a connection of its own with no body limit.
// Callbacks run on the I/O thread: implementations post to an actor and
// return. Beast stays out of this header so actors including it build fast.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "k8s/client_config.hpp"

namespace porter::net::io {
class io_thread;
}

namespace porter::k8s::io {

struct http_response {
  int status = 0;
  std::string body;
  std::string content_type;
  /// From a Retry-After header (seconds form), if any.
  std::optional<std::chrono::seconds> retry_after;
};

/// The request never got an HTTP status: refused, reset, TLS failure,
/// timeout. `what` is one line for logs and status conditions.
struct transport_error {
  std::string what;
};

using response_result = tl::expected<http_response, transport_error>;
using response_callback = std::function<void(response_result)>;

struct request_options {
  /// Whole request, connect to last byte (per attempt).
  std::chrono::milliseconds timeout{30'000};
  /// Extra attempts after 429, 5xx or a transport error, waiting
  /// Retry-After or the backoff (0.2 s doubling, cap 5 s) in between.
  /// Only used when the request is safe to repeat (GET, or the caller
  /// says so: every write carries a resourceVersion precondition).
  int max_retries = 3;
  bool retry_transport_errors = true;
};

struct watch_callbacks {
  /// The response status arrived. For non-200, `on_error_body` follows
  /// with the whole (Status) body and the watch ends.
  std::function<void(int status)> on_status;
  std::function<void(std::string body)> on_error_body;
  /// One complete event line (without the trailing newline), however the
  /// bytes were split across chunks; empty lines are skipped.
  std::function<void(std::string line)> on_line;
  /// Exactly once, unless cancel() came first: std::nullopt for a normal
  /// end of the stream, else why it broke (including the idle timeout).
  std::function<void(std::optional<transport_error>)> on_closed;
};

/// Ends a watch: closes its connection; no callback runs afterwards.
class watch_handle {
public:
  virtual ~watch_handle() = default;
  virtual void cancel() = 0;
};

class api_client {
public:
  virtual ~api_client() = default;

  /// `target` is path + query ("/api/v1/services?limit=500"). Adds
  /// Authorization (token re-read from token_file every 60 s and, once,
  /// after a 401), Accept: application/json, User-Agent: porter.
  virtual void request(std::string method, std::string target, std::string body,
                       std::string content_type, request_options opts,
                       response_callback done)
    = 0;

  /// Starts a watch on a dedicated connection. `idle_timeout`: no byte for
  /// that long ends the watch with a transport_error (half-open TCP).
  virtual std::shared_ptr<watch_handle>
  watch(std::string target, std::chrono::milliseconds idle_timeout,
        watch_callbacks callbacks)
    = 0;
};

/// The client for `cfg`; fails (one line) when the TLS material is
/// unusable, e.g. a CA or key that is not PEM.
tl::expected<std::shared_ptr<api_client>, std::string>
make_api_client(const client_config& cfg,
                std::shared_ptr<net::io::io_thread> io);

} // namespace porter::k8s::io
