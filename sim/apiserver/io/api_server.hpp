// The emulator's HTTP(S) shell (issue #5): Boost.Beast on one I/O thread in
// front of the pure api_core. HTTP/1.1 keep-alive; watches as chunked,
// newline-delimited JSON with timeoutSeconds and bookmarks (k8s-api.md
// §1.4-1.6); bearer-token auth (401 otherwise); the /_porter admin endpoints
// for fault injection; optional --state persistence. Embeddable in tests
// (start_background) or run on the caller's thread (`porter sim apiserver`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "sim/apiserver/api_core.hpp"
#include "sim/apiserver/authn.hpp"

namespace porter::sim {

using log_fields = std::vector<std::pair<std::string, std::string>>;
/// level: "debug", "info", "warn", "error".
using log_function = std::function<void(
  const char* level, const std::string& event, const log_fields& fields)>;

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; // 0: any free port (see api_server::port())
  bool tls = false;
  /// Required as `Authorization: Bearer <token>`; empty (and no `users`):
  /// no auth.
  std::string token;
  /// More identities (--token-auth-file), each with its own token.
  std::vector<token_user> users;
  /// One line per request (audit.hpp) appended here; empty: none.
  std::string audit_log;
  /// Loaded at start when it exists, saved after changes and at stop.
  std::string state_file;
  std::chrono::milliseconds bookmark_interval{60'000};
  std::chrono::milliseconds save_delay{500};
  core_options core;
  log_function log;
};

class api_server {
public:
  explicit api_server(server_options opts);
  ~api_server();
  api_server(const api_server&) = delete;
  api_server& operator=(const api_server&) = delete;

  /// Loads the state file, creates the TLS material, binds and listens.
  tl::expected<void, std::string> start();
  /// The bound port (after start()).
  std::uint16_t port() const;
  /// "https://127.0.0.1:PORT" or "http://...".
  std::string url() const;
  /// The CA certificate clients must trust (empty without TLS).
  std::string ca_pem() const;

  /// Serves on the calling thread until stop().
  void run();
  /// Serves on an internal thread (tests); stop() or the destructor joins.
  void start_background();
  /// Thread-safe: closes the listener and every connection, saves the
  /// state, and makes run() return.
  void stop();

  /// Internal (io/server_impl.hpp); public so its sessions can name it.
  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace porter::sim
