#include "net/io/tcp.hpp"

#include <deque>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "net/io/io_thread_impl.hpp"
#include "net/io/socket_options.hpp"

namespace porter::net::io {

namespace asio = boost::asio;
using asio::ip::tcp;

io_thread::io_thread() : impl_(std::make_unique<impl>()) {}

io_thread::~io_thread() {
  impl_->guard.reset();
  impl_->context.stop();
  impl_->thread.join();
}

std::string to_string(const endpoint& e) {
  auto addr = to_string(e.address);
  if (!e.address.is_v4())
    addr = "[" + addr + "]";
  return addr + ":" + std::to_string(e.port);
}

namespace {

asio::ip::address to_asio(const ip_address& a) {
  if (a.is_v4())
    return asio::ip::address_v4(a.v4_host_order());
  asio::ip::address_v6::bytes_type b;
  std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
  return asio::ip::address_v6(b);
}

endpoint from_asio(const tcp::endpoint& e) {
  auto a = e.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4())
    return {ip_address::v4(a.to_v4().to_uint()), e.port()};
  std::array<std::uint8_t, 16> b{};
  auto v6 = a.to_v6().to_bytes();
  std::copy(v6.begin(), v6.end(), b.begin());
  return {ip_address::v6(b), e.port()};
}

} // namespace

struct tcp_connection::impl {
  explicit impl(asio::io_context& ctx) : socket(ctx), timer(ctx) {}
  tcp::socket socket;
  asio::steady_timer timer;
  connection_callbacks callbacks;
  std::deque<std::vector<std::uint8_t>> outbox;
  std::array<std::uint8_t, 16384> read_buffer{};
  bool closed = false;
  bool closing = false; // close once the outbox is written
  endpoint remote;
  endpoint local;
};

tcp_connection::tcp_connection(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
tcp_connection::~tcp_connection() = default;

namespace {

// Runs on the I/O thread: reports a failure once and closes the socket.
void fail(tcp_connection::impl& s, const std::string& reason) {
  if (s.closed)
    return;
  s.closed = true;
  boost::system::error_code ignored;
  s.timer.cancel();
  s.socket.close(ignored);
  if (s.callbacks.on_closed)
    s.callbacks.on_closed(reason);
}

void read_loop(std::shared_ptr<tcp_connection> self, tcp_connection::impl& s) {
  s.socket.async_read_some(
    asio::buffer(s.read_buffer),
    [self, &s](const boost::system::error_code& ec, std::size_t n) {
      if (s.closed)
        return;
      if (ec) {
        fail(s, ec == asio::error::eof ? "closed by peer" : ec.message());
        return;
      }
      if (s.callbacks.on_data)
        s.callbacks.on_data(std::vector<std::uint8_t>(
          s.read_buffer.begin(),
          s.read_buffer.begin() + static_cast<std::ptrdiff_t>(n)));
      read_loop(self, s);
    });
}

void write_loop(std::shared_ptr<tcp_connection> self, tcp_connection::impl& s) {
  asio::async_write(
    s.socket, asio::buffer(s.outbox.front()),
    [self, &s](const boost::system::error_code& ec, std::size_t) {
      if (s.closed)
        return;
      if (ec) {
        fail(s, ec.message());
        return;
      }
      s.outbox.pop_front();
      if (!s.outbox.empty())
        write_loop(self, s);
      else if (s.closing)
        fail(s, "closed locally"); // what close() waited for is written
    });
}

// Options that must be in place before the SYN: MD5 (RFC 2385 signs the
// handshake too), TTL and GTSM, user timeout, and the local address.
std::string apply_options(tcp::socket& sock, const socket_options& opts,
                          const ip_address& remote) {
  bool v4 = remote.is_v4();
  boost::system::error_code ec;
  sock.open(v4 ? tcp::v4() : tcp::v6(), ec);
  if (!ec)
    sock.set_option(tcp::no_delay(opts.no_delay), ec);
  if (ec)
    return ec.message();
  int fd = sock.native_handle();
  for (auto err : {opts.md5_password.empty()
                     ? std::string()
                     : set_md5_key(fd, remote, opts.md5_password, !v4),
                   set_ttl(fd, v4, opts.ttl), set_min_ttl(fd, v4, opts.min_ttl),
                   set_user_timeout(fd, opts.user_timeout)})
    if (!err.empty())
      return err;
  if (opts.local_address || opts.local_port != 0) {
    auto local = opts.local_address ? to_asio(*opts.local_address)
                 : v4               ? asio::ip::address(asio::ip::address_v4())
                                    : asio::ip::address(asio::ip::address_v6());
    sock.set_option(asio::socket_base::reuse_address(true), ec);
    sock.bind(tcp::endpoint(local, opts.local_port), ec);
    if (ec)
      return "bind " + local.to_string() + ": " + ec.message();
  }
  return {};
}

} // namespace

std::shared_ptr<tcp_connection>
tcp_connection::connect(io_thread& io, const endpoint& remote,
                        const socket_options& opts,
                        connection_callbacks callbacks) {
  auto p = std::make_unique<impl>(io.get().context);
  p->callbacks = std::move(callbacks);
  p->remote = remote;
  auto conn = std::make_shared<tcp_connection>(std::move(p));
  asio::post(io.get().context, [conn, remote, opts] {
    auto& s = *conn->impl_;
    if (s.closed)
      return;
    if (auto err = apply_options(s.socket, opts, remote.address);
        !err.empty()) {
      fail(s, err);
      return;
    }
    s.timer.expires_after(opts.connect_timeout);
    s.timer.async_wait([conn, &s](const boost::system::error_code& ec) {
      if (!ec)
        fail(s, "connect timeout");
    });
    s.socket.async_connect(tcp::endpoint(to_asio(remote.address), remote.port),
                           [conn, &s](const boost::system::error_code& ec) {
                             if (s.closed)
                               return;
                             s.timer.cancel();
                             if (ec) {
                               fail(s, ec.message());
                               return;
                             }
                             boost::system::error_code ignored;
                             s.local
                               = from_asio(s.socket.local_endpoint(ignored));
                             if (s.callbacks.on_connected)
                               s.callbacks.on_connected();
                             read_loop(conn, s);
                           });
  });
  return conn;
}

void tcp_connection::send(std::vector<std::uint8_t> data) {
  auto self = shared_from_this();
  asio::post(impl_->socket.get_executor(),
             [self, data = std::move(data)]() mutable {
               auto& s = *self->impl_;
               if (s.closed || s.closing)
                 return;
               s.outbox.push_back(std::move(data));
               if (s.outbox.size() == 1)
                 write_loop(self, s);
             });
}

void tcp_connection::close() {
  auto self = shared_from_this();
  asio::post(impl_->socket.get_executor(), [self] {
    auto& s = *self->impl_;
    s.callbacks = {}; // no callback after an explicit close
    s.closing = true;
    // A NOTIFICATION queued just before must reach the peer (RFC 4271 §6:
    // "the BGP connection is closed" after it is sent).
    if (s.outbox.empty()) {
      fail(s, "closed locally");
      return;
    }
    // A peer that reads nothing must not keep the socket forever.
    s.timer.expires_after(std::chrono::seconds(5));
    s.timer.async_wait([self](const boost::system::error_code& ec) {
      if (!ec)
        fail(*self->impl_, "close timeout");
    });
  });
}

void tcp_connection::start(connection_callbacks callbacks) {
  auto self = shared_from_this();
  asio::post(impl_->socket.get_executor(),
             [self, cb = std::move(callbacks)]() mutable {
               auto& s = *self->impl_;
               s.callbacks = std::move(cb);
               if (!s.closed)
                 read_loop(self, s);
             });
}

endpoint tcp_connection::remote() const {
  return impl_->remote;
}

endpoint tcp_connection::local() const {
  return impl_->local;
}

int tcp_connection::native_handle() {
  return impl_->socket.native_handle();
}

std::string apply_connected_options(tcp_connection& c,
                                    const socket_options& opts) {
  int fd = c.native_handle();
  bool v4 = c.remote().address.is_v4();
  for (auto err : {set_ttl(fd, v4, opts.ttl), set_min_ttl(fd, v4, opts.min_ttl),
                   set_user_timeout(fd, opts.user_timeout)})
    if (!err.empty())
      return err;
  return {};
}

struct tcp_listener::impl {
  explicit impl(asio::io_context& ctx) : context(ctx), acceptor(ctx) {}
  asio::io_context& context;
  tcp::acceptor acceptor;
  accept_handler on_accept;
};

tcp_listener::tcp_listener(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
tcp_listener::~tcp_listener() = default;

namespace {

void accept_loop(std::shared_ptr<tcp_listener> self, tcp_listener::impl& l) {
  l.acceptor.async_accept(
    [self, &l](const boost::system::error_code& ec, tcp::socket sock) {
      if (ec == asio::error::operation_aborted || !l.acceptor.is_open())
        return;
      if (!ec) {
        boost::system::error_code ignored;
        sock.set_option(tcp::no_delay(true), ignored);
        auto p = std::make_unique<tcp_connection::impl>(l.context);
        p->remote = from_asio(sock.remote_endpoint(ignored));
        p->local = from_asio(sock.local_endpoint(ignored));
        p->socket = std::move(sock);
        l.on_accept(std::make_shared<tcp_connection>(std::move(p)));
      }
      accept_loop(self, l);
    });
}

} // namespace

std::shared_ptr<tcp_listener>
tcp_listener::listen(io_thread& io, const endpoint& local,
                     accept_handler on_accept, std::string& error, int ttl) {
  auto p = std::make_unique<impl>(io.get().context);
  p->on_accept = std::move(on_accept);
  boost::system::error_code ec;
  tcp::endpoint ep(to_asio(local.address), local.port);
  auto& acc = p->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec)
    acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acc.bind(ep, ec);
  if (ec) {
    error = "listen on " + to_string(local) + ": " + ec.message();
    return nullptr;
  }
  // The SYN-ACK leaves before accept() returns, so the TTL a GTSM peer
  // checks must be on the listener before it listens (RFC 5082 §3). A high
  // TTL there harms no other peer: each accepted socket gets its own.
  int fd = acc.native_handle();
  bool v6 = !local.address.is_v4();
  if (ttl > 0 && !net::io::set_ttl(fd, true, ttl).empty() && !v6) {
    error = "listen on " + to_string(local) + ": cannot set IP_TTL";
    return nullptr;
  }
  if (ttl > 0 && v6 && !net::io::set_ttl(fd, false, ttl).empty()) {
    error = "listen on " + to_string(local) + ": cannot set IPV6_UNICAST_HOPS";
    return nullptr;
  }
  acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "listen on " + to_string(local) + ": " + ec.message();
    return nullptr;
  }
  auto listener = std::make_shared<tcp_listener>(std::move(p));
  auto& l = *listener->impl_;
  asio::post(io.get().context, [listener, &l] { accept_loop(listener, l); });
  return listener;
}

void tcp_listener::close() {
  auto self = shared_from_this();
  asio::post(impl_->context, [self] {
    boost::system::error_code ignored;
    self->impl_->acceptor.close(ignored);
  });
}

std::string tcp_listener::set_md5(const ip_address& peer,
                                  const std::string& password) {
  boost::system::error_code ec;
  bool v6 = impl_->acceptor.local_endpoint(ec).address().is_v6();
  return set_md5_key(impl_->acceptor.native_handle(), peer, password, v6);
}

std::uint16_t tcp_listener::port() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

} // namespace porter::net::io
