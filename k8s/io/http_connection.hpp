// Internal to porter_k8s_io: one HTTP/1.1 connection to the API server over
// plain TCP or TLS (Beast tcp_stream / ssl_stream), with the operations the
// request pool and the watch stream need. TLS verifies the chain and the
// host (ssl::host_name_verification, which handles IP SANs; k8s-api.md
// §1.9) and sends SNI only for names. All calls on the I/O thread; every
// failure comes back as one line. Heavy (Beast): include from .cpp only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "k8s/io/tls_context.hpp"

namespace porter::k8s::io {

namespace http = boost::beast::http;
using error_code = boost::system::error_code;
using string_request = http::request<http::string_body>;
using string_parser = http::response_parser<http::string_body>;
using buffer_parser = http::response_parser<http::buffer_body>;

/// Lists and watches have no body size limit (k8s-api.md §1.9). Not
/// `boost::none`: Boost 1.74's finish_header() tests a Content-Length as
/// `len_ > body_limit_` against the optional, true for every length when
/// it is none, so a response whose header is parsed before its body
/// arrives fails with "body limit exceeded".
inline constexpr std::uint64_t unlimited_body
  = std::numeric_limits<std::uint64_t>::max();

class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  using handler = std::function<void(error_code)>;
  using read_handler = std::function<void(error_code, std::size_t)>;

  http_connection(boost::asio::io_context& ioc, const server_endpoint& server);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Resolves, connects and (TLS) handshakes; `done` gets "" or why not,
  /// e.g. "TLS handshake with 10.0.0.1:6443: certificate verification
  /// failed: self-signed certificate in certificate chain".
  void connect(std::function<void(std::string error)> done);
  /// `req` and the parsers must stay alive until the handler runs.
  void write(const string_request& req, handler done);
  void read(string_parser& parser, handler done);
  void read_header(buffer_parser& parser, handler done);
  void read_some(buffer_parser& parser, read_handler done);
  /// Closes the socket: pending operations end with operation_aborted.
  void close();
  /// For an idle keep-alive connection: false when the server closed it
  /// (EOF or unexpected bytes waiting), so it must not be reused.
  bool still_open();
  /// One line for an error of write/read.
  std::string describe(error_code ec) const;
  /// The handshake failed because the server's certificate was refused
  /// (chain or name): trying again will not help.
  bool certificate_rejected() const;
  /// True once the connection came back from the pool at least once.
  bool reused = false;
  std::chrono::steady_clock::time_point idle_since;

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace porter::k8s::io
