#include "k8s/io/watch_stream.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "k8s/io/client_core.hpp"
#include "k8s/line_splitter.hpp"
#include "net/io/io_thread_impl.hpp"

namespace porter::k8s::io {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// A Status body is small; a server streaming more than this as an error
// body is cut off (the watch ends either way).
constexpr std::size_t max_error_body = 1 << 20;

class watch_stream;

// Shared by the handle (any thread) and the stream (I/O thread). Callbacks
// run under `mutex`, so once cancel() has returned none runs any more; the
// mutex is recursive because a callback may itself cancel.
struct watch_control {
  std::recursive_mutex mutex;
  bool cancelled = false;
  std::weak_ptr<watch_stream> stream; // I/O thread only
};

class watch_stream : public std::enable_shared_from_this<watch_stream> {
public:
  watch_stream(std::shared_ptr<client_core> core, std::string target,
               milliseconds idle, watch_callbacks cb,
               std::shared_ptr<watch_control> ctl)
      : core_(std::move(core)),
        target_(std::move(target)),
        idle_(std::min<milliseconds>(idle, std::chrono::hours{8760})),
        cb_(std::move(cb)),
        ctl_(std::move(ctl)),
        timer_(core_->ioc) {}

  void start();
  /// cancel(): silently closes.
  void stop() { close(); }

private:
  void send();
  void on_header(error_code ec);
  void read_body();
  void on_body(error_code ec, std::size_t n);
  bool consume(std::string_view bytes);
  void finish_body();
  void fail(std::string what);
  void end(std::optional<transport_error> why);
  void close();
  void activity() { last_activity_ = steady_clock::now(); }
  void arm_idle();

  // Runs a callback unless the watch was cancelled; false if it was.
  template <class F, class... Args>
  bool call(F& f, Args&&... args) {
    std::lock_guard<std::recursive_mutex> lock(ctl_->mutex);
    if (ctl_->cancelled)
      return false;
    if (f)
      f(std::forward<Args>(args)...);
    return !ctl_->cancelled;
  }

  std::shared_ptr<client_core> core_;
  std::string target_;
  milliseconds idle_;
  watch_callbacks cb_;
  std::shared_ptr<watch_control> ctl_;
  asio::steady_timer timer_;
  steady_clock::time_point last_activity_;
  std::shared_ptr<http_connection> conn_;
  string_request req_;
  buffer_parser parser_;
  std::array<char, 64 * 1024> chunk_{};
  line_splitter lines_;
  std::string error_body_;
  int status_ = 0;
  bool done_ = false;
};

void watch_stream::start() {
  activity();
  arm_idle();
  req_ = core_->make_request("GET", target_, {}, {}, last_activity_);
  parser_.body_limit(unlimited_body); // a watch passes 8 MiB (§1.9)
  conn_ = std::make_shared<http_connection>(core_->ioc, core_->server);
  conn_->connect([self = shared_from_this()](std::string error) {
    if (self->done_)
      return;
    if (!error.empty())
      return self->fail(std::move(error));
    self->send();
  });
}

void watch_stream::send() {
  conn_->write(req_, [self = shared_from_this()](error_code ec) {
    if (self->done_)
      return;
    if (ec)
      return self->fail(self->conn_->describe(ec));
    self->conn_->read_header(self->parser_,
                             [self](error_code ec) { self->on_header(ec); });
  });
}

void watch_stream::on_header(error_code ec) {
  if (done_)
    return;
  if (ec)
    return fail(conn_->describe(ec));
  activity();
  status_ = static_cast<int>(parser_.get().result_int());
  if (status_ == 401) // the next watch or request re-reads the token file
    core_->token.refresh(steady_clock::now());
  if (!call(cb_.on_status, status_))
    return close();
  if (parser_.is_done())
    return finish_body();
  read_body();
}

void watch_stream::read_body() {
  parser_.get().body().data = chunk_.data();
  parser_.get().body().size = chunk_.size();
  conn_->read_some(parser_,
                   [self = shared_from_this()](error_code ec, std::size_t n) {
                     self->on_body(ec, n);
                   });
}

void watch_stream::on_body(error_code ec, std::size_t n) {
  if (done_)
    return;
  if (n > 0)
    activity();
  auto got = chunk_.size() - parser_.get().body().size;
  if (got > 0 && !consume(std::string_view(chunk_.data(), got)))
    return close();
  if (ec == http::error::need_buffer)
    ec = {};
  if (ec)
    return fail(conn_->describe(ec));
  if (parser_.is_done())
    return finish_body();
  read_body();
}

// False once the watch was cancelled from a callback.
bool watch_stream::consume(std::string_view bytes) {
  if (status_ != 200) {
    auto room = max_error_body - std::min(max_error_body, error_body_.size());
    error_body_.append(bytes.substr(0, room));
    return true;
  }
  for (auto& line : lines_.feed(bytes))
    if (!call(cb_.on_line, std::move(line)))
      return false;
  return true;
}

void watch_stream::finish_body() {
  if (status_ == 200) {
    if (auto last = lines_.finish(); last && !call(cb_.on_line, *last))
      return close();
  } else if (!call(cb_.on_error_body, std::move(error_body_))) {
    return close();
  }
  end(std::nullopt);
}

void watch_stream::fail(std::string what) {
  if (status_ != 0 && status_ != 200 && !done_
      && !call(cb_.on_error_body, std::move(error_body_)))
    return close();
  end(transport_error{std::move(what)});
}

void watch_stream::end(std::optional<transport_error> why) {
  if (done_)
    return;
  close();
  call(cb_.on_closed, std::move(why));
}

void watch_stream::close() {
  done_ = true;
  timer_.cancel();
  if (conn_)
    conn_->close();
}

// One timer for the whole watch: when it fires early (bytes came since it
// was armed) it is armed again for the rest of the idle period. A
// non-positive idle timeout disables it.
void watch_stream::arm_idle() {
  if (idle_ <= milliseconds::zero())
    return;
  auto elapsed = steady_clock::now() - last_activity_;
  timer_.expires_after(idle_ - elapsed); // idle_ is at most a year
  timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (ec || self->done_)
      return;
    if (steady_clock::now() - self->last_activity_ < self->idle_)
      return self->arm_idle();
    self->end(transport_error{"watch idle for "
                              + std::to_string(self->idle_.count()) + " ms"});
  });
}

class handle final : public watch_handle {
public:
  handle(std::weak_ptr<net::io::io_thread> io,
         std::shared_ptr<watch_control> ctl)
      : io_(std::move(io)), ctl_(std::move(ctl)) {}
  ~handle() override { cancel(); }

  void cancel() override {
    {
      std::lock_guard<std::recursive_mutex> lock(ctl_->mutex);
      if (ctl_->cancelled)
        return;
      ctl_->cancelled = true;
    }
    if (auto io = io_.lock())
      asio::post(net::io::context_of(*io), [ctl = ctl_] {
        if (auto s = ctl->stream.lock())
          s->stop();
      });
  }

private:
  std::weak_ptr<net::io::io_thread> io_;
  std::shared_ptr<watch_control> ctl_;
};

} // namespace

std::shared_ptr<watch_handle> start_watch(std::weak_ptr<net::io::io_thread> io,
                                          std::shared_ptr<client_core> core,
                                          std::string target,
                                          std::chrono::milliseconds idle,
                                          watch_callbacks callbacks) {
  auto ctl = std::make_shared<watch_control>();
  if (auto thread = io.lock())
    asio::post(net::io::context_of(*thread),
               [ctl, core = std::move(core), target = std::move(target), idle,
                cb = std::move(callbacks)]() mutable {
                 {
                   std::lock_guard<std::recursive_mutex> lock(ctl->mutex);
                   if (ctl->cancelled)
                     return;
                 }
                 auto s = std::make_shared<watch_stream>(
                   std::move(core), std::move(target), idle, std::move(cb),
                   ctl);
                 ctl->stream = s;
                 s->start();
               });
  return std::make_shared<handle>(std::move(io), std::move(ctl));
}

} // namespace porter::k8s::io
