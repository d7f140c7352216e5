// The api_client on Boost.Beast: requests over a small keep-alive pool with
// per-attempt timeouts and retries (429/5xx honouring Retry-After, transport
// errors with backoff, a stale keep-alive connection once, a 401 once after
// re-reading the token file); watches in watch_stream.cpp.
#include "k8s/io/api_client.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "k8s/io/client_core.hpp"
#include "k8s/io/watch_stream.hpp"
#include "net/io/io_thread_impl.hpp"

namespace porter::k8s::io {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

namespace {

// Backoff between attempts without Retry-After: 0.2 s doubling, cap 5 s.
milliseconds backoff_delay(int retries_done) {
  milliseconds d{200};
  for (int i = 0; i < retries_done && d < milliseconds{5000}; ++i)
    d *= 2;
  return std::min(d, milliseconds{5000});
}

// A Retry-After longer than this is shortened: the caller's own loop (a
// watcher's backoff, a lease's retry period) is the better place to wait.
constexpr std::chrono::seconds max_retry_after{60};

bool retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503
         || status == 504;
}

// RFC 9110 §10.2.3 Retry-After = HTTP-date / delay-seconds; only the
// seconds form is used (the apiserver sends nothing else).
std::optional<std::chrono::seconds> retry_after(std::string_view v) {
  if (v.empty() || v.size() > 9
      || v.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::chrono::seconds{std::stol(std::string(v))};
}

class request_op : public std::enable_shared_from_this<request_op> {
public:
  request_op(std::shared_ptr<client_core> core, std::string method,
             std::string target, std::string body, std::string content_type,
             request_options opts, response_callback done)
      : core_(std::move(core)),
        method_(std::move(method)),
        target_(std::move(target)),
        body_(std::move(body)),
        content_type_(std::move(content_type)),
        opts_(opts),
        done_(std::move(done)),
        timer_(core_->ioc) {}

  void attempt();

private:
  void send();
  void on_read(error_code ec);
  void end_attempt(bool reusable);
  void failed(std::string what, bool stale_keep_alive, bool retryable = true);
  void completed();
  void retry_in(milliseconds delay);
  void deliver(response_result r) {
    if (done_)
      done_(std::move(r));
    core_->request_done(); // the final result: the slot is free
  }

  std::shared_ptr<client_core> core_;
  std::string method_, target_, body_, content_type_;
  request_options opts_;
  response_callback done_;
  asio::steady_timer timer_;
  std::shared_ptr<http_connection> conn_;
  string_request req_;
  std::optional<string_parser> parser_;
  unsigned generation_ = 0; // invalidates timer callbacks of past attempts
  int retries_ = 0;
  bool timed_out_ = false;
  bool token_retried_ = false;
  bool stale_retried_ = false;
  bool force_fresh_ = false;
};

void request_op::attempt() {
  auto now = std::chrono::steady_clock::now();
  auto gen = ++generation_;
  timed_out_ = false;
  req_ = core_->make_request(method_, target_, body_, content_type_, now);
  parser_.emplace();
  parser_->body_limit(unlimited_body); // lists pass Beast's 8 MiB default
  conn_ = force_fresh_ ? nullptr : core_->take_idle(now);
  force_fresh_ = false;
  // A non-positive timeout means none; a year stands for "very long"
  // (steady_clock counts nanoseconds: milliseconds::max() would overflow).
  timer_.expires_after(opts_.timeout > milliseconds::zero()
                         ? std::min<milliseconds>(opts_.timeout, 8760h)
                         : milliseconds{8760h});
  timer_.async_wait([self = shared_from_this(), gen](error_code ec) {
    if (ec || gen != self->generation_ || !self->conn_)
      return;
    self->timed_out_ = true;
    self->conn_->close(); // the pending operation fails and reports
  });
  if (conn_)
    return send();
  conn_ = std::make_shared<http_connection>(core_->ioc, core_->server);
  conn_->connect([self = shared_from_this()](std::string error) {
    if (!error.empty())
      return self->failed(std::move(error), false,
                          !self->conn_->certificate_rejected());
    self->send();
  });
}

void request_op::send() {
  conn_->write(req_, [self = shared_from_this()](error_code ec) {
    if (ec)
      return self->failed(self->conn_->describe(ec), self->conn_->reused);
    self->conn_->read(*self->parser_,
                      [self](error_code ec) { self->on_read(ec); });
  });
}

void request_op::on_read(error_code ec) {
  if (!ec)
    return completed();
  // A keep-alive connection the server closed while it sat in the pool
  // fails before the first response byte: worth one more try.
  bool stale = conn_->reused && !parser_->got_some();
  failed(conn_->describe(ec), stale);
}

void request_op::end_attempt(bool reusable) {
  ++generation_;
  timer_.cancel();
  if (reusable)
    core_->put_idle(std::move(conn_), std::chrono::steady_clock::now());
  else if (conn_)
    conn_->close();
  conn_.reset();
}

void request_op::failed(std::string what, bool stale_keep_alive,
                        bool retryable) {
  bool timed_out = timed_out_;
  end_attempt(false);
  if (timed_out)
    what = "timeout after " + std::to_string(opts_.timeout.count()) + " ms";
  if (stale_keep_alive && !timed_out && !stale_retried_) {
    stale_retried_ = true;
    force_fresh_ = true;
    return attempt();
  }
  if (retryable && opts_.retry_transport_errors && retries_ < opts_.max_retries)
    return retry_in(backoff_delay(retries_++));
  deliver(tl::make_unexpected(transport_error{std::move(what)}));
}

void request_op::completed() {
  auto& res = parser_->get();
  end_attempt(res.keep_alive() && !timed_out_);
  http_response r;
  r.status = static_cast<int>(res.result_int());
  r.content_type = std::string(res[http::field::content_type]);
  auto ra = res[http::field::retry_after];
  r.retry_after = retry_after(std::string_view(ra.data(), ra.size()));
  r.body = std::move(res.body());
  // k8s-api.md §4.2: on a 401 re-read the token file, then retry once.
  if (r.status == 401 && !token_retried_
      && core_->token.refresh(std::chrono::steady_clock::now())) {
    token_retried_ = true;
    return attempt();
  }
  if (retryable_status(r.status) && retries_ < opts_.max_retries) {
    auto delay = r.retry_after
                   ? milliseconds{std::min(*r.retry_after, max_retry_after)}
                   : backoff_delay(retries_);
    ++retries_;
    return retry_in(delay);
  }
  deliver(std::move(r));
}

void request_op::retry_in(milliseconds delay) {
  auto gen = generation_;
  timer_.expires_after(delay);
  timer_.async_wait([self = shared_from_this(), gen](error_code) {
    if (gen == self->generation_)
      self->attempt();
  });
}

class beast_api_client final : public api_client {
public:
  beast_api_client(std::shared_ptr<net::io::io_thread> io,
                   std::shared_ptr<client_core> core)
      : io_(std::move(io)), core_(std::move(core)) {}

  ~beast_api_client() override {
    // Idle connections are closed on the I/O thread; requests and watches
    // under way keep the core alive and finish.
    asio::post(net::io::context_of(*io_),
               [core = std::move(core_)] { core->shutdown(); });
  }

  void request(std::string method, std::string target, std::string body,
               std::string content_type, request_options opts,
               response_callback done) override {
    asio::post(net::io::context_of(*io_),
               [core = core_, method = std::move(method),
                target = std::move(target), body = std::move(body),
                content_type = std::move(content_type), opts,
                done = std::move(done)]() mutable {
                 auto op = std::make_shared<request_op>(
                   core, std::move(method), std::move(target), std::move(body),
                   std::move(content_type), opts, std::move(done));
                 core->when_free([op] { op->attempt(); });
               });
  }

  std::shared_ptr<watch_handle> watch(std::string target,
                                      std::chrono::milliseconds idle_timeout,
                                      watch_callbacks callbacks) override {
    return start_watch(io_, core_, std::move(target), idle_timeout,
                       std::move(callbacks));
  }

private:
  std::shared_ptr<net::io::io_thread> io_;
  std::shared_ptr<client_core> core_;
};

} // namespace

tl::expected<std::shared_ptr<api_client>, std::string>
make_api_client(const client_config& cfg,
                std::shared_ptr<net::io::io_thread> io) {
  if (!io)
    return tl::make_unexpected("no I/O thread");
  auto server = make_server_endpoint(cfg);
  if (!server)
    return tl::make_unexpected(server.error());
  auto core = std::make_shared<client_core>(net::io::context_of(*io),
                                            std::move(*server), cfg);
  return std::make_shared<beast_api_client>(std::move(io), std::move(core));
}

} // namespace porter::k8s::io
