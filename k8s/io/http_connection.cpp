#include "k8s/io/http_connection.hpp"

#include <cerrno>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

namespace porter::k8s::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct http_connection::impl {
  impl(asio::io_context& ioc, const server_endpoint& s)
      : server(s), resolver(ioc) {
    if (server.tls)
      tls.emplace(ioc, *server.tls);
    else
      plain.emplace(ioc);
  }

  beast::tcp_stream& lowest() {
    return tls ? beast::get_lowest_layer(*tls) : *plain;
  }

  // Runs `f` on the stream HTTP goes through.
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }

  void prepare_tls();
  std::string handshake_error(error_code ec);

  server_endpoint server;
  tcp::resolver resolver;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  bool name_mismatch = false;
  bool rejected = false;
};

void http_connection::impl::prepare_tls() {
  SSL* native = tls->native_handle();
  if (!server.sni.empty())
    SSL_set_tlsext_host_name(native, server.sni.c_str());
  if (!server.verify)
    return;
  // The chain is checked by OpenSSL (`preverified`); the leaf must also
  // name the host (tls-server-name override, k8s-api.md §4.3).
  tls->set_verify_callback(
    [this, check = ssl::host_name_verification(server.verify_name)](
      bool preverified, ssl::verify_context& ctx) mutable {
      if (!preverified)
        return false;
      if (check(preverified, ctx))
        return true;
      name_mismatch = true;
      return false;
    });
}

std::string http_connection::impl::handshake_error(error_code ec) {
  std::string why = ec.message();
  // Without verification OpenSSL still records a result; it is no reason.
  long result
    = server.verify ? SSL_get_verify_result(tls->native_handle()) : X509_V_OK;
  rejected = name_mismatch || result != X509_V_OK;
  if (name_mismatch)
    why = "certificate verification failed: certificate is not valid for '"
          + server.verify_name + "'";
  else if (result != X509_V_OK)
    why = std::string("certificate verification failed: ")
          + X509_verify_cert_error_string(result);
  return "TLS handshake with " + server.authority + ": " + why;
}

http_connection::http_connection(asio::io_context& ioc,
                                 const server_endpoint& server)
    : impl_(std::make_unique<impl>(ioc, server)) {}

http_connection::~http_connection() = default;

void http_connection::connect(std::function<void(std::string)> done) {
  auto self = shared_from_this();
  auto& s = *impl_;
  auto on_connected = [self, done](error_code ec, const tcp::endpoint&) {
    auto& s = *self->impl_;
    if (ec)
      return done("connect to " + s.server.authority + ": " + ec.message());
    error_code ignored;
    s.lowest().socket().set_option(tcp::no_delay(true), ignored);
    if (!s.tls)
      return done("");
    s.prepare_tls();
    s.tls->async_handshake(ssl::stream_base::client,
                           [self, done](error_code ec) {
                             done(ec ? self->impl_->handshake_error(ec) : "");
                           });
  };
  s.resolver.async_resolve(
    s.server.host, s.server.port,
    [self, done, on_connected](error_code ec,
                               const tcp::resolver::results_type& results) {
      auto& s = *self->impl_;
      if (ec)
        return done("resolve " + s.server.host + ": " + ec.message());
      s.lowest().async_connect(results, on_connected);
    });
}

void http_connection::write(const string_request& req, handler done) {
  impl_->with_stream([&](auto& stream) {
    http::async_write(stream, req,
                      [self = shared_from_this(),
                       done](error_code ec, std::size_t) { done(ec); });
  });
}

void http_connection::read(string_parser& parser, handler done) {
  impl_->with_stream([&](auto& stream) {
    http::async_read(stream, impl_->buffer, parser,
                     [self = shared_from_this(),
                      done](error_code ec, std::size_t) { done(ec); });
  });
}

void http_connection::read_header(buffer_parser& parser, handler done) {
  impl_->with_stream([&](auto& stream) {
    http::async_read_header(stream, impl_->buffer, parser,
                            [self = shared_from_this(),
                             done](error_code ec, std::size_t) { done(ec); });
  });
}

void http_connection::read_some(buffer_parser& parser, read_handler done) {
  impl_->with_stream([&](auto& stream) {
    http::async_read_some(stream, impl_->buffer, parser,
                          [self = shared_from_this(), done](
                            error_code ec, std::size_t n) { done(ec, n); });
  });
}

void http_connection::close() {
  error_code ignored;
  impl_->resolver.cancel();
  impl_->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->lowest().socket().close(ignored);
}

bool http_connection::still_open() {
  auto& sock = impl_->lowest().socket();
  if (!sock.is_open() || impl_->buffer.size() != 0)
    return false;
  char byte = 0;
  auto n = ::recv(sock.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // 0: the server sent FIN; > 0: a byte nobody asked for (a TLS alert or
  // close_notify, a stray response). Only "nothing yet" is reusable.
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool http_connection::certificate_rejected() const {
  return impl_->rejected;
}

std::string http_connection::describe(error_code ec) const {
  if (ec == http::error::end_of_stream || ec == asio::error::eof)
    return "connection closed by " + impl_->server.authority;
  if (ec == ssl::error::stream_truncated)
    return "connection closed by " + impl_->server.authority
           + " (TLS stream truncated)";
  if (ec == asio::error::connection_reset)
    return "connection reset by " + impl_->server.authority;
  return ec.message() + " (" + impl_->server.authority + ")";
}

} // namespace porter::k8s::io
