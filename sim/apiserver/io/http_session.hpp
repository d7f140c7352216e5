// Internal: one HTTP/1.1 connection of the emulator, plain or TLS. Reads a
// request, checks the bearer token and injected faults, hands it to the
// core, writes the response (keep-alive), or turns into a watch stream:
// chunked transfer encoding, one chunk per batch of newline-terminated
// events, ended at timeoutSeconds (after a last BOOKMARK when allowed) or
// after an ERROR event (k8s-api.md §1.4-1.6).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <type_traits>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "sim/apiserver/io/server_impl.hpp"
#include "sim/apiserver/watch.hpp"

namespace porter::sim {

namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

/// A watch client that falls this far behind is disconnected.
inline constexpr std::size_t max_pending_bytes = 64 << 20;

inline std::string http_chunk(const std::string& data) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

template <class Stream>
class http_session : public session_base,
                     public std::enable_shared_from_this<http_session<Stream>> {
public:
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

  template <class... Args>
  http_session(api_server::impl& server, tcp::socket socket, Args&&... args)
      : server_(server),
        stream_(std::move(socket), std::forward<Args>(args)...),
        delay_timer_(server.ioc),
        timeout_timer_(server.ioc),
        bookmark_timer_(server.ioc) {}

  void start() {
    if constexpr (is_tls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (ec)
                                  return self->close();
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

  void on_store_changed() override {
    if (watch_ && !ending_ && !closed_)
      push_events(watch_->poll(std::chrono::system_clock::now()));
  }
  void drop() override { close(); }
  bool watching() const override { return watch_ != nullptr && !closed_; }

private:
  void read_request() {
    if (server_.stopping || closed_)
      return close();
    parser_.emplace();
    parser_->body_limit(64 << 20);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::minutes(10));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](
                       error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(error_code ec) {
    if (ec)
      return close();
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    api_request ar;
    ar.method = std::string(req.method_string());
    ar.target = std::string(req.target());
    ar.content_type = std::string(req[http::field::content_type]);
    ar.accept = std::string(req[http::field::accept]);
    ar.body = std::move(req.body());
    std::string path = ar.target.substr(0, ar.target.find('?'));
    auto auth = req[http::field::authorization];
    auto user = authenticate(server_.opts.token, server_.opts.users,
                             std::string_view{auth.data(), auth.size()}, path);
    user_ = user.value_or("");
    if (!user)
      return respond(error_response(unauthorized()), ar);
    if (path.rfind("/_porter/", 0) == 0) {
      auto r = server_.handle_admin(ar);
      respond(std::move(r), ar);
      return server_.after_request();
    }
    auto delay = server_.faults.delay(path);
    if (delay.count() <= 0)
      return dispatch(std::move(ar));
    delay_timer_.expires_after(delay);
    delay_timer_.async_wait([self = this->shared_from_this(),
                             ar = std::move(ar)](error_code e) mutable {
      if (!e)
        self->dispatch(std::move(ar));
    });
  }

  void dispatch(api_request ar) {
    std::string path = ar.target.substr(0, ar.target.find('?'));
    if (auto f = server_.faults.take_failure(ar.method, path))
      return respond(error_response(*f), ar);
    auto result = server_.core.handle(ar, std::chrono::system_clock::now());
    if (result.watch)
      start_watch(std::move(result), ar);
    else
      respond(std::move(result.response), ar);
    server_.after_request();
  }

  void respond(api_response r, const api_request& ar) {
    server_.log("debug", "request",
                {{"method", ar.method},
                 {"path", ar.target},
                 {"code", std::to_string(r.code)}});
    server_.audit(user_, ar, r.code);
    auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(r.code), 11);
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-cache, private");
    for (const auto& [k, v] : r.headers)
      res->insert(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    http::async_write(
      stream_, *res,
      [self = this->shared_from_this(), res](error_code ec, std::size_t) {
        if (ec || !self->keep_alive_)
          return self->close();
        self->read_request();
      });
  }

  void start_watch(handle_result result, const api_request& ar) {
    server_.log("debug", "watch", {{"path", ar.target}});
    server_.audit(user_, ar, 200);
    watch_ = std::move(result.watch);
    beast::get_lowest_layer(stream_).expires_never();
    pending_ = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
               "Cache-Control: no-cache, private\r\n"
               "Transfer-Encoding: chunked\r\n\r\n";
    server_.add_session(this->weak_from_this());
    write_pending(); // headers go out now, as the apiserver flushes them
    push_events(watch_->poll(std::chrono::system_clock::now()));
    if (watch_->timeout().count() > 0) {
      timeout_timer_.expires_after(watch_->timeout());
      timeout_timer_.async_wait(
        [self = this->shared_from_this()](error_code e) {
          if (!e)
            self->end_watch(true);
        });
    }
    arm_bookmark();
    watch_liveness();
  }

  void arm_bookmark() {
    if (!watch_->bookmarks() || ending_)
      return;
    bookmark_timer_.expires_after(server_.opts.bookmark_interval);
    bookmark_timer_.async_wait([self = this->shared_from_this()](error_code e) {
      if (e || self->ending_ || self->closed_)
        return;
      self->on_store_changed();
      self->push_events(self->watch_->bookmark());
      self->arm_bookmark();
    });
  }

  // A watch client sends nothing more; a read completing means it left.
  void watch_liveness() {
    stream_.async_read_some(
      net::buffer(scratch_),
      [self = this->shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return self->close();
        self->watch_liveness();
      });
  }

  void push_events(const std::string& text) {
    if (!text.empty())
      queue(http_chunk(text));
    if (watch_ && watch_->finished())
      end_watch(false);
  }

  void end_watch(bool with_bookmark) {
    if (ending_ || closed_)
      return;
    if (with_bookmark) {
      on_store_changed(); // deliver what is pending first
      if (ending_ || closed_)
        return; // that ended the watch (an ERROR event)
      if (auto b = watch_->bookmark(); !b.empty())
        queue(http_chunk(b));
    }
    ending_ = true;
    timeout_timer_.cancel();
    bookmark_timer_.cancel();
    queue("0\r\n\r\n");
  }

  void queue(std::string data) {
    if (closed_)
      return;
    pending_ += data;
    if (pending_.size() > max_pending_bytes) {
      server_.log("warn", "watch client too slow, disconnecting");
      return close();
    }
    write_pending();
  }

  void write_pending() {
    if (writing_ || pending_.empty() || closed_)
      return;
    writing_ = true;
    inflight_.swap(pending_);
    pending_.clear();
    net::async_write(
      stream_, net::buffer(inflight_),
      [self = this->shared_from_this()](error_code ec, std::size_t) {
        self->writing_ = false;
        if (ec)
          return self->close();
        if (self->pending_.empty() && self->ending_)
          return self->close();
        self->write_pending();
      });
  }

  void close() {
    if (closed_)
      return;
    closed_ = true;
    delay_timer_.cancel();
    timeout_timer_.cancel();
    bookmark_timer_.cancel();
    error_code ec;
    auto& sock = beast::get_lowest_layer(stream_).socket();
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
  }

  api_server::impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  bool closed_ = false;
  std::string user_; // the request's authenticated user ("": none)
  net::steady_timer delay_timer_;
  // Watch state.
  std::unique_ptr<watch_stream> watch_;
  net::steady_timer timeout_timer_;
  net::steady_timer bookmark_timer_;
  std::string pending_;
  std::string inflight_;
  bool writing_ = false;
  bool ending_ = false;
  char scratch_[512];
};

} // namespace porter::sim
