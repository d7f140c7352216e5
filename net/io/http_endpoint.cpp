#include "net/io/http_endpoint.hpp"

#include <atomic>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/host_port.hpp"
#include "net/io/io_thread_impl.hpp"

namespace porter::net::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// An admin request is a line and a few headers; anything larger is not one.
constexpr std::size_t max_header_bytes = 8 * 1024;
constexpr std::size_t max_body_bytes = 1024;
constexpr auto idle_timeout = std::chrono::seconds{30};

class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket socket, std::shared_ptr<const http_handler> handler)
      : stream_(std::move(socket)), handler_(std::move(handler)) {}

  void start() { read(); }

private:
  void read() {
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(max_body_bytes);
    stream_.expires_after(idle_timeout);
    http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
      });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      if (ec == http::error::header_limit || ec == http::error::body_limit)
        reply_now(http::status::payload_too_large, "request too large\n",
                  false);
      else
        close();
      return;
    }
    auto req = parser_->release();
    keep_alive_ = req.keep_alive();
    head_ = req.method() == http::verb::head;
    if (req.method() != http::verb::get && !head_) {
      reply_now(http::status::method_not_allowed, "only GET and HEAD\n",
                keep_alive_);
      return;
    }
    http_request r;
    r.method = std::string{req.method_string()};
    r.target = std::string{req.target()};
    r.authorization = std::string{req[http::field::authorization]};
    beast::error_code ignored;
    r.from_loopback
      = stream_.socket().remote_endpoint(ignored).address().is_loopback();
    // The responder may run on another thread (an actor's answer): it
    // posts back to this connection's executor.
    auto self = shared_from_this();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    (*handler_)(std::move(r), [self, answered](http_response resp) {
      if (answered->exchange(true))
        return; // exactly once
      asio::post(self->stream_.get_executor(),
                 [self, resp = std::move(resp)]() mutable {
                   self->write(std::move(resp));
                 });
    });
  }

  void reply_now(http::status status, std::string body, bool keep_alive) {
    keep_alive_ = keep_alive;
    http_response resp;
    resp.status = static_cast<int>(status);
    resp.body = std::move(body);
    write(std::move(resp));
  }

  void write(http_response resp) {
    auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(resp.status), 11);
    res->set(http::field::server, "porter");
    res->set(http::field::content_type, resp.content_type);
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(keep_alive_);
    const auto length = resp.body.size();
    if (!head_)
      res->body() = std::move(resp.body);
    res->prepare_payload();
    if (head_)
      res->content_length(length);
    stream_.expires_after(idle_timeout);
    http::async_write(
      stream_, *res,
      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
        if (ec || !self->keep_alive_)
          self->close();
        else
          self->read();
      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const http_handler> handler_;
  bool keep_alive_ = true;
  bool head_ = false;
};

} // namespace

struct http_endpoint::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& ctx, std::shared_ptr<const http_handler> h)
      : acceptor(ctx), handler(std::move(h)) {}

  void accept() {
    // One I/O thread: no strand needed; posts from other threads to the
    // io_context are thread-safe.
    acceptor.async_accept(
      [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
          return;
        if (!ec)
          std::make_shared<session>(std::move(socket), self->handler)->start();
        self->accept();
      });
  }

  tcp::acceptor acceptor;
  std::shared_ptr<const http_handler> handler;
  std::uint16_t port = 0;
};

tl::expected<std::unique_ptr<http_endpoint>, std::string>
http_endpoint::listen(io_thread& io, const std::string& host_port,
                      http_handler handler) {
  auto hp = parse_host_port(host_port);
  if (!hp)
    return tl::make_unexpected(hp.error());
  beast::error_code ec;
  auto address = asio::ip::make_address(hp->host, ec);
  if (ec)
    return tl::make_unexpected("listen address must be an IP address, got '"
                               + hp->host + "'");
  auto p = std::make_shared<impl>(
    context_of(io), std::make_shared<const http_handler>(std::move(handler)));
  const tcp::endpoint ep{address, hp->port};
  auto fail = [&](const char* what) {
    return tl::make_unexpected(std::string{what} + " " + host_port + ": "
                               + ec.message());
  };
  if (p->acceptor.open(ep.protocol(), ec); ec)
    return fail("open");
  p->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (p->acceptor.bind(ep, ec); ec)
    return fail("bind");
  if (p->acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
    return fail("listen");
  p->port = p->acceptor.local_endpoint(ec).port();
  asio::post(p->acceptor.get_executor(), [p] { p->accept(); });
  return std::make_unique<http_endpoint>(std::move(p));
}

http_endpoint::http_endpoint(std::shared_ptr<impl> p) : impl_(std::move(p)) {}

http_endpoint::~http_endpoint() {
  // Closed on the I/O thread; a pending accept ends with operation_aborted.
  asio::post(impl_->acceptor.get_executor(), [p = impl_] {
    beast::error_code ignored;
    p->acceptor.close(ignored);
  });
}

std::uint16_t http_endpoint::port() const {
  return impl_->port;
}

} // namespace porter::net::io
