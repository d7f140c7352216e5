// Internal to the HTTP shell: the state behind api_server (one io_context,
// the listener, the core, fault settings, connected sessions) shared by the
// server (http_server.cpp) and its connection template (http_session.hpp).
#pragma once

#include <fstream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sim/apiserver/faults.hpp"
#include "sim/apiserver/io/api_server.hpp"

namespace porter::sim {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// What the server needs from a connection.
class session_base {
public:
  virtual ~session_base() = default;
  /// The store changed: a watch polls for events.
  virtual void on_store_changed() = 0;
  /// Close the connection now (fault injection, shutdown).
  virtual void drop() = 0;
  virtual bool watching() const = 0;
};

struct api_server::impl {
  explicit impl(server_options o);

  net::io_context ioc{1};
  server_options opts;
  std::optional<net::ssl::context> ssl;
  tcp::acceptor acceptor{ioc};
  api_core core;
  fault_state faults;
  std::vector<std::weak_ptr<session_base>> sessions;
  net::steady_timer save_timer{ioc};
  bool save_pending = false;
  std::uint64_t seen_writes = 0;
  bool stopping = false;
  std::string ca_pem;
  std::uint16_t bound_port = 0;
  std::thread thread;
  std::ofstream audit_out;

  void accept();
  void add_session(std::weak_ptr<session_base> s);
  /// /_porter/faults, /_porter/restart, /_porter/stats.
  api_response handle_admin(const api_request& req);
  /// After every request: wake watches if the store changed, schedule save.
  void after_request();
  void notify_watches();
  void drop_watches();
  void shutdown();
  void save_now();
  /// Appends the request's audit line (--audit-log), flushed at once so a
  /// test reads it while the server runs.
  void audit(const std::string& user, const api_request& req, int code);
  void log(const char* level, const std::string& event,
           const log_fields& fields = {}) const {
    if (opts.log)
      opts.log(level, event, fields);
  }
};

} // namespace porter::sim
