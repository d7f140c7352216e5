// A small HTTP/1.1 server for the admin endpoint (/healthz, /readyz, and
// later /metrics and /debug/): Beast on the shared I/O thread, keep-alive,
// GET/HEAD only, bounded requests. The handler runs on the I/O thread and
// answers through a responder that may be called later from any thread
// (after asking an actor). Beast stays out of this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "net/io/tcp.hpp"

namespace porter::net::io {

struct http_request {
  std::string method; ///< "GET", "HEAD"
  std::string target; ///< path and query, as sent
  std::string authorization;
  bool from_loopback = false;
};

struct http_response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

/// Answers one request; call exactly once, from any thread.
using http_responder = std::function<void(http_response)>;
using http_handler = std::function<void(http_request, http_responder)>;

class http_endpoint {
public:
  /// Listens on `host_port` ("127.0.0.1:9610", "[::1]:0", "0.0.0.0:9610");
  /// an error names the address and the reason (bad syntax, in use, ...).
  static tl::expected<std::unique_ptr<http_endpoint>, std::string>
  listen(io_thread& io, const std::string& host_port, http_handler handler);

  ~http_endpoint(); ///< stops accepting; open connections end on their own
  http_endpoint(const http_endpoint&) = delete;
  http_endpoint& operator=(const http_endpoint&) = delete;

  /// The bound port (the one chosen when asked for port 0).
  std::uint16_t port() const;

  struct impl;
  explicit http_endpoint(std::shared_ptr<impl> p);

private:
  std::shared_ptr<impl> impl_;
};

} // namespace porter::net::io
