// Internal to porter_k8s_io: the OpenSSL client context for the API server
// built from a client_config (k8s-api.md §1.9, §4.3): the CA bundle from PEM
// (or the system trust store), the client certificate and key from PEM,
// TLS 1.2 or later, and the names used for SNI and host verification.
// Heavy (Asio SSL): include it only from k8s/io/*.cpp.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <tl/expected.hpp>

#include "k8s/client_config.hpp"

namespace porter::k8s::io {

/// How connections to the server are made, derived once from the config.
struct server_endpoint {
  std::string host; ///< as configured, IPv6 without brackets
  std::string port;
  /// "host:port" for messages and the Host header ("[::1]:6443").
  std::string authority;
  /// TLS only: nullptr for plain http.
  std::shared_ptr<boost::asio::ssl::context> tls;
  /// Checked against the certificate (tls_server_name, else host).
  std::string verify_name;
  /// Sent as SNI; empty when the host is an IP literal (RFC 6066 §3:
  /// "Literal IPv4 and IPv6 addresses are not permitted in HostName").
  std::string sni;
  bool verify = true;
};

bool is_ip_literal(const std::string& host);

/// The endpoint for `cfg`, or one line naming what is unusable (a CA,
/// certificate or key that is not PEM, a key that does not match).
tl::expected<server_endpoint, std::string>
make_server_endpoint(const client_config& cfg);

} // namespace porter::k8s::io
