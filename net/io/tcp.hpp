// TCP adapter for BGP sessions and the admin endpoint: one Boost.Asio
// io_context on one thread, connections that report through callbacks (which
// post to actors) and never touch actor state. Asio stays out of this header
// so that actors including it compile fast.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/ip_address.hpp"

namespace porter::net::io {

/// Runs one io_context on a dedicated thread until destroyed.
class io_thread {
public:
  io_thread();
  ~io_thread();
  io_thread(const io_thread&) = delete;
  io_thread& operator=(const io_thread&) = delete;

  struct impl;
  impl& get() { return *impl_; }

private:
  std::unique_ptr<impl> impl_;
};

struct endpoint {
  ip_address address;
  std::uint16_t port = 0;
};
std::string to_string(const endpoint& e);

/// Called on the I/O thread; implementations post to an actor and return.
struct connection_callbacks {
  std::function<void()> on_connected;
  std::function<void(std::vector<std::uint8_t>)> on_data;
  /// Exactly once per connection, unless `close()` was called first.
  std::function<void(std::string reason)> on_closed;
};

/// Socket options applied before connect (or right after accept).
struct socket_options {
  std::optional<ip_address> local_address;
  std::uint16_t local_port = 0;
  bool no_delay = true;
  std::chrono::milliseconds connect_timeout{5000};
  /// RFC 2385 TCP MD5 signature with the remote address; empty: none.
  std::string md5_password;
  /// Outgoing IP TTL / IPv6 hop limit; 0 keeps the OS default.
  int ttl = 0;
  /// RFC 5082 GTSM: drop segments that arrive with a lower TTL; 0: off.
  int min_ttl = 0;
  /// TCP_USER_TIMEOUT: unacknowledged data older than this drops the
  /// connection (a dead link is noticed before the hold timer); 0: off.
  std::chrono::milliseconds user_timeout{0};
};

class tcp_connection : public std::enable_shared_from_this<tcp_connection> {
public:
  /// Starts an active open; `on_connected` or `on_closed` follows.
  static std::shared_ptr<tcp_connection>
  connect(io_thread& io, const endpoint& remote, const socket_options& opts,
          connection_callbacks callbacks);

  /// Queues bytes for sending. Thread-safe.
  void send(std::vector<std::uint8_t> data);
  /// Closes the socket once what was queued is written; no callback fires
  /// afterwards. Thread-safe.
  void close();
  /// For accepted connections: install callbacks and start reading.
  void start(connection_callbacks callbacks);

  endpoint remote() const;
  endpoint local() const;
  int native_handle();

  struct impl;
  explicit tcp_connection(std::unique_ptr<impl> p);
  ~tcp_connection();

private:
  std::unique_ptr<impl> impl_;
};

/// Applies TTL, GTSM and user timeout to a connected socket (accepted
/// connections get them once the peer is known). Returns an error text.
std::string apply_connected_options(tcp_connection& c,
                                    const socket_options& opts);

/// Accepts connections; each is handed over unstarted (call `start`).
class tcp_listener : public std::enable_shared_from_this<tcp_listener> {
public:
  using accept_handler = std::function<void(std::shared_ptr<tcp_connection>)>;

  /// Binds and listens; fails with a one-line reason (e.g. address in use).
  /// `ttl` > 0: the TTL of what the listener sends before accept() returns.
  static std::shared_ptr<tcp_listener> listen(io_thread& io,
                                              const endpoint& local,
                                              accept_handler on_accept,
                                              std::string& error, int ttl = 0);
  void close();
  std::uint16_t port() const;
  /// RFC 2385: accept only segments signed with `password` from `peer`
  /// (empty password: remove the key). Accepted sockets inherit the keys.
  std::string set_md5(const ip_address& peer, const std::string& password);

  struct impl;
  explicit tcp_listener(std::unique_ptr<impl> p);
  ~tcp_listener();

private:
  std::unique_ptr<impl> impl_;
};

} // namespace porter::net::io
