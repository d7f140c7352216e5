// Internal to porter_k8s_io: what requests and watches of one api_client
// share on the I/O thread: the server endpoint and TLS context, the bearer
// token (token_file re-read at least every 60 s and after a 401, keeping the
// last good token when the file is unreadable; k8s-api.md §4.2), the
// request headers, and the pool of idle keep-alive connections.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "k8s/io/http_connection.hpp"

namespace porter::k8s::io {

using steady_time = std::chrono::steady_clock::time_point;

class token_source {
public:
  token_source(std::string token, std::string token_file)
      : token_(std::move(token)), file_(std::move(token_file)) {}

  /// The bearer token at `now` (the file re-read when the copy is older
  /// than a minute); empty: no Authorization header.
  std::string current(steady_time now);
  /// After a 401: re-read the file now. True when the token changed.
  bool refresh(steady_time now);
  bool has_file() const { return !file_.empty(); }

private:
  std::string token_; ///< static token, later the last good file content
  std::string file_;
  steady_time read_at_{};
  bool read_once_ = false;
};

struct client_core {
  client_core(boost::asio::io_context& ctx, server_endpoint srv,
              const client_config& cfg)
      : ioc(ctx), server(std::move(srv)), token(cfg.token, cfg.token_file) {}

  /// A request with Host, User-Agent, Accept, Authorization and, with a
  /// body, Content-Type and Content-Length.
  string_request make_request(const std::string& method,
                              const std::string& target, std::string body,
                              const std::string& content_type, steady_time now);
  /// An idle connection the server has not closed, or nullptr.
  std::shared_ptr<http_connection> take_idle(steady_time now);
  /// A connection whose response was read completely, for reuse.
  void put_idle(std::shared_ptr<http_connection> c, steady_time now);
  /// Closes the idle connections (the client is gone).
  void shutdown();

  /// Runs `start` now if fewer than max_active requests are under way,
  /// else when one ends: a burst of writes (10k Events) must not open 10k
  /// TLS connections at once. Each started request calls request_done().
  void when_free(std::function<void()> start);
  void request_done();

  boost::asio::io_context& ioc;
  server_endpoint server;
  token_source token;
  /// Most recently used last.
  std::vector<std::shared_ptr<http_connection>> idle;
  bool closed = false;

  std::size_t active = 0;
  std::deque<std::function<void()>> waiting;

  static constexpr std::size_t max_active = 16;
  static constexpr std::size_t max_idle = 16;
  static constexpr std::chrono::seconds max_idle_time{60};
};

} // namespace porter::k8s::io
